using System.Text;
using ApprovalSystem.Web.Data;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// axe-core (Deque.AxeCore.Playwright) over every public and applicant page, at a desktop's size and at a phone's
/// (390×844): any serious or critical violation fails, named by page, rule and element. Also: the skip link is the
/// first stop of the Tab key, and the sign-in form works with the keyboard alone.
/// </summary>
[Collection(SweepBrowserTests.Name)]
public sealed class AccessibilityTests(E2EFixture app)
{
    private const string Matter = "330799-BDC-001";

    /// <summary>Who, at a phone's size or not, and in 长辈版 (the elderly mode, on a phone) or not.</summary>
    public static TheoryData<string, bool, bool> Visitors => new()
    {
        { "", false, false }, { "", true, false }, { "", true, true },
        { "citizen", false, false }, { "citizen", true, false }, { "citizen", true, true },
        { "agent", false, false }, { "agent", true, false }, { "agent", true, true },
    };

    [Theory]
    [MemberData(nameof(Visitors))]
    public async Task EveryPublicAndApplicantPage_HasNoSeriousOrCriticalAxeViolation(string account, bool phone, bool elder)
    {
        var page = await app.NewPageAsync(phone ? E2EFixture.Phone : null);
        if (elder)
        {
            await page.Context.AddCookiesAsync([new Cookie { Name = "elder-mode", Value = "1", Url = app.BaseUrl }]);
        }

        if (account.Length > 0)
        {
            await app.SignInAsync(page, account);
        }

        var failures = new StringBuilder();
        foreach (var url in await PagesForAsync(page, account))
        {
            var violations = await ViolationsAsync(page, url);
            Record(account, phone ? (elder ? "phone-elder" : "phone") : "desktop", url, violations);
            foreach (var v in violations.Where(v => v.Impact is "serious" or "critical"))
            {
                failures.AppendLine(FormattableString.Invariant(
                    $"{url} [{v.Impact}] {v.Id}: {v.Help} — {string.Join(" | ", v.Nodes.Take(4).Select(n => n.Target?.ToString()))}"));
            }
        }

        await page.Context.CloseAsync();
        var who = account.Length == 0 ? "a visitor" : account;
        Assert.True(failures.Length == 0, $"axe, as {who} at {(phone ? "390×844" : "1400×900")}{(elder ? " in 长辈版" : "")}:\n{failures}");
    }

    /// <summary>A browser's default text raised from 16 to 24 px (the root size every rem follows).</summary>
    private const string LargerDefaultFont = """
        (() => { const add = () => { if (!document.getElementById('test-font-24')) { const s = document.createElement('style');
                                     s.id = 'test-font-24'; s.textContent = 'html { font-size: 24px; }'; document.head.append(s); } };
                 document.readyState === 'loading' ? document.addEventListener('DOMContentLoaded', add) : add(); })();
        """;

    /// <summary>Where a page's parts stand: the document's width, the window's, the main heading and the first primary button.</summary>
    private const string ZoomLayout = """
        () => { const box = e => { if (!e) return null; const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                                    return { left: r.left, right: r.right,
                                             shown: r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none',
                                             text: e.textContent.trim().slice(0, 24) }; };
                const main = document.getElementById('main-content');
                return { scroll: document.documentElement.scrollWidth, inner: innerWidth, heading: box(main.querySelector('h1')),
                         button: box(main.querySelector('.mud-button-filled-primary, button[type=submit]')) }; }
        """;

    private sealed class Box
    {
        public double Left { get; set; }

        public double Right { get; set; }

        public bool Shown { get; set; }

        public string Text { get; set; } = "";
    }

    private sealed class Layout
    {
        public int Scroll { get; set; }

        public int Inner { get; set; }

        public Box? Heading { get; set; }

        public Box? Button { get; set; }
    }

