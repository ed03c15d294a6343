using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// The public pages a visitor opens without signing in are static server-rendered pages: no live connection (no WebSocket)
/// is opened for them, and the lookup works as a plain form posted to the server.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class StaticPublicPageTests(E2EFixture app)
{
    private async Task<(IPage Page, List<string> Sockets)> WatchedPageAsync()
    {
        var page = await app.NewPageAsync(E2EFixture.Phone);
        var sockets = new List<string>();
        page.WebSocket += (_, ws) => sockets.Add(ws.Url);
        return (page, sockets);
    }

    private (string Number, string Code) DemoCase(params CaseState[] states)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var c = db.Cases.AsNoTracking().IgnoreAutoIncludes().Where(x => states.Contains(x.State) && x.Number != null && x.QueryCode != null)
            .OrderBy(x => x.Id).Select(x => new { x.Number, x.QueryCode }).First();
        return (c.Number!, c.QueryCode!);
    }

    [Fact]
    public async Task AnonymousPublicPages_OpenNoWebSocket()
    {
        var (page, sockets) = await WatchedPageAsync();
        foreach (var url in new[] { "/", "/guide", "/guide/330799-BDC-001", "/lookup", "/verify/NOSUCHCODE0000" })
        {
            await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
            await Assertions.Expect(page.Locator("#app-ready")).ToHaveAttributeAsync("data-interactive", "false");
            Assert.True(sockets.Count == 0, $"{url} opened {string.Join(", ", sockets)}");
        }

        // The watch itself works: a signed-in page opens its circuit's WebSocket.
        await app.SignInAsync(page, "citizen");
        await E2EFixture.GotoInteractiveAsync(page, "/my/cases");
        Assert.Contains(sockets, s => s.Contains("/_blazor", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Lookup_IsAStaticForm_ThatFindsACase_AndSaysWhatIsNotYetKnown()
    {
        var (page, sockets) = await WatchedPageAsync();
        var handled = DemoCase(CaseState.Handling);
        await page.GotoAsync("/lookup", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await page.FillAsync("#lookup-number", handled.Number);
        await page.FillAsync("#lookup-code", handled.Code);
        await page.Locator("#lookup-submit").TapAsync();
        await Assertions.Expect(page.Locator("#lookup-result")).ToContainTextAsync(handled.Number);
        await Assertions.Expect(page.Locator("#lookup-facts")).ToContainTextAsync("受理时间");
        await Assertions.Expect(page.Locator("#lookup-facts")).Not.ToContainTextAsync("尚未受理");

        // A case filed but not yet accepted: its acceptance and promised date are said to be pending, not left blank.
        var filed = DemoCase(CaseState.PreAcceptance);
        await page.FillAsync("#lookup-number", filed.Number);
        await page.FillAsync("#lookup-code", filed.Code);
        await page.Locator("#lookup-submit").TapAsync();
        await Assertions.Expect(page.Locator("#lookup-result")).ToContainTextAsync(filed.Number);
        await Assertions.Expect(page.Locator("#lookup-facts")).ToContainTextAsync("尚未受理");
        await Assertions.Expect(page.Locator("#lookup-facts")).ToContainTextAsync("受理后计算");

        var wrong = filed.Code == "000000" ? "111111" : "000000";
        await page.FillAsync("#lookup-code", wrong);
        await page.Locator("#lookup-submit").TapAsync();
        await Assertions.Expect(page.Locator("#lookup-none")).ToBeVisibleAsync();
        Assert.Empty(sockets);
        await page.Context.CloseAsync();
    }
}
