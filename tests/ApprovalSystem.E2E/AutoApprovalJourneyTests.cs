using System.Diagnostics;
using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// 秒批 in the browser: a citizen files 个体工商户变更登记 on a phone; the rules check the household and the individual-business
/// register, 秒批系统 approves and issues the business licence in the filing act, and the citizen downloads the certificate PDF
/// from the case page they land on — all in the same minute.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class AutoApprovalJourneyTests(E2EFixture app)
{
    [Fact]
    public async Task Citizen_FilesAnAutoApprovedMatterOnAPhone_AndDownloadsTheCertificateWithinTheMinute()
    {
        var page = await app.NewPageAsync(E2EFixture.Phone);
        await app.SignInAsync(page, "citizen");
        await E2EFixture.GotoInteractiveAsync(page, "/apply/330799-SCJG-023");
        var clock = Stopwatch.StartNew();
        await Assertions.Expect(page.Locator("[data-field=applicantName] input")).ToHaveValueAsync("张伟");
        await page.Locator("[data-field=shopName] input").FillAsync("云溪县张记小吃店");
        await page.Locator("[data-field=changeItem] .mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "经营范围" }).First.ClickAsync();

        // The signed application is the one paper left: what it would otherwise prove, the shared data proves.
        var upload = page.Locator(".upload-material[data-material='个体工商户变更登记申请书']");
        await upload.ScrollIntoViewIfNeededAsync();
        var chooser = await page.RunAndWaitForFileChooserAsync(() => upload.TapAsync());
        await chooser.SetFilesAsync(new FilePayload { Name = "申请书.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.4\n% 变更登记申请书\n"u8.ToArray() });
        await Assertions.Expect(page.Locator("[data-material-row='个体工商户变更登记申请书']")).ToContainTextAsync("申请书.pdf");

        await page.Locator("#apply-submit").ScrollIntoViewIfNeededAsync();
        await page.Locator("#apply-submit").TapAsync();
        await page.WaitForURLAsync(url => url.Contains("/cases/", StringComparison.Ordinal));
        await E2EFixture.WaitInteractiveAsync(page);

        await Assertions.Expect(page.Locator("#case-state")).ToHaveTextAsync("已发证");
        var certificate = page.Locator("#documents .document-link", new() { HasText = "证照" });
        await Assertions.Expect(certificate).ToBeVisibleAsync();
        // The journal names who decided: the system, not a person (an empty role once showed as 秒批系统（）).
        await Assertions.Expect(page.Locator("#case-journal")).ToContainTextAsync("秒批 · 秒批系统（系统自动）");
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, "auto-approval-phone-case.png"), FullPage = true });

        var href = (await certificate.GetAttributeAsync("href"))!;
        var response = await page.Context.APIRequest.GetAsync(href);
        Assert.Equal(200, response.Status);
        var pdf = await response.BodyAsync();
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(pdf[..4]), StringComparison.Ordinal);
        Assert.True(pdf.Length > 10_000, $"the certificate PDF is only {pdf.Length} bytes");
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"filed to certificate took {clock.Elapsed}");

        // The inbox says it is done, not that the window will review it.
        await E2EFixture.GotoInteractiveAsync(page, "/inbox");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("秒批已办结");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Administrator_SeesAMattersPublishedRules_AndRunsThemInShadowOverConcludedCases()
    {
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "admin");
        await E2EFixture.GotoInteractiveAsync(page, "/admin/auto-approval");
        var matter = page.Locator("#auto-approval-matters tr", new() { HasText = "个体工商户变更登记" });
        await Assertions.Expect(matter).ToContainTextAsync("第1版");
        await matter.Locator("a").First.ClickAsync();

        var versions = page.Locator("#rule-versions");
        await Assertions.Expect(versions).ToContainTextAsync("已发布");
        await Assertions.Expect(versions).ToContainTextAsync("shop.status == '存续'"); // on the shared register, as every 秒批 matter checks one
        await versions.GetByRole(AriaRole.Button, new() { Name = "模拟运行" }).First.ClickAsync();
        await page.Locator("#run-shadow").ClickAsync();
        var counts = page.Locator("#shadow-counts");
        await Assertions.Expect(counts).ToContainTextAsync("工作人员办结的办件");
        await Assertions.Expect(counts).ToContainTextAsync("规则会准予、工作人员未准予");
        await Assertions.Expect(page.Locator("#auto-approval-error")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, "auto-approval-admin.png"), FullPage = true });
        await page.Context.CloseAsync();
    }
}
