using System.Text.Json;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// Issue 18, the flow designer: an administrator changes the property-registration flow in the browser, at 1366×768, and publishes
/// it; new cases follow it, running ones do not.
/// </summary>
[Collection(FlowBrowserTests.Name)]
public sealed class FlowDesignerJourneyTests(E2EFixture app)
{
    private static readonly ViewportSize Laptop = new() { Width = 1366, Height = 768 };

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, name), FullPage = false });
    }

    [Fact]
    public async Task Administrator_AddsABranchToAnotherDepartment_DryRunsAndPublishesIt_AndOnlyCasesFiledAfterReachThatDepartment()
    {
        // A case filed and accepted before the change runs on the version it started on.
        var citizen = await ApiContextAsync("citizen");
        var clerk = await ApiContextAsync("clerk");
        var before = await FileAndAcceptAsync(citizen, clerk);

        // A laptop's screen at a pixel ratio of 1, with a mouse (the fixture's sized pages are phones).
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = Laptop });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, "admin");
        await E2EFixture.GotoInteractiveAsync(page, "/admin/workflows/property-registration");

        // The shipped flow drawn as a graph: the joint step, its two branches, 登簿 and the two ends; nothing to correct.
        var diagram = page.Locator("#flow-diagram");
        await Assertions.Expect(diagram.Locator(".flow-node")).ToHaveCountAsync(6);
        await Assertions.Expect(diagram.Locator(".flow-node-parallel .flow-node-start")).ToHaveTextAsync("开始");
        await Assertions.Expect(diagram.Locator(".flow-node-branch", new() { HasTextString = "契税征收" })).ToContainTextAsync("县税务局");
        await Assertions.Expect(page.Locator("#designer-valid")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#designer-save")).ToBeEnabledAsync();
        await Assertions.Expect(diagram.Locator("g.diagram-link")).ToHaveCountAsync(4); // drawn once the ports are measured
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#flow-diagram g.diagram-link > path:first-child')]" +
            ".filter(p => p.getBoundingClientRect().width > 0).length === 4");
        await ScreenshotAsync(page, "flow-designer.png");

        // A new branch from the palette (a click: the keyboard's way) to 住建局 with a 3-day limit.
        await page.ClickAsync("#palette-branch");
        await page.FillAsync("#panel-title", "房屋交易备案核验");
        await page.Locator("#panel-title").PressAsync("Tab");
        await page.SelectOptionAsync("#panel-department", "ZJ");
        await page.FillAsync("#panel-limit", "3");
        await page.Locator("#panel-limit").PressAsync("Tab");

        // Not yet taken in by the joint step: the error is pinned to the branch on the graph and listed, and nothing can be saved.
        var branch = diagram.Locator(".flow-node-branch", new() { HasTextString = "房屋交易备案核验" });
        await Assertions.Expect(branch).ToContainTextAsync("住建局 · 3个工作日");
        await Assertions.Expect(branch).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("flow-node-error"));
        await Assertions.Expect(branch.Locator(".flow-node-badge")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#designer-issues")).ToContainTextAsync("并联分支“房屋交易备案核验”未连接");
        await Assertions.Expect(page.Locator("#flow-panel .flow-panel-issues")).ToContainTextAsync("未连接");
        await Assertions.Expect(page.Locator("#designer-save")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#designer-blocked")).ToContainTextAsync("改正后才能保存");
        await ScreenshotAsync(page, "flow-designer-error.png");

        // Connected to the joint step: the error goes, and the joint step counts three branches.
        await page.SelectOptionAsync("#panel-parallel", "joint");
        await Assertions.Expect(page.Locator("#designer-valid")).ToBeVisibleAsync();
        await Assertions.Expect(branch).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("flow-node-error"));
        await Assertions.Expect(diagram.Locator(".flow-node-parallel")).ToContainTextAsync("3个分支");
        await Assertions.Expect(page.Locator("#designer-save")).ToBeEnabledAsync();

        // Undo takes the connection back (and the error with it); redo restores it.
        await page.ClickAsync("#designer-undo");
        await Assertions.Expect(page.Locator("#designer-issues")).ToContainTextAsync("未连接");
        await page.ClickAsync("#designer-redo");
        await Assertions.Expect(page.Locator("#designer-valid")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#designer-save")).ToBeEnabledAsync();
        await ScreenshotAsync(page, "flow-designer-connected.png");

        // 试运行 keeps what is on the screen as the draft first, then runs it: the path takes the new branch at the housing bureau.
        await page.ClickAsync("#designer-dry-run");
        await page.WaitForURLAsync(url => url.Contains("/dry-run", StringComparison.Ordinal));
        await E2EFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#dry-run-version")).ToHaveValueAsync("草稿（未发布）");
        await page.ClickAsync("#dry-run-go");
        var path = page.Locator("#dry-run-path");
        await Assertions.Expect(path).ToContainTextAsync("房屋交易备案核验");
        await Assertions.Expect(path).ToContainTextAsync("云溪县住房和城乡建设局");
        await ScreenshotAsync(page, "flow-designer-dry-run.png");

        // Published with a reason: version 2, and the difference from version 1 names the new branch.
        await E2EFixture.GotoInteractiveAsync(page, "/admin/workflows/property-registration/versions");
        await page.FillAsync("#publish-reason", "二手房交易增加住建局备案核验");
        await page.ClickAsync("#publish");
        await Assertions.Expect(page.Locator("#versions-message")).ToContainTextAsync("已发布为第2版");
        await Assertions.Expect(page.Locator("#version-table")).ToContainTextAsync("二手房交易增加住建局备案核验");
        await page.ClickAsync("#compare");
        await Assertions.Expect(page.Locator("#diff-table")).ToContainTextAsync("房屋交易备案核验");
        await Assertions.Expect(page.Locator("#diff-table")).ToContainTextAsync("登记审核与契税征收（joint）");
        await page.Locator("#diff-panel").ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync(page, "flow-versions-diff.png");

        // The public guide shows the published flow at once.
        await page.GotoAsync("/guide/330799-BDC-001");
        await Assertions.Expect(page.Locator("ol.guide-steps")).ToContainTextAsync("房屋交易备案核验");

        // A case filed afterwards reaches the housing bureau's worklist; the one filed before does not.
        var after = await FileAndAcceptAsync(citizen, clerk);
        var officer = await (await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = Laptop }))
            .NewPageAsync();
        await app.SignInAsync(officer, "officer.zj");
        await E2EFixture.GotoInteractiveAsync(officer, "/work");
        var worklist = officer.Locator("#worklist");
        await Assertions.Expect(worklist).ToContainTextAsync(after);
        await Assertions.Expect(worklist).Not.ToContainTextAsync(before);
        await ScreenshotAsync(officer, "flow-designer-new-case-at-zj.png");
        await officer.Context.CloseAsync();
        await context.CloseAsync();
        await citizen.CloseAsync();
        await clerk.CloseAsync();
    }

    /// <summary>A signed-in user's own cookies, for calling the HTTP API as the pages do.</summary>
    private async Task<IBrowserContext> ApiContextAsync(string account)
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl, Locale = "zh-CN" });
        await app.SignInAsync(await context.NewPageAsync(), account);
        return context;
    }

    /// <summary>A JSON body with the header that proves a signed-in state change comes from the system's pages or one's own program.</summary>
    private static APIRequestContextOptions Json(object body) =>
        new() { DataObject = body, Headers = new Dictionary<string, string> { ["X-Requested-With"] = "e2e" } };

    /// <summary>A second-hand house transfer (二手房转移登记) filed by the citizen and accepted at the window; its number.</summary>
    private async Task<string> FileAndAcceptAsync(IBrowserContext citizen, IBrowserContext clerk)
    {
        Matter matter;
        using (var scope = app.Services.CreateScope())
        {
            matter = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Matters.AsNoTracking().SingleAsync(m => m.Code == "330799-BDC-001");
        }

        var form = matter.FormFields.Where(f => f.Required).ToDictionary(f => f.Key, f => f.Type switch
        {
            FieldKind.Number => "120",
            FieldKind.Date => "2026-12-01",
            FieldKind.Phone => "13800000001",
            FieldKind.IdCard => "330799198503120016",
            FieldKind.CreditCode => "91330799MA2K3L4N5T",
            FieldKind.Select => f.Options![0],
            _ => "云溪县城关镇人民大道1号",
        });
        var filed = await citizen.APIRequest.PostAsync("/api/cases", Json(new { matterCode = matter.Code, submit = true, formData = form }));
        Assert.True(filed.Ok, $"filing: {filed.Status} {await filed.TextAsync()}");
        var json = JsonDocument.Parse(await filed.TextAsync()).RootElement;
        var accepted = await clerk.APIRequest.PostAsync($"/api/cases/{json.GetProperty("id").GetInt64()}/accept", Json(new { }));
        Assert.True(accepted.Ok, $"accepting: {accepted.Status} {await accepted.TextAsync()}");
        return json.GetProperty("number").GetString()!;
    }
}
