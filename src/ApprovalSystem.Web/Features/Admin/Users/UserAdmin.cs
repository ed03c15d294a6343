using System.Security.Claims;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Account;
using ApprovalSystem.Web.Infrastructure.Security;
using ApprovalSystem.Web.Infrastructure.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Admin.Users;

/// <summary>
/// Account administration 用户管理 (decision 0038): an administrator finds an account, disables or enables it, resets its
/// password or its second factor, and ends every user's sessions. Disabling uses Identity's lockout (LockoutEnd far ahead)
/// and the security stamp, no new column; every act that takes a credential away ends the account's sessions at once, and
/// every act is written to the security log. An administrator does not act on their own account here.
/// </summary>
public static class UserAdmin
{
    /// <summary>LockoutEnd of a disabled account: "until enabled again" (a date every provider stores).</summary>
    public static readonly DateTimeOffset DisabledUntil = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const int MaxRows = 50;

    public sealed record Row(string Id, string UserName, string DisplayName, string? MaskedIdNumber, IReadOnlyList<string> Roles, string? Department,
        bool Disabled, bool SecondFactor, bool TemporaryPassword, DateTimeOffset? LastSignInAt);

    /// <summary>An act's outcome: an error to show, or how many sessions it ended and (for a reset) the temporary password.</summary>
    public sealed record Outcome(string? Error, int SessionsEnded = 0, string? Password = null, DateTimeOffset? PasswordExpires = null)
    {
        public bool Succeeded => Error is null;
    }

