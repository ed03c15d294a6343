using System.Globalization;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// 长辈版 (elderly mode): switched from every page and remembered, large text with roomy lines, large tap targets, one
/// column, and reading aloud (the page's main text on 朗读本页, a field's label when it gets focus). Headless Chromium has
/// no voices: the message for that is tested as it is, the speaking with speechSynthesis replaced by a recorder.
/// </summary>
[Collection(SecondBrowserTests.Name)]
public sealed class ElderModeTests(E2EFixture app)
{
    /// <summary>Stands in for the browser's speech: a Chinese voice, and every utterance's text recorded in window.__spoken.</summary>
    internal const string SpeechRecorder = """
        (() => {
            window.__spoken = [];
            const voice = { lang: 'zh-CN', name: '测试普通话', voiceURI: 'test-zh', default: true, localService: true };
            window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; this.lang = ''; this.voice = null; } };
            Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: {
                speaking: false, pending: false, paused: false,
                getVoices: () => [voice],
                speak: u => window.__spoken.push({ text: u.text, lang: u.lang }),
                cancel: () => {}, pause: () => {}, resume: () => {},
                addEventListener: () => {}, removeEventListener: () => {},
            } });
        })();
        """;

    /// <summary>Every visible piece of text in the page's main part below 18 px, or with lines below 1.3 times its size.</summary>
    internal const string SmallText = """
            () => [...document.querySelectorAll('.mud-main-content *')]
                .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && e.getClientRects().length
                    && getComputedStyle(e).visibility !== 'hidden')
                .map(e => { const s = getComputedStyle(e); const size = parseFloat(s.fontSize);
                            const line = s.lineHeight === 'normal' ? size * 1.2 : parseFloat(s.lineHeight);
                            return size < 18 || line < size * 1.3 ? `${e.tagName}.${e.className} "${e.textContent.trim().slice(0, 20)}" ${size}px/${line}px` : null; })
                .filter(Boolean)
            """;

