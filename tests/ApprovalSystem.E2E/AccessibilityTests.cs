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
[Collection(BrowserTests.Name)]
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

            return ["/", "/guide", $"/guide/{Matter}", "/lookup", $"/verify/{code}", "/verify/NOSUCHCODE0000", "/account/login", "/account/register"];
        }

        if (account == "agent")
        {
            return ["/", "/my/cases"];
        }

        // The citizen's own newest case, as 我的办件 links it.
        await E2EFixture.GotoInteractiveAsync(page, "/my/cases");
        var href = await page.Locator("#my-cases a[href*='cases/']").First.GetAttributeAsync("href");
        return ["/", "/my/cases", "/" + href!.TrimStart('/'), $"/apply/{Matter}", "/inbox", "/account/sessions", "/account/password"];
    }

    private static async Task<AxeResultItem[]> ViolationsAsync(IPage page, string url)
    {
        var response = await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });

        // An interactive page is checked once its circuit is live (what a user meets after the first second).
        var html = response is null ? "" : await response.TextAsync();
        if (html.Contains("<!--Blazor:{\"type\":\"server\"", StringComparison.Ordinal))
        {
            await E2EFixture.WaitInteractiveAsync(page);
        }

        return (await page.RunAxe()).Violations;
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
