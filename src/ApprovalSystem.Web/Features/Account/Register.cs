using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure.Security;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ApprovalSystem.Web.Infrastructure.Messaging;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ApprovalSystem.Web.Features.Account;

/// <summary>
/// Self-registration of applicants: citizens with name and resident ID number, enterprises with
/// name, unified social credit code and legal representative. Identifiers are checked by their
/// check characters; the identifier becomes the account name so one person registers once.
/// Two steps (decision 0041): the form asks for a code texted to the mobile number and always gets the same answer; the
/// account is created only when the code comes back. A registered identifier gets no code: its text says so instead, so
/// only the holder of the mobile number learns it, at most a few times a day (ASVS 6.3.8).
/// </summary>
public static class Register
{
    public sealed class Command
    {
        public ApplicantType Type { get; set; } = ApplicantType.Citizen;

        public string? Name { get; set; }

        public string? IdNumber { get; set; }

        public string? CreditCode { get; set; }

        public string? LegalRepresentative { get; set; }

        public string? Phone { get; set; }

        public string? Password { get; set; }

        public string? ConfirmPassword { get; set; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider time)
        {
            var today = ApprovalSystem.Core.Cases.WorkingTime.LocalDate(time.GetUtcNow());
            RuleFor(c => c.Name).NotEmpty().WithMessage(c => c.Type == ApplicantType.Citizen ? "请填写姓名" : "请填写企业名称")
                .MaximumLength(100).WithMessage("名称不能超过100个字");
            RuleFor(c => c.IdNumber).Custom((v, ctx) =>
            {
                if (ResidentIdNumber.Validate(v, today) is { } message)
                {
                    ctx.AddFailure(message);
                }
            }).When(c => c.Type == ApplicantType.Citizen);
            RuleFor(c => c.CreditCode).Custom((v, ctx) =>
            {
                if (Core.Identity.CreditCode.Validate(v) is { } message)
                {
                    ctx.AddFailure(message);
                }
            }).When(c => c.Type == ApplicantType.Enterprise);
            RuleFor(c => c.LegalRepresentative).NotEmpty().WithMessage("请填写法定代表人姓名").When(c => c.Type == ApplicantType.Enterprise);
            RuleFor(c => c.Phone).Custom((v, ctx) =>
            {
                if (MobileNumber.Validate(v) is { } message)
                {
                    ctx.AddFailure(message);
                }
            });
            RuleFor(c => c.Password).NotEmpty().WithMessage("请设置密码")
                .MinimumLength(PasswordPolicy.ApplicantLength).WithMessage($"密码至少{PasswordPolicy.ApplicantLength}位（可用一句话或几个词语，越长越安全）")
                .Must(p => !PasswordPolicy.IsCommon(p!)).WithMessage("这是常见或已泄露的密码，很容易被猜到，请换一个");
            RuleFor(c => c.ConfirmPassword).Equal(c => c.Password).WithMessage("两次输入的密码不一致");
        }
    }

    /// <summary>Errors by field name (empty key for the form as a whole).</summary>
    public sealed record Result(IReadOnlyDictionary<string, string> Errors, ApplicationUser? User)
    {
        public bool Succeeded => Errors.Count == 0;
    }

    /// <summary>
    /// Step 1's answer: errors, or the reference step 2 posts back with the masked mobile number the code went to.
    /// <paramref name="DemoText"/> is the text "sent", for a development host's demo box only (<see cref="SmsOptions.ShowOnPage"/>).
    /// </summary>
    public sealed record CodeRequest(IReadOnlyDictionary<string, string> Errors, string? Reference, string? MaskedMobile, string? DemoText)
    {
        public bool Succeeded => Errors.Count == 0;
    }

    /// <summary>How long a code may be typed back.</summary>
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Tries at one code (the right one included); then it is burned.</summary>
    public const int MaxTries = 5;

    /// <summary>Step 2's one refusal, for a wrong, burned, expired or never-sent code alike.</summary>
    public const string CodeRejected = "验证码不正确或已过期";

    /// <summary>Requests older than this are deleted (the longest limit, a day, needs them no longer).</summary>
    public static readonly TimeSpan KeepRequests = TimeSpan.FromDays(2);

