using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure.Security;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Account;

/// <summary>
/// Self-registration of applicants: citizens with name and resident ID number, enterprises with
/// name, unified social credit code and legal representative. Identifiers are checked by their
/// check characters; the identifier becomes the account name so one person registers once.
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

    public sealed class Handler(Validator validator, UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, TimeProvider time,
        RegistrationGuard guard, ILoggerFactory loggers)
    {
        private readonly ILogger _log = loggers.CreateLogger(SecurityLog.Category);

        /// <summary>Registers; <paramref name="client"/> (the caller's address) is held back after too many "already registered" answers.</summary>
        public async Task<Result> HandleAsync(Command command, string client, bool signInAfterwards = true)
        {
            if (await guard.IsBlockedAsync(client))
            {
                SecurityLog.RegistrationRefused(_log, client, "held back after too many already-registered answers");
                return new Result(new Dictionary<string, string> { [""] = RegistrationGuard.BlockedMessage }, null);
            }

            var validation = await validator.ValidateAsync(command);
            if (!validation.IsValid)
            {
                return new Result(validation.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.First().ErrorMessage), null);
            }

            var citizen = command.Type == ApplicantType.Citizen;
            var identifier = citizen ? ResidentIdNumber.Normalize(command.IdNumber!) : CreditCode.Normalize(command.CreditCode!);
            var taken = citizen
                ? await users.Users.AnyAsync(u => u.IdNumber == identifier || u.UserName == identifier)
                : await users.Users.AnyAsync(u => u.CreditCode == identifier || u.UserName == identifier);
            if (taken)
            {
                // As long as creating the account would have taken (its password hash), counted against the address.
                users.PasswordHasher.HashPassword(new ApplicationUser(), command.Password!);
                await guard.TakenAsync(client);
                SecurityLog.RegistrationRefused(_log, client, "identifier " + Masking.IdNumber(identifier) + " already registered");
                var field = citizen ? nameof(Command.IdNumber) : nameof(Command.CreditCode);
                return new Result(new Dictionary<string, string> { [field] = citizen ? "该身份证号码已注册，请直接登录" : "该统一社会信用代码已注册，请直接登录" }, null);
            }

            var user = new ApplicationUser
            {
                UserName = identifier,
                DisplayName = command.Name!.Trim(),
                ApplicantType = command.Type,
                IdNumber = citizen ? identifier : null,
                CreditCode = citizen ? null : identifier,
                LegalRepresentative = citizen ? null : command.LegalRepresentative?.Trim(),
                PhoneNumber = command.Phone!.Trim(),
                CreatedAt = time.GetUtcNow(),
            };
            var created = await users.CreateAsync(user, command.Password!);
            if (!created.Succeeded)
            {
                return new Result(new Dictionary<string, string> { [""] = string.Join("；", created.Errors.Select(e => e.Description)) }, null);
            }

            await users.AddToRoleAsync(user, Roles.Applicant);
            if (signInAfterwards)
            {
                await signIn.SignInAsync(user, isPersistent: false);
            }

            return new Result(new Dictionary<string, string>(), user);
        }
    }
}
