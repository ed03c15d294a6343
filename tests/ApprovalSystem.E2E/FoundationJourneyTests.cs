using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>Issue 2's journeys in Chromium: guide, every role's home, an administrator's edits.</summary>
[Collection(BrowserTests.Name)]
public sealed class FoundationJourneyTests(E2EFixture app)
{
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, name), FullPage = false });
    }

    [Fact]
    public async Task Visitor_BrowsesGuide_SearchesAndOpensAMatter()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/"); // a visitor's home page is static: there is no circuit to wait for
        await page.FillAsync("input[name=q]", "食品经营许可");
        await page.PressAsync("input[name=q]", "Enter");

        await page.WaitForURLAsync(url => url.Contains("/guide?q=%E9%A3%9F", StringComparison.Ordinal));
        // A visitor's guide is a static page from the output cache: no live connection is opened for it.
        await Assertions.Expect(page.Locator("#app-ready")).ToHaveAttributeAsync("data-interactive", "false");
        await page.Locator("#guide-count").WaitForAsync();
        var rows = page.Locator("tbody tr td a");
        await Assertions.Expect(rows.First).ToContainTextAsync("食品经营许可");
        await ScreenshotAsync(page, "guide-search.png");

        await rows.First.ClickAsync();
        await Assertions.Expect(page.GetByText("申请材料").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("办理流程")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("咨询电话", new() { Exact = false })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "guide-matter.png");
    }

    [Fact]
    public async Task Guide_DepartmentList_FiltersMatters()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/guide");
        await page.Locator("#guide-departments a", new() { HasTextString = "不动产登记中心" }).ClickAsync();

        await page.WaitForURLAsync("**/guide?dept=BDC");
        await Assertions.Expect(page.Locator("#guide-department-info")).ToContainTextAsync("云溪县不动产登记中心");
        await ScreenshotAsync(page, "guide.png");

        // The static page's pager and search work without a live connection (links and a GET form).
        await page.GotoAsync("/guide");
        await page.ClickAsync("#guide-next");
        await page.WaitForURLAsync("**/guide?page=2");
        await Assertions.Expect(page.Locator("#guide-pager")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"第 2 / \d+ 页")); // the count grows with the catalogue
        await page.FillAsync("#guide-search", "营业执照");
        await page.ClickAsync("#guide-search-go");
        await page.WaitForURLAsync(url => url.Contains("q=%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("tbody tr td a").First).ToContainTextAsync("营业执照");
    }

    [Theory]
    [InlineData("admin", "系统维护", "home-admin.png")]
    [InlineData("clerk", "今日窗口时限参考", "home-clerk.png")]
    [InlineData("officer.scjg", "本部门事项", "home-officer.png")]
    [InlineData("head.scjg", "本部门人员", "home-head.png")]
    [InlineData("supervisor", "收费监察基准", "home-supervisor.png")]
    [InlineData("agent", "城关镇便民服务中心", "home-agent.png")]
    [InlineData("citizen", "我的信息", "home-citizen.png")]
    [InlineData("enterprise", "统一社会信用代码", "home-enterprise.png")]
    public async Task EachRole_SignsIn_AndSeesItsHomePage(string account, string expected, string screenshot)
    {
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, account);
        await E2EFixture.WaitInteractiveAsync(page);

        await Assertions.Expect(page.GetByText(expected).First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "退出" })).ToBeVisibleAsync();
        await ScreenshotAsync(page, screenshot);
    }

    [Fact]
    public async Task Administrator_EditsAMatter_AndAWrongLimitIsRefusedInChinese()
    {
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "admin");
        await E2EFixture.GotoInteractiveAsync(page, "/admin/matters");
        await Assertions.Expect(page.GetByText("事项目录管理")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "admin-catalogue.png");

        await E2EFixture.GotoInteractiveAsync(page, "/admin/matters/330799-SCJG-010");
        var promised = page.Locator("#matter-promised");
        await promised.FillAsync("999");
        await page.ClickAsync("#save-matter");
        await Assertions.Expect(page.Locator("#matter-errors")).ToContainTextAsync("不得超过法定时限");

        await promised.FillAsync("12");
        var name = page.Locator("#matter-name");
        await name.FillAsync("演示：管理员修改后的事项名称");
        await page.ClickAsync("#save-matter");
        await Assertions.Expect(page.GetByText("已保存")).ToBeVisibleAsync();

        await page.GotoAsync("/guide/330799-SCJG-010");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "演示：管理员修改后的事项名称" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("12个工作日").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Administrator_AddsAHolidayToTheCalendar()
    {
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "admin");
        await E2EFixture.GotoInteractiveAsync(page, "/admin/calendar");
        await Assertions.Expect(page.GetByText("春节").First).ToBeVisibleAsync();

        await page.Locator("#calendar-date").FillAsync("2026-12-31");
        await page.Locator("#calendar-name").FillAsync("演示假日");
        await page.ClickAsync("#calendar-save");

        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "演示假日" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Clerk_OpeningAnAdminPage_IsToldNoAccess()
    {
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "clerk");
        await page.GotoAsync("/admin/matters");

        await Assertions.Expect(page.GetByText("无权访问").First).ToBeVisibleAsync();
    }
}