    public sealed class Handler(Validator validator, UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, TimeProvider time,
        RegistrationGuard guard, AppDbContext db, SmsOutbox sms, IOptions<SmsOptions> smsOptions, ILoggerFactory loggers)
    {
        private readonly ILogger _log = loggers.CreateLogger(SecurityLog.Category);

        /// <summary>
        /// Step 1: checks the form and the limits, then texts a code (identifier free) or the already-registered notice
        /// (identifier taken) to the mobile number. Both ways do the same work — a password hash, a request row, an outbox
        /// row — and answer the same; <paramref name="client"/> is the caller's address, counted by <see cref="RegistrationGuard"/>.
        /// </summary>
        public async Task<CodeRequest> RequestCodeAsync(Command command, string client, CancellationToken cancellationToken = default)
        {
            var validation = await validator.ValidateAsync(command, cancellationToken);
            if (!validation.IsValid)
            {
                return Refused(validation.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.First().ErrorMessage));
            }

            var citizen = command.Type == ApplicantType.Citizen;
            var identifier = citizen ? ResidentIdNumber.Normalize(command.IdNumber!) : CreditCode.Normalize(command.CreditCode!);
            var mobile = command.Phone!.Trim();
            var probe = new ApplicationUser
            {
                UserName = identifier, ApplicantType = command.Type, PhoneNumber = mobile,
                IdNumber = citizen ? identifier : null, CreditCode = citizen ? null : identifier,
            };
            foreach (var rule in users.PasswordValidators)
            {
                if (await rule.ValidateAsync(users, probe, command.Password) is { Succeeded: false } weak)
                {
                    return Refused(new Dictionary<string, string> { [nameof(Command.Password)] = string.Join("；", weak.Errors.Select(e => e.Description)) });
                }
            }

            if (await guard.RefusalAsync(mobile, client, cancellationToken) is { } limit)
            {
                SecurityLog.RegistrationLimited(_log, client, Masking.Mobile(mobile), limit);
                return Refused(new Dictionary<string, string> { [""] = limit });
            }

            var taken = citizen
                ? await users.Users.AnyAsync(u => u.IdNumber == identifier || u.UserName == identifier, cancellationToken)
                : await users.Users.AnyAsync(u => u.CreditCode == identifier || u.UserName == identifier, cancellationToken);

            // The same work either way: the hash a new account needs, a code and its hash, one request row, one text.
            var passwordHash = users.PasswordHasher.HashPassword(probe, command.Password!);
            var reference = RandomNumberGenerator.GetHexString(32, lowercase: true);
            var code = RandomNumberGenerator.GetInt32(1_000_000).ToString("D6", CultureInfo.InvariantCulture);
            var codeHash = HashOf(reference, code);
            var now = time.GetUtcNow();
            var request = new PendingRegistration
            {
                Id = reference, Type = command.Type, Mobile = mobile, ClientAddress = client, CreatedAt = now, ExpiresAt = now + CodeLifetime,
            };
            if (!taken)
            {
                request.Name = command.Name!.Trim();
                request.Identifier = identifier;
                request.LegalRepresentative = citizen ? null : command.LegalRepresentative?.Trim();
                request.PasswordHash = passwordHash;
                request.CodeHash = codeHash;
            }

            var text = taken ? AlreadyRegisteredText(citizen) : CodeText(code);
            db.PendingRegistrations.Add(request);
            var message = sms.Add(db, mobile, text);
            var old = now - KeepRequests;
            await db.PendingRegistrations.Where(p => p.CreatedAt < old).ExecuteDeleteAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            sms.Dispatch(message);
            SecurityLog.RegistrationCodeRequested(_log, client, Masking.Mobile(mobile), taken ? "identifier " + Masking.IdNumber(identifier)
                + " already registered, notice texted" : "code texted");
            return new CodeRequest(new Dictionary<string, string>(), reference, Masking.Mobile(mobile), smsOptions.Value.ShowOnPage ? text : null);
        }

