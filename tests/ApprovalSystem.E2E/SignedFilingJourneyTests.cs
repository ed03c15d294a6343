using System.Diagnostics;
using System.Net;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.SigningAgent;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Documents;
using ApprovalSystem.Web.Features.Account.Certificates;
using ApprovalSystem.Web.Features.Cases.Signatures;
using ApprovalSystem.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// Issue 19's "done when", in one journey (decision 0053): the enterprise signs in with its digital certificate (bound once at a
/// desk with its password), files an application, and on its phone signs it through the local signing agent (the reference
/// agent, started here with the test CA's enterprise .p12) — first told that no agent runs, then that it cancelled, then signed;
/// the window clerk sees 「申请人已用数字证书签名，验证通过」 and decides the immediate matter on the spot; the enterprise downloads
/// the certificate, which pdfsig reports signed by the centre and trusted.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "IAsyncLifetime disposes the app, the agent and the browser.")]
public sealed class SignedFilingJourneyTests : IAsyncLifetime
{
    /// <summary>The reference agent's port in this test (the helper's own range; the agent's default is 18199).</summary>
    private const int AgentPort = 5711;

    /// <summary>食品摊贩登记: an immediate matter (即办件) the window decides on the spot, issuing a registration certificate.</summary>
    private const string Matter = "330799-SCJG-017";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "approval-e2e", "signed-" + Guid.NewGuid().ToString("N"));
    private SigningApp? _app;
    private WebApplication? _agent;
    private bool _confirm;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string _https = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _app = new SigningApp(_folder);
        _app.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Listen(IPAddress.Loopback, 0, l => l.UseHttps()); // the test CA's server certificate; a client certificate is asked for
        });
        _app.StartServer();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        _https = addresses.First(a => a.StartsWith("https:", StringComparison.Ordinal)).TrimEnd('/');
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = E2EFixture.ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic"],
        });
    }

    private string Certificates => Path.Combine(_folder, "certificates");

    private async Task<IPage> PageAsync(string? certificate, ViewportSize? phone = null)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _https,
            Locale = "zh-CN",
            IgnoreHTTPSErrors = true, // the test CA's server certificate
            ViewportSize = phone ?? new ViewportSize { Width = 1400, Height = 900 },
            HasTouch = phone is not null,
            DeviceScaleFactor = phone is null ? 1 : E2EFixture.PhonePixelRatio,
            ClientCertificates = certificate is null
                ? null
                : [new ClientCertificate { Origin = _https, PfxPath = Path.Combine(Certificates, certificate), Passphrase = TestCertificateAuthority.Password }],
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, name), FullPage = true });
    }

    private async Task StartAgentAsync()
    {
        var key = ApprovalSystem.SigningAgent.SigningKey.Load(Path.Combine(Certificates, TestCertificateAuthority.Files.Enterprise), TestCertificateAuthority.Password);
        _agent = Agent.Build(new AgentSettings(key, [_https], AgentPort, _ => _confirm));
        await _agent.StartAsync();
    }

    /// <summary>The matter's required fields, filled the way a careful applicant would.</summary>
    private async Task<Dictionary<string, string>> FormAsync()
    {
        using var scope = _app!.Services.CreateScope();
        var matter = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Matters.AsNoTracking().SingleAsync(m => m.Code == Matter);
        Assert.Equal(MatterKind.Immediate, matter.Kind);
        return matter.FormFields.Where(f => f.Required).ToDictionary(f => f.Key, f => f.Type switch
        {
            FieldKind.Number => "500",
            FieldKind.Date => "2026-12-01",
            FieldKind.Phone => "13800000001",
            FieldKind.IdCard => TestCertificateAuthority.DemoIdNumber,
            FieldKind.CreditCode => TestCertificateAuthority.DemoCreditCode,
            FieldKind.Select => f.Options![0],
            FieldKind.Text or FieldKind.Textarea => "城关镇人民大道66号早点摊",
        });
    }

    private static async Task<System.Text.Json.JsonElement> PostAsync(IPage page, string url, object body)
    {
        var response = await page.APIRequest.PostAsync(url, new APIRequestContextOptions
        {
            DataObject = body,
            Headers = new Dictionary<string, string> { ["X-Requested-With"] = "e2e" },
        });
        var text = await response.TextAsync();
        Assert.True(response.Ok, $"POST {url}: {response.Status} {text}");
        return System.Text.Json.JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Enterprise_SignsInWithItsCertificate_SignsItsFilingThroughTheAgent_AndDownloadsACertificatePdfsigTrusts()
    {
        // At a desk: the certificate is bound to the enterprise's account once, with its password.
        var desk = await PageAsync(TestCertificateAuthority.Files.Enterprise);
        await desk.GotoAsync("/account/certificate");
        await desk.FillAsync("#bind-password", "Demo@2026");
        await desk.ClickAsync("#bind-submit");
        await desk.WaitForURLAsync(url => !url.Contains("/account/certificate", StringComparison.Ordinal));
        var filed = await PostAsync(desk, "/api/cases", new { matterCode = Matter, submit = true, formData = await FormAsync() });
        var id = filed.GetProperty("id").GetInt64();

        // On a phone the certificate alone signs in; the case page offers to sign. No agent runs yet: the page says so.
        var phone = await PageAsync(TestCertificateAuthority.Files.Enterprise, E2EFixture.Phone);
        await phone.GotoAsync("/account/certificate");
        await phone.WaitForURLAsync(url => !url.Contains("/account/certificate", StringComparison.Ordinal));
        await E2EFixture.GotoInteractiveAsync(phone, $"/cases/{id}");
        await Assertions.Expect(phone.Locator("#filing-signature")).ToHaveCountAsync(0);
        await phone.Locator("#filing-sign").TapAsync();
        await Assertions.Expect(phone.Locator("#filing-sign-message")).ToContainTextAsync("未检测到数字证书助手，请确认已插入数字证书并启动证书助手");
        await ShotAsync(phone, "signing-no-agent-phone.png");

        // The agent runs; the applicant first cancels in it, then confirms.
        await StartAgentAsync();
        await phone.Locator("#filing-sign").TapAsync();
        await Assertions.Expect(phone.Locator("#filing-sign-message")).ToContainTextAsync("您取消了签名");
        _confirm = true;
        await phone.Locator("#filing-sign").TapAsync();
        await Assertions.Expect(phone.Locator("#filing-signature")).ToContainTextAsync(FilingSignatures.Verified);
        await Assertions.Expect(phone.Locator("#filing-signature")).ToContainTextAsync("云溪县绿源食品有限公司");
        await Assertions.Expect(phone.Locator("#filing-sign")).ToHaveCountAsync(0);
        var width = await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= E2EFixture.Phone.Width, $"the signed case is {width} px wide on a {E2EFixture.Phone.Width} px screen");
        await ShotAsync(phone, "signing-signed-phone.png");

        // The window sees the verified signature and decides the immediate matter on the spot, issuing the certificate.
        var window = await PageAsync(null);
        await window.GotoAsync("/account/login", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await window.FillAsync("#account", "clerk");
        await window.FillAsync("#password", "Demo@2026");
        await window.ClickAsync("button[type=submit]");
        await window.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await E2EFixture.GotoInteractiveAsync(window, $"/cases/{id}");
        await Assertions.Expect(window.Locator("#filing-signature")).ToContainTextAsync(FilingSignatures.Verified);
        await Assertions.Expect(window.Locator("#filing-sign")).ToHaveCountAsync(0);
        await ShotAsync(window, "signing-window-desktop.png");
        var decided = await PostAsync(window, $"/api/cases/{id}/accept", new { decideNow = "approve", decisionOpinion = "材料齐全，当场准予登记" });
        Assert.Equal("Approved", decided.GetProperty("state").GetString());
        await PostAsync(window, $"/api/cases/{id}/certificate", new { });
        await _app!.Services.GetRequiredService<DocumentWorker>().DrainAsync();

        // The enterprise downloads the certificate from its case page; pdfsig trusts the centre's signature on it.
        await E2EFixture.GotoInteractiveAsync(desk, $"/cases/{id}");
        await Assertions.Expect(desk.Locator("#filing-signature")).ToContainTextAsync(FilingSignatures.Verified);
        var link = desk.Locator($"#documents a[href$='api/cases/{id}/documents/certificate' i]");
        await Assertions.Expect(link).ToHaveCountAsync(1);
        await ShotAsync(desk, "signing-case-documents-desktop.png");
        var download = await desk.APIRequest.GetAsync((await link.GetAttributeAsync("href"))!);
        Assert.Equal("application/pdf", download.Headers["content-type"]);
        var pdf = await download.BodyAsync();
        var report = Pdfsig(pdf, Path.Combine(_folder, SigningKeys.DevelopmentFolder, SigningKeys.DevelopmentCa));
        Assert.Contains("Signature Validation: Signature is Valid.", report, StringComparison.Ordinal);
        Assert.Contains("Certificate Validation: Certificate is Trusted.", report, StringComparison.Ordinal);
        Assert.Contains("Total document signed", report, StringComparison.Ordinal);
    }

    /// <summary>pdfsig's report of <paramref name="pdf"/>, against an NSS database trusting the CA in <paramref name="caFile"/>.</summary>
    private string Pdfsig(byte[] pdf, string caFile)
    {
        var nss = Path.Combine(_folder, "nss");
        Directory.CreateDirectory(nss);
        var file = Path.Combine(_folder, "证照.pdf");
        File.WriteAllBytes(file, pdf);
        Run("certutil", "-N", "--empty-password", "-d", "sql:" + nss);
        Run("certutil", "-A", "-n", "signing-ca", "-t", "CT,C,C", "-i", caFile, "-d", "sql:" + nss);
        return Run("pdfsig", "-nssdir", "sql:" + nss, file);
    }

    private static string Run(string tool, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output.Result + error;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

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

    private sealed class SigningApp(string folder) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("Database:ConnectionString", $"Data Source={Path.Combine(folder, "approval.db")}");
            builder.UseSetting("Storage:DataPath", folder);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Demo:Cases", "false");
            builder.UseSetting("Signing:Agent:Url", $"http://127.0.0.1:{AgentPort}");
        }
    }
}
