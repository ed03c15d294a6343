using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Documents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// A visitor checks a downloaded certificate on its verification page (decision 0052): the signed PDF as issued is told
/// genuine, a copy with one byte changed is told changed; on a desktop and on a phone, as a static form (no live connection).
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class DocumentVerifyJourneyTests(E2EFixture app)
{
    /// <summary>The demo's certified case: its verification code and its certificate as stored (signed) when issued.</summary>
    private async Task<(string Code, byte[] Pdf)> IssuedCertificateAsync()
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var c = await db.Cases.AsNoTracking().IgnoreAutoIncludes().Where(x => x.CertificateCode != null).OrderBy(x => x.Id)
            .Select(x => new { x.Id, x.CertificateCode }).FirstAsync();
        var issued = await scope.ServiceProvider.GetRequiredService<CaseDocumentArchive>().IssuedAsync(c.Id, CaseDocumentKind.Certificate);
        return (c.CertificateCode!, issued!.Pdf);
    }

    [Fact]
    public async Task Visitor_UploadsTheIssuedCertificate_ItIsGenuine_AndAnEditedCopyIsRefused_OnDesktopAndPhone()
    {
        var (code, pdf) = await IssuedCertificateAsync();
        var folder = Directory.CreateTempSubdirectory("verify-upload-").FullName;
        var genuine = Path.Combine(folder, "证照.pdf");
        var edited = Path.Combine(folder, "证照-改.pdf");
        await File.WriteAllBytesAsync(genuine, pdf);
        var changed = (byte[])pdf.Clone();
        changed[pdf.Length / 3] ^= 0x20;
        await File.WriteAllBytesAsync(edited, changed);
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);

        foreach (var (viewport, size) in new[] { ((ViewportSize?)null, "desktop"), (E2EFixture.Phone, "phone") })
        {
            var page = await app.NewPageAsync(viewport);
            var sockets = new List<string>();
            page.WebSocket += (_, ws) => sockets.Add(ws.Url);
            await page.GotoAsync($"/verify/{code}", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
            await Assertions.Expect(page.Locator("#verify-status")).ToContainTextAsync("本证照真实有效");

            await page.Locator("#verify-file").SetInputFilesAsync(genuine);
            await page.Locator("#verify-submit").ClickAsync();
            var result = page.Locator("#verify-document-result");
            await Assertions.Expect(result).ToHaveAttributeAsync("data-outcome", "Issued");
            await Assertions.Expect(result).ToContainTextAsync("证照原件");
            await Assertions.Expect(result).ToContainTextAsync("数字签名有效");
            await result.ScrollIntoViewIfNeededAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, $"verify-upload-{size}.png"), FullPage = true });

            await page.Locator("#verify-file").SetInputFilesAsync(edited);
            await page.Locator("#verify-submit").ClickAsync();
            await Assertions.Expect(result).ToHaveAttributeAsync("data-outcome", "Changed");
            await Assertions.Expect(result).ToContainTextAsync("数字签名验证失败");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, $"verify-upload-changed-{size}.png"), FullPage = true });

            Assert.True(sockets.Count == 0, $"The verify page opened {string.Join(", ", sockets)}");
            await page.Context.CloseAsync();
        }

        Directory.Delete(folder, recursive: true);
    }
}
