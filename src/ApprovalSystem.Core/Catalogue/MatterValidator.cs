using System.Text.RegularExpressions;
using ApprovalSystem.Workflows;
using FluentValidation;

namespace ApprovalSystem.Core.Catalogue;

/// <summary>What a matter may refer to: the departments and workflow definitions that exist.</summary>
public sealed record CatalogueReferences(IReadOnlySet<string> DepartmentCodes, IReadOnlySet<string> WorkflowIds);

/// <summary>
/// The rules every matter obeys, wherever it comes from: the seed file, the admin's edit form or
/// an imported workbook. Messages are Chinese because administrators read them.
/// </summary>
public sealed partial class MatterValidator : AbstractValidator<MatterData>
{
    /// <summary>A field prefilled with the answer to one of the matter's guide questions: <c>situation.key</c>.</summary>
    public const string SituationPrefill = "situation.";

    public static readonly IReadOnlyList<string> PrefillSources =
        ["applicant.name", "applicant.idNumber", "applicant.phone", "applicant.address", "applicant.legalRepresentative"];

    public MatterValidator(CatalogueReferences references)
    {
        RuleFor(m => m.Code).NotEmpty().WithMessage("事项编码不能为空")
            .MaximumLength(40).WithMessage("事项编码不能超过40个字符");
        RuleFor(m => m.Name).NotEmpty().WithMessage("事项名称不能为空")
            .MaximumLength(100).WithMessage("事项名称不能超过100个字");
        RuleFor(m => m.Department).NotEmpty().WithMessage("请填写所属部门编码")
            .Must(d => references.DepartmentCodes.Contains(d.Trim())).When(m => !string.IsNullOrWhiteSpace(m.Department), ApplyConditionTo.CurrentValidator)
            .WithMessage(m => $"部门编码“{m.Department}”不存在");
        RuleFor(m => m.Kind).IsInEnum().WithMessage("办件类型无效");
        RuleFor(m => m.LegalLimitDays).InclusiveBetween(1, 365).WithMessage("法定时限应为1至365个工作日");
        RuleFor(m => m.PromisedLimitDays).GreaterThanOrEqualTo(0).WithMessage("承诺时限不能为负数")
            .LessThanOrEqualTo(m => m.LegalLimitDays).WithMessage(m => $"承诺时限（{m.PromisedLimitDays}个工作日）不得超过法定时限（{m.LegalLimitDays}个工作日）");
        RuleFor(m => m.PromisedLimitDays).Equal(0).When(m => m.Kind == MatterKind.Immediate)
            .WithMessage("即办件的承诺时限应为0（当场办结）");
        RuleFor(m => m.Fee).GreaterThanOrEqualTo(0).WithMessage("收费标准不能为负数");
        RuleFor(m => m.FeeBasis).NotEmpty().When(m => m.Fee > 0)
            .WithMessage("收费事项必须写明收费依据（法律法规规定才可收费）");
        RuleFor(m => m.LegalBasis).NotEmpty().WithMessage("请填写设定依据");
        RuleFor(m => m.Workflow).NotEmpty().WithMessage("请填写流程定义")
            .Must(w => references.WorkflowIds.Contains(w.Trim())).When(m => !string.IsNullOrWhiteSpace(m.Workflow), ApplyConditionTo.CurrentValidator)
            .WithMessage(m => $"流程定义“{m.Workflow}”不存在");
        RuleFor(m => m.CertificateType).Must(t => string.IsNullOrWhiteSpace(t) || MatterNames.CertificateTypes.Contains(t.Trim()))
            .WithMessage(m => $"证照类型“{m.CertificateType}”不存在");
        RuleFor(m => m).Must(m => m.WarningDaysLeft is null != m.WarningPercentUsed is null)
            .WithName(nameof(MatterData.WarningDaysLeft))
            .OverridePropertyName(nameof(MatterData.WarningDaysLeft))
            .WithMessage("预警阈值须且只能设置一种：剩余工作日或时限比例");
        RuleFor(m => m.WarningDaysLeft).GreaterThanOrEqualTo(1).When(m => m.WarningDaysLeft is not null, ApplyConditionTo.CurrentValidator)
            .WithMessage("预警剩余工作日至少为1")
            .LessThan(m => m.PromisedLimitDays).When(m => m.WarningDaysLeft is not null && m.PromisedLimitDays > 1, ApplyConditionTo.CurrentValidator)
            .WithMessage("预警剩余工作日应小于承诺时限");
        RuleFor(m => m.WarningPercentUsed).InclusiveBetween(1, 99).When(m => m.WarningPercentUsed is not null)
            .WithMessage("预警时限比例应为1至99");

        RuleFor(m => m.Materials).Must(ms => ms.Any(x => x.Required))
            .WithMessage("至少应有一项必需的申请材料");
        RuleFor(m => m.Materials).Must(ms => ms.Select(x => x.Name.Trim()).Distinct().Count() == ms.Count)
            .WithMessage("申请材料名称不能重复");
        RuleForEach(m => m.Materials).ChildRules(mat =>
        {
            mat.RuleFor(x => x.Name).NotEmpty().WithMessage("材料名称不能为空");
            mat.RuleFor(x => x.Copies).InclusiveBetween(1, 99).WithMessage("材料份数应为1至99");
            mat.RuleFor(x => x.Form).IsInEnum().WithMessage("材料形式无效");
        });

        RuleFor(m => m).Custom((m, ctx) =>
        {
            foreach (var problem in SituationProblems(m))
            {
                ctx.AddFailure(nameof(MatterData.Situations), problem);
            }
        });

        RuleFor(m => m.FormFields).Must(fs => fs.Select(x => x.Key.Trim()).Distinct().Count() == fs.Count)
            .WithMessage("表单字段键不能重复");
        RuleForEach(m => m.FormFields).ChildRules(field =>
        {
            field.RuleFor(x => x.Key).Must(k => FieldKey().IsMatch(k ?? ""))
                .WithMessage(x => $"字段键“{x.Key}”应以小写字母开头，只含字母和数字");
            field.RuleFor(x => x.Label).NotEmpty().WithMessage("字段名称不能为空");
            field.RuleFor(x => x.Type).IsInEnum().WithMessage("字段类型无效");
            field.RuleFor(x => x.Options).Must(o => o is { Count: > 0 }).When(x => x.Type == FieldKind.Select)
                .WithMessage(x => $"选择字段“{x.Label}”须列出选项");
            field.RuleFor(x => x.MaxLength).GreaterThanOrEqualTo(1).When(x => x.MaxLength is not null)
                .WithMessage(x => $"字段“{x.Label}”的最长字数应至少为1");
            field.RuleFor(x => x.MaxLength).Null().When(x => x.Type is not (FieldKind.Text or FieldKind.Textarea))
                .WithMessage(x => $"只有文本字段可以设最长字数（“{x.Label}”是{MatterNames.FieldType(x.Type)}）");
            field.RuleFor(x => x.Prefill).Must(p => string.IsNullOrWhiteSpace(p) || PrefillSources.Contains(p.Trim())
                    || p.Trim().StartsWith(SituationPrefill, StringComparison.Ordinal))
                .WithMessage(x => $"预填来源“{x.Prefill}”无效");
            field.RuleFor(x => x.Required).Equal(false).When(x => !string.IsNullOrWhiteSpace(x.RequiredWhen))
                .WithMessage(x => $"字段“{x.Label}”已设必填条件，不能再勾选“必填”（条件成立时自动必填）");
        });
        RuleForEach(m => m.FormFields).Custom((f, ctx) =>
        {
            // A field filled from a guide answer (situation.key): the question exists, and a select offers every answer it can give.
            if (f.Prefill?.Trim() is { } source && source.StartsWith(SituationPrefill, StringComparison.Ordinal))
            {
                var question = ctx.InstanceToValidate.Situations.FirstOrDefault(q => q.Key.Trim() == source[SituationPrefill.Length..]);
                if (question is null)
                {
                    ctx.AddFailure("Prefill", $"字段“{f.Label}”的预填来源“{source}”不是本事项的情形问题");
                }
                else if (f.Type == FieldKind.Select && question.Options.FirstOrDefault(o => f.Options?.Contains(o.Trim()) != true) is { } missing)
                {
                    ctx.AddFailure("Prefill", $"字段“{f.Label}”没有选项“{missing}”，不能由情形问题“{question.Text}”预填");
                }
            }

            if (string.IsNullOrWhiteSpace(f.RequiredWhen))
            {
                return;
            }

            var fields = ctx.InstanceToValidate.FormFields; // a failure's name is relative: FluentValidation prefixes FormFields[i]
            var other = fields.FirstOrDefault(o => o.Key.Trim() == f.RequiredWhen.Trim());
            if (other is null || ReferenceEquals(other, f))
            {
                ctx.AddFailure("RequiredWhen", $"字段“{f.Label}”的必填条件应引用本表单的另一个字段，“{f.RequiredWhen}”不存在");
            }
            else if (other.Type == FieldKind.Select && f.RequiredWhenValues?.FirstOrDefault(v => other.Options?.Contains(v.Trim()) != true) is { } bad)
            {
                ctx.AddFailure("RequiredWhenValues", $"字段“{f.Label}”的必填条件取值“{bad}”不是“{other.Label}”的选项");
            }
        });
        RuleFor(m => m).Custom((m, ctx) =>
        {
            foreach (var problem in CommitmentProblems(m))
            {
                ctx.AddFailure(nameof(MatterData.Commitment), problem);
            }
        });
    }

