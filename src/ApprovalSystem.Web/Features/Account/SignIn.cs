using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Account;

/// <summary>Sign in with an account name, a resident ID number, a credit code or a mobile number.</summary>
public static class SignIn
{
    public sealed record Command(string Account, string Password, System.Net.IPAddress? Address = null);

    /// <summary>What <see cref="Handler.HandleAsync"/> answers when the password was right and a one-time code comes next.</summary>
    public const string SecondStep = "second-factor";

    /// <summary>The one answer to a wrong account or a wrong password (which of the two is not told).</summary>
    public const string Wrong = "账号或密码不正确";

    /// <summary>The answer to the right password of a disabled account (a wrong one gets <see cref="Wrong"/>, as for nobody).</summary>
    public const string Disabled = "该账号已被停用，请联系系统管理员";

    /// <summary>The answer to the right temporary password after its time (a wrong one gets <see cref="Wrong"/>).</summary>
    public const string TemporaryExpired = "临时密码已过期，请重新到政务服务中心窗口（工作人员请联系系统管理员）重置密码";

    public sealed class Handler(UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, SignInThrottle throttle,
        ILoggerFactory loggers, TimeProvider time)
    {
        private readonly ILogger _log = loggers.CreateLogger(SecurityLog.Category);

        // Checked against an unknown account's password so that its answer takes as long as a real account's (decision 0027).
        private static readonly ApplicationUser Nobody = new() { UserName = "nobody" };
        private static string? _nobodyHash;

        /// <summary>
        /// Null on success, <see cref="SecondStep"/> when the password was right and a one-time code is to be asked for next,
        /// otherwise the message to show.
        /// </summary>
        public async Task<string?> HandleAsync(Command command)
        {
            if (string.IsNullOrWhiteSpace(command.Account) || string.IsNullOrEmpty(command.Password))
            {
                return "请输入账号和密码";
            }

            var account = command.Account.Trim();
            var address = command.Address?.ToString() ?? "-";
            if (await throttle.WaitAsync(account, command.Address) is { Ticks: > 0 } wait)
            {
                SecurityLog.SignInFailed(_log, SecurityLog.MaskTyped(account), address, "throttled");
                return $"尝试次数过多，请 {Math.Ceiling(wait.TotalMinutes):0} 分钟后再试";
            }

            var user = await FindAsync(account);
            if (user is null)
            {
                var hasher = users.PasswordHasher;
                hasher.VerifyHashedPassword(Nobody, _nobodyHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString()), command.Password);
                await throttle.FailedAsync(account, command.Address);
                SecurityLog.SignInFailed(_log, SecurityLog.MaskTyped(account), address, "unknown-account");
                return Wrong;
            }

            if (await TemporaryPassword.ExpiresAsync(users, user) is { } expires && expires <= time.GetUtcNow())
            {
                return await RefusedAsync(user, command, address, "temporary password expired", TemporaryExpired);
            }

            // No lockout of the account itself: the throttle holds back the address that guesses, not the account's owner.
            // A locked-out account is one an administrator disabled (LockoutEnd far ahead; decision 0038).
            var result = await signIn.PasswordSignInAsync(user, command.Password, isPersistent: false, lockoutOnFailure: false);
            if (result.IsLockedOut)
            {
                return await RefusedAsync(user, command, address, "disabled", Disabled);
            }

            if (result.RequiresTwoFactor)
            {
                await throttle.SucceededAsync(account, command.Address);
                SecurityLog.SignInSucceeded(_log, user.UserName ?? "?", address, "password; one-time code next");
                return SecondStep;
            }

            if (!result.Succeeded)
            {
                await throttle.FailedAsync(account, command.Address);
                SecurityLog.SignInFailed(_log, user.UserName ?? "?", address, "wrong-password");
                return Wrong;
            }

            await throttle.SucceededAsync(account, command.Address);
            SecurityLog.SignInSucceeded(_log, user.UserName ?? "?", address, "password");
            return null;
        }

        /// <summary>The one-time code after a right password (the password step's short-lived cookie says whose).</summary>
        public async Task<string?> SecondStepAsync(string? code, System.Net.IPAddress? address)
        {
            if (await signIn.GetTwoFactorAuthenticationUserAsync() is not { } user)
            {
                return "请先输入账号和密码";
            }

            var account = "2fa|" + user.UserName;
            var from = address?.ToString() ?? "-";
            if (await throttle.WaitAsync(account, address) is { Ticks: > 0 } wait)
            {
                SecurityLog.SignInFailed(_log, user.UserName ?? "?", from, "one-time code: throttled");
                return $"尝试次数过多，请 {Math.Ceiling(wait.TotalMinutes):0} 分钟后再试";
            }

            var token = TwoFactor.Digits(code);
            var result = token.Length == 6
                ? await signIn.TwoFactorAuthenticatorSignInAsync(token, isPersistent: false, rememberClient: false)
                : Microsoft.AspNetCore.Identity.SignInResult.Failed;
            if (!result.Succeeded)
            {
                await throttle.FailedAsync(account, address);
                SecurityLog.SignInFailed(_log, user.UserName ?? "?", from, "one-time code: wrong or used");
                return "验证码不正确或已使用过，请输入验证器应用中当前显示的 6 位数字（每个验证码只能使用一次）";
            }

            await throttle.SucceededAsync(account, address);
            SecurityLog.SignInSucceeded(_log, user.UserName ?? "?", from, "one-time code");
            return null;
        }

        /// <summary>
        /// An account that may not sign in now says why only to whoever typed its right password: a wrong one gets the answer an
        /// unknown account gets, after the same password hashing (so neither the words nor the time tell it exists).
        /// </summary>
        private async Task<string> RefusedAsync(ApplicationUser user, Command command, string address, string reason, string message)
        {
            await throttle.FailedAsync(command.Account.Trim(), command.Address);
            if (!await users.CheckPasswordAsync(user, command.Password))
            {
                SecurityLog.SignInFailed(_log, user.UserName ?? "?", address, "wrong-password; " + reason);
                return Wrong;
            }

            SecurityLog.SignInFailed(_log, user.UserName ?? "?", address, reason);
            return message;
        }

        private async Task<ApplicationUser?> FindAsync(string account)
        {
            var user = await users.FindByNameAsync(account);
            if (user is not null)
            {
                return user;
            }

            var upper = account.ToUpperInvariant();
            var matches = await users.Users.Where(u => u.IdNumber == upper || u.CreditCode == upper || u.PhoneNumber == account).Take(2).ToListAsync();
            return matches.Count == 1 ? matches[0] : null;
        }
    }
}
