using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ApprovalSystem.Web.Features.Account.Certificates;

/// <summary>
/// Sign-in with a digital certificate (数字证书登录, decision 0051). A valid certificate bound to an account signs in as it; an
/// unbound one whose identifier (credit code, or a legal person's ID number) names an account is bound after that account's
/// password; one whose enterprise has no account registers the enterprise from the certificate. Everything is decided by the
/// certificate the connection presented, never by what a form posts; every step is in the security log as sign-ins are.
/// </summary>
public static class CertificateSignIn
{
    /// <summary>What comes next for the presented certificate.</summary>
    public enum Step
    {
        /// <summary>Not accepted: <see cref="Outcome.Message"/> says why.</summary>
        Refused,

        /// <summary>Signed in as the bound account.</summary>
        SignedIn,

        /// <summary>First use: the account's password binds the certificate to it.</summary>
        ConfirmPassword,

        /// <summary>No account has the certificate's credit code: the enterprise may register from it.</summary>
        Register,
    }

    /// <param name="Account">The account's display name at <see cref="Step.ConfirmPassword"/>.</param>
    public sealed record Outcome(Step Step, string? Message = null, CertificateHolder? Holder = null, string? Account = null);

    public const string PasswordWrong = "密码不正确，请输入该账号的登录密码（忘记密码请到政务服务中心窗口重置）";

    public const string StaffRefused = "工作人员账号不使用数字证书登录，请用账号和密码登录";

    public static string PersonNotRegistered(string idNumber) =>
        $"身份证号码 {Masking.IdNumber(idNumber)} 还没有账号：请先以个人身份注册，再用数字证书登录并绑定。";

    /// <summary>SHA-256 of the certificate's DER encoding, upper-case hex.</summary>
    public static string Thumbprint(X509Certificate2 certificate) => Convert.ToHexString(SHA256.HashData(certificate.RawData));

