using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Forms;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Bundles;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Cases.Filing;

/// <summary>
/// File an application 申报: an applicant online, a township agent for a resident, or a clerk for a
/// walk-in. Saves a draft, or submits it at once. A retried request with the same idempotency key
/// returns the case it already created instead of filing twice; the same key with a different request
/// is refused (422), never answered with the first request's case.
/// </summary>
public static class FileCase
{
    private sealed class DuplicateFilingException(long caseId) : Exception("duplicate filing")
    {
        public long CaseId { get; } = caseId;
    }

    public sealed class Command
    {
        public string MatterCode { get; set; } = "";

        /// <summary>The resident or enterprise the agent or clerk files for (ignored for applicants: their account is used).</summary>
        public ApplicantInput? Applicant { get; set; }

        public Dictionary<string, string> FormData { get; set; } = [];

        /// <summary>The answers to the matter's guide questions 情形 (question key → answer): they decide the checklist and the fields asked.</summary>
        public Dictionary<string, string>? Situation { get; set; }

        /// <summary>False keeps it as a draft 草稿.</summary>
        public bool Submit { get; set; } = true;

        /// <summary>
        /// 告知承诺制 (decision 0060): the applicant has read the matter's commitment text and signs it; the materials it replaces are
        /// then not required. Only for a matter that allows it, only by the applicant in person, and refused (422) while the applicant
        /// has a false commitment on record that is not repaired.
        /// </summary>
        public bool OnCommitment { get; set; }

        public string? IdempotencyKey { get; set; }
    }

    public sealed class ApplicantInput
    {
        public string Name { get; set; } = "";

        public ApplicantIdType IdType { get; set; }

        public string IdNumber { get; set; } = "";

        public string Phone { get; set; } = "";

        public string? Address { get; set; }

        public string? LegalRepresentative { get; set; }
    }

