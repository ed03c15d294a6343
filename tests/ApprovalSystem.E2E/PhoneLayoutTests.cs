using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// The public and applicant pages on a phone (390×844): search first in the guide, the 一件事 entries on the home page,
/// a one-line header with tap targets of 44 px, 我的办件 as cards that open the case, and phone numbers to tap.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class PhoneLayoutTests(E2EFixture app)
{
    private static async Task ShotAsync(IPage page, string name, bool fullPage = true)
    {
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, name), FullPage = fullPage });
    }

    /// <summary>Where an element is, once it is shown (an interactive page may draw it again when its connection opens).</summary>
    private static async Task<LocatorBoundingBoxResult> BoxAsync(ILocator locator)
    {
        await Assertions.Expect(locator).ToBeVisibleAsync();
        return await locator.BoundingBoxAsync() ?? throw new InvalidOperationException($"{locator} is not on the screen");
    }

    private static async Task AssertTappableAsync(ILocator locator, string name)
    {
        var box = await BoxAsync(locator);
        Assert.True(box.Height >= 44, $"{name} is {box.Height} px high: a finger needs 44");
    }

    [Fact]
    public async Task Home_OnAPhone_KeepsItsSearchInTheBanner_AndOffersThe一件事Matters()
    {
        var page = await app.NewPageAsync(E2EFixture.Phone);
        await page.GotoAsync("/", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });

        var banner = await BoxAsync(page.Locator(".home-banner"));
        var go = await BoxAsync(page.Locator("#home-search-go"));
        Assert.True(go.X + go.Width <= banner.X + banner.Width, $"搜索 ends at {go.X + go.Width}, the banner at {banner.X + banner.Width}");
        await AssertTappableAsync(page.Locator("#home-search-go"), "搜索");

        // The header: the title on one line, 登录 and 注册 big enough to tap.
        var title = await BoxAsync(page.Locator("#app-title-short"));
        Assert.True(title.Height < 40, $"the title is {title.Height} px high: it wrapped");
        await AssertTappableAsync(page.Locator("header a", new() { HasTextString = "登录" }), "登录");
        await AssertTappableAsync(page.Locator("header a", new() { HasTextString = "注册" }), "注册");

        // 一件事一次办: every published bundle of the catalogue, each opening its guide (decision 0058: they replaced the joint matters).
        var entries = page.Locator("#one-thing li a");
        Assert.Equal(16, await entries.CountAsync());
        await Assertions.Expect(entries.First).ToHaveAttributeAsync("href", "guide/bundles/330799-YJS-001");
        await Assertions.Expect(entries.First).ToHaveTextAsync("开办企业");
        await ShotAsync(page, "phone-home.png");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Guide_OnAPhone_PutsSearchAndResultsFirst_AndFoldsTheDepartments()
    {
        var page = await app.NewPageAsync(E2EFixture.Phone);
        await page.GotoAsync("/guide", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });

        // The first result is on the first screen; the 38 departments wait behind one line.
        var first = await BoxAsync(page.Locator("#guide-table tbody tr").First);
        Assert.True(first.Y < E2EFixture.Phone.Height, $"the first result starts at {first.Y} px, below the first screen");
        var search = await BoxAsync(page.Locator("#guide-search"));
        var departments = page.Locator("#guide-departments-phone");
        Assert.True(search.Y < (await BoxAsync(departments)).Y, "the departments come before the search");
        await Assertions.Expect(departments.Locator("a", new() { HasTextString = "不动产登记中心" })).ToBeHiddenAsync();
        await AssertTappableAsync(departments.Locator("summary"), "按部门筛选");
        await ShotAsync(page, "phone-guide.png", fullPage: false);

        await departments.Locator("summary").TapAsync();
        await departments.Locator("a", new() { HasTextString = "不动产登记中心" }).TapAsync();
        await page.WaitForURLAsync("**/guide?dept=BDC");
        await Assertions.Expect(departments.Locator("summary")).ToContainTextAsync("不动产登记中心");

        // The department's phone is a number to tap.
        await Assertions.Expect(page.Locator(".mud-alert a[href^='tel:']")).ToHaveCountAsync(1);
        await page.GotoAsync("/guide/330799-BDC-001");
        await Assertions.Expect(page.Locator("#guide-phones a[href^='tel:']")).ToHaveCountAsync(2);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task MyCases_OnAPhone_AreCardsWithLabels_AndTheWholeCardOpensTheCase()
    {
        var page = await app.NewPageAsync(E2EFixture.Phone);
        await app.SignInAsync(page, "citizen");
        await E2EFixture.GotoInteractiveAsync(page, "/my/cases");

        // The header keeps one line with the user's menu and 退出, big enough to tap.
        await AssertTappableAsync(page.Locator("header button[type=submit]"), "退出");
        await AssertTappableAsync(page.Locator("header button[aria-label=菜单]"), "菜单");

        var card = page.Locator("#my-cases tbody tr").First;
        var cardBox = await BoxAsync(card);
        Assert.True(cardBox.Height >= 120, $"a case card is {cardBox.Height} px high");
        var label = await card.Locator("td[data-label=事项]").EvaluateAsync<string>("e => getComputedStyle(e, '::before').content");
        Assert.Equal("\"事项\"", label);
        await ShotAsync(page, "phone-my-cases.png");

        // A tap on the card's lower part (its deadline, far from the case number) opens the case.
        var href = await card.Locator("a.case-card-link").GetAttributeAsync("href");
        await card.ClickAsync(new LocatorClickOptions { Position = new Position { X = cardBox.Width / 2, Y = cardBox.Height - 12 } });
        await page.WaitForURLAsync(url => url.EndsWith("/" + href, StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }
}