    public sealed class Handler(IServiceScopeFactory scopes, IDbContextFactory<AppDbContext> dbFactory, SessionStore sessions, TimeProvider time,
        IConfiguration configuration, ILoggerFactory loggers, IHttpContextAccessor http)
    {
        private readonly ILogger _log = loggers.CreateLogger(SecurityLog.Category);

        public TimeSpan TemporaryPasswordLife { get; } = TimeSpan.FromHours(Math.Max(1, configuration.GetValue("Security:TemporaryPasswordHours", 24)));

        /// <summary>Accounts whose account name or name contains the text, or whose ID number, credit code or mobile is it.</summary>
        public async Task<List<Row>> SearchAsync(ClaimsPrincipal by, string? text, CancellationToken ct = default)
        {
            if (!by.IsInRole(Roles.Administrator))
            {
                return [];
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var query = db.Users.AsNoTracking();
            if (text?.Trim() is { Length: > 0 } q)
            {
                var upper = q.ToUpperInvariant();
                query = query.Where(u => u.UserName!.Contains(q) || u.DisplayName.Contains(q) || u.IdNumber == upper || u.CreditCode == upper
                    || u.PhoneNumber == q);
            }

            var now = time.GetUtcNow();
            var users = await query.OrderBy(u => u.UserName).Take(MaxRows)
                .Select(u => new { u.Id, u.UserName, u.DisplayName, u.IdNumber, u.CreditCode, u.DepartmentId, u.LockoutEnd, u.TwoFactorEnabled })
                .ToListAsync(ct);
            var ids = users.Select(u => u.Id).ToList();
            var roles = await db.UserRoles.Where(r => ids.Contains(r.UserId)).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
                .ToListAsync(ct);
            var temporary = await db.UserClaims.Where(c => ids.Contains(c.UserId) && c.ClaimType == TemporaryPassword.MustChangeClaim)
                .Select(c => c.UserId).ToListAsync(ct);
            var departmentIds = users.Select(u => u.DepartmentId).OfType<int>().Distinct().ToList();
            var departments = await db.Departments.Where(d => departmentIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
            var last = await sessions.LastSignInsAsync(ids, ct);
            return
            [
                .. users.Select(u => new Row(u.Id, u.UserName ?? "", u.DisplayName,
                    u.IdNumber is { } idNumber ? Masking.IdNumber(idNumber) : u.CreditCode is { } code ? Masking.IdNumber(code) : null,
                    [.. roles.Where(r => r.UserId == u.Id).Select(r => r.Name ?? "")],
                    u.DepartmentId is { } d ? departments.GetValueOrDefault(d) : null,
                    u.LockoutEnd is { } end && end > now, u.TwoFactorEnabled, temporary.Contains(u.Id),
                    last.TryGetValue(u.Id, out var at) ? at : null)),
            ];
        }

        /// <summary>Disables the account: it cannot sign in, and every session of it ends now (ASVS 7.4.2).</summary>
        public Task<Outcome> DisableAsync(ClaimsPrincipal by, string userId) => ActAsync(by, userId, "disable", async (users, user) =>
        {
            await users.SetLockoutEnabledAsync(user, true);
            await users.SetLockoutEndDateAsync(user, DisabledUntil);
            await users.UpdateSecurityStampAsync(user); // a cookie that escaped the session store fails its next stamp check too
            var ended = await sessions.EndAllAsync(user.Id, "disabled");
            SecurityLog.AccountDisabled(_log, user.UserName ?? "?", Name(by), Address, ended);
            return new Outcome(null, ended);
        });

        public Task<Outcome> EnableAsync(ClaimsPrincipal by, string userId) => ActAsync(by, userId, "enable", async (users, user) =>
        {
            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
            SecurityLog.AccountEnabled(_log, user.UserName ?? "?", Name(by), Address);
            return new Outcome(null);
        });

        /// <summary>A temporary password, shown once to the administrator; the owner sets their own at the next sign-in.</summary>
        public Task<Outcome> ResetPasswordAsync(ClaimsPrincipal by, string userId) => ActAsync(by, userId, "reset password", async (users, user) =>
        {
            var expires = time.GetUtcNow() + TemporaryPasswordLife;
            var password = await TemporaryPassword.IssueAsync(users, user, expires);
            var ended = await sessions.EndAllAsync(user.Id, "password reset");
            SecurityLog.PasswordReset(_log, user.UserName ?? "?", Name(by), Address, "admin", "-", ended);
            return new Outcome(null, ended, password, expires);
        });

        /// <summary>Removes the authenticator (lost phone): staff who must have one set it up again at the next sign-in.</summary>
        public Task<Outcome> ResetSecondFactorAsync(ClaimsPrincipal by, string userId) => ActAsync(by, userId, "reset second factor", async (users, user) =>
        {
            await users.SetTwoFactorEnabledAsync(user, false);
            await users.ResetAuthenticatorKeyAsync(user); // the old key (on the lost phone) no longer yields codes; the stamp changes
            var ended = await sessions.EndAllAsync(user.Id, "2fa reset");
            SecurityLog.SecondFactorReset(_log, user.UserName ?? "?", Name(by), Address, ended);
            return new Outcome(null, ended);
        });

        /// <summary>Ends every session of every user but the administrator's own (ASVS 7.4.5).</summary>
        public async Task<Outcome> EndEveryoneAsync(ClaimsPrincipal by)
        {
            if (!by.IsInRole(Roles.Administrator))
            {
                SecurityLog.AccountActRefused(_log, Name(by), Address, "end every session", "*", "not an administrator");
                return new Outcome("只有系统管理员可以执行此操作");
            }

            var ended = await sessions.EndEveryoneAsync("admin: everyone", except: by.FindFirstValue(SessionStore.SessionClaim));
            SecurityLog.EverySessionEnded(_log, Name(by), Address, ended);
            return new Outcome(null, ended);
        }

        private string Address => SecurityLog.AddressOf(http.HttpContext);

        private static string Name(ClaimsPrincipal by) => by.Identity?.Name ?? "?";

        private async Task<Outcome> ActAsync(ClaimsPrincipal by, string userId, string act,
            Func<UserManager<ApplicationUser>, ApplicationUser, Task<Outcome>> body)
        {
            if (!by.IsInRole(Roles.Administrator))
            {
                SecurityLog.AccountActRefused(_log, Name(by), Address, act, userId, "not an administrator");
                return new Outcome("只有系统管理员可以管理账号");
            }

            // A scope per act: a page's circuit lives long, and its UserManager would keep stale accounts.
            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            if (await users.FindByIdAsync(userId) is not { } user)
            {
                return new Outcome("没有找到该账号");
            }

            if (user.Id == by.FindFirstValue(ClaimTypes.NameIdentifier))
            {
                SecurityLog.AccountActRefused(_log, Name(by), Address, act, user.UserName ?? "?", "own account");
                return new Outcome("不能在这里处理自己的账号：请使用“修改密码”和“双重验证”页面");
            }

            return await body(users, user);
        }
    }
}
