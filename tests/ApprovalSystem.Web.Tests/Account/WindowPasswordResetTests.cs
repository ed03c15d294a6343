using System.Net;
using ApprovalSystem.Web.Features.Window;
using ApprovalSystem.Web.Infrastructure.Security;
using ApprovalSystem.Web.Infrastructure.Seeding;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ApprovalSystem.Web.Tests.Account.AccountTestKit;

namespace ApprovalSystem.Web.Tests.Account;

/// <summary>
/// A resident who forgot the password gets a new one at the window, after the clerk checked the ID card (ASVS 6.4.3; no SMS
/// here; decision 0038): applicant accounts only, with a reason, the lookup in the personal-data read record and the reset
/// in the security log.
/// </summary>
public sealed class WindowPasswordResetTests(SecurityLogTests.LoggingFactory factory) : IClassFixture<SecurityLogTests.LoggingFactory>
{
    private WindowPasswordReset.Handler Handler => factory.Get<WindowPasswordReset.Handler>();

    private static readonly DemoAccounts.Account Citizen = DemoAccounts.All.Single(a => a.UserName == "citizen");

    [Fact]
    public async Task AClerk_ResetsAResidentsPassword_AfterCheckingTheIdCard_AndTheLookupAndTheResetAreRecorded()
    {
        var clerk = await PrincipalAsync(factory, "clerk");
        var (_, cookies) = await SessionTests.SignInAsync(factory, "citizen");
        using var oldDevice = SessionTests.Thief(factory, cookies);

        Assert.NotNull((await Handler.FindAsync(clerk, Citizen.IdNumber, "忘记密码", documentChecked: false)).Error);
        Assert.NotNull((await Handler.FindAsync(clerk, Citizen.IdNumber, " ", documentChecked: true)).Error);
        var found = await Handler.FindAsync(clerk, Citizen.IdNumber!.ToLowerInvariant(), "申请人忘记密码", documentChecked: true);

        var account = Assert.IsType<WindowPasswordReset.Applicant>(found.Account);
        Assert.Equal(Citizen.DisplayName, account.DisplayName);
        Assert.DoesNotContain(Citizen.IdNumber[6..14], account.MaskedNumber, StringComparison.Ordinal);
        await using (var db = factory.CreateDbContext())
        {
            var read = await db.PersonalDataReads.SingleAsync(r => r.StaffUserName == "clerk" && r.Reason.StartsWith("窗口重置密码"));
            Assert.Contains("申请人忘记密码", read.Reason, StringComparison.Ordinal);
            Assert.Equal(Citizen.DisplayName, read.Subject);
        }

        var reset = await Handler.ResetAsync(clerk, account.Id, "申请人忘记密码");

        Assert.True(reset.Succeeded, reset.Error);
        Assert.False(await SignedInAsync(oldDevice));
        Assert.Contains(factory.Logs.GetSnapshot(), r => r.Category == SecurityLog.Category && r.Id.Name == "PasswordReset"
            && r.StructuredState!.Any(p => p.Key == "By" && p.Value == "clerk") && r.StructuredState!.Any(p => p.Key == "Where" && p.Value == "window"));
        var resident = new BrowserSession(factory.CreateBrowserClient());
        await resident.SignInAsync(Citizen.IdNumber, reset.Password!);
        using var home = await resident.Client.GetAsync("/");
        Assert.Equal("/account/password", home.Headers.Location?.OriginalString); // their own password first
    }

