using System.Security.Claims;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure.Security;
using ApprovalSystem.Web.Infrastructure.Sessions;
using Microsoft.AspNetCore.Identity;

namespace ApprovalSystem.Web.Features.Account;

/// <summary>
/// A person ends another of their own sessions (登录设备) after typing their password again (ASVS 7.5.2; decision 0038):
/// someone at an unlocked screen cannot throw the owner out of their other devices. Wrong passwords count in the sign-in
/// throttle like sign-in failures, under the account's name.
/// </summary>
public static class OwnSessions
{
    public const string WrongPassword = "密码不正确";

    public sealed record Outcome(string? Error, int Ended = 0);

    public sealed class Handler(IServiceScopeFactory scopes, SessionStore sessions, SignInThrottle throttle, ILoggerFactory loggers)
    {
        private readonly ILogger _log = loggers.CreateLogger(SecurityLog.Category);

        /// <summary>Ends one session of the signed-in person (<paramref name="sessionId"/>) or, when null, all their others.</summary>
        public async Task<Outcome> EndAsync(ClaimsPrincipal me, string? sessionId, string? password, System.Net.IPAddress? address = null)
        {
            var userId = me.FindFirstValue(ClaimTypes.NameIdentifier);
            var current = me.FindFirstValue(SessionStore.SessionClaim);
            if (userId is null)
            {
                return new Outcome("登录已失效，请重新登录");
            }

            if (string.IsNullOrEmpty(password))
            {
                return new Outcome("请输入您的登录密码以确认");
            }

            var key = "reauth|" + (me.Identity?.Name ?? userId);
            if (await throttle.WaitAsync(key, address) is { Ticks: > 0 } wait)
            {
                return new Outcome($"尝试次数过多，请 {Math.Ceiling(wait.TotalMinutes):0} 分钟后再试");
            }

            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            if (await users.FindByIdAsync(userId) is not { } user || !await users.CheckPasswordAsync(user, password))
            {
                await throttle.FailedAsync(key, address);
                SecurityLog.ReauthenticationFailed(_log, me.Identity?.Name ?? "?", "end a session");
                return new Outcome(WrongPassword);
            }

            await throttle.SucceededAsync(key, address);
            if (sessionId is null)
            {
                return new Outcome(null, await sessions.EndAllAsync(userId, "user", except: current));
            }

            // Never the one the page runs in (that is signing out), and only one's own.
            return sessionId != current && await sessions.EndAsync(sessionId, "user", userId: userId) ? new Outcome(null, 1) : new Outcome(null);
        }
    }
}
