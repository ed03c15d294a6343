using System.Net;
using System.Text.RegularExpressions;
using ApprovalSystem.Web.Infrastructure.Seeding;
using ApprovalSystem.Web.Infrastructure.Sessions;
using ApprovalSystem.Web.Tests.Infrastructure;
using ApprovalSystem.Web.Tests.Supervision;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Account;

/// <summary>
/// Sessions kept on the server (issue 15, item 3; decision 0025): a copied cookie stops working when its session ends —
/// at sign-out, on a password change, by an administrator, after a staff member's idle time.
/// </summary>
public sealed partial class SessionTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private static readonly Uri Site = new("http://localhost");

    /// <summary>A browser whose cookies the test can read (what an attacker who stole them would hold).</summary>
    internal static async Task<(BrowserSession Session, CookieContainer Cookies)> SignInAsync(AppFactory app, string account,
        string password = DemoAccounts.Password)
    {
        var cookies = new CookieContainer();
        var client = app.CreateDefaultClient(Site, new CookieContainerHandler(cookies));
        client.DefaultRequestHeaders.Add("X-Requested-With", "test");
        var session = new BrowserSession(client);
        await session.SignInAsync(account, password);
        return (session, cookies);
    }

    /// <summary>Another machine replaying the cookies copied now.</summary>
    internal static HttpClient Thief(AppFactory app, CookieContainer cookies)
    {
        var thief = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        thief.DefaultRequestHeaders.Add("Cookie", cookies.GetCookieHeader(Site));
        return thief;
    }

    internal static async Task<HttpStatusCode> MineAsync(HttpClient client) => (await client.GetAsync("/api/cases/mine")).StatusCode;

    private static async Task<HttpResponseMessage> SignOutAsync(BrowserSession session)
    {
        var page = await session.Client.GetStringAsync("/");
        var token = TokenRegex().Match(LogoutFormRegex().Match(page).Value);
        Assert.True(token.Success, "the layout's sign-out form carries an antiforgery token");
        return await session.Client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        }));
    }

    [Fact]
    public async Task SigningOut_EndsTheSession_SoACopiedCookieNoLongerWorks()
    {
        var (session, cookies) = await SignInAsync(factory, "citizen");
        using var thief = Thief(factory, cookies);
        Assert.Equal(HttpStatusCode.OK, await MineAsync(thief));

        using var signedOut = await SignOutAsync(session);

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Contains("\"storage\"", string.Join(",", signedOut.Headers.GetValues("Clear-Site-Data")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, await MineAsync(thief));
        Assert.Equal(HttpStatusCode.Unauthorized, await MineAsync(session.Client));
    }

    [Fact]
    public async Task ChangingThePassword_EndsEveryOtherSession_AndKeepsThisOne()
    {
        const string account = "enterprise"; // no other test of this class signs in as it
        var (here, _) = await SignInAsync(factory, account);
        var (elsewhere, elsewhereCookies) = await SignInAsync(factory, account);
        using var thief = Thief(factory, elsewhereCookies);

        var wrong = await here.SubmitFormAsync("/account/password", Fields(DemoAccounts.Password + "x", "Newpass2026x"), "password");
        Assert.Contains("密码不正确", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await MineAsync(thief)); // a refused change ends nothing

        using var changed = await here.SubmitFormAsync("/account/password", Fields(DemoAccounts.Password, "Newpass2026x"), "password");
        Assert.Contains("密码已修改", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Unauthorized, await MineAsync(thief));
        Assert.Equal(HttpStatusCode.Unauthorized, await MineAsync(elsewhere.Client));
        Assert.Equal(HttpStatusCode.OK, await MineAsync(here.Client));
        await SignInAsync(factory, account, "Newpass2026x");
    }

    private static Dictionary<string, string> Fields(string current, string next) => new()
    {
        ["Input.Current"] = current,
        ["Input.New"] = next,
        ["Input.Confirm"] = next,
    };

    [Fact]
    public async Task AnAdministrator_EndsAUsersSessions_AndSeesThemListedUntilThen()
    {
        var (first, firstCookies) = await SignInAsync(factory, "clerk2");
        var (second, _) = await SignInAsync(factory, "clerk2");
        var (admin, _) = await SignInAsync(factory, "admin");
        using var thief = Thief(factory, firstCookies);

        var listed = await admin.Client.GetStringAsync("/admin/sessions");
        Assert.True(Regex.Count(listed, "<td>clerk2</td>") >= 2, "both of clerk2's sessions are listed for the administrator");

        var clerk2 = await factory.CreateDbContext().Users.SingleAsync(u => u.UserName == "clerk2");
        var ended = await factory.Get<SessionStore>().EndAllAsync(clerk2.Id, "admin");

        Assert.True(ended >= 2);
        Assert.Equal(HttpStatusCode.Unauthorized, await MineAsync(thief));
        Assert.Equal(HttpStatusCode.Unauthorized, await MineAsync(second.Client));
        Assert.DoesNotContain("<td>clerk2</td>", await admin.Client.GetStringAsync("/admin/sessions"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await MineAsync(admin.Client));
        _ = first;
    }

    [Fact]
    public async Task OnesOwnSessions_AreListed_WithThisOneMarked_AndOnlyAnAdministratorSeesEveryones()
    {
        var (session, _) = await SignInAsync(factory, "agent");
        await SignInAsync(factory, "agent");

        var page = await session.Client.GetStringAsync("/account/sessions");
        using var everyone = await session.Client.GetAsync("/admin/sessions");

        Assert.True(Regex.Count(page, "data-session=") >= 2, "both of the agent's sessions are listed");
        Assert.Contains("当前设备", page, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, everyone.StatusCode);
    }

    [GeneratedRegex("<form method=\"post\" action=\"account/logout\">[\\s\\S]*?</form>")]
    private static partial Regex LogoutFormRegex();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenRegex();
}

/// <summary>A staff member's session ends after the idle time; an applicant's does not; activity keeps it (decision 0025).</summary>
public sealed class SessionIdleTests : IDisposable
{
    private readonly ClockedAppFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task AStaffSession_EndsAfterThirtyIdleMinutes_ButNotWhileUsed_AndAnApplicantsDoesNot()
    {
        var (idleClerk, _) = await SessionTests.SignInAsync(factory, "clerk");
        var (busyClerk, _) = await SessionTests.SignInAsync(factory, "clerk2");
        var (citizen, _) = await SessionTests.SignInAsync(factory, "citizen");

        factory.Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(HttpStatusCode.OK, await SessionTests.MineAsync(busyClerk.Client));
        factory.Clock.Advance(TimeSpan.FromMinutes(11)); // 31 minutes since the idle clerk's last request; 11 since the busy one's

        Assert.Equal(HttpStatusCode.Unauthorized, await SessionTests.MineAsync(idleClerk.Client));
        Assert.Equal(HttpStatusCode.OK, await SessionTests.MineAsync(busyClerk.Client));
        Assert.Equal(HttpStatusCode.OK, await SessionTests.MineAsync(citizen.Client));
    }

    [Fact]
    public async Task AnOpenPageNobodyTouches_DoesNotKeepAStaffSessionAlive()
    {
        var (clerk, _) = await SessionTests.SignInAsync(factory, "clerk2");
        await using var db = factory.CreateDbContext();
        var sid = await db.UserSessions.Where(s => s.UserName == "clerk2" && s.EndedAt == null).Select(s => s.Id).SingleAsync();
        var store = factory.Get<SessionStore>();

        // The page's circuit asks every minute; nobody clicks.
        for (var minute = 1; minute <= 30; minute++)
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(1));
            Assert.True(await store.IsLiveAsync(sid, active: false));
        }

        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(await store.IsLiveAsync(sid, active: false));
        Assert.Equal(HttpStatusCode.Unauthorized, await SessionTests.MineAsync(clerk.Client));
    }
}
