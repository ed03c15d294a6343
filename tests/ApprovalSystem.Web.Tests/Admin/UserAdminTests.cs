using System.Net;
using System.Text.RegularExpressions;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Account;
using ApprovalSystem.Web.Features.Admin.Users;
using ApprovalSystem.Web.Infrastructure.Security;
using ApprovalSystem.Web.Infrastructure.Seeding;
using ApprovalSystem.Web.Tests.Account;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using static ApprovalSystem.Web.Tests.Account.AccountTestKit;

namespace ApprovalSystem.Web.Tests.Admin;

/// <summary>
/// Account administration on /admin/users (decision 0038): disable and enable (ASVS 7.4.2), reset a password or a second
/// factor, end every user's sessions (7.4.5) — each ending the account's sessions at once and written to the security log,
/// and none open to anyone but an administrator.
/// </summary>
public sealed partial class UserAdminTests(SecurityLogTests.LoggingFactory factory) : IClassFixture<SecurityLogTests.LoggingFactory>
{
    private UserAdmin.Handler Handler => factory.Get<UserAdmin.Handler>();

    private int Logged(string eventName, string user) =>
        factory.Logs.GetSnapshot().Count(r => r.Category == SecurityLog.Category && r.Id.Name == eventName
            && r.StructuredState?.Any(p => p.Key == "User" && p.Value == user) == true);

    [Fact]
    public async Task DisablingAnAccount_EndsEveryOneOfItsSessionsAtOnce()
    {
        var (_, cookies) = await SessionTests.SignInAsync(factory, "clerk2");
        using var thief = SessionTests.Thief(factory, cookies);
        Assert.True(await SignedInAsync(thief));
        var admin = await PrincipalAsync(factory, "admin");

        var disabled = await Handler.DisableAsync(admin, await UserIdAsync(factory, "clerk2"));

        Assert.True(disabled.Succeeded, disabled.Error);
        Assert.True(disabled.SessionsEnded >= 1);
        Assert.False(await SignedInAsync(thief)); // at once, not at the next security-stamp check
        Assert.Equal(1, Logged("AccountDisabled", "clerk2"));
    }

    [Fact]
    public async Task ADisabledAccount_IsToldSoOnlyForItsRightPassword_AWrongOneGetsTheUnknownAccountsAnswer_AndEnablingLetsItIn()
    {
        var admin = await PrincipalAsync(factory, "admin");
        Assert.True((await Handler.DisableAsync(admin, await UserIdAsync(factory, "head.sw"))).Succeeded);

        var right = await TrySignInAsync(factory, "head.sw", DemoAccounts.Password);
        var wrong = await TrySignInAsync(factory, "head.sw", "not-the-password-2026");
        var nobody = await TrySignInAsync(factory, "nobody-here", "not-the-password-2026");
        Assert.Equal(HttpStatusCode.OK, right.Status);
        Assert.Contains(SignIn.Disabled, right.Page, StringComparison.Ordinal);
        Assert.Equal(Alert(nobody.Page), Alert(wrong.Page)); // a wrong password does not tell the account exists, or is disabled
        Assert.Equal(SignIn.Wrong, Alert(wrong.Page));
        Assert.DoesNotContain("停用", wrong.Page, StringComparison.Ordinal);

        var enabled = await Handler.EnableAsync(admin, await UserIdAsync(factory, "head.sw"));
        Assert.True(enabled.Succeeded);
        Assert.Equal(HttpStatusCode.Redirect, (await TrySignInAsync(factory, "head.sw", DemoAccounts.Password)).Status);
        Assert.Equal(1, Logged("AccountEnabled", "head.sw"));
    }

