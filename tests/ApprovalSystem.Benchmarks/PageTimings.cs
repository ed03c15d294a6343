using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

namespace ApprovalSystem.Benchmarks;

/// <summary>
/// Issue 14: every list page as a person sees it, in Debian's Chromium against the app the growth benchmark grew (served by
/// Kestrel in this process): from the navigation's start until the page's first rows are visible (a MudTable fetches its
/// rows once the circuit is live, so this includes the prerender, the circuit's start and the rows' query), and this
/// process's CPU over the same time (the server's, plus the little the Playwright client spends). Then the server memory
/// one open page holds: N worklists opened side by side, the managed heap after a full collection before and after.
/// </summary>
public static class PageTimings
{
    public sealed record Row(int Cases, string Page, double P50Ms, double P95Ms, double CpuP50Ms);

    public sealed record Memory(int Cases, int Pages, double HeapMbPerPage, double WorkingSetMbPerPage);

    private static readonly (string Account, string Name, string Url, string Rows)[] Pages =
    [
        ("officer.scjg", "/work 待办 (officer)", "/work", "#worklist tbody tr >> nth=1"),
        ("clerk", "/window 窗口受理 (clerk, 待预审)", "/window", "[data-queue] tbody tr >> nth=1"),
        ("clerk", "/certificates 证照库 (clerk)", "/certificates", "#certificate-list tbody tr >> nth=1"),
        ("agent", "/my/cases 代办点办件 (agent)", "/my/cases", "#my-cases tbody tr >> nth=1"),
        ("citizen", "/my/cases 我的办件 (citizen)", "/my/cases", "#my-cases tbody tr >> nth=0"),
        ("supervisor", "/supervision 监察总览", "/supervision", "#dept-table tbody tr >> nth=1"),
        ("supervisor", "/supervision/alerts 预警", "/supervision/alerts", "#alerts tbody tr >> nth=0"),
        ("supervisor", "/supervision/orders 督办", "/supervision/orders", "#orders tbody tr >> nth=0"),
        ("supervisor", "/supervision/performance 绩效", "/supervision/performance", "#performance tbody tr >> nth=1"),
        ("admin", "/exchange 共享交换 (counts)", "/exchange", "text=死信（"),
        ("supervisor", "/exchange/resources 查询日志 tab", "/exchange/resources", "text=查询日志"),
    ];

    public static async Task<List<Row>> RunAsync(string baseUrl, int size, int runs)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var rows = new List<Row>();
        foreach (var group in Pages.GroupBy(p => p.Account))
        {
            await using var context = await NewContextAsync(browser, baseUrl);
            var page = await context.NewPageAsync();
            await SignInAsync(page, group.Key);
            foreach (var (_, name, url, selector) in group)
            {
                var times = new List<double>();
                var cpu = new List<double>();
                for (var i = 0; i < runs + 3; i++)
                {
                    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                    var watch = Stopwatch.StartNew();
                    await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
                    await page.Locator(selector).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 60_000 });
                    if (i >= 3)
                    {
                        times.Add(watch.Elapsed.TotalMilliseconds);
                        cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds);
                    }
                }

                times.Sort();
                cpu.Sort();
                var row = new Row(size, name, times[times.Count / 2], times[(int)Math.Ceiling(times.Count * 0.95) - 1], cpu[cpu.Count / 2]);
                rows.Add(row);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name}: rows visible p50 {row.P50Ms:0} ms, p95 {row.P95Ms:0} ms, CPU p50 {row.CpuP50Ms:0.0} ms"));
            }

            // Leave the last page, so its circuit closes before the next account's pages are timed.
            await page.GotoAsync("about:blank");
        }

        return rows;
    }

    /// <summary>The server memory each open worklist holds: <paramref name="count"/> of them opened (each its own circuit,
    /// its first 50 rows shown), measured after full collections before and after.</summary>
    public static async Task<Memory> MemoryAsync(string baseUrl, int size, int count)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        await using var context = await NewContextAsync(browser, baseUrl);
        var first = await context.NewPageAsync();
        await SignInAsync(first, "officer.scjg");
        await first.GotoAsync("about:blank");
        await Task.Delay(2000);
        var (heap0, set0) = Measure();
        var pages = new List<IPage>();
        for (var i = 0; i < count; i++)
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync("/work", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
            await page.Locator("#worklist tbody tr >> nth=1").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 60_000 });
            pages.Add(page);
        }

        await Task.Delay(2000);
        var (heap1, set1) = Measure();
        var memory = new Memory(size, count, (heap1 - heap0) / 1048576.0 / count, (set1 - set0) / 1048576.0 / count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {count} open worklists: {memory.HeapMbPerPage:0.00} MB managed heap and {memory.WorkingSetMbPerPage:0.00} MB working set per page"));
        return memory;

        static (long Heap, long WorkingSet) Measure()
        {
            for (var i = 0; i < 3; i++)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
            }

            using var process = Process.GetCurrentProcess();
            return (GC.GetTotalMemory(forceFullCollection: true), process.WorkingSet64);
        }
    }

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
        Headless = true,
        Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });

    private static async Task<IBrowserContext> NewContextAsync(IBrowser browser, string baseUrl)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl, Locale = "zh-CN", ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        context.SetDefaultTimeout(60_000);
        return context;
    }

    private static async Task SignInAsync(IPage page, string account)
    {
        await page.GotoAsync("/account/login", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await page.FillAsync("#account", account);
        await page.FillAsync("#password", "Demo@2026");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
    }
}
