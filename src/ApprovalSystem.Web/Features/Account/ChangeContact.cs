using System.Security.Claims;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Infrastructure.Messaging;
using ApprovalSystem.Web.Infrastructure.Security;
using ApprovalSystem.Web.Infrastructure.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ApprovalSystem.Web.Features.Account;

/// <summary>
/// An applicant corrects their own account's contact data (PIPL Art. 46; docs/privacy.md): the address at once, the mobile number
/// only after their password again and a code texted to the new number (Identity's change-phone token, bound to the account, its
/// security stamp and that number). The old number is told of the change; the account's other sessions end, as after a new
/// password. Limits every node shares (<see cref="SharedCounters"/>): a text a minute and five a day per account, five wrong
/// passwords or codes per account in fifteen minutes.
/// </summary>
public static class ChangeContact
{
    public const int AddressLength = 200;

    public static readonly TimeSpan TextInterval = TimeSpan.FromMinutes(1);

    public const int DailyTexts = 5;

    public const int MaxTries = 5;

    public static readonly TimeSpan TriesWindow = TimeSpan.FromMinutes(15);

    /// <summary>How long a texted code is accepted at least (Identity's phone codes: 3-minute steps, two either side).</summary>
    public const int CodeMinutes = 5;

    public const string TooManyTries = "密码或验证码错误次数过多，请15分钟后再试。";

    public const string CodeRejected = "验证码不正确或已过期，请重新获取";

    public sealed record CodeSent(string MaskedMobile, string? DemoText);

    /// <summary>Errors by field ("" for the form), or the text sent.</summary>
    public sealed record Outcome(IReadOnlyDictionary<string, string> Errors, CodeSent? Sent = null)
    {
        public bool Succeeded => Errors.Count == 0;

        public static Outcome Fail(string field, string message) => new(new Dictionary<string, string> { [field] = message });

        public static readonly Outcome Done = new(new Dictionary<string, string>());
    }

