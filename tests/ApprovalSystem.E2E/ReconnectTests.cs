using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// A phone that loses its network in the middle of a filing (decision 0034): the page says so in Chinese and keeps trying;
/// back on the network it carries on where it was — the same live connection, what was typed still there, the form still
/// answering. The drop is made in the browser: offline, and the page's live connection (a WebSocket routed through the test)
/// closed on both sides; every new attempt is refused until the network is back.
/// </summary>
[Collection(SecondBrowserTests.Name)]
public sealed class ReconnectTests(E2EFixture app)
{
    private const string Matter = "330799-GA-001"; // 居民身份证换领: 邮寄地址 appears only once 邮政寄递 is chosen (the server renders it)

    private static async Task ChooseAsync(IPage page, string field, string option)
    {
        await page.Locator($"[data-field={field}] .mud-select").First.TapAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasText = option }).First.TapAsync();
        await Assertions.Expect(page.Locator($"[data-field={field}] input").First).ToHaveValueAsync(option);
    }

    [Fact]
    public async Task ADroppedConnection_IsToldInChinese_AndTheFormWorksAgainOnceTheNetworkIsBack()
    {
        var page = await app.NewPageAsync(E2EFixture.Phone);
        await app.SignInAsync(page, "citizen");

        var online = true;
        var open = new List<IWebSocketRoute>();
        await page.RouteWebSocketAsync(new Regex("/_blazor"), ws =>
        {
            if (!Volatile.Read(ref online))
            {
                _ = ws.CloseAsync(new WebSocketRouteCloseOptions { Code = 4000, Reason = "offline" }); // no network: the attempt fails
                return;
            }

            var server = ws.ConnectToServer();
            lock (open)
            {
                open.Add(ws);
                open.Add(server);
            }
        });

        await E2EFixture.GotoInteractiveAsync(page, $"/apply/{Matter}");
        await ChooseAsync(page, "changeReason", "有效期满");
        var modal = page.Locator("#components-reconnect-modal");
        await Assertions.Expect(modal).ToBeHiddenAsync();

        // The network goes: the page's connection breaks on both ends.
        Volatile.Write(ref online, false);
        await page.Context.SetOfflineAsync(true);
        IWebSocketRoute[] live;
        lock (open)
        {
            live = [.. open];
            open.Clear();
        }

        foreach (var end in live)
        {
            await end.CloseAsync(new WebSocketRouteCloseOptions { Code = 4000, Reason = "network lost" });
        }

        await Assertions.Expect(modal).ToBeVisibleAsync();
        await Assertions.Expect(modal).ToContainTextAsync("连接已断开，正在重新连接");
        await Assertions.Expect(modal).Not.ToContainTextAsync("Rejoining");
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, "phone-reconnect.png") });

        // Back on the network: the dialog goes by itself, without a reload (what was chosen is still there) ...
        Volatile.Write(ref online, true);
        await page.Context.SetOfflineAsync(false);
        await Assertions.Expect(modal).ToBeHiddenAsync(new LocatorAssertionsToBeHiddenOptions { Timeout = 45_000 });
        await Assertions.Expect(page.Locator("[data-field=changeReason] input").First).ToHaveValueAsync("有效期满");

        // ... and the form answers again: choosing 邮政寄递 makes the server add the now required 邮寄地址.
        await ChooseAsync(page, "deliveryMethod", "邮政寄递");
        await Assertions.Expect(page.Locator("[data-field=deliveryAddress] label")).ToContainTextAsync("邮寄地址 *");
        await page.Context.CloseAsync();
    }
}
