using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Identity;

namespace ApprovalSystem.Web.Features.Account;

/// <summary>
/// A password set by someone else (an administrator, or the window clerk for a resident who forgot theirs; decision 0038):
/// random, shown once to the person who set it, valid for <c>Security:TemporaryPasswordHours</c> (default 24), and to be
/// replaced at the next sign-in before anything else. The account carries an Identity user claim
/// (<see cref="MustChangeClaim"/>, its value the expiry) until its owner sets a password of their own: no new column.
/// </summary>
public static class TemporaryPassword
{
    /// <summary>The user claim (AspNetUserClaims, so also in the signed-in principal) that asks for a new password.</summary>
    public const string MustChangeClaim = "approval:must_change_password";

    // No 0/o, 1/l/i: the password is read aloud or copied by hand from the screen.
    private const string Alphabet = "23456789abcdefghjkmnpqrstuvwxyz";

    /// <summary>Twelve random characters (≈59 bits) in three groups: long enough for staff, easy to copy.</summary>
    public static string Generate()
    {
        var text = RandomNumberGenerator.GetString(Alphabet, 12);
        return $"{text[..4]}-{text[4..8]}-{text[8..]}";
    }

    /// <summary>Sets a fresh temporary password (the security stamp changes) and marks the account to change it.</summary>
    public static async Task<string> IssueAsync(UserManager<ApplicationUser> users, ApplicationUser user, DateTimeOffset expires)
    {
        var password = Generate();
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var result = await users.ResetPasswordAsync(user, token, password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("A generated password was refused: " + string.Join(",", result.Errors.Select(e => e.Code)));
        }

        await ClearAsync(users, user);
        await users.AddClaimAsync(user, new Claim(MustChangeClaim, expires.ToString("O", CultureInfo.InvariantCulture)));
        return password;
    }

    /// <summary>Removes the mark (the owner set a password of their own).</summary>
    public static async Task ClearAsync(UserManager<ApplicationUser> users, ApplicationUser user)
    {
        var marks = (await users.GetClaimsAsync(user)).Where(c => c.Type == MustChangeClaim).ToList();
        if (marks.Count > 0)
        {
            await users.RemoveClaimsAsync(user, marks);
        }
    }

    /// <summary>When the account's temporary password expires; null when its password is its own.</summary>
    public static async Task<DateTimeOffset?> ExpiresAsync(UserManager<ApplicationUser> users, ApplicationUser user) =>
        (await users.GetClaimsAsync(user)).FirstOrDefault(c => c.Type == MustChangeClaim) is { } mark
        && DateTimeOffset.TryParse(mark.Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? at
            : null;

    public static bool MustChange(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true && user.HasClaim(c => c.Type == MustChangeClaim);

    private static readonly string[] Open = ["/account/password", "/account/logout", "/account/login", "/account/login-code",
        "/account/access-denied", "/_framework", "/_content", "/not-found", "/error"];

    /// <summary>
    /// A signed-in person whose password was set by someone else reaches nothing but the page that changes it (and
    /// signing out): pages redirect there, the API and the interactive hub answer 403.
    /// </summary>
    public static IApplicationBuilder UsePasswordChangeRequirement(this WebApplication app) =>
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (!MustChange(context.User) || Open.Any(p => path.StartsWithSegments(p)) || Path.HasExtension(path.Value))
            {
                await next(context);
                return;
            }

            if (path.StartsWithSegments("/api") || path.StartsWithSegments("/_blazor"))
            {
                await ApiProblems.WriteAsync(context, StatusCodes.Status403Forbidden, "须先设置新密码",
                    "您的密码由工作人员重置，是临时密码：请在浏览器中打开“修改密码”页面（/account/password）设置新密码后再试。");
                return;
            }

            context.Response.Redirect("/account/password");
        });
}