    public sealed class Handler(UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, SessionStore sessions, SharedCounters counters,
        AppDbContext db, SmsOutbox sms, IOptions<SmsOptions> smsOptions, TimeProvider time, ILoggerFactory loggers, IHttpContextAccessor http)
    {
        private readonly ILogger _log = loggers.CreateLogger(SecurityLog.Category);

        private string Client => SecurityLog.AddressOf(http.HttpContext);

        public async Task<Outcome> SaveAddressAsync(ClaimsPrincipal principal, string? address)
        {
            var value = address?.Trim() ?? "";
            if (value.Length > AddressLength)
            {
                return Outcome.Fail("Address", $"地址不能超过{AddressLength}个字");
            }

            if (!InputRules.NoControlCharacters(value))
            {
                return Outcome.Fail("Address", "地址含有不可见的控制字符，请删除后重试");
            }

            if (await users.GetUserAsync(principal) is not { } user)
            {
                return Outcome.Fail("", "登录已失效，请重新登录");
            }

            user.Address = value.Length == 0 ? null : value;
            if (!(await users.UpdateAsync(user)).Succeeded)
            {
                // Another change to the account came first (its concurrency stamp moved): nothing was saved.
                return Outcome.Fail("Address", "地址未能保存：账号信息刚刚被更改，请刷新页面后重试");
            }

            SecurityLog.CredentialChanged(_log, user.UserName ?? "?", Client, "address");
            return Outcome.Done;
        }

        /// <summary>Step 1: the password again, then a code texted to the new number.</summary>
        public async Task<Outcome> RequestCodeAsync(ClaimsPrincipal principal, string? mobile, string? password)
        {
            if (MobileNumber.Validate(mobile) is { } wrongNumber)
            {
                return Outcome.Fail("Mobile", wrongNumber);
            }

            if (string.IsNullOrEmpty(password))
            {
                return Outcome.Fail("Password", "请输入登录密码");
            }

            if (await users.GetUserAsync(principal) is not { } user)
            {
                return Outcome.Fail("", "登录已失效，请重新登录");
            }

            var number = mobile!.Trim();
            if (number == user.PhoneNumber)
            {
                return Outcome.Fail("Mobile", "这就是您现在的手机号码");
            }

            var now = time.GetUtcNow();
            if (await TriedTooOftenAsync(user, now))
            {
                return Outcome.Fail("", TooManyTries);
            }

            if (!await users.CheckPasswordAsync(user, password))
            {
                await counters.AddAsync(TriesKey(user), TriesWindow, now);
                SecurityLog.CredentialChangeFailed(_log, user.UserName ?? "?", Client, "phone: wrong password");
                return Outcome.Fail("Password", "登录密码不正确");
            }

            if ((await counters.AddAsync($"phone-text-minute|{user.Id}", TextInterval, now)).Count > 1)
            {
                return Outcome.Fail("", "1分钟内只能获取一次验证码，请稍后再试。");
            }

            if ((await counters.AddAsync($"phone-text-day|{user.Id}", TimeSpan.FromDays(1), now)).Count > DailyTexts)
            {
                return Outcome.Fail("", "24小时内获取验证码的次数已达上限，请明天再试，或携带身份证件到政务服务中心窗口办理。");
            }

            var code = await users.GenerateChangePhoneNumberTokenAsync(user, number);
            var text = $"【政务服务】您正在更换账号绑定的手机号码，验证码为 {code}，{CodeMinutes} 分钟内有效。请勿告诉他人；如非本人操作，请忽略本短信。";
            var message = sms.Add(db, number, text);
            await db.SaveChangesAsync();
            sms.Dispatch(message);
            SecurityLog.RegistrationCodeRequested(_log, Client, Masking.Mobile(number), "phone change code texted");
            return new Outcome(new Dictionary<string, string>(), new CodeSent(Masking.Mobile(number), smsOptions.Value.ShowOnPage ? text : null));
        }

        /// <summary>Step 2: the code typed back. The number changes, the old one is told, every other session of the account ends.</summary>
        public async Task<Outcome> ConfirmAsync(ClaimsPrincipal principal, string? mobile, string? code)
        {
            if (await users.GetUserAsync(principal) is not { } user)
            {
                return Outcome.Fail("", "登录已失效，请重新登录");
            }

            var now = time.GetUtcNow();
            if (await TriedTooOftenAsync(user, now))
            {
                return Outcome.Fail("", TooManyTries);
            }

            var number = mobile?.Trim() ?? "";
            var typed = code?.Trim() ?? "";
            if (!MobileNumber.IsValid(number) || typed.Length != 6 || !typed.All(char.IsAsciiDigit)
                || !await users.VerifyChangePhoneNumberTokenAsync(user, typed, number))
            {
                await counters.AddAsync(TriesKey(user), TriesWindow, now);
                SecurityLog.CredentialChangeFailed(_log, user.UserName ?? "?", Client, "phone: wrong code");
                return Outcome.Fail("Code", CodeRejected);
            }

            var old = user.PhoneNumber;
            var changed = await users.ChangePhoneNumberAsync(user, number, typed); // confirms it and renews the security stamp
            if (!changed.Succeeded)
            {
                return Outcome.Fail("Code", CodeRejected);
            }

            if (MobileNumber.IsValid(old))
            {
                var notice = sms.Add(db, old!, $"【政务服务】您的账号绑定手机号码已更换为 {Masking.Mobile(number)}。如非本人操作，请立即携带身份证件到政务服务中心窗口办理。");
                await db.SaveChangesAsync();
                sms.Dispatch(notice);
            }

            SecurityLog.CredentialChanged(_log, user.UserName ?? "?", Client, "phone");
            await counters.RemoveAsync(TriesKey(user));
            await sessions.EndAllAsync(user.Id, "phone", except: principal.FindFirstValue(SessionStore.SessionClaim));
            await signIn.RefreshSignInAsync(user); // this session goes on with the new security stamp
            return Outcome.Done;
        }

        private static string TriesKey(ApplicationUser user) => $"contact-tries|{user.Id}";

        private async Task<bool> TriedTooOftenAsync(ApplicationUser user, DateTimeOffset now) =>
            (await counters.ReadAsync([TriesKey(user)])).Single().Within(TriesWindow, now) >= MaxTries;
    }
}
