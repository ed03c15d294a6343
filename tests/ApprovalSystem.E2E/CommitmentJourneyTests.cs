using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// Decision 0060 in Chromium: an enterprise files 食品经营许可 on commitment on a phone — reads the text, ticks, signs, the replaced
/// materials are waived — and the window approves and issues at once; the department sees the verification task.
/// </summary>
[Collection(SecondBrowserTests.Name)]
public sealed class CommitmentJourneyTests(E2EFixture app)
{
    private const string Matter = "330799-SCJG-011";

    private static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, name), FullPage = true });
    }

    [Fact]
    public async Task Enterprise_FilesOnCommitmentOnAPhone_TheWindowApprovesAtOnce_AndTheDepartmentSeesTheVerification()
    {
        var page = await app.NewPageAsync(E2EFixture.Phone);
        await app.SignInAsync(page, "enterprise");
        await E2EFixture.GotoInteractiveAsync(page, $"/apply/{Matter}");
        await Assertions.Expect(page.Locator("[data-field=unitName] input")).ToHaveValueAsync("云溪县绿源食品有限公司");
        await page.Locator("[data-field=premisesAddress] input").FillAsync("云溪县城关镇人民大道88号");
        await page.Locator("[data-field=premisesArea] input").FillAsync("60");
        await page.Locator("[data-field=foodSafetyManager] input").FillAsync("陈明");
        await page.Locator("[data-field=mainBusiness] .mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").First.ClickAsync();

        // The commitment: its text, the tick with the signer's name, then the signature; the replaced materials are waived.
        await Assertions.Expect(page.Locator("#commitment-text")).ToContainTextAsync("虚假承诺的责任");
        await Assertions.Expect(page.Locator("#commitment-sign")).ToBeDisabledAsync();
        await page.Locator("#commitment-sign").ScrollIntoViewIfNeededAsync();
        await ShotAsync(page, "phone-apply-commitment.png");
        await page.Locator("#commitment-panel input[type=checkbox]").CheckAsync();
        await page.Locator("#commitment-sign").TapAsync();
        await Assertions.Expect(page.Locator("#commitment-signed")).ToContainTextAsync("已签署告知承诺书：云溪县绿源食品有限公司");
        await Assertions.Expect(page.Locator("[data-material-row='食品安全管理制度']")).ToContainTextAsync("已以告知承诺代替");
        await Assertions.Expect(page.Locator("#missing-materials")).Not.ToContainTextAsync("食品安全管理人员基本情况");
        await ShotAsync(page, "phone-apply-commitment-signed.png");

        await page.Locator("#apply-submit").ScrollIntoViewIfNeededAsync();
        await page.Locator("#apply-submit").TapAsync();
        await page.WaitForURLAsync(url => url.Contains("/cases/", StringComparison.Ordinal));
        await E2EFixture.WaitInteractiveAsync(page);
        var caseUrl = new Uri(page.Url).AbsolutePath;
        await Assertions.Expect(page.Locator("#documents .document-link", new() { HasText = "告知承诺书" })).ToBeVisibleAsync();
        var letter = await page.Locator("#documents .document-link", new() { HasText = "告知承诺书" }).GetAttributeAsync("href");
        var pdf = await page.APIRequest.GetAsync(letter!);
        Assert.Equal("application/pdf", pdf.Headers["content-type"]);
        await page.Context.CloseAsync();

        // The window: one act accepts, approves and issues the certificate.
        var clerk = await app.NewPageAsync();
        await app.SignInAsync(clerk, "clerk");
        await E2EFixture.GotoInteractiveAsync(clerk, caseUrl);
        await Assertions.Expect(clerk.Locator("#acceptance-commitment")).ToContainTextAsync("以承诺代替");
        await clerk.ClickAsync("#accept-decide");
        await Assertions.Expect(clerk.Locator("#case-state")).ToContainTextAsync("已发证");
        await Assertions.Expect(clerk.Locator("#case-verification-due")).ToContainTextAsync("事中事后核查（20个工作日）");
        await Assertions.Expect(clerk.Locator("#case-materials")).ToContainTextAsync("以承诺代替");
        await ShotAsync(clerk, "commitment-window-issued.png");
        await clerk.Context.CloseAsync();

        // The department's verification tasks list it.
        var officer = await app.NewPageAsync();
        await app.SignInAsync(officer, "officer.scjg");
        await E2EFixture.GotoInteractiveAsync(officer, "/work/verifications");
        var task = officer.Locator(".verification-task[data-case]").Filter(new() { Has = officer.Locator($"a[href='{caseUrl.TrimStart('/')}']") });
        await Assertions.Expect(task).ToContainTextAsync("食品经营许可（新办）");
        await ShotAsync(officer, "commitment-verifications.png");

        // 核查属实 with what was seen; the applicant's case page on the phone then shows the result.
        await task.Locator(".verification-findings textarea").FillAsync("现场核查：食品安全管理制度已上墙，管理人员在岗，与承诺一致");
        await task.Locator(".verify-true").ClickAsync();
        await Assertions.Expect(officer.Locator("#verifications-done")).ToContainTextAsync("现场核查：食品安全管理制度已上墙");
        await officer.Context.CloseAsync();

        var applicant = await app.NewPageAsync(E2EFixture.Phone);
        await app.SignInAsync(applicant, "enterprise");
        await E2EFixture.GotoInteractiveAsync(applicant, caseUrl);
        await Assertions.Expect(applicant.Locator("#case-commitment-replaces")).ToContainTextAsync("食品安全管理制度");
        await Assertions.Expect(applicant.Locator("#case-verification-result")).ToContainTextAsync("核查属实");
        await applicant.Locator("#case-commitment").ScrollIntoViewIfNeededAsync();
        await ShotAsync(applicant, "phone-case-commitment-verified.png");
        await applicant.Locator("#case-commitment").ScreenshotAsync(new() { Path = Path.Combine(E2EFixture.ScreenshotFolder, "phone-case-commitment-panel.png") });
        Assert.True(await applicant.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= innerWidth + 1"), "the case page scrolls sideways on a phone");
        await applicant.Context.CloseAsync();
    }
}