    private static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, name), FullPage = true });
    }

    private static Task<bool> ElderAsync(IPage page) => page.EvaluateAsync<bool>("() => document.documentElement.classList.contains('elder')");

    private static async Task<string?> CookieAsync(IPage page) =>
        (await page.Context.CookiesAsync()).FirstOrDefault(c => c.Name == "elder-mode")?.Value;

    private async Task<IPage> ElderPageAsync(bool recordSpeech)
    {
        var page = await app.NewPageAsync(E2EFixture.Phone);
        await page.Context.AddCookiesAsync([new Cookie { Name = "elder-mode", Value = "1", Url = app.BaseUrl }]);
        if (recordSpeech)
        {
            await page.Context.AddInitScriptAsync(SpeechRecorder);
        }

        return page;
    }

    private static async Task<string[]> SpokenAsync(IPage page) =>
        await page.EvaluateAsync<string[]>("() => window.__spoken.map(u => u.lang + '|' + u.text)");

    [Fact]
    public async Task TheSwitch_IsRemembered_AcrossStaticAndInteractivePages_AndReloads()
    {
        var page = await app.NewPageAsync(E2EFixture.Phone);
        await page.GotoAsync("/");
        Assert.False(await ElderAsync(page));
        await Assertions.Expect(page.Locator("#elder-toggle")).ToHaveAccessibleNameAsync("长辈版");
        await page.Locator("#elder-toggle").TapAsync();
        Assert.True(await ElderAsync(page));
        Assert.Equal("1", await CookieAsync(page));
        await Assertions.Expect(page.Locator("#elder-toggle")).ToHaveAccessibleNameAsync("退出长辈版");
        await Assertions.Expect(page.Locator("#elder-read")).ToBeVisibleAsync();

        // The server renders the next static page and a reload in the mode already (the class comes with the HTML).
        var guide = await page.GotoAsync("/guide");
        Assert.Contains("<html lang=\"zh-CN\" class=\"elder\">", await guide!.TextAsync(), StringComparison.Ordinal);
        Assert.True(await ElderAsync(page));
        await page.ReloadAsync();
        Assert.True(await ElderAsync(page));

        // Signed in, on interactive pages: still on, and switched off from there, off after a reload too.
        await app.SignInAsync(page, "citizen");
        await E2EFixture.GotoInteractiveAsync(page, "/my/cases");
        Assert.True(await ElderAsync(page));
        await page.Locator("#elder-toggle").TapAsync();
        Assert.False(await ElderAsync(page));
        Assert.Null(await CookieAsync(page));
        await Assertions.Expect(page.Locator("#elder-read")).ToBeHiddenAsync();
        await page.ReloadAsync();
        await E2EFixture.WaitInteractiveAsync(page);
        Assert.False(await ElderAsync(page));
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/guide")]
    [InlineData("/lookup")]
    [InlineData("/account/login")]
    public async Task TheMode_HasLargeTextRoomyLinesAndLargeTapTargets(string url)
    {
        var page = await ElderPageAsync(recordSpeech: false);
        await page.GotoAsync(url);
        Assert.True(await ElderAsync(page));

        // Every visible piece of text in the page's main part: at least 18 px, lines at least 1.3 times the text.
        var small = await page.EvaluateAsync<string[]>(SmallText);
        Assert.True(small.Length == 0, $"{url}: text below 18 px or with lines below 1.3: {string.Join("; ", small.Take(8))}");

        // Every button, link-button and field the user taps (app bar and page): at least 48 × 48 px.
        var tiny = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('.mud-appbar button, .mud-appbar a, .mud-main-content :is(button, a.mud-button-root, input:not([type=hidden]), select)')]
                .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
                .map(e => { const r = e.getBoundingClientRect();
                            return r.height < 48 || r.width < 48 ? `${e.tagName}#${e.id} "${(e.innerText || e.name || '').trim().slice(0, 12)}" ${r.width}×${r.height}` : null; })
                .filter(Boolean)
            """);
        Assert.True(tiny.Length == 0, $"{url}: tap targets below 48 px: {string.Join("; ", tiny)}");

        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= E2EFixture.Phone.Width, $"{url} is {width} px wide in 长辈版");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ReadAloud_SpeaksThePagesMainText_InChinese_AndNotTheModesOwnButtons()
    {
        var page = await ElderPageAsync(recordSpeech: true);
        await page.GotoAsync("/lookup");
        await page.Locator("#elder-read").TapAsync();
        await Assertions.Expect(page.Locator("#elder-voice-message")).ToBeEmptyAsync();
        await page.WaitForFunctionAsync("() => window.__spoken.length > 0");
        var spoken = await SpokenAsync(page);
        Assert.All(spoken, s => Assert.StartsWith("zh-CN|", s, StringComparison.Ordinal));
        var text = string.Concat(spoken.Select(s => s["zh-CN|".Length..]));
        Assert.Contains("办件查询", text, StringComparison.Ordinal);
        Assert.Contains("请输入受理回执上的办件编号和6位查询码", text, StringComparison.Ordinal);
        Assert.DoesNotContain("朗读本页", text, StringComparison.Ordinal);
        Assert.DoesNotContain("退出长辈版", text, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task FocusingAField_ReadsItsLabel_OnStaticAndInteractivePages()
    {
        var page = await ElderPageAsync(recordSpeech: true);
        await page.GotoAsync("/lookup");
        await page.Locator("#lookup-code").TapAsync();
        await page.WaitForFunctionAsync("() => window.__spoken.length > 0");
        Assert.Equal(["zh-CN|查询码"], await SpokenAsync(page));

        // A MudBlazor field on an interactive page: its floating label is read.
        await app.SignInAsync(page, "citizen");
        await E2EFixture.GotoInteractiveAsync(page, "/my/cases");
        await page.EvaluateAsync("() => window.__spoken.length = 0");
        await page.Locator("#my-cases-q").TapAsync();
        await page.WaitForFunctionAsync("() => window.__spoken.length > 0");
        var label = await page.EvaluateAsync<string>("() => document.querySelector('#my-cases-q').closest('.mud-input-control').querySelector('label').innerText");
        Assert.False(string.IsNullOrWhiteSpace(label));
        Assert.Equal(["zh-CN|" + label.Trim()], await SpokenAsync(page));

        // Out of the mode, focus says nothing.
        await page.Locator("#elder-toggle").TapAsync();
        await page.EvaluateAsync("() => window.__spoken.length = 0");
        await page.Locator("#my-cases-q").BlurAsync();
        await page.Locator("#my-cases-q").TapAsync();
        await Assertions.Expect(page.Locator("#my-cases-q")).ToBeFocusedAsync();
        await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"); // the handler's promise has run
        Assert.Empty(await SpokenAsync(page));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ReadAloud_WithoutAChineseVoice_SaysSoOnThePage()
    {
        var page = await ElderPageAsync(recordSpeech: false);
        await page.GotoAsync("/guide");
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.speechSynthesis ? speechSynthesis.getVoices().length : 0"));
        await page.Locator("#elder-read").TapAsync();
        await Assertions.Expect(page.Locator("#elder-voice-message")).ToContainTextAsync("此浏览器没有中文朗读语音");
        await Assertions.Expect(page.Locator("#elder-voice-message")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// Every applicant page in 长辈版 on a phone, saved as docs/screenshots/elder-*.png (with UPDATE_SCREENSHOTS=1); each
    /// page fits the screen's width and shows its content in one column.
    /// </summary>
    [Fact]
    public async Task ApplicantPages_InElderMode_FitThePhone()
    {
        string caseUrl;
        string matter;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var citizen = await db.Users.AsNoTracking().Where(u => u.UserName == "citizen").Select(u => u.Id).FirstAsync();
            var c = await db.Cases.AsNoTracking().IgnoreAutoIncludes().Where(x => x.OwnerUserId == citizen && x.State == CaseState.Handling)
                .OrderBy(x => x.Id).Select(x => new { x.Id, x.MatterCode }).FirstAsync();
            caseUrl = "/cases/" + c.Id.ToString(CultureInfo.InvariantCulture);
            matter = c.MatterCode;
        }

        var page = await ElderPageAsync(recordSpeech: false);
        async Task VisitAsync(string url, string name, bool interactive)
        {
            if (interactive)
            {
                await E2EFixture.GotoInteractiveAsync(page, url);
            }
            else
            {
                await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
            }

            Assert.True(await ElderAsync(page), url);
            var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(width <= E2EFixture.Phone.Width, $"{url} is {width} px wide in 长辈版");
            var small = await page.EvaluateAsync<string[]>(SmallText);
            Assert.True(small.Length == 0, $"{url}: text below 18 px or with lines below 1.3: {string.Join("; ", small.Take(8))}");
            await ShotAsync(page, $"elder-{name}.png");
        }

        await VisitAsync("/", "home", interactive: false);
        await VisitAsync("/guide", "guide", interactive: false);
        await VisitAsync($"/guide/{matter}", "matter", interactive: false);
        await VisitAsync("/lookup", "lookup", interactive: false);
        await VisitAsync("/account/login", "login", interactive: false);
        await app.SignInAsync(page, "citizen");
        await VisitAsync("/", "home-citizen", interactive: true);
        await VisitAsync("/my/cases", "my-cases", interactive: true);
        await VisitAsync(caseUrl, "case", interactive: true);
        await VisitAsync($"/apply/{matter}", "apply", interactive: true);
        await VisitAsync("/inbox", "inbox", interactive: true);
        await page.Context.CloseAsync();
    }
}
