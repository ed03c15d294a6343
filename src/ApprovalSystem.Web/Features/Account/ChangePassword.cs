using System.Security.Claims;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure.Security;
using ApprovalSystem.Web.Infrastructure.Sessions;
using Microsoft.AspNetCore.Identity;

namespace ApprovalSystem.Web.Features.Account;

/// <summary>
/// A signed-in person changes their password: every other session of theirs ends (a stolen cookie stops working), and the
/// one they changed it from continues (decision 0025).
/// </summary>
public static class ChangePassword
{
    public sealed record Command(string Current, string New, string Confirm);

    public sealed class Handler(UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, SessionStore sessions,
        ILoggerFactory loggers, IHttpContextAccessor http)
    {
        private readonly ILogger _log = loggers.CreateLogger(SecurityLog.Category);

        /// <summary>Null when changed; otherwise the messages to show, by field ("" for the form).</summary>
        public async Task<Dictionary<string, string>?> HandleAsync(ClaimsPrincipal principal, Command command)
        {
            var errors = new Dictionary<string, string>();
            if (string.IsNullOrEmpty(command.Current))
            {
                errors["Current"] = "请输入当前密码";
            }

            if (string.IsNullOrEmpty(command.New))
            {
                errors["New"] = "请输入新密码";
            }
            else if (command.New != command.Confirm)
            {
                errors["Confirm"] = "两次输入的新密码不一致";
            }

            if (errors.Count > 0)
            {
                return errors;
            }

            if (await users.GetUserAsync(principal) is not { } user)
            {
                return new() { [""] = "登录已失效，请重新登录" };
            }

            var result = await users.ChangePasswordAsync(user, command.Current, command.New);
            if (!result.Succeeded)
            {
                foreach (var e in result.Errors)
                {
                    var field = e.Code == nameof(IdentityErrorDescriber.PasswordMismatch) ? "Current" : "New";
                    errors[field] = errors.TryGetValue(field, out var before) ? $"{before}；{e.Description}" : e.Description;
                }

                SecurityLog.CredentialChangeFailed(_log, user.UserName ?? "?", SecurityLog.AddressOf(http.HttpContext),
                    "password: " + string.Join(",", result.Errors.Select(e => e.Code)));
                return errors;
            }

            await TemporaryPassword.ClearAsync(users, user); // a password of their own now: the pages open again
            SecurityLog.CredentialChanged(_log, user.UserName ?? "?", SecurityLog.AddressOf(http.HttpContext), "password");
            await sessions.EndAllAsync(user.Id, "password", except: principal.FindFirstValue(SessionStore.SessionClaim));
            await signIn.RefreshSignInAsync(user); // the current session goes on, its ticket carrying the new security stamp
            return null;
        }
    }
}
