using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// What an applicant touches, on a phone (390×844): filing online, the case page it lands on, and checking a
/// certificate from its QR code. Nothing may be wider than the screen, and the acts must be reachable.
/// </summary>
[Collection(SecondBrowserTests.Name)]
public sealed class PhoneJourneyTests(E2EFixture app)
{
    private const string Matter = "330799-BDC-001";

    private static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, name), FullPage = true });
    }

    /// <summary>The page scrolls only up and down: no element pushes it wider than the phone's screen.</summary>
    private static async Task AssertFitsTheScreenAsync(IPage page)
    {
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= E2EFixture.Phone.Width, $"{page.Url} is {width} px wide on a {E2EFixture.Phone.Width} px screen");

        // The app bar holds its one line: nothing in it wraps taller than the bar.
        var overflow = await page.EvaluateAsync<int>("""
            () => { const bar = document.querySelector('.mud-appbar .mud-toolbar');
                    return Math.max(...[...bar.querySelectorAll('*')].map(e => e.getBoundingClientRect().height)) - bar.clientHeight; }
            """);
        Assert.True(overflow <= 0, $"{page.Url}: something in the app bar is {overflow} px taller than the bar");
    }

    [Fact]
    public async Task Citizen_FilesOnAPhone_AndLandsOnTheirCase()
    {
        var page = await app.NewPageAsync(E2EFixture.Phone);
        await app.SignInAsync(page, "citizen");
        await E2EFixture.GotoInteractiveAsync(page, $"/apply/{Matter}");
        await Assertions.Expect(page.Locator("[data-field=buyerName] input")).ToHaveValueAsync("张伟");
        await page.Locator("[data-field=sellerName] input").FillAsync("王五");
        await page.Locator("[data-field=propertyAddress] input").FillAsync("云溪县城关镇人民大道66号3幢502室");
        await page.Locator("[data-field=buildingArea] input").FillAsync("98.5");
        await page.Locator("[data-field=transactionPrice] input").FillAsync("86");
        await page.Locator("[data-field=loanType] .mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").First.ClickAsync();
        await AssertFitsTheScreenAsync(page);
        await ShotAsync(page, "phone-apply.png");

        await page.Locator("#apply-submit").ScrollIntoViewIfNeededAsync();
        await page.Locator("#apply-submit").TapAsync();
        await page.WaitForURLAsync(url => url.Contains("/cases/", StringComparison.Ordinal));
        await E2EFixture.WaitInteractiveAsync(page);

        await Assertions.Expect(page.Locator("#case-number")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#query-code")).ToBeVisibleAsync();
        await AssertFitsTheScreenAsync(page);
        await ShotAsync(page, "phone-case.png");
        var number = (await page.Locator("#case-number").TextContentAsync())!;

        // 我的办件 lists it first (newest first, paged on the server) and finds it by its number.
        await E2EFixture.GotoInteractiveAsync(page, "/my/cases");
        await Assertions.Expect(page.Locator("#my-cases tbody tr").First).ToContainTextAsync(number);
        await page.Locator("#my-cases-q").FillAsync(number);
        await Assertions.Expect(page.Locator("#my-cases tbody tr")).ToHaveCountAsync(1);
        await AssertFitsTheScreenAsync(page);
        await ShotAsync(page, "phone-my-cases.png");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AnyoneChecksACertificateOnAPhone_AndAWrongCodeIsToldInChinese()
    {
        string code;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            code = await db.Cases.AsNoTracking().IgnoreAutoIncludes().Where(c => c.CertificateCode != null).Select(c => c.CertificateCode!).FirstAsync();
        }

        var page = await app.NewPageAsync(E2EFixture.Phone);
        await page.GotoAsync($"/verify/{code}");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("证照");
        await Assertions.Expect(page.Locator("#verify-status")).ToContainTextAsync("本证照");
        await AssertFitsTheScreenAsync(page);
        await ShotAsync(page, "phone-verify.png");

        await page.GotoAsync("/verify/NOSUCHCODE0000");
        await Assertions.Expect(page.Locator("#verify-unknown")).ToContainTextAsync("未找到该证照");
        await AssertFitsTheScreenAsync(page);
        await page.Context.CloseAsync();
    }
}
