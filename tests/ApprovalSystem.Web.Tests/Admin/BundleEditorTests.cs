using System.Text.Json;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Features.Admin;
using ApprovalSystem.Web.Features.Admin.Bundles;
using ApprovalSystem.Web.Features.Admin.Catalogue;
using ApprovalSystem.Web.Tests.Infrastructure;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using MudBlazor;
using MudBlazor.Services;

namespace ApprovalSystem.Web.Tests.Admin;

/// <summary>
/// The administrator's bundle editor (decision 0057) and the bundles in the catalogue workbook, on the real database: a save runs the
/// bundle rules and names an uncovered required field with its member in Chinese, keeping nothing; a valid edit is kept; publishing
/// and unpublishing; the shipped six round-trip through the workbook.
/// </summary>
public sealed class BundleEditorTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string Birth = "330799-YJS-002";

    [Fact]
    public async Task Saving_ABundleWhoseMergedFormNoLongerCoversAMembersRequiredField_IsRefused_NamingMemberAndField()
    {
        factory.CreateClient().Dispose();
        var handler = factory.Get<EditBundle.Handler>();
        var data = (await handler.LoadAsync(Birth))!;
        var original = JsonSerializer.Serialize(data, CatalogueData.JsonOptions);
        var (field, target, matter, required) = await SoleMappingAsync(data);
        field.Maps.Remove(target);

        var problems = await handler.SaveAsync(Birth, data);

        Assert.Contains($"合并表单未覆盖事项“{matter.Name}”的必填字段：{required.Label}（{required.Key}）", problems);
        await using var after = factory.CreateDbContext();
        Assert.Equal(original, JsonSerializer.Serialize((await after.Bundles.AsNoTracking().SingleAsync(b => b.Code == Birth)).Definition, CatalogueData.JsonOptions));
    }

    [Fact]
    public async Task TheEditorPage_ShowsEachProblemInChinese_AndAValidEditIsKept_ThenPublishAndUnpublish()
    {
        factory.CreateClient().Dispose();
        await using var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddSingleton(factory.Get<EditBundle.Handler>());
        ctx.Services.AddSingleton(factory.Get<MatterQueries>());
        ctx.AddAuthorization().SetAuthorized("admin").SetRoles(Roles.Administrator);
        ctx.Render<MudPopoverProvider>();
        const string code = "330799-YJS-005";

        var page = ctx.Render<BundleEdit>(p => p.Add(x => x.Code, code));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#bundle-save")));
        Assert.Equal(4, page.FindAll("#bundle-member-rows tbody tr").Count);

        // A nameless bundle that waits on a stranger: each problem listed, in Chinese, nothing kept.
        page.Find("#bundle-name").Change("");
        page.Find("#bundle-member-rows tbody tr:first-child textarea").Change("XX-404");
        page.Find("#bundle-save").Click();
        page.WaitForAssertion(() =>
        {
            var errors = page.Find("#bundle-errors").TextContent;
            Assert.Contains("未保存", errors, StringComparison.Ordinal);
            Assert.Contains("一件事名称不能为空", errors, StringComparison.Ordinal);
            Assert.Contains("等待的“XX-404”不是本一件事的成员", errors, StringComparison.Ordinal);
        });
        await using (var db = factory.CreateDbContext())
        {
            Assert.DoesNotContain((await db.Bundles.AsNoTracking().SingleAsync(b => b.Code == code)).Definition.Members, m => m.After.Contains("XX-404"));
        }

        // Put right, it is kept.
        page.Find("#bundle-name").Change("员工录用一件事（新版）");
        page.Find("#bundle-member-rows tbody tr:first-child textarea").Change("");
        page.Find("#bundle-limit").Change("12");
        page.Find("#bundle-save").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("#bundle-errors")));
        await using (var db = factory.CreateDbContext())
        {
            var saved = await db.Bundles.AsNoTracking().SingleAsync(b => b.Code == code);
            Assert.Equal(("员工录用一件事（新版）", 12), (saved.Name, saved.Definition.PromisedLimitDays));
        }

        // Unpublished: no filing takes it; published again after the rules pass.
        var handler = factory.Get<EditBundle.Handler>();
        Assert.Empty(await handler.SetPublishedAsync(code, false));
        await using (var db = factory.CreateDbContext())
        {
            Assert.False((await db.Bundles.AsNoTracking().SingleAsync(b => b.Code == code)).IsPublished);
        }

        var list = ctx.Render<BundleList>();
        list.WaitForAssertion(() => Assert.Contains("未发布", list.Find($"tr[data-bundle='{code}']").TextContent, StringComparison.Ordinal));
        list.Find($"tr[data-bundle='{code}'] .bundle-publish").Click();
        list.WaitForAssertion(() => Assert.Contains("已发布", list.Find($"tr[data-bundle='{code}']").TextContent, StringComparison.Ordinal));
        await using (var db = factory.CreateDbContext())
        {
            Assert.True((await db.Bundles.AsNoTracking().SingleAsync(b => b.Code == code)).IsPublished);
        }
    }

    [Fact]
    public async Task ANewBundle_WithAnUnknownMemberAndACodeInUse_IsRefused_ThenAddedWhenRight()
    {
        factory.CreateClient().Dispose();
        var handler = factory.Get<EditBundle.Handler>();
        var copy = EditBundle.Handler.Copy((await handler.LoadAsync("330799-YJS-006"))!);
        copy.Members.Add(new BundleMember { Matter = "XX-999" });

        var problems = await handler.SaveAsync(null, copy);

        Assert.Contains("一件事编码“330799-YJS-006”已被使用", problems);
        Assert.Contains("成员事项“XX-999”不存在", problems);

        copy.Code = "330799-YJS-099";
        copy.Name = "企业注销一件事（试点）";
        copy.Members.RemoveAt(copy.Members.Count - 1);
        Assert.Empty(await handler.SaveAsync(null, copy));
        Assert.Contains((await handler.ListAsync()), b => b.Code == "330799-YJS-099" && b.Name == "企业注销一件事（试点）");
    }

    [Fact]
    public async Task TheWorkbook_ExportsTheBundlesOnTheirOwnSheets_AndTheShippedSixComeBackUnchanged()
    {
        factory.CreateClient().Dispose();
        await using var db = factory.CreateDbContext();
        var before = await db.Bundles.AsNoTracking().OrderBy(b => b.Code).Select(b => b.Definition).ToListAsync();
        Assert.True(before.Count >= 6);
        var bytes = await factory.Get<ExportCatalogue.Handler>().HandleAsync();
        using (var stream = new MemoryStream(bytes))
        {
            Assert.Subset(stream.GetSheetNames().ToHashSet(), new HashSet<string> { "一件事", "一件事成员", "一件事情形", "一件事表单", "一件事材料" });
        }

        // Read back, every bundle is what was written, field by field.
        var (data, _, errors) = CatalogueWorkbook.Read(new MemoryStream(bytes));
        Assert.Empty(errors);
        Assert.Equal(before.Select(Json), data.Bundles.Select(Json));

        // Imported whole, the stored bundles are unchanged.
        var result = await factory.Get<ImportCatalogue.Handler>().HandleAsync(new ImportCatalogue.Command(new MemoryStream(bytes)));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        await using var after = factory.CreateDbContext();
        Assert.Equal(before.Select(Json), (await after.Bundles.AsNoTracking().OrderBy(b => b.Code).Select(b => b.Definition).ToListAsync()).Select(Json));
    }

    [Fact]
    public async Task AWorkbookBundleThatBreaksTheRules_IsRefusedAtItsRow_AndAWorkbookWithoutBundleSheetsStillReads()
    {
        factory.CreateClient().Dispose();
        var bytes = await factory.Get<ExportCatalogue.Handler>().HandleAsync();
        var sheets = new Dictionary<string, List<Dictionary<string, object?>>>();
        using (var stream = new MemoryStream(bytes))
        {
            foreach (var name in stream.GetSheetNames())
            {
                stream.Position = 0;
                sheets[name] = [.. stream.Query(useHeaderRow: true, sheetName: name).Cast<IDictionary<string, object?>>().Select(r => new Dictionary<string, object?>(r))];
            }
        }

        var fields = sheets["一件事表单"];
        var key = await SoleCoverAsync(Birth);
        Assert.Equal(1, fields.RemoveAll(r => (string?)r["一件事编码"] == Birth && (string?)r["字段键"] == key));
        var result = await factory.Get<ImportCatalogue.Handler>().HandleAsync(new ImportCatalogue.Command(Save(sheets)));

        Assert.False(result.Succeeded);
        var birthRow = sheets["一件事"].FindIndex(r => (string?)r["一件事编码"] == Birth) + 2;
        Assert.Contains(result.Errors, e => e.Sheet == "一件事" && e.Row == birthRow && e.Message.StartsWith("合并表单未覆盖事项", StringComparison.Ordinal));

        foreach (var name in new[] { "一件事", "一件事成员", "一件事情形", "一件事表单", "一件事材料" })
        {
            sheets.Remove(name);
        }

        var older = await factory.Get<ImportCatalogue.Handler>().HandleAsync(new ImportCatalogue.Command(Save(sheets)));
        Assert.True(older.Succeeded, string.Join("\n", older.Errors));
        await using var db = factory.CreateDbContext();
        Assert.True(await db.Bundles.CountAsync() >= 6);
    }

    /// <summary>A merged field's mapping that alone fills a member's required field (no prefill, no other merged field maps to it).</summary>
    private async Task<(MergedField Field, string Target, Matter Matter, FormField Required)> SoleMappingAsync(BundleData data)
    {
        await using var db = factory.CreateDbContext();
        var matters = await db.Matters.AsNoTracking().ToListAsync();
        foreach (var f in data.FormFields)
        {
            foreach (var r in f.Maps)
            {
                if (MergedField.Target(r) is not (var code, var key) || matters.SingleOrDefault(m => BundleData.Names(code, m.Code)) is not { } m
                    || m.FormFields.SingleOrDefault(x => x.Key == key) is not { Required: true, Prefill: null or "" } required)
                {
                    continue;
                }

                if (data.FormFields.Count(o => o.Maps.Any(x => MergedField.Target(x) is (var c, var k) && k == key && BundleData.Names(c, m.Code))) == 1)
                {
                    return (f, r, m, required);
                }
            }
        }

        throw new InvalidOperationException("the bundle has no merged field that alone covers a required member field");
    }

    private async Task<string> SoleCoverAsync(string code)
    {
        await using var db = factory.CreateDbContext();
        var data = (await db.Bundles.AsNoTracking().SingleAsync(b => b.Code == code)).Definition;
        return (await SoleMappingAsync(data)).Field.Key;
    }

    private static MemoryStream Save(Dictionary<string, List<Dictionary<string, object?>>> sheets)
    {
        var stream = new MemoryStream();
        stream.SaveAs(sheets.ToDictionary(s => s.Key, s => (object)s.Value));
        stream.Position = 0;
        return stream;
    }

    private static string Json(BundleData b) => JsonSerializer.Serialize(b, CatalogueData.JsonOptions);
}