    public sealed class Handler(ClientCertificateCheck check, IOptions<CertificateSignInOptions> options, UserManager<ApplicationUser> users,
        SignInManager<ApplicationUser> signIn, AppDbContext db, SignInThrottle throttle, ILoggerFactory loggers, TimeProvider time)
    {
        private readonly ILogger _log = loggers.CreateLogger(SecurityLog.Category);

        /// <summary>Checks the certificate and signs in when it is bound; otherwise says what comes next.</summary>
        public async Task<Outcome> IdentifyAsync(X509Certificate2? certificate, IPAddress? address, CancellationToken cancellationToken = default)
        {
            var (outcome, user) = await ResolveAsync(certificate, address, cancellationToken);
            if (outcome.Step == Step.SignedIn)
            {
                await SignInAsync(user!, certificate!, address, "certificate", cancellationToken);
            }

            return outcome;
        }

        /// <summary>What the certificate leads to, without signing in: the page renders the form a post is for.</summary>
        public async Task<Outcome> PeekAsync(X509Certificate2? certificate, IPAddress? address, CancellationToken cancellationToken = default) =>
            (await ResolveAsync(certificate, address, cancellationToken)).Outcome;

        /// <summary>First use: binds the certificate to the account its identifier names, after that account's password.</summary>
        public async Task<Outcome> BindAsync(X509Certificate2? certificate, string? password, IPAddress? address, CancellationToken cancellationToken = default)
        {
            var (outcome, user) = await ResolveAsync(certificate, address, cancellationToken);
            if (outcome.Step != Step.ConfirmPassword)
            {
                if (outcome.Step == Step.SignedIn)
                {
                    await SignInAsync(user!, certificate!, address, "certificate", cancellationToken);
                }

                return outcome;
            }

            var account = "cert|" + user!.UserName;
            if (await throttle.WaitAsync(account, address, cancellationToken) is { Ticks: > 0 } wait)
            {
                SecurityLog.SignInFailed(_log, user.UserName ?? "?", From(address), "certificate binding: throttled");
                return outcome with { Message = $"尝试次数过多，请 {Math.Ceiling(wait.TotalMinutes):0} 分钟后再试" };
            }

            if (string.IsNullOrEmpty(password) || !await users.CheckPasswordAsync(user, password))
            {
                await throttle.FailedAsync(account, address, cancellationToken);
                SecurityLog.SignInFailed(_log, user.UserName ?? "?", From(address), "certificate binding: wrong password");
                return outcome with { Message = PasswordWrong };
            }

            await throttle.SucceededAsync(account, address, cancellationToken);
            await AddBindingAsync(user, certificate!, cancellationToken);
            SecurityLog.CertificateBound(_log, user.UserName ?? "?", From(address), Thumbprint(certificate!)[..16], certificate!.Subject);
            await SignInAsync(user, certificate!, address, "certificate (bound now)", cancellationToken);
            return new Outcome(Step.SignedIn, Holder: outcome.Holder);
        }

        /// <summary>Registers the enterprise the certificate names (no account has its credit code) and binds the certificate to it.</summary>
        public async Task<Outcome> RegisterAsync(X509Certificate2? certificate, IPAddress? address, CancellationToken cancellationToken = default)
        {
            var (outcome, _) = await ResolveAsync(certificate, address, cancellationToken);
            if (outcome.Step != Step.Register)
            {
                return outcome.Step == Step.SignedIn ? await IdentifyAsync(certificate, address, cancellationToken) : outcome;
            }

            var holder = outcome.Holder!;
            var user = new ApplicationUser
            {
                UserName = holder.CreditCode,
                DisplayName = holder.Name.Length > 0 ? holder.Name : holder.CreditCode!,
                ApplicantType = ApplicantType.Enterprise,
                CreditCode = holder.CreditCode,
                CreatedAt = time.GetUtcNow(),
            };
            var created = await users.CreateAsync(user); // no password: the certificate is how this account signs in
            if (!created.Succeeded)
            {
                return new Outcome(Step.Refused, string.Join("；", created.Errors.Select(e => e.Description)), holder);
            }

            await users.AddToRoleAsync(user, Roles.Applicant);
            SecurityLog.Registered(_log, user.UserName!, From(address));
            await AddBindingAsync(user, certificate!, cancellationToken);
            SecurityLog.CertificateBound(_log, user.UserName!, From(address), Thumbprint(certificate!)[..16], certificate!.Subject);
            await SignInAsync(user, certificate!, address, "certificate (registered now)", cancellationToken);
            return new Outcome(Step.SignedIn, Holder: holder);
        }

        private async Task<(Outcome Outcome, ApplicationUser? User)> ResolveAsync(X509Certificate2? certificate, IPAddress? address,
            CancellationToken cancellationToken)
        {
            var verdict = check.Check(certificate);
            if (!verdict.IsValid)
            {
                SecurityLog.SignInFailed(_log, certificate is null ? "-" : "cert " + Thumbprint(certificate)[..16], From(address),
                    "certificate: " + verdict.Problem);
                return (new Outcome(Step.Refused, verdict.Message), null);
            }

            var thumbprint = Thumbprint(certificate!);
            var bound = await db.CertificateBindings.AsNoTracking().Where(b => b.Thumbprint == thumbprint).Select(b => b.UserId)
                .FirstOrDefaultAsync(cancellationToken);
            var holder = CertificateSubject.Read(certificate!, options.Value.IdentifierFields, Core.Cases.WorkingTime.LocalDate(time.GetUtcNow()));
            if (bound is not null && await users.FindByIdAsync(bound) is { } owner)
            {
                return await RefusalAsync(owner, address) is { } refusal ? (refusal, null) : (new Outcome(Step.SignedIn, Holder: holder), owner);
            }

            if (holder.Problem is not null)
            {
                SecurityLog.SignInFailed(_log, "cert " + thumbprint[..16], From(address), "certificate: no usable identifier");
                return (new Outcome(Step.Refused, holder.Problem, holder), null);
            }

            var identifier = holder.Identifier!;
            var user = holder.CreditCode is not null
                ? await users.Users.FirstOrDefaultAsync(u => u.CreditCode == identifier, cancellationToken)
                : await users.Users.FirstOrDefaultAsync(u => u.IdNumber == identifier, cancellationToken);
            if (user is not null)
            {
                return await RefusalAsync(user, address) is { } refusal
                    ? (refusal with { Holder = holder }, null)
                    : (new Outcome(Step.ConfirmPassword, Holder: holder, Account: user.DisplayName), user);
            }

            return holder.CreditCode is not null
                ? (new Outcome(Step.Register, Holder: holder), null)
                : (new Outcome(Step.Refused, PersonNotRegistered(identifier), holder), null);
        }

        private async Task<Outcome?> RefusalAsync(ApplicationUser user, IPAddress? address)
        {
            if (user.ApplicantType is null)
            {
                SecurityLog.SignInFailed(_log, user.UserName ?? "?", From(address), "certificate: staff account");
                return new Outcome(Step.Refused, StaffRefused);
            }

            if (await users.IsLockedOutAsync(user))
            {
                SecurityLog.SignInFailed(_log, user.UserName ?? "?", From(address), "certificate: disabled");
                return new Outcome(Step.Refused, SignIn.Disabled);
            }

            return null;
        }

        private async Task AddBindingAsync(ApplicationUser user, X509Certificate2 certificate, CancellationToken cancellationToken)
        {
            var thumbprint = Thumbprint(certificate);
            if (await db.CertificateBindings.AnyAsync(b => b.Thumbprint == thumbprint, cancellationToken))
            {
                return; // bound meanwhile (a second click): one row per certificate, the unique index says so too
            }

            db.CertificateBindings.Add(new CertificateBinding
            {
                UserId = user.Id,
                Thumbprint = thumbprint,
                SerialNumber = certificate.SerialNumber,
                Issuer = Cut(certificate.Issuer),
                Subject = Cut(certificate.Subject),
                NotBefore = certificate.NotBefore.ToUniversalTime(),
                NotAfter = certificate.NotAfter.ToUniversalTime(),
                BoundAt = time.GetUtcNow(),
                Certificate = certificate.RawData,
            });
            await db.SaveChangesAsync(cancellationToken);
        }

        private async Task SignInAsync(ApplicationUser user, X509Certificate2 certificate, IPAddress? address, string how,
            CancellationToken cancellationToken)
        {
            var thumbprint = Thumbprint(certificate);
            await db.CertificateBindings.Where(b => b.Thumbprint == thumbprint)
                .ExecuteUpdateAsync(u => u.SetProperty(b => b.LastUsedAt, time.GetUtcNow()), cancellationToken);
            await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: "certificate");
            SecurityLog.SignInSucceeded(_log, user.UserName ?? "?", From(address), $"{how} {thumbprint[..16]}");
        }

        private static string From(IPAddress? address) => address?.ToString() ?? "-";

        private static string Cut(string value) => value.Length > 1000 ? value[..1000] : value;
    }
}
