using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;

namespace ApprovalSystem.Web.Tests.StaffPages;

/// <summary>Issue 16: every MudBlazor text a user can meet is Chinese, whatever language the browser asks for.</summary>
public sealed partial class ChineseCultureTests(AppFactory factory) : IClassFixture<AppFactory>
{
    /// <summary>MudBlazor's built-in English texts (its LanguageResource), as the library ships them.</summary>
    private static Dictionary<string, string> MudBlazorTexts()
    {
        var resources = new ResourceManager("MudBlazor.Resources.LanguageResource", typeof(MudBlazor.MudButton).Assembly);
        var set = resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: true)!;
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }

    [Fact]
    public void MudLocalizer_HasAChineseTextForEveryMudBlazorText_AndKeepsItsPlaceholders()
    {
        var english = MudBlazorTexts();
        Assert.True(english.Count > 100, $"MudBlazor's resources were not found ({english.Count} texts)");

        // A MudBlazor upgrade that adds a text fails here until it is translated.
        Assert.Empty(english.Keys.Where(k => !ChineseMudLocalizer.Texts.ContainsKey(k)).Order());
        foreach (var (key, text) in ChineseMudLocalizer.Texts)
        {
            Assert.False(LatinWord().IsMatch(text), $"{key}: “{text}” is not Chinese");
            Assert.Equal(Placeholders(english[key]), Placeholders(text));
        }
    }

    [Fact]
    public void MudLocalizer_FormatsArguments_AndSaysNotFoundForUnknownKeys()
    {
        var localizer = new ChineseMudLocalizer();

        Assert.Equal("第 3 页", localizer["MudPagination_PageIndex", 3].Value);
        Assert.Equal("关闭", localizer["MudDialog_Close"].Value);
        Assert.True(localizer["NoSuchKey"].ResourceNotFound);
    }

    [Fact]
    public async Task StaffPage_ForABrowserAskingForEnglish_RendersMudBlazorsOwnTextsInChinese()
    {
        var session = new BrowserSession(factory.CreateBrowserClient());
        await session.SignInAsync("supervisor", Web.Infrastructure.Seeding.DemoAccounts.Password);
        session.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US,en;q=0.9");

        var html = await session.Client.GetStringAsync("/supervision/orders");

        // The date picker's open button and the menu group's toggle: MudBlazor's texts, through the app's culture and localizer.
        Assert.Contains("aria-label=\"打开日历\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"展开/折叠电子监察\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("aria-label=\"Open\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("aria-label=\"Toggle", html, StringComparison.Ordinal);
    }

    private static string[] Placeholders(string text) => [.. PlaceholderPattern().Matches(text).Select(m => m.Value).Order()];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex("[A-Za-z]{2,}")]
    private static partial Regex LatinWord();
}
