using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// Issue 16, the staff pages at an office screen (1366×768): whole tiles that open their lists, a date picker in Chinese
/// for a browser set to English, the performance table's key columns without sideways scrolling, the calendar's new day
/// in view, 全选 for the materials at the window. The pictures of these pages in docs/screenshots are taken here.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed partial class StaffPagesTests(E2EFixture app)
{
    private static readonly ViewportSize Office = new() { Width = 1366, Height = 768 };

    private static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, name) });
    }

    /// <summary>A desktop browser at 1366×768 whose language is <paramref name="locale"/>.</summary>
    private async Task<IPage> OfficePageAsync(string locale = "zh-CN")
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl, Locale = locale, ViewportSize = Office });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    [Fact]
    public async Task Supervisor_ClicksTheRedCardTilesTitle_OrOpensItsAddress_AndGetsItsCases()
    {
        var page = await OfficePageAsync();
        await app.SignInAsync(page, "supervisor");
        await E2EFixture.GotoInteractiveAsync(page, "/supervision");
        await page.ClickAsync("#scan-now");
        await Assertions.Expect(page.Locator("#fig-red .figure-value")).Not.ToHaveTextAsync("0");

        // The title, not the number: the whole tile is the link.
        await page.Locator("#fig-red").GetByText("红牌（在办）").ClickAsync();
        await Assertions.Expect(page.Locator("#drill")).ToContainTextAsync("红牌在办件");
        await Assertions.Expect(page.Locator("#drill")).ToContainTextAsync("市场监管局"); // the department's name, not SCJG
        Assert.Equal("supervision?drill=card%3ARed", await page.Locator("#fig-red").GetAttributeAsync("href"));

        // Its address (a new tab, a bookmark) opens the same list.
        await E2EFixture.GotoInteractiveAsync(page, "/supervision?drill=card%3ARed");
        await Assertions.Expect(page.Locator("#drill")).ToContainTextAsync("红牌在办件");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task DatePicker_ForABrowserInEnglish_ShowsChineseWeekdaysMonthsAndTexts()
    {
        var page = await OfficePageAsync(locale: "en-US");
        await app.SignInAsync(page, "supervisor");
        await E2EFixture.GotoInteractiveAsync(page, "/supervision/orders");

        await page.ClickAsync("#order-due");
        var picker = page.Locator(".mud-picker-calendar-container").First;
        await Assertions.Expect(picker).ToBeVisibleAsync();
        var header = string.Join('\n', await picker.Locator(".mud-picker-calendar-header-day").AllInnerTextsAsync());
        var weekdays = header.Split(['\n', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["周一", "周二", "周三", "周四", "周五", "周六", "周日"], weekdays);
        var popover = page.Locator(".mud-popover-open").First;
        var text = await popover.InnerTextAsync();
        Assert.Matches(@"\d{4}年\d{1,2}月", text);
        Assert.False(LatinWord().IsMatch(text), $"English in the date picker: {text}");
        foreach (var label in await popover.Locator("[aria-label]").AllAsync())
        {
            var name = await label.GetAttributeAsync("aria-label") ?? "";
            Assert.False(LatinWord().IsMatch(name), $"English button text in the date picker: {name}");
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Performance_At1366_ShowsTheKeyColumnsWithoutSidewaysScrolling()
    {
        var page = await OfficePageAsync();
        await app.SignInAsync(page, "supervisor");
        await E2EFixture.GotoInteractiveAsync(page, "/supervision/performance");
        await Assertions.Expect(page.Locator("#performance")).ToContainTextAsync("市场监管局");

        var container = await page.Locator("#performance .mud-table-container").BoundingBoxAsync();
        Assert.NotNull(container);
        foreach (var column in new[] { "排名", "部门", "得分", "等次", "按时办结率", "超期", "黄牌", "红牌", "满意率", "投诉" })
        {
            var box = await page.Locator("#performance th").Filter(new() { HasTextRegex = new Regex($"^{column}$") }).BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.X + box.Width <= container.X + container.Width + 1, $"{column} is past the table's right edge (sideways scroll needed)");
        }

        var overflow = await page.EvaluateAsync<int>("() => { const c = document.querySelector('#performance .mud-table-container'); return c.scrollWidth - c.clientWidth; }");
        Assert.True(overflow <= 1, $"the table scrolls sideways by {overflow} px at 1366 px");
        await ShotAsync(page, "supervision-performance.png");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Administrator_AddsADay_ItComesFirstInView_WithTheFocusOnIt()
    {
        var page = await OfficePageAsync();
        await app.SignInAsync(page, "admin");
        await E2EFixture.GotoInteractiveAsync(page, "/admin/calendar");
        await Assertions.Expect(page.GetByText("春节").First).ToBeVisibleAsync();
        var year = DateTime.Now.Year;
        var day = Enumerable.Range(0, 7).Select(i => new DateOnly(year, 8, 19).AddDays(i)).First(d => d.DayOfWeek == DayOfWeek.Wednesday);
        var date = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        await page.Locator("#calendar-date").FillAsync(date);
        await page.Locator("#calendar-name").FillAsync("临时休假（演示）");
        await page.ClickAsync("#calendar-save");

        var saved = page.Locator("#calendar-saved");
        await Assertions.Expect(saved).ToBeFocusedAsync();
        await Assertions.Expect(saved).ToBeInViewportAsync();
        await Assertions.Expect(page.Locator("#calendar-days tbody tr").First).ToContainTextAsync(date);
        await ShotAsync(page, "admin-calendar.png");

        // Leave the demo calendar as it was.
        await page.Locator("#calendar-days tbody tr").First.GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page.Locator("#calendar-days")).Not.ToContainTextAsync(date);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Clerk_TicksEveryMaterialWithSelectAll()
    {
        var page = await OfficePageAsync();
        await app.SignInAsync(page, "clerk");
        await E2EFixture.GotoInteractiveAsync(page, "/window");
        await Assertions.Expect(page.Locator("[data-queue='待预审'] a[href^='cases/']").First).ToBeVisibleAsync();
        await ShotAsync(page, "window-queue.png");

        await page.Locator("[data-queue='待预审'] a[href^='cases/']").First.ClickAsync();
        await E2EFixture.WaitInteractiveAsync(page);
        var all = page.Locator("#materials-all");
        await all.ClickAsync();
        var boxes = page.Locator(".mud-checkbox input");
        Assert.True(await boxes.CountAsync() > 2);
        foreach (var box in await boxes.AllAsync())
        {
            await Assertions.Expect(box).ToBeCheckedAsync();
        }

        await all.ClickAsync();
        foreach (var box in await boxes.AllAsync())
        {
            await Assertions.Expect(box).Not.ToBeCheckedAsync();
        }

        await page.Context.CloseAsync();
    }

    [GeneratedRegex("[A-Za-z]{2,}")]
    private static partial Regex LatinWord();
}
