using System.Security.Claims;
using System.Text;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using QRCoder;

namespace ApprovalSystem.Web.Features.Account;

/// <summary>
/// A second factor: a time-based one-time code from an authenticator app (TOTP, RFC 6238, through Identity's
/// authenticator token provider; decision 0028). Anyone may turn it on; staff must when
/// <c>Security:RequireStaffSecondFactor</c> is set (then they cannot turn it off).
/// </summary>
public static class TwoFactor
{
    public const string Issuer = "云溪县网上审批";

    public sealed record Setup(bool Enabled, string Key, string QrDataUrl);

    public sealed class Handler(UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, IConfiguration configuration,
        ILoggerFactory loggers, IHttpContextAccessor http)
    {
        private readonly ILogger _log = loggers.CreateLogger(Infrastructure.Security.SecurityLog.Category);

        public bool RequiredForStaff { get; } = configuration.GetValue("Security:RequireStaffSecondFactor", false);

        /// <summary>The user's state; a key (made now if there is none) and its QR code for an app to scan while off.</summary>
        public async Task<Setup?> SetupAsync(ClaimsPrincipal principal)
        {
            if (await users.GetUserAsync(principal) is not { } user)
            {
                return null;
            }

            if (await users.GetTwoFactorEnabledAsync(user))
            {
                return new Setup(true, "", "");
            }

            var key = await users.GetAuthenticatorKeyAsync(user);
            if (string.IsNullOrEmpty(key))
            {
                await users.ResetAuthenticatorKeyAsync(user);
                key = await users.GetAuthenticatorKeyAsync(user) ?? "";
            }

            var uri = $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(user.UserName ?? "")}"
                + $"?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6";
            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
            var png = new PngByteQRCode(data).GetGraphic(5);
            return new Setup(false, Grouped(key), "data:image/png;base64," + Convert.ToBase64String(png));
        }

        /// <summary>Turns the second factor on when the code matches the key shown; null on success, else the message.</summary>
        public async Task<string?> EnableAsync(ClaimsPrincipal principal, string? code)
        {
            if (await users.GetUserAsync(principal) is not { } user)
            {
                return "登录已失效，请重新登录";
            }

            var token = Digits(code);
            if (token.Length != 6 || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, token))
            {
                return "验证码不正确或已使用过，请输入验证器应用中当前显示的 6 位数字（每个验证码只能使用一次）";
            }

            await users.SetTwoFactorEnabledAsync(user, true);
            Infrastructure.Security.SecurityLog.CredentialChanged(_log, user.UserName ?? "?",
                Infrastructure.Security.SecurityLog.AddressOf(http.HttpContext), "second factor on");
            await signIn.RefreshSignInAsync(user); // the session's claims now say so (the staff requirement checks them)
            return null;
        }

        /// <summary>Turns it off (not for staff when it is required); a current code proves the person holds the device.</summary>
        public async Task<string?> DisableAsync(ClaimsPrincipal principal, string? code)
        {
            if (await users.GetUserAsync(principal) is not { } user)
            {
                return "登录已失效，请重新登录";
            }

            if (RequiredForStaff && user.ApplicantType is null)
            {
                return "工作人员账号必须启用双重验证，不能关闭";
            }

            var token = Digits(code);
            if (token.Length != 6 || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, token))
            {
                return "验证码不正确或已使用过，请输入验证器应用中当前显示的 6 位数字（每个验证码只能使用一次）";
            }

            await users.SetTwoFactorEnabledAsync(user, false);
            Infrastructure.Security.SecurityLog.CredentialChanged(_log, user.UserName ?? "?",
                Infrastructure.Security.SecurityLog.AddressOf(http.HttpContext), "second factor off");
            await users.ResetAuthenticatorKeyAsync(user);
            await signIn.RefreshSignInAsync(user);
            return null;
        }

        private static string Grouped(string key)
        {
            var text = new StringBuilder();
            for (var i = 0; i < key.Length; i += 4)
            {
                text.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
            }

            return text.ToString().TrimEnd().ToLowerInvariant();
        }
    }

    /// <summary>The digits of a typed code (spaces and dashes dropped).</summary>
    internal static string Digits(string? code) => new((code ?? "").Where(char.IsAsciiDigit).ToArray());

    /// <summary>Whether a signed-in staff member still has to turn the second factor on before anything else.</summary>
    public static bool MustEnrol(ClaimsPrincipal user, bool requiredForStaff) =>
        requiredForStaff && user.Identity?.IsAuthenticated == true && !user.IsInRole(Core.Identity.Roles.Applicant)
        && user.FindFirst(AppClaims.SecondFactor) is null;
}