    public sealed class ApplicantValidator : AbstractValidator<ApplicantInput>
    {
        public ApplicantValidator(TimeProvider clock)
        {
            RuleFor(a => a.Name).NotEmpty().WithMessage("请填写申请人姓名或名称").Text(100, "申请人姓名或名称");
            RuleFor(a => a.IdType).IsInEnum().WithMessage("证件类型应为 ResidentId（居民身份证）或 CreditCode（统一社会信用代码）");
            RuleFor(a => a.Address).Text(200, "地址");
            RuleFor(a => a.IdNumber).Custom((v, ctx) =>
            {
                var a = (ApplicantInput)ctx.InstanceToValidate;
                var problem = a.IdType == ApplicantIdType.ResidentId ? ResidentIdNumber.Validate(v, WorkingTime.LocalDate(clock.GetUtcNow()))
                    : CreditCode.Validate(v);
                if (problem is not null)
                {
                    ctx.AddFailure(problem);
                }
            });
            RuleFor(a => a.Phone).Custom((v, ctx) =>
            {
                if (MobileNumber.Validate(v) is { } problem)
                {
                    ctx.AddFailure(problem);
                }
            });
            RuleFor(a => a.LegalRepresentative).NotEmpty().When(a => a.IdType == ApplicantIdType.CreditCode).WithMessage("请填写法定代表人")
                .Text(50, "法定代表人");
        }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(c => c.MatterCode).NotEmpty().WithMessage("请选择要办理的事项").Text(40, "事项编码");
            RuleFor(c => c.IdempotencyKey).MaximumLength(100).WithMessage("幂等键不能超过100个字符").Must(InputRules.NoControlCharacters)
                .WithMessage("幂等键含有不可见的控制字符");
            RuleFor(c => c.FormData).NotNull().WithMessage("请填写申请表").Custom(FormValues);
            RuleFor(c => c.Situation).Custom(SituationValues);
            RuleFor(c => c.Applicant!).SetValidator(new ApplicantValidator(clock)).When(c => c.Applicant is not null);
        }
    }

    /// <summary>Form values are checked by their fields' rules when the matter is known; here only what no field takes: control characters.</summary>
    internal static void FormValues(Dictionary<string, string>? data, ValidationContext<Command> context) => FormValues(data, context.AddFailure);

    /// <summary>Answers are checked against the matter's questions when it is known; here only their size and control characters.</summary>
    internal static void SituationValues(Dictionary<string, string>? answers, ValidationContext<Command> context) =>
        SituationValues(answers, context.AddFailure);

    internal static void SituationValues(Dictionary<string, string>? answers, Action<string, string> fail)
    {
        if (answers is { Count: > 50 })
        {
            fail("situation", "情形回答过多（最多50项）");
            return;
        }

        foreach (var (key, value) in answers ?? [])
        {
            if (key.Length > 40 || (value?.Length ?? 0) > 100 || !InputRules.NoControlCharacters(key) || !InputRules.NoControlCharacters(value ?? ""))
            {
                fail($"situation.{key}", $"情形“{key}”的回答过长或含有不可见的控制字符");
            }
        }
    }

    internal static void FormValues(Dictionary<string, string>? data, Action<string, string> fail)
    {
        foreach (var (key, value) in data ?? [])
        {
            if (!InputRules.NoControlCharacters(value) || !InputRules.NoControlCharacters(key))
            {
                fail($"FormData.{key}", $"“{key}”含有不可见的控制字符，请删除后重试");
            }
        }
    }

    public sealed class Handler(CaseStore store, Validator validator, UserManager<ApplicationUser> users, IDbContextFactory<AppDbContext> dbFactory,
        ReplacedMatters replacedMatters, AutoApproval.AutoApprover autoApprover)
    {
        public async Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            if (command.IdempotencyKey is { Length: > 0 } key)
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var seen = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == actor.UserId && r.Key == key, ct);
                if (seen is not null)
                {
                    CheckSameRequest(seen, command);
                    return await db.Cases.AsNoTracking().FirstAsync(c => c.Id == seen.CaseId, ct);
                }
            }

            var applicant = await ApplicantAsync(command, actor);

            // 秒批: the shared records the matter's published rules check are read (and logged) before the act's transaction.
            var rules = command.Submit ? await autoApprover.PrepareAsync(command.MatterCode.Trim(), applicant, command.FormData, ct) : null;
            Action<AppDbContext, Case>? decided = null;
            try
            {
                return await store.CreateAsync(
                    async ctx =>
                    {
                        if (command.IdempotencyKey is { Length: > 0 } k
                            && await ctx.Db.IdempotencyRecords.AsNoTracking()
                                .FirstOrDefaultAsync(r => r.UserId == actor.UserId && r.Key == k, ct) is { } winner)
                        {
                            // A concurrent request with the same key won the race while this one waited.
                            CheckSameRequest(winner, command);
                            throw new DuplicateFilingException(winner.CaseId);
                        }

                        var matter = await ctx.Db.Matters.AsNoTracking().Include(m => m.Department)
                            .FirstOrDefaultAsync(m => m.Code == command.MatterCode.Trim(), ct)
                            ?? throw new CaseInputException(InputProblem.Invalid, "matterCode",
                                $"事项“{command.MatterCode}”不存在，请核对事项编码（可通过 GET /api/matters 查询）");
                        if (!matter.IsPublished)
                        {
                            throw new CaseRuleException($"事项“{matter.Name}”暂停受理");
                        }

                        // A matter a published bundle replaces takes no new filing (decision 0058); its cases and drafts already filed run on.
                        if (await replacedMatters.ForAsync(ctx.Db, matter.Code, ct) is { } replaced)
                        {
                            throw new CaseInputException(InputProblem.Invalid, "matterCode", $"{replaced.Message}（/{replaced.GuidePath}）");
                        }

                        var answers = Situations.Normalise(matter.Situations, command.Situation ?? []);
                        CheckForm(matter, command.FormData, command.Submit, WorkingTime.LocalDate(ctx.Now), command.Situation ?? []);
                        var snapshot = MatterSnapshot.From(matter, matter.Department!.Code);
                        var c = Case.Draft(snapshot, applicant, command.FormData, actor, ctx.Now, answers);
                        if (command.OnCommitment)
                        {
                            await Commitments.CommitmentRules.CheckMayCommitAsync(ctx.Db, matter, applicant, ct);
                            c.SignCommitment(snapshot.Commitment!, actor, ctx.Now);
                        }

                        if (command.Submit)
                        {
                            var region = await CaseStore.RegionCodeAsync(ctx.Db, ct);
                            c.Submit(await CaseStore.NextNumberAsync(ctx.Db, region, ctx.Now, ct), CaseStore.NewQueryCode(), actor, ctx.Now, ctx.Time);
                            decided = rules is null ? null : await autoApprover.ApplyAsync(c, rules, ctx, ct);
                        }

                        return c;
                    },
                    (db, c) =>
                    {
                        decided?.Invoke(db, c);
                        if (command.IdempotencyKey is { Length: > 0 } k)
                        {
                            db.IdempotencyRecords.Add(new IdempotencyRecord { Key = k, UserId = actor.UserId, CaseId = c.Id, CreatedAt = c.CreatedAt,
                                RequestHash = RequestHash(command) });
                        }
                    },
                    ct);
            }
            catch (DuplicateFilingException duplicate)
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                return await db.Cases.AsNoTracking().FirstAsync(c => c.Id == duplicate.CaseId, ct);
            }
        }

        /// <summary>Applicants file as themselves (no second entry of what their account holds); agents and clerks name the applicant.</summary>
        private async Task<ApplicantInfo> ApplicantAsync(Command command, CaseActor actor)
        {
            if (actor.Is(Roles.Applicant))
            {
                var user = await users.FindByIdAsync(actor.UserId) ?? throw new CaseRuleException("账号不存在");
                var enterprise = user.ApplicantType == ApplicantType.Enterprise;
                return new ApplicantInfo
                {
                    Name = user.DisplayName,
                    IdType = enterprise ? ApplicantIdType.CreditCode : ApplicantIdType.ResidentId,
                    IdNumber = (enterprise ? user.CreditCode : user.IdNumber) ?? "",
                    Phone = user.PhoneNumber ?? "",
                    Address = user.Address,
                    LegalRepresentative = user.LegalRepresentative,
                };
            }

            return ToInfo(command.Applicant ?? throw new CaseRuleException("请填写申请人信息（姓名、证件号码、联系电话）"));
        }
    }

    /// <summary>The applicant an agent or clerk entered, as the case keeps it (numbers normalised, spaces trimmed).</summary>
    public static ApplicantInfo ToInfo(ApplicantInput a) =>
            new()
            {
                Name = a.Name.Trim(),
                IdType = a.IdType,
                IdNumber = a.IdType == ApplicantIdType.ResidentId ? ResidentIdNumber.Normalize(a.IdNumber) : CreditCode.Normalize(a.IdNumber),
                Phone = a.Phone.Trim(),
                Address = a.Address?.Trim(),
                LegalRepresentative = a.LegalRepresentative?.Trim(),
            };

    /// <summary>
    /// The fingerprint of what a filing asks for: matter, applicant (as given by an agent or clerk), the non-empty
    /// form values by key, and whether it is submitted. Spaces around values and the order of keys do not count.
    /// </summary>
    public static string RequestHash(Command command)
    {
        var text = new System.Text.StringBuilder().Append(command.MatterCode.Trim()).Append('\u001f').Append(command.Submit);
        if (command.OnCommitment)
        {
            text.Append('\u001f').Append("commitment"); // appended only when chosen, so the hashes of earlier filings stay the same
        }

        if (command.Applicant is { } a)
        {
            text.Append('\u001f').Append(a.IdType).Append('\u001f').Append(a.IdNumber.Trim().ToUpperInvariant()).Append('\u001f').Append(a.Name.Trim())
                .Append('\u001f').Append(a.Phone.Trim()).Append('\u001f').Append(a.Address?.Trim()).Append('\u001f').Append(a.LegalRepresentative?.Trim());
        }

        foreach (var (key, value) in command.FormData.Where(f => !string.IsNullOrWhiteSpace(f.Value)).OrderBy(f => f.Key.Trim(), StringComparer.Ordinal))
        {
            text.Append('\u001e').Append(key.Trim()).Append('\u001f').Append(value.Trim());
        }

        var answers = (command.Situation ?? []).Where(f => !string.IsNullOrWhiteSpace(f.Value)).OrderBy(f => f.Key.Trim(), StringComparer.Ordinal);
        foreach (var (key, value) in answers)
        {
            text.Append('\u001d').Append(key.Trim()).Append('\u001f').Append(value.Trim());
        }

        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static void CheckSameRequest(IdempotencyRecord seen, Command command)
    {
        if (seen.RequestHash is not null && seen.RequestHash != RequestHash(command))
        {
            throw new CaseInputException(InputProblem.KeyReused, "Idempotency-Key",
                $"幂等键“{seen.Key}”已用于另一次内容不同的申报（{seen.CreatedAt.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm}）。重试同一申报请原样重发；新的申报请使用新的幂等键。");
        }
    }

    /// <summary>Why a conditionally required field is required now, e.g. （领取方式为“邮政寄递”时必填）; empty for an always required one.</summary>
    public static string WhyRequired(Matter matter, FormField field, IReadOnlyDictionary<string, string> data)
    {
        if (field.Required || string.IsNullOrEmpty(field.RequiredWhen))
        {
            return "";
        }

        var other = matter.FormFields.FirstOrDefault(f => f.Key == field.RequiredWhen)?.Label ?? field.RequiredWhen;
        return $"（{other}为“{data.GetValueOrDefault(field.RequiredWhen)?.Trim()}”时必填）";
    }

    /// <summary>Required fields — always, or when their condition holds (<see cref="FormField.RequiredWhen"/>) — must be filled to submit (a
    /// draft may be incomplete); unknown fields are refused; values follow <see cref="FieldRules"/>. A field the situation does not ask
    /// for (<see cref="FormField.When"/>) is not required; to submit, every question the situation asks must be answered with one of its
    /// options (<see cref="Situations.Problems"/>), each problem under <c>situation.key</c> — unless <paramref name="askedElsewhere"/>: a
    /// member of a bundle 一件事 is filed with the bundle's answers, and the bundle asks its own questions.</summary>
    public static void CheckForm(Matter matter, IReadOnlyDictionary<string, string> data, bool submitting, DateOnly today,
        IReadOnlyDictionary<string, string> situation, bool askedElsewhere = false)
    {
        var problems = new List<(string Field, string Message)>();
        var answers = Situations.Normalise(matter.Situations, situation);
        if (submitting && !askedElsewhere)
        {
            problems.AddRange(Situations.Problems(matter.Situations, situation).Select(p => ($"situation.{p.Key}", p.Message)));
        }

        foreach (var key in data.Keys.Where(k => matter.FormFields.All(f => f.Key != k)))
        {
            problems.Add(($"formData.{key}", $"表单没有字段“{key}”"));
        }

        foreach (var field in matter.FormFields)
        {
            var value = data.GetValueOrDefault(field.Key)?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                if (submitting && field.IsRequiredFor(data) && Situations.Holds(field.When, answers))
                {
                    problems.Add(($"formData.{field.Key}", $"请填写“{field.Label}”{WhyRequired(matter, field, data)}"));
                }

                continue;
            }

            var problem = FieldRules.Problem(field.Label, field.Type, value, field.Options, field.MaxLength, today);
            if (problem is not null)
            {
                problems.Add(($"formData.{field.Key}", problem));
            }
        }

        if (problems.Count > 0)
        {
            throw CaseInputException.Invalid(problems);
        }
    }
}
