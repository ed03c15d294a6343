using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

// Four apps' collections at once (the journeys' two halves, the sweeps, the flows): they wait on Chromium and on pages
// settling far more than on the cores, and xunit would otherwise run only as many collections as the machine has cores.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]

namespace ApprovalSystem.E2E;

/// <summary>
/// The real app on Kestrel (a real port on loopback, fresh SQLite database, demo data as on a
/// first start) and Debian's Chromium driven by Playwright.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "IAsyncLifetime disposes the app and the browser.")]
public sealed class E2EFixture : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "approval-e2e", Guid.NewGuid().ToString("N"));
    private AppUnderTest? _app;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public string BaseUrl { get; private set; } = "";

    /// <summary>
    /// Where the journeys save their screenshots: the repository's docs/screenshots when
    /// UPDATE_SCREENSHOTS=1 (to refresh the README's pictures), otherwise a temporary folder.
    /// </summary>
    public static string ScreenshotFolder
    {
        get
        {
            if (Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") != "1")
            {
                return Path.Combine(Path.GetTempPath(), "approval-screenshots");
            }

            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ApprovalSystem.sln")))
            {
                dir = dir.Parent;
            }

            return Path.Combine(dir?.FullName ?? Path.GetTempPath(), "docs", "screenshots");
        }
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _app = new AppUnderTest(_folder);
        _app.UseKestrel(0);
        _app.StartServer();
        BaseUrl = _app.ClientOptions.BaseAddress.ToString().TrimEnd('/');

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>
    /// The browser: CHROMIUM_PATH if set; else Debian's chromium-headless-shell (the same Blink without the full browser's
    /// window and compositor: a third less processor time for the same journeys, decision 0065) when installed; else Debian's chromium.
    /// </summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path
        : File.Exists(HeadlessShell) ? HeadlessShell : "/usr/bin/chromium";

    private const string HeadlessShell = "/usr/lib/chromium/chromium-headless-shell";

    /// <summary>A phone's screen (390×844, as an iPhone 12–15), touch and a phone's pixel ratio.</summary>
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>
    /// The phone's device pixel ratio: 3, as the phone itself, for the README's screenshots (UPDATE_SCREENSHOTS=1); otherwise 1.
    /// Layout, sizes and every check here are in CSS pixels, which the ratio does not change; Chromium without a GPU paints
    /// nine times the pixels at 3, and a test run spent much of its processor time doing so (decision 0062).
    /// </summary>
    public static float PhonePixelRatio =>
        Environment.GetEnvironmentVariable("E2E_PHONE_DPR") is { Length: > 0 } r ? float.Parse(r, System.Globalization.CultureInfo.InvariantCulture)
        : Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1" ? 3 : 1;

    /// <summary>The app's services (its database), for a test that needs to know what the demo data holds.</summary>
    public IServiceProvider Services => _app!.Services;

    public async Task<IPage> NewPageAsync(ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            Locale = "zh-CN",
            ViewportSize = viewport ?? new ViewportSize { Width = 1400, Height = 900 },
            HasTouch = viewport is not null,
            DeviceScaleFactor = viewport is null ? 1 : PhonePixelRatio,
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>Opens a page and waits until its Blazor circuit is live, so clicks are not lost on prerendered HTML.</summary>
    public static async Task GotoInteractiveAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await WaitInteractiveAsync(page);
    }

    public static Task WaitInteractiveAsync(IPage page) =>
        page.Locator("#app-ready[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    public async Task SignInAsync(IPage page, string account, string password = "Demo@2026")
    {
        // The form is filled once the page has settled, and sent only with both values in it.
        await page.GotoAsync("/account/login", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await page.FillAsync("#account", account);
        await page.FillAsync("#password", password);
        await Assertions.Expect(page.Locator("#account")).ToHaveValueAsync(account);
        await Assertions.Expect(page.Locator("#password")).ToHaveValueAsync(password);
        await page.ClickAsync("button[type=submit]");
        try
        {
            // Committed is enough: the next page's own waits follow. Waiting for its load event as well timed out once in CI
            // with the page signed in and drawn (a busy machine; the redirect's document was slow to report "load").
            await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal),
                new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        }
        catch (TimeoutException) when (!page.Url.Contains("/account/login", StringComparison.Ordinal))
        {
            // Already on the next page: Playwright waited for a navigation that had happened (seen on a busy machine, the page signed
            // in and drawn). The next page's own waits follow.
        }
        catch (TimeoutException e)
        {
            // Say what the page showed instead of the next page (a refusal, an empty form, an error page).
            Directory.CreateDirectory(ScreenshotFolder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"sign-in-failed-{account}.png") });
            var text = await page.Locator("body").InnerTextAsync();
            throw new TimeoutException($"Signing in as {account} stayed on {page.Url}; the page said: {text[..Math.Min(text.Length, 400)]}", e);
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
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

    private sealed class AppUnderTest(string folder) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("Database:ConnectionString", $"Data Source={Path.Combine(folder, "approval.db")}");
            builder.UseSetting("Storage:DataPath", folder);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            // PBKDF2 with 1,000 iterations for this test app's accounts instead of Identity's 100,000: the same hasher and format,
            // a fraction of the processor time of every sign-in (decision 0066; the Web suite shows production's default).
            builder.ConfigureServices(s => s.Configure<Microsoft.AspNetCore.Identity.PasswordHasherOptions>(o => o.IterationCount = 1_000));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserTests : ICollectionFixture<E2EFixture>
{
    public const string Name = "browser";
}

/// <summary>
/// A second app and browser for half the journeys, so the two halves run side by side: a journey spends most of its time
/// waiting for pages to settle, not on this machine's cores (decision 0062). Each half starts from the same demo data.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SecondBrowserTests : ICollectionFixture<E2EFixture>
{
    public const string Name = "browser-second";
}

/// <summary>
/// The accessibility sweeps (every page, three sizes, three kinds of visitor) on an app and browser of their own, so they run
/// beside the journeys: most of a sweep's time is Chromium's axe run and pages settling, not this machine's cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SweepBrowserTests : ICollectionFixture<E2EFixture>
{
    public const string Name = "browser-sweeps";
}

/// <summary>
/// The flow designer's journey on an app of its own: it publishes a new version of the property-registration flow, which the
/// case journeys on the shared app walk as shipped.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FlowBrowserTests : ICollectionFixture<E2EFixture>
{
    public const string Name = "browser-flows";
}
