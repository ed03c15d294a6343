using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// Issue 18 item 6: a flow drawn in bpmn.io (no department, role or limits: it knows nothing of them) imported from the flow list,
/// the form asking for exactly what its steps lack, then a draft the designer opens.
/// </summary>
[Collection(FlowBrowserTests.Name)]
public sealed class FlowImportJourneyTests(E2EFixture app)
{
    [Fact]
    public async Task Administrator_ImportsABpmnFileDrawnElsewhere_AnswersWhatItLacks_AndOpensTheDraftInTheDesigner()
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, "admin");
        await E2EFixture.GotoInteractiveAsync(page, "/admin/workflows");

        var chooser = await page.RunAndWaitForFileChooserAsync(() => page.ClickAsync("#import-workflow"));
        await chooser.SetFilesAsync(Path.Combine(RepositoryRoot(), "tests", "bpmn-samples", "drawn-in-bpmn-io.bpmn"));
        var needs = page.Locator("#bpmn-needs tr[data-element]");
        await Assertions.Expect(needs).ToHaveCountAsync(4, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
        var task = page.Locator("tr[data-element=Activity_1p9rz3t]");
        await Assertions.Expect(task).ToContainTextAsync("办理部门、岗位角色、办理时限（工作日）");
        await Assertions.Expect(page.Locator("#workflow-message")).ToHaveCountAsync(0); // told once, by the form
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.Locator("#bpmn-needs").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, "flow-bpmn-import.png") });

        await ChooseAsync(page, task.Locator(".bpmn-department"), "市场监");
        await ChooseAsync(page, task.Locator(".bpmn-role"), "部门经办人");
        await task.Locator(".bpmn-limit input").FillAsync("3");
        await page.Locator("tr[data-element=Gateway_0pz1ql6] .bpmn-limit input").FillAsync("5");
        await page.Locator("tr[data-element=Activity_0c4v8bn] .bpmn-limit input").FillAsync("2");
        await ChooseAsync(page, page.Locator("tr[data-element=Event_1n6t2wd] .bpmn-result"), "不予");
        await page.ClickAsync("#bpmn-import-answers");

        await Assertions.Expect(page.Locator("#workflow-message")).ToContainTextAsync("Process_1q8v4zn");
        await Assertions.Expect(page.Locator("#bpmn-needs")).ToHaveCountAsync(0);

        // The draft opens in the designer, drawn and checked: nothing left to correct.
        await E2EFixture.GotoInteractiveAsync(page, "/admin/workflows/Process_1q8v4zn");
        await Assertions.Expect(page.Locator("#flow-diagram .flow-node").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#designer-valid")).ToBeVisibleAsync();
        await context.CloseAsync();
    }

    private static async Task ChooseAsync(IPage page, ILocator select, string option)
    {
        await select.ClickAsync(); // the class is on the select itself
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasText = option }).First.ClickAsync();
        await Assertions.Expect(select.Locator("input").First).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(option));
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir.FullName, "ApprovalSystem.sln")))
        {
            dir = dir.Parent!;
        }

        return dir.FullName;
    }
}