    [Fact]
    public async Task ResettingAPassword_ShowsATemporaryOneOnce_EndsEverySession_AndTheOwnerMustSetTheirOwnBeforeAnythingElse()
    {
        var (_, cookies) = await SessionTests.SignInAsync(factory, "enterprise");
        using var thief = SessionTests.Thief(factory, cookies);
        var admin = await PrincipalAsync(factory, "admin");

        var reset = await Handler.ResetPasswordAsync(admin, await UserIdAsync(factory, "enterprise"));

        Assert.True(reset.Succeeded, reset.Error);
        Assert.Matches("^[2-9a-z]{4}-[2-9a-z]{4}-[2-9a-z]{4}$", reset.Password!);
        Assert.False(await SignedInAsync(thief));
        Assert.Equal(1, Logged("PasswordReset", "enterprise"));
        Assert.Equal(SignIn.Wrong, Alert((await TrySignInAsync(factory, "enterprise", DemoAccounts.Password)).Page));
        var listed = await Handler.SearchAsync(admin, "enterprise");
        Assert.True(Assert.Single(listed).TemporaryPassword);

        var owner = new BrowserSession(factory.CreateBrowserClient());
        await owner.SignInAsync("enterprise", reset.Password!);
        using (var home = await owner.Client.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
            Assert.Equal("/account/password", home.Headers.Location?.OriginalString);
        }

        using (var api = await owner.Client.GetAsync("/api/cases/mine"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        }

        Assert.Contains("您的密码已由工作人员重置", await owner.Client.GetStringAsync("/account/password"), StringComparison.Ordinal);
        using var changed = await owner.SubmitFormAsync("/account/password", new Dictionary<string, string>
        {
            ["Input.Current"] = reset.Password!,
            ["Input.New"] = "Qiye-xinmima-2026",
            ["Input.Confirm"] = "Qiye-xinmima-2026",
        }, "password");
        Assert.Contains("密码已修改", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using (var home = await owner.Client.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        }

        Assert.False(Assert.Single(await Handler.SearchAsync(admin, "enterprise")).TemporaryPassword);
    }

    [Fact]
    public async Task EndingEveryUsersSessions_EndsAllButTheAdministratorsOwn()
    {
        var (_, citizenCookies) = await SessionTests.SignInAsync(factory, "citizen");
        var (_, agentCookies) = await SessionTests.SignInAsync(factory, "agent");
        var before = await SessionsAsync(factory, "admin");
        var (adminSession, _) = await SessionTests.SignInAsync(factory, "admin");
        var sid = (await SessionsAsync(factory, "admin")).Except(before).Single();
        using var citizen = SessionTests.Thief(factory, citizenCookies);
        using var agent = SessionTests.Thief(factory, agentCookies);

        var refused = await Handler.EndEveryoneAsync(await PrincipalAsync(factory, "supervisor"));
        Assert.False(refused.Succeeded);
        Assert.True(await SignedInAsync(citizen));

        var ended = await Handler.EndEveryoneAsync(await PrincipalAsync(factory, "admin", sid));

        Assert.True(ended.SessionsEnded >= 2);
        Assert.False(await SignedInAsync(citizen));
        Assert.False(await SignedInAsync(agent));
        Assert.True(await SignedInAsync(adminSession.Client));
        Assert.Contains(factory.Logs.GetSnapshot(), r => r.Id.Name == "EverySessionEnded");
    }

    [Fact]
    public async Task OnlyAnAdministrator_ReachesUserAdministration_OrActsThere_AndNotOnTheirOwnAccount()
    {
        foreach (var account in new[] { "officer.scjg", "clerk", "supervisor" })
        {
            var (session, _) = await SessionTests.SignInAsync(factory, account);
            using var page = await session.Client.GetAsync("/admin/users");
            Assert.NotEqual(HttpStatusCode.OK, page.StatusCode);

            var act = await Handler.ResetPasswordAsync(await PrincipalAsync(factory, account), await UserIdAsync(factory, "citizen"));
            Assert.False(act.Succeeded);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await TrySignInAsync(factory, "citizen", DemoAccounts.Password)).Status); // untouched
        var admin = await PrincipalAsync(factory, "admin");
        Assert.False((await Handler.DisableAsync(admin, await UserIdAsync(factory, "admin"))).Succeeded);

        var (adminSession, _) = await SessionTests.SignInAsync(factory, "admin");
        var list = await adminSession.Client.GetStringAsync("/admin/users");
        Assert.Contains("用户管理", list, StringComparison.Ordinal);
        var citizen = DemoAccounts.All.Single(a => a.UserName == "citizen");
        Assert.DoesNotContain(citizen.IdNumber!, list, StringComparison.Ordinal); // ID numbers masked
        Assert.Contains(ApprovalSystem.Core.Identity.Masking.IdNumber(citizen.IdNumber), list, StringComparison.Ordinal);
    }

    private static string Alert(string page) => AlertRegex().Match(page) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : "";

    [GeneratedRegex("id=\"login-error\">([^<]*)<")]
    private static partial Regex AlertRegex();
}

/// <summary>Resetting a lost second factor: staff who must have one set it up again at the next sign-in (decision 0038).</summary>
public sealed class SecondFactorResetTests(TwoFactorTests.RequiredFactory factory) : IClassFixture<TwoFactorTests.RequiredFactory>
{
    [Fact]
    public async Task ResettingTheSecondFactor_RemovesTheAuthenticator_EndsSessions_AndStaffMustEnrolAgain()
    {
        var (_, cookies) = await SessionTests.SignInAsync(factory, "head.sw");
        using var thief = SessionTests.Thief(factory, cookies);
        string oldKey;
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByNameAsync("head.sw"))!;
            await users.ResetAuthenticatorKeyAsync(user);
            await users.SetTwoFactorEnabledAsync(user, true);
            oldKey = (await users.GetAuthenticatorKeyAsync(user))!;
        }

