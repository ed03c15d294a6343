using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Admin.FlowDryRun;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using ApprovalSystem.Workflows;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ApprovalSystem.Web.Tests.Admin;

/// <summary>The dry run page and its handler on the seeded catalogue, stored versions and 2026 calendar.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "IAsyncLifetime disposes the bUnit context.")]
public sealed class WorkflowDryRunTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    // Wednesday before National Day: 10-01…10-07 are holidays, Saturday 10-10 is a make-up working day.
    private const string BeforeNationalDay = "2026-09-30";

    private readonly BunitContext _ctx = new();
    private readonly AppFactory _factory;

    public WorkflowDryRunTests(AppFactory factory)
    {
        _factory = factory;
        factory.CreateClient().Dispose();
        _ctx.Services.AddMudServices();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddSingleton(factory.Get<IDbContextFactory<AppDbContext>>());
        _ctx.Services.AddSingleton(factory.Get<WorkingTimeProvider>());
        _ctx.Services.AddSingleton(factory.Get<WorkflowCatalog>());
        _ctx.Services.AddSingleton(TimeProvider.System);
        _ctx.Services.AddSingleton(factory.Get<Features.Admin.Workflows.WorkflowDrafts>());
        _ctx.Services.AddScoped<DryRunWorkflow.IDefinitionSource, DryRunWorkflow.StoredVersions>();
        _ctx.Services.AddScoped<DryRunWorkflow.Handler>();
        _ctx.AddAuthorization();
        _ctx.Render<MudPopoverProvider>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Fact]
    public async Task Page_PropertyRegistrationAcrossNationalDay_ShowsDepartmentsAndTheCalendarsDueDays()
    {
        var calendar = (await _factory.Get<WorkingTimeProvider>().GetAsync()).Calendar;
        var start = new DateOnly(2026, 9, 30);
        var names = await DepartmentNamesAsync();

        var page = Open($"property-registration/dry-run?matter=330799-BDC-001&start={BeforeNationalDay}");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-field=transactionPrice] input"))); // the form of 330799-BDC-001
        page.Find("#dry-run-go").Click();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#dry-run-path")));
        var rows = page.FindAll("#dry-run-path tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(5, rows.Count); // the joint step, its two branches, 登簿, the end
        Assert.Contains("登记审核与契税征收", rows[0], StringComparison.Ordinal);
        Assert.Contains(Day(calendar.AddWorkingDays(start, 3)), rows[0], StringComparison.Ordinal);
        Assert.Contains(names["BDC"], rows[1], StringComparison.Ordinal);
        Assert.Contains(Day(calendar.AddWorkingDays(start, 3)), rows[1], StringComparison.Ordinal);
        Assert.Contains(names["SW"], rows[2], StringComparison.Ordinal);
        Assert.Contains(Day(calendar.AddWorkingDays(start, 2)), rows[2], StringComparison.Ordinal);
        Assert.Contains("登簿", rows[3], StringComparison.Ordinal);
        Assert.Contains("部门负责人", rows[3], StringComparison.Ordinal);
        Assert.Contains(Day(calendar.AddWorkingDays(calendar.AddWorkingDays(start, 3), 2)), rows[3], StringComparison.Ordinal);
        Assert.Contains("准予（办结）", rows[4], StringComparison.Ordinal);

        // The seeded calendar's own dates: 10-10 is the make-up Saturday, 10-13 the second working day after it.
        Assert.Contains("2026-10-10（周六）", rows[1], StringComparison.Ordinal);
        Assert.Contains("2026-10-13（周二）", rows[3], StringComparison.Ordinal);
        var totals = page.Find("#dry-run-totals").TextContent;
        Assert.Contains("5 个工作日", totals, StringComparison.Ordinal);
        Assert.Contains($"15 个工作日（至 {Day(calendar.AddWorkingDays(start, 15))}（", totals, StringComparison.Ordinal);
        Assert.Equal(2, totals.Split("可满足").Length - 1); // the promised and the legal limit
    }

    [Fact]
    public async Task Page_AnExistingCasesData_IsLoadedMaskedAndDrivesTheRun()
    {
        var number = await FileAsync("330799-BDC-001");

        var page = Open($"property-registration/dry-run?case={number}&start={BeforeNationalDay}");

        page.WaitForAssertion(() => Assert.Contains($"已载入办件 {number} 的申请数据", page.Find("#dry-run-case-message").TextContent, StringComparison.Ordinal));
        Assert.Contains("已脱敏", page.Find("#dry-run-case-message").TextContent, StringComparison.Ordinal);
        Assert.Equal("3307**********0016", page.Find("[data-field=buyerIdNumber] input").GetAttribute("value"));
        Assert.Equal("500", page.Find("[data-field=buildingArea] input").GetAttribute("value"));
        page.Find("#dry-run-go").Click();
        page.WaitForAssertion(() => Assert.Contains("准予", page.Find("#dry-run-totals").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Page_AnUnknownCaseNumber_SaysSoInChinese()
    {
        var page = Open("property-registration/dry-run?case=330799-NO-SUCH");

        page.WaitForAssertion(() => Assert.Equal(
            "没有编号为“330799-NO-SUCH”的办件，请核对编号", page.Find("#dry-run-case-message").TextContent.Trim()));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Handler_ACaseOfAnotherFlow_IsRefused()
    {
        var number = await FileAsync("330799-BDC-001");
        var handler = _ctx.Services.GetRequiredService<DryRunWorkflow.Handler>();
        var setup = (await handler.SetupAsync("capital-construction"))!;

        var (sample, error) = await handler.CaseAsync(number, [.. setup.Matters.Select(m => m.Code)]);

        Assert.Null(sample);
        Assert.Equal($"办件“{number}”的事项“二手房转移登记及税费联办”不使用本流程，请选择本流程事项的办件", error);
    }

    [Theory]
    [InlineData("450", true)]
    [InlineData("120", false)]
    public async Task Handler_CapitalConstruction_TakesTheFireReviewBranchOnlyAbove300(string floorArea, bool fire)
    {
        var handler = _ctx.Services.GetRequiredService<DryRunWorkflow.Handler>();
        var setup = (await handler.SetupAsync("capital-construction"))!;
        Assert.True(setup.OnThisFlow);
        Assert.Contains(setup.Matters, m => m.Code == "330799-ZJ-001");
        var definition = (await handler.DefinitionAsync("capital-construction", setup.Choices[0].Key))!;

        var result = await handler.RunAsync(new DryRunWorkflow.Command(
            definition, "330799-ZJ-001", new Dictionary<string, string> { ["floorArea"] = floorArea }, new DateOnly(2026, 3, 2),
            new Dictionary<string, Outcome>(), new Dictionary<string, IReadOnlyDictionary<string, string>>()));

        Assert.Equal(WorkflowResult.Approved, result.Result);
        var condition = Assert.Single(result.Path, s => s.Kind == "condition");
        Assert.Equal([("floorArea", (string?)floorArea)], condition.Values);
        Assert.Equal(fire, result.Path.Any(s => s.Parts.Any(p => p.BranchId == "fire" && p.Department == "ZJ")));
    }

    [Fact]
    public async Task Handler_WithoutTheFieldAConditionNeeds_StopsAndSaysWhichField()
    {
        var handler = _ctx.Services.GetRequiredService<DryRunWorkflow.Handler>();
        var definition = (await handler.DefinitionAsync("capital-construction", (await handler.SetupAsync("capital-construction"))!.Choices[0].Key))!;

        var result = await handler.RunAsync(new DryRunWorkflow.Command(
            definition, "330799-ZJ-001", new Dictionary<string, string> { ["floorArea"] = " " }, new DateOnly(2026, 3, 2),
            new Dictionary<string, Outcome>(), new Dictionary<string, IReadOnlyDictionary<string, string>>()));

        Assert.Null(result.Result);
        Assert.Equal("条件“建筑面积是否超过300平方米”需要字段“floorArea”的值，试运行数据中没有：请在样例数据中填写后再试", result.Stopped);
    }

    private IRenderedComponent<DryRunPage> Open(string path)
    {
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("admin/workflows/" + path);
        return _ctx.Render<DryRunPage>(p => p.Add(x => x.Id, path[..path.IndexOf('/', StringComparison.Ordinal)]));
    }

    private async Task<string> FileAsync(string matterCode)
    {
        var citizen = await ApiSession.SignInAsync(_factory, "citizen");
        var form = await TestForms.RequiredAsync(_factory, matterCode);
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode, submit = true, formData = form });
        return filed.GetProperty("number").GetString()!;
    }

    private async Task<Dictionary<string, string>> DepartmentNamesAsync()
    {
        await using var db = _factory.CreateDbContext();
        return await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.Name);
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