    [Fact]
    public async Task AClerk_CannotResetAStaffMembersPassword_AndOnlyAClerkMayResetAtTheWindow()
    {
        var clerk = await PrincipalAsync(factory, "clerk");
        var officerId = await UserIdAsync(factory, "officer.scjg");

        var refused = await Handler.ResetAsync(clerk, officerId, "试图重置工作人员密码");

        Assert.False(refused.Succeeded);
        Assert.Null(refused.Password);
        Assert.Equal(HttpStatusCode.Redirect, (await TrySignInAsync(factory, "officer.scjg", DemoAccounts.Password)).Status); // unchanged
        Assert.Contains(factory.Logs.GetSnapshot(), r => r.Id.Name == "AccountActRefused");

        foreach (var account in new[] { "officer.scjg", "admin", "agent" })
        {
            var other = await PrincipalAsync(factory, account);
            Assert.False((await Handler.ResetAsync(other, await UserIdAsync(factory, "enterprise"), "x")).Succeeded);
            Assert.Null((await Handler.FindAsync(other, Citizen.IdNumber, "x", documentChecked: true)).Account);
            var (session, _) = await SessionTests.SignInAsync(factory, account);
            using var page = await session.Client.GetAsync("/window/password-reset");
            Assert.NotEqual(HttpStatusCode.OK, page.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await TrySignInAsync(factory, "enterprise", DemoAccounts.Password)).Status);
        var (clerkSession, _) = await SessionTests.SignInAsync(factory, "clerk");
        Assert.Contains("重置申请人密码", await clerkSession.Client.GetStringAsync("/window/password-reset"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSignInPage_SaysWhereToGoWhenThePasswordIsForgotten()
    {
        var page = await factory.CreateBrowserClient().GetStringAsync("/account/login");

        Assert.Contains("忘记密码？请携带本人身份证", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClerk_ChangesAnApplicantsLostMobileNumber_BothNumbersAreTexted_EverySessionEnds_AndTheNewNumberSignsIn()
    {
        var clerk = await PrincipalAsync(factory, "clerk");
        var enterpriseId = await UserIdAsync(factory, "enterprise");
        var (_, cookies) = await SessionTests.SignInAsync(factory, "enterprise");
        using var oldDevice = SessionTests.Thief(factory, cookies);

        Assert.Equal("手机号码应为以1开头的11位数字", (await Handler.ChangeMobileAsync(clerk, enterpriseId, "1390000", "原号码停用")).Error);
        Assert.Equal(WindowPasswordReset.NotFound, (await Handler.ChangeMobileAsync(clerk, await UserIdAsync(factory, "officer.scjg"), "13955550001", "x")).Error);
        Assert.NotNull((await Handler.ChangeMobileAsync(await PrincipalAsync(factory, "admin"), enterpriseId, "13955550001", "x")).Error);
        Assert.True(await SignedInAsync(oldDevice)); // refusals change nothing

        var changed = await Handler.ChangeMobileAsync(clerk, enterpriseId, " 13955550002 ", "原号码已停用，经办人持证件现场办理");

        Assert.True(changed.Succeeded, changed.Error);
        await using (var db = factory.CreateDbContext())
        {
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == enterpriseId);
            Assert.Equal(("13955550002", true), (user.PhoneNumber, user.PhoneNumberConfirmed));
            Assert.Contains(await db.SmsMessages.Where(m => m.Mobile == "13800000002").Select(m => m.Text).ToListAsync(),
                t => t.Contains("已在政务服务中心窗口更换为 139****0002", StringComparison.Ordinal));
            Assert.True(await db.SmsMessages.AnyAsync(m => m.Mobile == "13955550002"));
        }

        Assert.False(await SignedInAsync(oldDevice));
        Assert.Contains(factory.Logs.GetSnapshot(), r => r.Category == SecurityLog.Category && r.Id.Name == "CredentialChanged"
            && r.StructuredState!.Any(p => p.Key == "Change" && p.Value!.StartsWith("phone at the window by clerk", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Redirect, (await TrySignInAsync(factory, "13955550002", DemoAccounts.Password)).Status);
    }
}

/// <summary>Ending another of one's own sessions asks for the password again (ASVS 7.5.2; decision 0038).</summary>
public sealed class OwnSessionsTests(SecurityLogTests.LoggingFactory factory) : IClassFixture<SecurityLogTests.LoggingFactory>
{
    [Fact]
    public async Task EndingAnotherOfOnesSessions_AsksForThePasswordAgain_AndAWrongOneEndsNothing()
    {
        var (here, _) = await SessionTests.SignInAsync(factory, "agent");
        var mine = await SessionsAsync(factory, "agent");
        var (_, elsewhereCookies) = await SessionTests.SignInAsync(factory, "agent");
        var (_, thirdCookies) = await SessionTests.SignInAsync(factory, "agent");
        var all = await SessionsAsync(factory, "agent");
        var elsewhereSid = all.Except(mine).First();
        using var elsewhere = SessionTests.Thief(factory, elsewhereCookies);
        using var third = SessionTests.Thief(factory, thirdCookies);
        var me = await PrincipalAsync(factory, "agent", mine.Single());
        var handler = factory.Get<Features.Account.OwnSessions.Handler>();

        Assert.NotNull((await handler.EndAsync(me, elsewhereSid, null)).Error);
        var wrong = await handler.EndAsync(me, elsewhereSid, "not-my-password-2026");
        Assert.Equal(Features.Account.OwnSessions.WrongPassword, wrong.Error);
        Assert.NotNull((await handler.EndAsync(me, null, "not-my-password-2026")).Error);
        Assert.True(await SignedInAsync(elsewhere));
        Assert.True(await SignedInAsync(third));
        Assert.Contains(factory.Logs.GetSnapshot(), r => r.Id.Name == "ReauthenticationFailed");

        var one = await handler.EndAsync(me, elsewhereSid, DemoAccounts.Password);
        Assert.Equal(1, one.Ended);
        Assert.False(await SignedInAsync(elsewhere));
        Assert.True(await SignedInAsync(third));

        var others = await handler.EndAsync(me, null, DemoAccounts.Password);
        Assert.Equal(1, others.Ended);
        Assert.False(await SignedInAsync(third));
        Assert.True(await SignedInAsync(here.Client));
    }
}