    /// <summary>
    /// WCAG 1.4.4 and 1.4.10: at 200 % zoom of a 1280×800 window (a 640×400 viewport of CSS pixels) with the browser's default
    /// text at 24 px, every public and applicant page scrolls only up and down, and its main heading and its primary button
    /// are on the page, inside the window's width.
    /// </summary>
    [Theory]
    [InlineData("")]
    [InlineData("citizen")]
    [InlineData("agent")]
    public async Task EveryPublicAndApplicantPage_At200PercentZoomWith24PxText_HasNoSidewaysScroll_AndShowsItsHeadingAndButton(string account)
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = new ViewportSize { Width = 640, Height = 400 }, DeviceScaleFactor = 1,
        });
        context.SetDefaultTimeout(20_000);
        await context.AddInitScriptAsync(LargerDefaultFont);
        var page = await context.NewPageAsync();
        if (account.Length > 0)
        {
            await app.SignInAsync(page, account);
        }

        var failures = new StringBuilder();
        foreach (var url in await PagesForAsync(page, account))
        {
            await GotoSettledAsync(page, url);
            Assert.Equal("24px", await page.EvaluateAsync<string>("() => getComputedStyle(document.documentElement).fontSize"));
            var layout = await page.EvaluateAsync<Layout>(ZoomLayout);
            if (layout.Scroll > layout.Inner + 1)
            {
                failures.AppendLine(FormattableString.Invariant($"{url}: the document is {layout.Scroll} px wide in a {layout.Inner} px window"));
            }

            foreach (var (what, box) in new[] { ("main heading", layout.Heading), ("primary button", layout.Button) })
            {
                if (box is null && what == "main heading")
                {
                    failures.AppendLine($"{url}: no <h1> in the main content");
                }
                else if (box is not null && (!box.Shown || box.Left < -1 || box.Right > layout.Inner + 1))
                {
                    failures.AppendLine(FormattableString.Invariant($"{url}: the {what} \"{box.Text}\" is not within the window ({box.Left}–{box.Right} px of {layout.Inner}, shown: {box.Shown})"));
                }
            }

            Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "approval-screenshots"));
            var name = "zoom200-" + (account.Length == 0 ? "visitor" : account) + string.Concat(url.Split('/', '?').Select(p => p.Length > 0 ? "-" + p : ""));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "approval-screenshots", name + ".png") });
        }

        await context.CloseAsync();
        Assert.True(failures.Length == 0, $"at 200 % zoom with 24-px text, as {(account.Length == 0 ? "a visitor" : account)}:\n{failures}");
    }

    [Fact]
    public async Task TheSkipLink_IsTheFirstStopOfTheTabKey_AndTakesTheKeyboardPastTheHeaderAndTheMenu()
    {
        var page = await app.NewPageAsync(E2EFixture.Phone);
        await page.GotoAsync("/guide", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });

        // First in the document's tab order (the page itself may start with its heading focused, as Blazor's
        // FocusOnNavigate does for screen readers; the skip link is the first stop from the top).
        var first = await page.EvaluateAsync<string>("""
            () => [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
                    .find(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length > 0)?.textContent.trim()
            """);
        Assert.Equal("跳到主要内容", first);

        var skip = page.Locator(".skip-link");
        await skip.FocusAsync();
        var box = (await skip.BoundingBoxAsync())!;
        Assert.True(box.Y >= 0 && box.Height > 20, $"the focused skip link is off the screen ({box.Y}, {box.Height} px high)");

        // Enter, then Tab: the next stop is in the page's own content, not the header's menu button.
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Tab");
        Assert.True(
            await page.EvaluateAsync<bool>("() => document.getElementById('main-content').contains(document.activeElement)"),
            "after the skip link, Tab went to " + await page.EvaluateAsync<string>("() => document.activeElement.outerHTML.slice(0, 120)"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task FocusedLinksAndButtons_ShowAnOutline()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/guide", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await page.Keyboard.PressAsync("Tab");

        // The skip link, the header's 登录, a menu item, a department, the search button, the pager: each draws a solid
        // ring of 3 px or more when reached by the keyboard (the browser's own, auto 1 px, is lost on the red app bar).
        string[] targets = [".skip-link", "header a[href='account/login']", ".mud-nav-link", "#guide-departments a", "#guide-search-go", "#guide-next"];
        var outlines = new List<string>();
        foreach (var target in targets)
        {
            await page.Locator(target).First.FocusAsync();
            outlines.Add(target + ": " + await page.EvaluateAsync<string>(
                "() => { const s = getComputedStyle(document.activeElement); return `${s.outlineStyle} ${s.outlineWidth}`; }"));
        }

        Assert.All(outlines, o => Assert.Matches(@": solid ([3-9]|\d{2,})(\.\d+)?px$", o));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignIn_WorksWithTheKeyboardAlone()
    {
        var page = await app.NewPageAsync(E2EFixture.Phone);
        await page.GotoAsync("/account/login", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });

        // From the page's top: Tab until the account field has focus (the skip link, the header's links come first).
        for (var i = 0; i < 15 && !await page.Locator("#account").EvaluateAsync<bool>("e => e === document.activeElement"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await Assertions.Expect(page.Locator("#account")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("citizen");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("#password")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Demo@2026");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("header")).ToContainTextAsync("退出");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AMessage_ShowsBelowTheHeader_AndDoesNotFollowTheUserToTheNextPage()
    {
        var page = await app.NewPageAsync(E2EFixture.Phone);
        await app.SignInAsync(page, "citizen");
        await E2EFixture.GotoInteractiveAsync(page, "/account/sessions");
        await page.Locator("#end-others").TapAsync();
        await page.Locator("#confirm-password").FillAsync("Demo@2026"); // ending sessions asks for the password again (ASVS 7.5.2)
        await page.Locator("#confirm-end-button").TapAsync();
        var message = page.Locator(".mud-snackbar");
        await Assertions.Expect(message).ToContainTextAsync("登录");

        // At the bottom of the screen, clear of the header and its 退出.
        var box = (await message.BoundingBoxAsync())!;
        var logout = (await page.Locator("header button[type=submit]").BoundingBoxAsync())!;
        Assert.True(box.Y > logout.Y + logout.Height, $"the message (top {box.Y}) covers the header's 退出 (bottom {logout.Y + logout.Height})");
        Assert.True(box.Y + box.Height > E2EFixture.Phone.Height / 2, $"the message is at {box.Y}, not at the bottom of the screen");

        // A link to another page: the message stays behind.
        await page.Locator("header a.app-title").TapAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/sessions", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    /// <summary>The pages a visitor, a citizen or an agent reaches from the menu and the home page.</summary>
    private async Task<List<string>> PagesForAsync(IPage page, string account)
    {
        if (account.Length == 0)
        {
            string code;
            using (var scope = app.Services.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                code = await db.Cases.AsNoTracking().IgnoreAutoIncludes().Where(c => c.CertificateCode != null).Select(c => c.CertificateCode!).FirstAsync();
            }

            return ["/", "/guide", $"/guide/{Matter}", "/lookup", $"/verify/{code}", "/verify/NOSUCHCODE0000", "/account/login", "/account/register",
                "/privacy"];
        }

        if (account == "agent")
        {
            return ["/", "/my/cases"];
        }

        // The citizen's own newest case, as 我的办件 links it.
        await E2EFixture.GotoInteractiveAsync(page, "/my/cases");
        var href = await page.Locator("#my-cases a[href*='cases/']").First.GetAttributeAsync("href");
        return ["/", "/my/cases", "/" + href!.TrimStart('/'), $"/apply/{Matter}", "/inbox", "/account/sessions", "/account/password",
            "/account/profile"];
    }

    private static async Task<AxeResultItem[]> ViolationsAsync(IPage page, string url)
    {
        await GotoSettledAsync(page, url);

        // Every rule runs; only violations are detailed (axe's resultTypes): the passes' node lists are what made a page's run
        // take seconds, and nothing here reads them.
        return (await page.RunAxe(new AxeRunOptions { ResultTypes = [ResultType.Violations] })).Violations;
    }

    /// <summary>Opens a page; an interactive one is taken once its circuit is live (what a user meets after the first second).</summary>
    private static async Task GotoSettledAsync(IPage page, string url)
    {
        var response = await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        var html = response is null ? "" : await response.TextAsync();
        if (html.Contains("<!--Blazor:{\"type\":\"server\"", StringComparison.Ordinal))
        {
            await E2EFixture.WaitInteractiveAsync(page);
        }
    }

    /// <summary>Every page's figures by rule and impact, for docs/accessibility.md (one line per page and rule; AXE_REPORT names the file).</summary>
    private static void Record(string account, string size, string url, AxeResultItem[] violations)
    {
        var file = Environment.GetEnvironmentVariable("AXE_REPORT") ?? Path.Combine(Path.GetTempPath(), "approval-axe.tsv");
        var who = account.Length == 0 ? "visitor" : account;
        var lines = violations.Length == 0
            ? [$"{who}\t{size}\t{url}\t-\t-\t0"]
            : violations.Select(v => $"{who}\t{size}\t{url}\t{v.Impact}\t{v.Id}\t{v.Nodes.Length}");
        lock (typeof(AccessibilityTests))
        {
            File.AppendAllLines(file, lines);
        }
    }
}
