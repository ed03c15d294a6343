using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>Issue 18, the flow designer: an administrator changes the property-registration flow in the browser, at 1366×768.</summary>
[Collection(BrowserTests.Name)]
public sealed class FlowDesignerJourneyTests(E2EFixture app)
{
    private static readonly ViewportSize Laptop = new() { Width = 1366, Height = 768 };

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, name), FullPage = false });
    }

    [Fact]
    public async Task Administrator_AddsABranchToAnotherDepartment_SeesItPinnedWhileUnconnected_AndConnectsIt()
    {
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
    }
}
