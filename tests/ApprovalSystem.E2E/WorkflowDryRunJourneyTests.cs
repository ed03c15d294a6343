using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>Issue 18's dry run in Chromium: an administrator runs the capital-construction flow before publishing it.</summary>
[Collection(FlowBrowserTests.Name)]
public sealed class WorkflowDryRunJourneyTests(E2EFixture app)
{
    [Fact]
    public async Task Administrator_DryRunsAFlowAcrossNationalDay_AndSeesTheBranchDueDaysAndThePromisedLimitWarning()
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, "admin");

        await E2EFixture.GotoInteractiveAsync(page, "/admin/workflows");
        await Assertions.Expect(page.Locator("#workflow-table a.workflow-dry-run").First).ToBeVisibleAsync();
        await E2EFixture.GotoInteractiveAsync(page, "/admin/workflows/capital-construction/dry-run?matter=330799-ZJ-001&start=2026-09-30");
        await page.Locator("[data-field=floorArea] input").FillAsync("450");
        await page.Locator("[data-field=projectName] input").FillAsync("云溪县综合楼");
        await page.ClickAsync("#dry-run-go");

        var path = page.Locator("#dry-run-path");
        await Assertions.Expect(path).ToContainTextAsync("floorArea = 450");
        await Assertions.Expect(path).ToContainTextAsync("消防设计审查");
        await Assertions.Expect(path).ToContainTextAsync("2026-10-20（周二）"); // 立项用地规划: 10 working days over National Day
        await Assertions.Expect(page.Locator("#dry-run-result")).ToContainTextAsync("超过事项承诺时限 15 个工作日");
        // The whole page in one picture: a viewport as tall as the page (a full-page shot repeats the fixed app bar midway).
        await page.SetViewportSizeAsync(1366, await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight"));
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, "admin-workflow-dry-run.png") });
        await context.CloseAsync();
    }
}
