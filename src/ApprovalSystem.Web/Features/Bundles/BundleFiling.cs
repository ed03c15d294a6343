using ApprovalSystem.Core.Bundles;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Forms;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Cases.Filing;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Workflows;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Bundles;

/// <summary>
/// File a bundle 一件事: one application — the answers to the guide, one merged form — makes one bundle case with its own number and
/// query code and one ordinary member case per selected matter, each with its form mapped from the merged form, its checklist from
/// its matter and the answers, its own number. A member that waits for another is numbered now and filed when it starts.
/// </summary>
public static class FileBundle
{
    public sealed class Command
    {
        public string BundleCode { get; set; } = "";

        /// <summary>The resident or enterprise an agent or clerk files for (applicants file as themselves).</summary>
        public FileCase.ApplicantInput? Applicant { get; set; }

        /// <summary>The answers to the bundle's questions 情形 (key → answer).</summary>
        public Dictionary<string, string> Answers { get; set; } = [];

        /// <summary>The merged form (merged field key → value).</summary>
        public Dictionary<string, string> FormData { get; set; } = [];

        /// <summary>False keeps a draft (materials are uploaded to it, then it is submitted).</summary>
        public bool Submit { get; set; } = true;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(c => c.BundleCode).NotEmpty().WithMessage("请选择要办理的一件事").Text(40, "一件事编码"); // no control characters either
            RuleFor(c => c.Answers).NotNull().WithMessage("请回答情形问题");
            RuleFor(c => c.FormData).NotNull().WithMessage("请填写申请表")
                .Custom((data, ctx) => FileCase.FormValues(data, ctx.AddFailure));
            RuleFor(c => c.Applicant!).SetValidator(new FileCase.ApplicantValidator(clock)).When(c => c.Applicant is not null);
        }
    }

    public sealed class Handler(CaseStore store, Validator validator, UserManager<ApplicationUser> users)
    {
        public async Task<BundleCase> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            var applicant = await ApplicantAsync(command, actor);
            BundleCase bundle = null!;
            await BundleStore.QuietlyAsync(() => store.CreateManyAsync(
                async ctx =>
                {
                    var entity = await ctx.Db.Bundles.AsNoTracking().FirstOrDefaultAsync(b => b.Code == command.BundleCode.Trim(), ct)
                        ?? throw new CaseInputException(InputProblem.Invalid, "bundleCode", $"一件事“{command.BundleCode}”不存在，请核对编码（可通过 GET /api/bundles 查询）");
                    var def = entity.Definition;
                    if (command.Submit && Situations.Problems(def.Situations, command.Answers) is { Count: > 0 } unanswered)
                    {
                        throw CaseInputException.Invalid(unanswered.Select(p => ($"answers.{p.Key}", p.Message)));
                    }

                    bundle = BundleCase.Draft(def, applicant, command.Answers, command.FormData, actor, ctx.Now);
                    CheckMergedForm(def, bundle.Answers, bundle.FormData, command.Submit, WorkingTime.LocalDate(ctx.Now));
                    var members = await MembersAsync(ctx.Db, def, bundle.Answers, ct);
                    var cases = new List<Case>();
                    foreach (var (member, matter) in members)
                    {
                        var today = WorkingTime.LocalDate(ctx.Now);
                        var form = def.MemberForm(matter.Code, matter.FormFields, bundle.FormData, f => Prefill(applicant, f, today));
                        CheckMember(def, applicant, member, matter, form, command.Submit, today, bundle.Answers);
                        cases.Add(Case.Draft(MatterSnapshot.From(matter, matter.Department!.Code), applicant, form, actor, ctx.Now, bundle.Answers));
                    }

                    if (command.Submit)
                    {
                        await SubmitAsync(ctx, bundle, cases, [.. members.Select(m => m.Member)], actor, ct);
                    }

                    return cases;
                },
                async (db, cases, ctx) =>
                {
                    var members = await MembersAsync(db, bundle.Definition, bundle.Answers, ct);
                    bundle.AddMembers(members.Select((m, i) => new BundleMemberRef
                    {
                        CaseId = cases[i].Id, MatterCode = m.Matter.Code, MatterName = m.Matter.Name, Department = m.Matter.Department!.Code,
                        After = [.. m.Member.After.Select(a => members.First(x => BundleData.Names(a, x.Matter.Code)).Matter.Code)],
                    }));
                    db.BundleCases.Add(bundle);
                    await db.SaveChangesAsync(ct);
                    db.BundleMemberLinks.AddRange(cases.Select(c => new BundleMemberLink { CaseId = c.Id, BundleCaseId = bundle.Id }));
                    await BundleStore.WriteAsync(db, bundle, 0, ct);
                },
                ct));
            return bundle;
        }

        private async Task<ApplicantInfo> ApplicantAsync(Command command, CaseActor actor)
        {
            if (actor.Is(Roles.Applicant))
            {
                var user = await users.FindByIdAsync(actor.UserId) ?? throw new CaseRuleException("账号不存在");
                var enterprise = user.ApplicantType == ApplicantType.Enterprise;
                return new ApplicantInfo
                {
                    Name = user.DisplayName, IdType = enterprise ? ApplicantIdType.CreditCode : ApplicantIdType.ResidentId,
                    IdNumber = (enterprise ? user.CreditCode : user.IdNumber) ?? "", Phone = user.PhoneNumber ?? "", Address = user.Address,
                    LegalRepresentative = user.LegalRepresentative,
                };
            }

            return FileCase.ToInfo(command.Applicant ?? throw new CaseRuleException("请填写申请人信息（姓名、证件号码、联系电话）"));
        }
    }

    /// <summary>
    /// A member's form as it will be filed: a member that starts now must be complete (one that waits is checked when it starts:
    /// what it lacks now, a credit code, may come from the one before it). Its problems are named with the member's matter.
    /// </summary>
    internal static void CheckMember(BundleData def, ApplicantInfo applicant, BundleMember member, Matter matter, IReadOnlyDictionary<string, string> form,
        bool submitting, DateOnly today, IReadOnlyDictionary<string, string> answers)
    {
        var startsNow = submitting && member.After.Count == 0;
        if (startsNow && applicant.IdType != ApplicantIdType.CreditCode && matter.FormFields.FirstOrDefault(f => f.Required && f.Type == FieldKind.CreditCode
                && string.IsNullOrWhiteSpace(form.GetValueOrDefault(f.Key))) is { } unitCode)
        {
            // The merged form does not ask for it: the member takes the applicant's own code, so a resident cannot file it.
            throw new CaseInputException(InputProblem.Invalid, "applicantType", $"“{def.Name}”须以企业或单位名义申报："
                + $"“{matter.Name}”需要单位的{unitCode.Label}。请选择“企业/单位”并填写统一社会信用代码（网上申报请用单位账号登录）");
        }

        try
        {
            FileCase.CheckForm(matter, form, startsNow, today, answers, askedElsewhere: true);
        }
        catch (CaseInputException e)
        {
            throw CaseInputException.Invalid(e.Errors.SelectMany(x => x.Value.Select(m => ("formData", $"事项“{matter.Name}”：{m}"))));
        }
    }

    /// <summary>Files the bundle and its members: the bundle its own number, each member its case number (a waiting one kept a draft).</summary>
    internal static async Task SubmitAsync(CaseActContext ctx, BundleCase bundle, IReadOnlyList<Case> cases, IReadOnlyList<BundleMember> members,
        CaseActor actor, CancellationToken ct)
    {
        var region = await CaseStore.RegionCodeAsync(ctx.Db, ct);
        var series = $"{region}-{BundleCase.NumberMark}-{WorkingTime.LocalDate(ctx.Now):yyyyMMdd}";
        bundle.Submit($"{series}-{await CaseStore.NextInSeriesAsync(ctx.Db, series, ct):0000}", CaseStore.NewQueryCode(), actor, ctx.Now);
        for (var i = 0; i < cases.Count; i++)
        {
            var number = await CaseStore.NextNumberAsync(ctx.Db, region, ctx.Now, ct);
            if (members[i].After.Count > 0)
            {
                cases[i].NumberWhileWaiting(number, CaseStore.NewQueryCode(), string.Join("、", members[i].After), actor, ctx.Now);
            }
            else
            {
                cases[i].Submit(number, CaseStore.NewQueryCode(), actor, ctx.Now, ctx.Time);
            }
        }
    }

    /// <summary>The selected members with their matters (published, with their departments), in the bundle's order.</summary>
    internal static async Task<List<(BundleMember Member, Matter Matter)>> MembersAsync(AppDbContext db, BundleData def,
        IReadOnlyDictionary<string, string> answers, CancellationToken ct)
    {
        var selected = def.MembersFor(answers);
        // Members name matters by full code or by the part after the region (WJ-019): only those rows are read.
        var region = await CaseStore.RegionCodeAsync(db, ct);
        var codes = selected.SelectMany(m => new[] { m.Matter.Trim(), $"{region}-{m.Matter.Trim()}" }).Distinct().ToList();
        var matters = await db.Matters.AsNoTracking().Include(m => m.Department).Where(m => codes.Contains(m.Code)).ToListAsync(ct);
        var list = new List<(BundleMember, Matter)>();
        foreach (var member in selected)
        {
            var matter = matters.FirstOrDefault(m => BundleData.Names(member.Matter, m.Code))
                ?? throw new CaseRuleException($"“{def.Name}”的成员事项“{member.Matter}”已不在目录中，请联系服务中心");
            if (!matter.IsPublished && !def.Replaces.Contains(matter.Code))
            {
                throw new CaseRuleException($"“{def.Name}”的成员事项“{matter.Name}”暂停受理");
            }

            list.Add((member, matter));
        }

        // A member waits only for members selected in this situation (a restaurant's licence after whichever registration applies).
        return [.. list.Select(x => (new BundleMember { Matter = x.Item1.Matter, Optional = x.Item1.Optional, When = x.Item1.When,
            After = [.. x.Item1.After.Where(a => list.Any(o => BundleData.Names(a, o.Item2.Code)))] }, x.Item2))];
    }

    /// <summary>The merged form's fields in this situation: required ones filled (to submit), values by their rules, no unknown keys.</summary>
    public static void CheckMergedForm(BundleData def, IReadOnlyDictionary<string, string> answers, IReadOnlyDictionary<string, string> data, bool submitting,
        DateOnly today)
    {
        var fields = def.FieldsFor(answers);
        var problems = new List<(string Field, string Message)>();
        foreach (var key in data.Keys.Where(k => fields.All(f => f.Key != k)))
        {
            problems.Add(($"formData.{key}", $"本一件事（按所选情形）的申请表没有字段“{key}”"));
        }

        foreach (var f in fields)
        {
            var value = data.GetValueOrDefault(f.Key)?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                if (submitting && f.IsRequiredFor(data))
                {
                    problems.Add(($"formData.{f.Key}", $"请填写“{f.Label}”"));
                }

                continue;
            }

            if (FieldRules.Problem(f.Label, f.Type, value, f.Options, f.MaxLength, today) is { } problem)
            {
                problems.Add(($"formData.{f.Key}", problem));
            }
        }

        if (problems.Count > 0)
        {
            throw CaseInputException.Invalid(problems);
        }
    }

    /// <summary>The applicant's value for a field's prefill source, when it suits the field (a person's ID number is no credit code).</summary>
    public static string? Prefill(ApplicantInfo a, FormField field, DateOnly today) =>
        Prefill(a, field.Prefill?.Trim() ?? "") is { } value
        && FitsTheApplicant(a, field)
        && FieldRules.Problem(field.Label, field.Type, value, field.Options, field.MaxLength, today) is null
            ? value : null;

    /// <summary>
    /// The applicant's number goes into a credit-code field only for a unit, and into an ID-card field only for a resident: one resident
    /// number in 31 also passes as a credit code, and a member then carried a person's ID as its employer's code.
    /// </summary>
    private static bool FitsTheApplicant(ApplicantInfo a, FormField field) => field.Type switch
    {
        FieldKind.CreditCode => a.IdType == ApplicantIdType.CreditCode,
        FieldKind.IdCard => a.IdType == ApplicantIdType.ResidentId,
        _ => true,
    };

    /// <summary>The applicant's value for a prefill source (<see cref="MatterValidator.PrefillSources"/>).</summary>
    public static string? Prefill(ApplicantInfo a, string source) => source switch
    {
        "applicant.name" => a.Name,
        "applicant.idNumber" => a.IdNumber,
        "applicant.phone" => a.Phone,
        "applicant.address" => a.Address,
        "applicant.legalRepresentative" => a.LegalRepresentative ?? (a.IdType == ApplicantIdType.ResidentId ? a.Name : null),
        _ => null,
    };
}
