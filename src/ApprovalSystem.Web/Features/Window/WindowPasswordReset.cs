using System.Security.Claims;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Account;
using ApprovalSystem.Web.Features.Admin.Users;
using ApprovalSystem.Web.Features.Privacy;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Infrastructure.Security;
using ApprovalSystem.Web.Infrastructure.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Window;

/// <summary>
/// A resident or enterprise that forgot the password (窗口重置密码; ASVS 6.4.3, decision 0038): there is no SMS, so the
/// window clerk checks the ID card (or the business licence and the representative's ID card) in person, finds the
/// applicant's account by the number on it, and gives a temporary password that must be replaced at the next sign-in. A
/// clerk may reset applicant accounts only, never a staff account; the lookup is recorded in the personal-data read record
/// with the clerk's reason, the reset in the security log. A second factor the applicant turned on stays on.
/// </summary>
public static class WindowPasswordReset
{
    public const string NotFound = "没有找到以该证件号码注册的申请人账号";

    /// <summary>What the clerk sees of the account found: enough to confirm it with the person at the window.</summary>
    public sealed record Applicant(string Id, string UserName, string DisplayName, string MaskedNumber, string? MaskedMobile, bool Enterprise);

    public sealed record Found(Applicant? Account, string? Error);

    public sealed class Handler(IServiceScopeFactory scopes, IDbContextFactory<AppDbContext> dbFactory, SessionStore sessions, PersonalDataReads reads,
        TimeProvider time, UserAdmin.Handler admin, ILoggerFactory loggers, IHttpContextAccessor http)
    {
        private readonly ILogger _log = loggers.CreateLogger(SecurityLog.Category);

        /// <summary>The applicant account registered with the ID number or credit code on the document shown at the window.</summary>
        public async Task<Found> FindAsync(ClaimsPrincipal clerk, string? number, string? reason, bool documentChecked, CancellationToken ct = default)
        {
            if (!clerk.IsInRole(Roles.Clerk))
            {
                SecurityLog.AccountActRefused(_log, Name(clerk), Address, "look up for a window reset", "-", "not a window clerk");
                return new Found(null, "只有窗口工作人员可以在窗口重置申请人密码");
            }

            var typed = (number ?? "").Trim().ToUpperInvariant();
            if (typed.Length != 18)
            {
                return new Found(null, "请输入 18 位身份证号码或统一社会信用代码");
            }

            if (!documentChecked)
            {
                return new Found(null, "请先核验申请人出示的身份证（企业：营业执照及经办人身份证）原件");
            }

            if (string.IsNullOrWhiteSpace(reason))
            {
                return new Found(null, "请填写办理原因");
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var matches = await db.Users.AsNoTracking().Where(u => u.IdNumber == typed || u.CreditCode == typed).Take(2).ToListAsync(ct);
            var user = matches.Count == 1 ? matches[0] : null;
            if (user is null || !await IsApplicantOnlyAsync(db, user, ct))
            {
                if (user is not null)
                {
                    SecurityLog.AccountActRefused(_log, Name(clerk), Address, "look up for a window reset", user.UserName ?? "?", "not an applicant account");
                }

                return new Found(null, NotFound);
            }

            var enterprise = user.ApplicantType == ApplicantType.Enterprise;
            var kind = enterprise ? PersonalDataKind.CreditCode : PersonalDataKind.IdNumber;
            try
            {
                // The clerk learns whose account the number opens: a read of personal data, recorded with the reason first.
                await reads.RecordAsync(clerk.ToActor(), kind, user.DisplayName, typed, null, null, "窗口重置密码：" + reason.Trim(), ct);
            }
            catch (CaseRuleException e)
            {
                return new Found(null, e.Message);
            }

            return new Found(new Applicant(user.Id, user.UserName ?? "", user.DisplayName, PersonalDataReads.Mask(kind, typed),
                user.PhoneNumber is { Length: > 0 } phone ? Masking.Mobile(phone) : null, enterprise), null);
        }

        /// <summary>A temporary password for an applicant account (never a staff one), shown once; all its sessions end.</summary>
        public async Task<UserAdmin.Outcome> ResetAsync(ClaimsPrincipal clerk, string userId, string? reason, CancellationToken ct = default)
        {
            if (!clerk.IsInRole(Roles.Clerk))
            {
                SecurityLog.AccountActRefused(_log, Name(clerk), Address, "window password reset", userId, "not a window clerk");
                return new UserAdmin.Outcome("只有窗口工作人员可以在窗口重置申请人密码");
            }

            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (await users.FindByIdAsync(userId) is not { } user || !await IsApplicantOnlyAsync(db, user, ct))
            {
                SecurityLog.AccountActRefused(_log, Name(clerk), Address, "window password reset", userId, "not an applicant account");
                return new UserAdmin.Outcome(NotFound);
            }

            var expires = time.GetUtcNow() + admin.TemporaryPasswordLife;
            var password = await TemporaryPassword.IssueAsync(users, user, expires);
            var ended = await sessions.EndAllAsync(user.Id, "password reset", cancellationToken: ct);
            SecurityLog.PasswordReset(_log, user.UserName ?? "?", Name(clerk), Address, "window",
                string.IsNullOrWhiteSpace(reason) ? "-" : reason.Trim()[..Math.Min(reason.Trim().Length, 100)], ended);
            return new UserAdmin.Outcome(null, ended, password, expires);
        }

        /// <summary>
        /// A new mobile number for an applicant account whose owner stands at the window with the document checked (the old number
        /// lost or changed, so no code can reach the account's phone; decision 0074). Both numbers are texted; every session ends.
        /// </summary>
        public async Task<UserAdmin.Outcome> ChangeMobileAsync(ClaimsPrincipal clerk, string userId, string? mobile, string? reason,
            CancellationToken ct = default)
        {
            if (!clerk.IsInRole(Roles.Clerk))
            {
                SecurityLog.AccountActRefused(_log, Name(clerk), Address, "window mobile change", userId, "not a window clerk");
                return new UserAdmin.Outcome("只有窗口工作人员可以在窗口为申请人更换手机号码");
            }

            if (MobileNumber.Validate(mobile) is { } wrong)
            {
                return new UserAdmin.Outcome(wrong);
            }

            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (await users.FindByIdAsync(userId) is not { } user || !await IsApplicantOnlyAsync(db, user, ct))
            {
                SecurityLog.AccountActRefused(_log, Name(clerk), Address, "window mobile change", userId, "not an applicant account");
                return new UserAdmin.Outcome(NotFound);
            }

            var number = mobile!.Trim();
            var old = user.PhoneNumber;
            if (number == old)
            {
                return new UserAdmin.Outcome("这就是该账号现在的手机号码");
            }

            // One write: the number, confirmed (the owner stood at the window with the document checked), and a new security stamp.
            (user.PhoneNumber, user.PhoneNumberConfirmed) = (number, true);
            if (!(await users.UpdateSecurityStampAsync(user)).Succeeded)
            {
                return new UserAdmin.Outcome("手机号码未能更换：该账号刚刚被更改，请重新查找后再试");
            }

            var sms = scope.ServiceProvider.GetRequiredService<Infrastructure.Messaging.SmsOutbox>();
            var texts = new List<SmsMessage>
            {
                sms.Add(db, number, "【政务服务】您已在政务服务中心窗口将账号绑定的手机号码更换为本号码，可用本号码登录。"),
            };
            if (MobileNumber.IsValid(old))
            {
                texts.Add(sms.Add(db, old!, $"【政务服务】您的账号绑定手机号码已在政务服务中心窗口更换为 {Masking.Mobile(number)}。如非本人办理，请立即携带身份证件到窗口反映。"));
            }

            await db.SaveChangesAsync(ct);
            texts.ForEach(sms.Dispatch);
            var ended = await sessions.EndAllAsync(user.Id, "window phone", cancellationToken: ct);
            SecurityLog.CredentialChanged(_log, user.UserName ?? "?", Address, $"phone at the window by {Name(clerk)}: "
                + (string.IsNullOrWhiteSpace(reason) ? "-" : reason.Trim()[..Math.Min(reason.Trim().Length, 100)]));
            return new UserAdmin.Outcome(null, ended);
        }

        /// <summary>An applicant (person or enterprise) holding no role but 申请人: a clerk never resets a staff member's password.</summary>
        private static async Task<bool> IsApplicantOnlyAsync(AppDbContext db, ApplicationUser user, CancellationToken ct)
        {
            if (user.ApplicantType is null)
            {
                return false;
            }

            var roles = await db.UserRoles.Where(r => r.UserId == user.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name).ToListAsync(ct);
            return roles.All(r => r == Roles.Applicant);
        }

        private string Address => SecurityLog.AddressOf(http.HttpContext);

        private static string Name(ClaimsPrincipal by) => by.Identity?.Name ?? "?";
    }
}
