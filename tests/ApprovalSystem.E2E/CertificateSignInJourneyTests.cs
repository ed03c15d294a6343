using System.Net;
using ApprovalSystem.Web.Features.Account.Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// An enterprise signs in with its digital certificate in Chromium (Playwright presents the test CA's .p12 as the browser's
/// client certificate): first at a desktop, binding the certificate with the password, then on a phone, where the certificate
/// alone signs in; a revoked certificate is told so. The app runs with an HTTPS endpoint that asks for the certificate.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "IAsyncLifetime disposes the app and the browser.")]
public sealed class CertificateSignInJourneyTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "approval-e2e", "cert-" + Guid.NewGuid().ToString("N"));
    private CertificateApp? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string _https = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _app = new CertificateApp(_folder);
        _app.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Listen(IPAddress.Loopback, 0, l => l.UseHttps()); // the app's HTTPS defaults: test CA server certificate, client certificate asked
        });
        _app.StartServer();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        _https = addresses.First(a => a.StartsWith("https:", StringComparison.Ordinal)).TrimEnd('/');
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = E2EFixture.ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    private async Task<IPage> PageWithCertificateAsync(string file, ViewportSize? phone = null)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _https,
            Locale = "zh-CN",
            IgnoreHTTPSErrors = true, // the test CA's server certificate
            ViewportSize = phone ?? new ViewportSize { Width = 1400, Height = 900 },
            HasTouch = phone is not null,
            DeviceScaleFactor = phone is null ? 1 : E2EFixture.PhonePixelRatio,
            ClientCertificates =
            [
                new ClientCertificate
                {
                    Origin = _https,
                    PfxPath = Path.Combine(_folder, "certificates", file),
                    Passphrase = TestCertificateAuthority.Password,
                },
            ],
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, name), FullPage = true });
    }

    [Fact]
    public async Task Enterprise_BindsItsCertificateAtADesk_ThenSignsInWithItAloneOnAPhone()
    {
        var desk = await PageWithCertificateAsync(TestCertificateAuthority.Files.Enterprise);
        await desk.GotoAsync("/account/login");
        await desk.ClickAsync("#certificate-sign-in");
        await Assertions.Expect(desk.Locator("#certificate-bind")).ToContainTextAsync("首次使用此数字证书");
        await Assertions.Expect(desk.Locator("#certificate-holder")).ToContainTextAsync(TestCertificateAuthority.DemoCreditCode);
        await ShotAsync(desk, "certificate-bind.png");
        await desk.FillAsync("#bind-password", "Demo@2026");
        await desk.ClickAsync("#bind-submit");
        await desk.WaitForURLAsync(url => !url.Contains("/account/certificate", StringComparison.Ordinal));
        await Assertions.Expect(desk.Locator("body")).ToContainTextAsync("云溪县绿源食品有限公司");

        await E2EFixture.GotoInteractiveAsync(desk, "/account/certificates");
        await Assertions.Expect(desk.Locator("#certificate-list")).ToContainTextAsync("云溪县数字证书认证分中心（测试）");
        await ShotAsync(desk, "certificate-list.png");

        var phone = await PageWithCertificateAsync(TestCertificateAuthority.Files.Enterprise, E2EFixture.Phone);
        await phone.GotoAsync("/account/certificate");
        await phone.WaitForURLAsync(url => !url.Contains("/account/certificate", StringComparison.Ordinal));
        await Assertions.Expect(phone.Locator("body")).ToContainTextAsync("云溪县绿源食品有限公司");
        var width = await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= E2EFixture.Phone.Width, $"the home page is {width} px wide on a {E2EFixture.Phone.Width} px screen");
        await ShotAsync(phone, "phone-certificate-signed-in.png");
    }

    [Fact]
    public async Task RevokedCertificate_IsToldSo_OnAPhone()
    {
        var phone = await PageWithCertificateAsync(TestCertificateAuthority.Files.Revoked, E2EFixture.Phone);

        await phone.GotoAsync("/account/certificate");

        await Assertions.Expect(phone.Locator("#certificate-error")).ToContainTextAsync("该数字证书已被吊销");
        var width = await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= E2EFixture.Phone.Width, $"the refusal is {width} px wide on a {E2EFixture.Phone.Width} px screen");
        await ShotAsync(phone, "phone-certificate-revoked.png");
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }

    private sealed class CertificateApp(string folder) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("Database:ConnectionString", $"Data Source={Path.Combine(folder, "approval.db")}");
            builder.UseSetting("Storage:DataPath", folder);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Demo:Cases", "false");
        }
    }
}
