using ApprovalSystem.Web.Data;
using Microsoft.AspNetCore.Identity;
using OtpNet;

namespace ApprovalSystem.Web.Infrastructure.Security;

/// <summary>
/// The authenticator app's one-time codes (TOTP, RFC 6238), each usable once (ASVS 6.5.1): Identity's own provider accepts
/// the same code again for as long as it is valid (up to 90 seconds), so a code read over a shoulder or from a proxy's log
/// could sign in a second time. This one records the last 30-second step that signed in and refuses that step and every
/// earlier one. The step is kept in the user's token store (AspNetUserTokens); saving it goes through the user's
/// concurrency stamp, so of two requests racing with one code only one succeeds. Decision 0028.
/// </summary>
public sealed class OneTimeCodeProvider(TimeProvider time) : IUserTwoFactorTokenProvider<ApplicationUser>
{
    public const string Name = "OneTimeAuthenticator";
    private const string Store = "ApprovalSystem";
    private const string LastStep = "LastTotpStep";

    /// <summary>A code may be one step early or late (a phone's clock, the time to type it): the RFC's network delay.</summary>
    private static readonly VerificationWindow Window = new(previous: 1, future: 1);

    public Task<string> GenerateAsync(string purpose, UserManager<ApplicationUser> manager, ApplicationUser user) =>
        Task.FromResult(""); // the app on the phone makes the codes

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<ApplicationUser> manager, ApplicationUser user) =>
        !string.IsNullOrEmpty(await manager.GetAuthenticatorKeyAsync(user));

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<ApplicationUser> manager, ApplicationUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key) || token.Length != 6 || !token.All(char.IsAsciiDigit))
        {
            return false;
        }

        var totp = new Totp(Base32Encoding.ToBytes(key));
        if (!totp.VerifyTotp(time.GetUtcNow().UtcDateTime, token, out var step, Window))
        {
            return false;
        }

        var last = await manager.GetAuthenticationTokenAsync(user, Store, LastStep);
        if (long.TryParse(last, System.Globalization.CultureInfo.InvariantCulture, out var used) && step <= used)
        {
            return false; // this code (or an older one) has signed in already
        }

        var saved = await manager.SetAuthenticationTokenAsync(user, Store, LastStep,
            step.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return saved.Succeeded;
    }
}
