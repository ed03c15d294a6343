using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// Issue 6 in Chromium: the supervisor's live dashboard shows the demo's overdue case with its red
/// card, drills down to it, issues a supervision order from the case; the department head answers;
/// the supervisor closes it; the performance table and the exchange and certificate pages open.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class SupervisionJourneyTests(E2EFixture app)
{
    private static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, name), FullPage = true });
    }

    [Fact]
    public async Task Supervisor_SeesRedCard_DrillsDown_IssuesOrder_HeadResponds_SupervisorCloses()
    {
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "supervisor");
        await E2EFixture.GotoInteractiveAsync(page, "/supervision");
        await page.ClickAsync("#scan-now");
        await Assertions.Expect(page.GetByText("扫描完成")).ToBeVisibleAsync();

        // The demo has an overdue case at 市场监管局: a red card on the dashboard.
        var red = page.Locator("#fig-red .figure-value");
        await Assertions.Expect(red).Not.ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("#newest-cards")).ToContainTextAsync("已超过");
        await ShotAsync(page, "supervision-dashboard.png");

        await red.ClickAsync();
        var drill = page.Locator("#drill");
        await Assertions.Expect(drill).ToContainTextAsync("红牌在办件");
        await drill.Locator("a[href^='cases/']").First.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/cases/", StringComparison.Ordinal));
        await E2EFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#case-supervision")).ToContainTextAsync("红牌");
        await Assertions.Expect(page.Locator("#case-journal-check")).ToContainTextAsync("未被改动或删除");
        var caseNumber = (await page.Locator("#case-number").TextContentAsync())!.Trim();

        await page.ClickAsync("#issue-order-for-case");
        await page.WaitForURLAsync(url => url.Contains("/supervision/orders", StringComparison.Ordinal));
        await E2EFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#order-case")).ToHaveValueAsync(caseNumber);
        await page.ClickAsync("#issue-order-button");
        await Assertions.Expect(page.Locator("#order-error")).ToContainTextAsync("请填写督办要求");
        await page.FillAsync("#order-instructions", "该件已超过承诺期限，请于三日内说明原因并办结");
        await page.ClickAsync("#issue-order-button");
        await Assertions.Expect(page.Locator("#orders")).ToContainTextAsync(caseNumber);
        await ShotAsync(page, "supervision-orders.png");
        await page.Context.CloseAsync();

        // The department head answers the order.
        var head = await app.NewPageAsync();
        await app.SignInAsync(head, "head.scjg");
        await E2EFixture.GotoInteractiveAsync(head, "/supervision/orders");
        await head.Locator("#orders tr", new() { HasText = caseNumber }).Locator(".open-order").ClickAsync();
        await head.FillAsync("#order-response", "已加派人手，今日办结");
        await head.ClickAsync("#respond-order");
        await Assertions.Expect(head.GetByText("已反馈督办单")).ToBeVisibleAsync();
        await head.Context.CloseAsync();

        // The supervisor closes it; the journal keeps all three acts and verifies.
        var supervisor = await app.NewPageAsync();
        await app.SignInAsync(supervisor, "supervisor");
        await E2EFixture.GotoInteractiveAsync(supervisor, "/supervision/orders");
        await supervisor.Locator("#orders tr", new() { HasText = caseNumber }).Locator(".open-order").ClickAsync();
        await Assertions.Expect(supervisor.Locator("#order-detail")).ToContainTextAsync("已加派人手");
        await supervisor.ClickAsync("#close-order");
        await Assertions.Expect(supervisor.GetByText("督办单已办结")).ToBeVisibleAsync();

        await E2EFixture.GotoInteractiveAsync(supervisor, "/supervision");
        await supervisor.ClickAsync("#verify-journal");
        await Assertions.Expect(supervisor.GetByText("日志完整")).ToBeVisibleAsync();
        await supervisor.Context.CloseAsync();
    }

    [Fact]
    public async Task Officer_SeesTheWorklistCounted_SearchesIt_AndSwitchesTabs()
    {
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "officer.scjg");
        await E2EFixture.GotoInteractiveAsync(page, "/work");
        var rows = page.Locator("#worklist tbody tr");
        await Assertions.Expect(rows.First.Locator("a")).ToBeVisibleAsync();
        var all = await page.Locator("#work-tabs").InnerTextAsync();
        Assert.Matches("全部（[1-9][0-9]*）", all);
        await ShotAsync(page, "worklist-officer.png");

        // Search by the first row's number: the count and the table follow the search.
        var number = (await rows.First.Locator("a").InnerTextAsync()).Trim();
        await page.FillAsync("#work-search", number);
        await Assertions.Expect(page.Locator("#work-tabs")).ToContainTextAsync("全部（1）");
        await Assertions.Expect(rows).ToHaveCountAsync(1);

        // The late tab lists only warned or overdue steps.
        await page.FillAsync("#work-search", "");
        await Assertions.Expect(page.Locator("#work-tabs")).ToContainTextAsync(all.Split('\n')[0].Trim());
        var late = page.GetByText("预警/超期（", new() { Exact = false });
        var lateCount = int.Parse(System.Text.RegularExpressions.Regex.Match(await late.InnerTextAsync(), "（([0-9]+)）").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);
        await late.ClickAsync();

        // The table has followed the tab once it holds the tab's rows (the rows shown before the click are all steps).
        await Assertions.Expect(page.Locator("#worklist tbody tr.mud-table-row")).ToHaveCountAsync(Math.Min(lateCount, 50));
        foreach (var status in await page.Locator("#worklist tbody tr.mud-table-row td:first-child").AllInnerTextsAsync())
        {
            Assert.True(status.Contains("预警", StringComparison.Ordinal) || status.Contains("超期", StringComparison.Ordinal), status);
        }
    }

    [Fact]
    public async Task Supervisor_OpensPerformance_Administrator_OpensExchange_AndTheRegister()
    {
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "supervisor");
        await E2EFixture.GotoInteractiveAsync(page, "/supervision/performance");
        await Assertions.Expect(page.Locator("#performance")).ToContainTextAsync("市场监管局");
        await page.Context.CloseAsync();

        var admin = await app.NewPageAsync();
        await app.SignInAsync(admin, "admin");
        await E2EFixture.GotoInteractiveAsync(admin, "/exchange");
        await Assertions.Expect(admin.GetByText("共享交换").First).ToBeVisibleAsync();
        await ShotAsync(admin, "exchange-admin.png");
        await E2EFixture.GotoInteractiveAsync(admin, "/exchange/resources");
        await Assertions.Expect(admin.GetByText("企业登记信息").First).ToBeVisibleAsync();
        await ShotAsync(admin, "exchange-resources.png");
        await E2EFixture.GotoInteractiveAsync(admin, "/certificates");
        await Assertions.Expect(admin.GetByText("证照库").First).ToBeVisibleAsync();
        await ShotAsync(admin, "certificates.png");

        // The register searches on the server, over all certificates: the number typed finds its one row.
        string number;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ApprovalSystem.Web.Data.AppDbContext>();
            number = await db.Certificates.AsNoTracking().OrderBy(c => c.Id).Select(c => c.Number).FirstAsync();
        }

        await admin.Locator("#filter-q").FillAsync(number);
        await Assertions.Expect(admin.Locator("#certificate-list tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(admin.Locator("#certificate-list tbody")).ToContainTextAsync(number);
        await admin.Context.CloseAsync();
    }
}
