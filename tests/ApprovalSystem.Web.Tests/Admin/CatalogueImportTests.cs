using ApprovalSystem.Web.Features.Admin.Catalogue;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace ApprovalSystem.Web.Tests.Admin;

public sealed class CatalogueImportTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private async Task<Dictionary<string, List<Dictionary<string, object?>>>> ExportSheetsAsync()
    {
        factory.CreateClient().Dispose();
        var bytes = await factory.Get<ExportCatalogue.Handler>().HandleAsync();
        var sheets = new Dictionary<string, List<Dictionary<string, object?>>>();
        using var stream = new MemoryStream(bytes);
        foreach (var name in stream.GetSheetNames())
        {
            stream.Position = 0;
            sheets[name] = stream.Query(useHeaderRow: true, sheetName: name)
                .Cast<IDictionary<string, object?>>()
                .Select(r => new Dictionary<string, object?>(r))
                .ToList();
        }

        return sheets;
    }

    private static MemoryStream Workbook(Dictionary<string, List<Dictionary<string, object?>>> sheets)
    {
        var stream = new MemoryStream();
        stream.SaveAs(sheets.ToDictionary(s => s.Key, s => (object)s.Value));
        stream.Position = 0;
        return stream;
    }

    private async Task<ImportCatalogue.Result> ImportAsync(Dictionary<string, List<Dictionary<string, object?>>> sheets) =>
        await factory.Get<ImportCatalogue.Handler>().HandleAsync(new ImportCatalogue.Command(Workbook(sheets)));

    [Fact]
    public async Task Export_ThenImportUnchanged_Succeeds()
    {
        var sheets = await ExportSheetsAsync();

        var result = await ImportAsync(sheets);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.True(result.Matters >= 338);
        Assert.Equal(new[] { "部门", "服务站", "事项", "材料", "表单字段", "情形问题", "一件事", "一件事成员", "一件事情形", "一件事表单", "一件事材料" }.Order(),
            sheets.Keys.Order());

        // The guide's questions and the conditions that name them travel with the workbook and come back unchanged.
        Assert.True(sheets["情形问题"].Select(r => r["事项编码"]).Distinct().Count() >= 20);
        await using var db = factory.CreateDbContext();
        var household = await db.Matters.AsNoTracking().SingleAsync(m => m.Code == "330799-GA-008");
        Assert.Equal(["applyType", "agent"], household.Situations.Select(q => q.Key));
        Assert.Equal("applyType == '补领'", household.Materials.Single(x => x.Name == "户口簿遗失声明").When);
        Assert.Equal("situation.applyType", household.FormFields.Single(f => f.Key == "applyType").Prefill);

        // The workbook carries no 告知承诺 terms: importing it keeps each matter's terms rather than clearing them (decision 0060).
        var food = await db.Matters.AsNoTracking().SingleAsync(m => m.Code == "330799-SCJG-011");
        Assert.NotNull(food.Commitment);
        Assert.NotEmpty(food.Commitment!.Duty);
    }

    [Fact]
    public async Task Import_WithSeveralErrors_ListsEachBySheetRowColumn_AndChangesNothing()
    {
        var sheets = await ExportSheetsAsync();
        var matters = sheets["事项"];
        var renamed = (string)matters[0]["事项编码"]!;
        matters[0]["事项名称"] = "改名后的事项（不应保存）";
        matters[1]["部门编码"] = "NOSUCH";
        matters[2]["法定时限"] = 5;
        matters[2]["承诺时限"] = 9;
        sheets["材料"][0]["份数"] = "三";

        var result = await ImportAsync(sheets);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e is { Sheet: "材料", Row: 2, Column: "份数" });
        // Cell errors stop the import before the rules run, so fix that one and look at the rest.
        sheets["材料"][0]["份数"] = 1;
        result = await ImportAsync(sheets);
        Assert.Contains(result.Errors, e => e.Sheet == "事项" && e.Row == 3 && e.Column == "部门编码" && e.Message.Contains("NOSUCH", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Sheet == "事项" && e.Row == 4 && e.Column == "承诺时限" && e.Message.Contains("不得超过法定时限", StringComparison.Ordinal));
        await using var db = factory.CreateDbContext();
        Assert.NotEqual("改名后的事项（不应保存）", (await db.Matters.SingleAsync(m => m.Code == renamed)).Name);
    }

    [Fact]
    public async Task Import_MissingColumn_IsRefusedWhole()
    {
        var sheets = await ExportSheetsAsync();
        foreach (var row in sheets["事项"])
        {
            row.Remove("法定时限");
        }

        var result = await ImportAsync(sheets);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("事项", 1, "法定时限"), (error.Sheet, error.Row, error.Column));
        Assert.Contains("缺少此列", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_AFieldsLongestLength_IsItsOwnColumn_CheckedByTheRules_AndAnOlderWorkbookWithoutItStillReads()
    {
        var sheets = await ExportSheetsAsync();
        var fields = sheets["表单字段"];
        var text = fields.First(f => (string?)f["字段类型"] == "文本");
        var number = fields.First(f => (string?)f["字段类型"] == "数字");
        var (matterCode, key) = ((string)text["事项编码"]!, (string)text["字段键"]!);
        text["最长字数"] = 60;
        number["最长字数"] = 60;

        var refused = await ImportAsync(sheets);
        number["最长字数"] = null;
        var applied = await ImportAsync(sheets);
        await using var db = factory.CreateDbContext();
        var declared = (await db.Matters.AsNoTracking().SingleAsync(m => m.Code == matterCode)).FormFields.Single(f => f.Key == key).MaxLength;
        foreach (var row in fields)
        {
            row.Remove("最长字数");
        }

        var older = await ImportAsync(sheets);

        Assert.False(refused.Succeeded);
        var error = Assert.Single(refused.Errors);
        Assert.Equal(("表单字段", "最长字数"), (error.Sheet, error.Column));
        Assert.Contains("只有文本字段可以设最长字数", error.Message, StringComparison.Ordinal);
        Assert.True(applied.Succeeded, string.Join("\n", applied.Errors));
        Assert.Equal(60, declared);
        Assert.True(older.Succeeded, string.Join("\n", older.Errors));
        Assert.Null((await db.Matters.AsNoTracking().SingleAsync(m => m.Code == matterCode)).FormFields.Single(f => f.Key == key).MaxLength);
    }

    [Fact]
    public async Task Import_NewMatterAndChangedDepartment_AreApplied()
    {
        var sheets = await ExportSheetsAsync();
        sheets["部门"][1]["联系电话"] = "0579-83999999";
        var template = sheets["事项"][5];
        var added = new Dictionary<string, object?>(template) { ["事项编码"] = "330799-SCJG-999", ["事项名称"] = "测试新增事项" };
        sheets["事项"].Add(added);
        sheets["材料"].Add(new Dictionary<string, object?>(sheets["材料"][0]) { ["事项编码"] = "330799-SCJG-999", ["材料名称"] = "申请书" });

        var result = await ImportAsync(sheets);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        await using var db = factory.CreateDbContext();
        var matter = await db.Matters.SingleAsync(m => m.Code == "330799-SCJG-999");
        Assert.Equal("测试新增事项", matter.Name);
        Assert.Equal("申请书", Assert.Single(matter.Materials).Name);
        var deptCode = (string)sheets["部门"][1]["部门编码"]!;
        Assert.Equal("0579-83999999", (await db.Departments.SingleAsync(d => d.Code == deptCode)).Phone);
    }

    [Fact]
    public async Task Import_NotAWorkbook_SaysSo()
    {
        var result = await factory.Get<ImportCatalogue.Handler>().HandleAsync(new ImportCatalogue.Command(new MemoryStream("not excel"u8.ToArray())));

        Assert.False(result.Succeeded);
        Assert.Contains("Excel", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }
}