    /// <summary>
    /// 告知承诺制 (decision 0060): the text names the duty, the proof and the liability; the replaced materials are the matter's own and
    /// leave at least one required material (the application itself); the verification limit is 1 to 60 working days.
    /// </summary>
    public static IEnumerable<string> CommitmentProblems(MatterData m)
    {
        if (m.Commitment is not { } terms)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(terms.Duty) || string.IsNullOrWhiteSpace(terms.Proof) || string.IsNullOrWhiteSpace(terms.Liability))
        {
            yield return "告知承诺书须写明承诺事项、证明内容和虚假承诺的责任";
        }

        if (terms.VerificationDays is < 1 or > 60)
        {
            yield return "告知承诺的核查时限应为1至60个工作日";
        }

        if (terms.Replaces.Count == 0)
        {
            yield return "请列出告知承诺代替的申请材料";
        }

        foreach (var name in terms.Replaces.Where(r => m.Materials.All(x => x.Name.Trim() != r.Trim())))
        {
            yield return $"告知承诺代替的材料“{name}”不在本事项的材料清单中";
        }

        if (!m.Materials.Any(x => x.Required && !terms.Replaces.Any(r => r.Trim() == x.Name.Trim())))
        {
            yield return "告知承诺不能代替全部必需材料（至少保留申请书）";
        }
    }

    [GeneratedRegex("^[a-z][A-Za-z0-9]*$")]
    private static partial Regex FieldKey();

    /// <summary>The guide's questions and the conditions of the materials and fields that name them (<see cref="Situations.Check"/>).</summary>
    private static IReadOnlyList<string> SituationProblems(MatterData m) => Situations.Check(m.Situations,
        m.Materials.Select(x => ($"材料“{x.Name}”", x.When)).Concat(m.FormFields.Select(x => ($"字段“{x.Label}”", x.When))));
}