        /// <summary>
        /// Step 2: the code typed back. Each try is counted first (so parallel guesses cannot exceed <see cref="MaxTries"/>);
        /// the right code creates the account with the kept password hash and signs it in.
        /// </summary>
        public async Task<Result> ConfirmAsync(string? reference, string? code, string client, bool signInAfterwards = true,
            CancellationToken cancellationToken = default)
        {
            var now = time.GetUtcNow();
            reference = reference?.Trim() ?? "";
            code = code?.Trim() ?? "";
            var claimed = await db.PendingRegistrations
                .Where(p => p.Id == reference && p.CompletedAt == null && p.FailedTries < MaxTries && p.ExpiresAt > now)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.FailedTries, p => p.FailedTries + 1), cancellationToken);
            var request = claimed == 1 ? await db.PendingRegistrations.AsNoTracking().SingleAsync(p => p.Id == reference, cancellationToken) : null;
            if (request is not { CodeHash: { } expected } || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashOf(reference, code)),
                Encoding.ASCII.GetBytes(expected)))
            {
                SecurityLog.RegistrationCodeRejected(_log, client, request is null ? "no open request (unknown, expired, used or burned)" : "wrong code");
                return new Result(new Dictionary<string, string> { ["Code"] = CodeRejected }, null);
            }

            // One account per request, even if the right code arrives twice at once.
            var completed = await db.PendingRegistrations.Where(p => p.Id == reference && p.CompletedAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.CompletedAt, now).SetProperty(p => p.PasswordHash, (string?)null)
                    .SetProperty(p => p.CodeHash, (string?)null), cancellationToken);
            if (completed != 1)
            {
                return new Result(new Dictionary<string, string> { ["Code"] = CodeRejected }, null);
            }

            var citizen = request.Type == ApplicantType.Citizen;
            var user = new ApplicationUser
            {
                UserName = request.Identifier,
                DisplayName = request.Name ?? "",
                ApplicantType = request.Type,
                IdNumber = citizen ? request.Identifier : null,
                CreditCode = citizen ? null : request.Identifier,
                LegalRepresentative = request.LegalRepresentative,
                PhoneNumber = request.Mobile,
                PhoneNumberConfirmed = true, // the code proved it
                PasswordHash = request.PasswordHash,
                CreatedAt = now,
            };
            var created = await users.CreateAsync(user);
            if (!created.Succeeded)
            {
                // Registered by someone else between the two steps: that text went to their mobile number, not this one.
                return new Result(new Dictionary<string, string> { [""] = string.Join("；", created.Errors.Select(e => e.Description)) }, null);
            }

            await users.AddToRoleAsync(user, Roles.Applicant);
            SecurityLog.Registered(_log, user.UserName!, client);
            if (signInAfterwards)
            {
                await signIn.SignInAsync(user, isPersistent: false);
            }

            return new Result(new Dictionary<string, string>(), user);
        }

        /// <summary>For step 2 shown again: the masked mobile number of an open request, and in a demo its latest text.</summary>
        public async Task<(string? MaskedMobile, string? DemoText)> DescribeAsync(string? reference, CancellationToken cancellationToken = default)
        {
            var mobile = await db.PendingRegistrations.Where(p => p.Id == reference).Select(p => p.Mobile).SingleOrDefaultAsync(cancellationToken);
            if (mobile is null)
            {
                return (null, null);
            }

            var demo = smsOptions.Value.ShowOnPage
                ? await db.SmsMessages.Where(m => m.Mobile == mobile).OrderByDescending(m => m.Id).Select(m => m.Text).FirstOrDefaultAsync(cancellationToken)
                : null;
            return (Masking.Mobile(mobile), demo);
        }

        private static CodeRequest Refused(Dictionary<string, string> errors) => new(errors, null, null, null);
    }

    /// <summary>The code's hash, bound to its request (the reference is public: it only keeps equal codes' hashes apart).</summary>
    public static string HashOf(string reference, string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reference + ":" + code)));

    public static string CodeText(string code) => $"【政务服务】您的注册验证码为 {code}，{CodeLifetime.TotalMinutes:0} 分钟内有效。请勿告诉他人；如非本人操作，请忽略本短信。";

    public static string AlreadyRegisteredText(bool citizen) => citizen
        ? "【政务服务】您填写的身份证号码已注册过账号，无需重新注册，本次没有验证码。请直接用身份证号码或手机号登录；忘记密码的，请携带身份证件到政务服务中心窗口办理密码重置。如非本人操作，请忽略本短信。"
        : "【政务服务】您填写的统一社会信用代码已注册过账号，无需重新注册，本次没有验证码。请直接登录；忘记密码的，请携带营业执照和经办人身份证件到政务服务中心窗口办理密码重置。如非本人操作，请忽略本短信。";
}