        Assert.Contains("login-code", (await TrySignInAsync(factory, "head.sw", DemoAccounts.Password)).Location, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/account/two-factor")).StatusCode); // the copied cookie is live

        var reset = await factory.Get<UserAdmin.Handler>().ResetSecondFactorAsync(await PrincipalAsync(factory, "admin"),
            await UserIdAsync(factory, "head.sw"));

        Assert.True(reset.Succeeded, reset.Error);
        Assert.True(reset.SessionsEnded >= 1);
        Assert.Equal(HttpStatusCode.Redirect, (await thief.GetAsync("/account/two-factor")).StatusCode); // sent to sign in
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByNameAsync("head.sw"))!;
            Assert.False(await users.GetTwoFactorEnabledAsync(user));
            Assert.NotEqual(oldKey, await users.GetAuthenticatorKeyAsync(user)); // codes from the lost phone are worthless
        }

        var signIn = await TrySignInAsync(factory, "head.sw", DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.Status);
        Assert.DoesNotContain("login-code", signIn.Location, StringComparison.Ordinal);
        var again = new BrowserSession(factory.CreateBrowserClient());
        await again.SignInAsync("head.sw", DemoAccounts.Password);
        using var home = await again.Client.GetAsync("/");
        Assert.Equal("/account/two-factor", home.Headers.Location?.OriginalString);
    }
}

/// <summary>A temporary password lasts <c>Security:TemporaryPasswordHours</c> (24): after that only a new reset helps.</summary>
public sealed class TemporaryPasswordExpiryTests : IDisposable
{
    private readonly Supervision.ClockedAppFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task ATemporaryPassword_StopsWorkingAfterADay_AndSaysSoOnlyToWhoeverTypesIt()
    {
        var reset = await factory.Get<UserAdmin.Handler>().ResetPasswordAsync(await PrincipalAsync(factory, "admin"),
            await UserIdAsync(factory, "citizen"));
        factory.Clock.Advance(TimeSpan.FromHours(25));

        var right = await TrySignInAsync(factory, "citizen", reset.Password!);
        var wrong = await TrySignInAsync(factory, "citizen", "not-the-password-2026");

        Assert.Equal(HttpStatusCode.OK, right.Status);
        Assert.Contains(SignIn.TemporaryExpired, right.Page, StringComparison.Ordinal);
        Assert.Contains(SignIn.Wrong, wrong.Page, StringComparison.Ordinal);
        Assert.DoesNotContain("临时密码", wrong.Page, StringComparison.Ordinal);
    }
}
