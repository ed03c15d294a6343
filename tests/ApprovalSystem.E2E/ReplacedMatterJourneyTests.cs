using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>Decision 0058 in Chromium: an old joint matter a bundle replaced leads a visitor and an applicant to the bundle.</summary>
[Collection(SecondBrowserTests.Name)]
public sealed class ReplacedMatterJourneyTests(E2EFixture app)
{
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, name), FullPage = false });
    }

    [Fact]
    public async Task AReplacedMatter_ItsGuideAndItsFilingPage_LeadToTheBundle_AndTheGuideListMarksIt()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/guide/330799-SCJG-003");
        await Assertions.Expect(page.Locator("#replaced-notice")).ToContainTextAsync("本事项已纳入“开办便利店一件事”，请通过一件事办理");
        await Assertions.Expect(page.Locator("#replaced-bundle-link")).ToHaveAttributeAsync("href", "guide/bundles/330799-YJS-007");
        await Assertions.Expect(page.GetByText("登录后在线申报")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "guide-replaced-matter.png");

        await page.GotoAsync("/guide?q=" + Uri.EscapeDataString("开办"));
        await Assertions.Expect(page.Locator("a.replaced-by").First).ToBeVisibleAsync();
        await ScreenshotAsync(page, "guide-replaced-list.png");

        await app.SignInAsync(page, "citizen");
        await E2EFixture.GotoInteractiveAsync(page, "/apply/330799-SCJG-003");
        await Assertions.Expect(page.Locator("#replaced-notice")).ToContainTextAsync("请通过一件事办理");
        await Assertions.Expect(page.Locator("[data-field]")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "apply-replaced-matter.png");
        await page.Context.CloseAsync();
    }
}
