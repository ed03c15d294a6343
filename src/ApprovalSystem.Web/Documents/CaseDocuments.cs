using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;

namespace ApprovalSystem.Web.Documents;

/// <summary>The notices the service hall prints for a case (the rest of issue 5 — decisions, forms, certificates — builds on this).</summary>
public enum CaseDocumentKind
{
    /// <summary>受理回执: case number, query code, materials received.</summary>
    Receipt,

    /// <summary>受理通知书.</summary>
    AcceptanceNotice,

    /// <summary>补正材料通知书 (one-time notice of everything missing).</summary>
    SupplementNotice,

    /// <summary>不予受理通知书 (reason and remedies).</summary>
    NonAcceptanceNotice,

    /// <summary>准予行政许可决定书.</summary>
    ApprovalDecision,

    /// <summary>不予行政许可决定书 (reasons, right to administrative review or litigation).</summary>
    DenialDecision,

    /// <summary>The certificate 证照 itself, with its QR verification code.</summary>
    Certificate,

    /// <summary>特别程序告知书: hearing, inspection, expert review… whose time does not count.</summary>
    SpecialProcedureNotice,

    /// <summary>延期办理告知书: the approved extension of the limit and its reason.</summary>
    ExtensionNotice,

    /// <summary>申请表 (表单打印): the matter's form with the case's data, the applicant and the materials.</summary>
    ApplicationForm,

    /// <summary>告知承诺书: the commitment the applicant signed, with the name and time of the signature (decision 0060).</summary>
    CommitmentLetter,

    /// <summary>撤销行政许可决定书: the approval on commitment revoked after a failed verification, with the legal remedies.</summary>
    RevocationDecision,
}

public static class CaseDocuments
{
    public static string Title(CaseDocumentKind kind) => kind switch
    {
        CaseDocumentKind.Receipt => "受理回执",
        CaseDocumentKind.AcceptanceNotice => "受理通知书",
        CaseDocumentKind.SupplementNotice => "补正材料通知书",
        CaseDocumentKind.NonAcceptanceNotice => "不予受理通知书",
        CaseDocumentKind.ApprovalDecision => "准予行政许可决定书",
        CaseDocumentKind.DenialDecision => "不予行政许可决定书",
        CaseDocumentKind.Certificate => "证照",
        CaseDocumentKind.SpecialProcedureNotice => "特别程序告知书",
        CaseDocumentKind.ExtensionNotice => "延期办理告知书",
        CaseDocumentKind.ApplicationForm => "申请表",
        CaseDocumentKind.CommitmentLetter => "告知承诺书",
        CaseDocumentKind.RevocationDecision => "撤销行政许可决定书",
    };

    /// <summary>The notices that exist for a case in its current state.</summary>
    public static IEnumerable<CaseDocumentKind> Available(Case c)
    {
        if (c.Number is not null && c.SubmittedAt is not null)
        {
            yield return CaseDocumentKind.Receipt;
            yield return CaseDocumentKind.ApplicationForm;
        }

        if (c.AcceptedAt is not null)
        {
            yield return CaseDocumentKind.AcceptanceNotice;
        }

        if (c.SupplementRequestedAt is not null)
        {
            yield return CaseDocumentKind.SupplementNotice;
        }

        if (c.State == CaseState.NotAccepted || (c.RefusalReason is not null))
        {
            yield return CaseDocumentKind.NonAcceptanceNotice;
        }

        var result = c.DecidedAt is not null && c.WorkflowState is not null ? c.Instance().Result : null;
        if (result == ApprovalSystem.Workflows.WorkflowResult.Approved)
        {
            yield return CaseDocumentKind.ApprovalDecision;
        }

        if (result == ApprovalSystem.Workflows.WorkflowResult.Denied)
        {
            yield return CaseDocumentKind.DenialDecision;
        }

        if (c.SpecialProcedures.Count > 0)
        {
            yield return CaseDocumentKind.SpecialProcedureNotice;
        }

        if (c.Extensions.Any(e => e.Approved == true))
        {
            yield return CaseDocumentKind.ExtensionNotice;
        }

        if (c.CertificateNumber is not null)
        {
            yield return CaseDocumentKind.Certificate;
        }

        if (c.Commitment is not null && c.SubmittedAt is not null)
        {
            yield return CaseDocumentKind.CommitmentLetter;
        }

        if (c.VerificationResult is { Truthful: false })
        {
            yield return CaseDocumentKind.RevocationDecision;
        }
    }

    /// <param name="fieldLabels">The matter's form fields (key → label) in the catalogue's order, for the form printout.</param>
    /// <param name="fieldUnits">The units of the matter's form fields that have one (key → unit), printed after their values.</param>
    public static DocumentContent Build(CaseDocumentKind kind, Case c, string centreName, string departmentName, string publicBaseUrl = "",
        IReadOnlyDictionary<string, string>? fieldLabels = null, IReadOnlyDictionary<string, string>? fieldUnits = null)
    {
        // The department's documents are signed with its own certificate when it has one (decision 0052); the centre's with the centre's.
        var content = Compose(kind, c, centreName, departmentName, publicBaseUrl, fieldLabels, fieldUnits);
        return content.Authority == departmentName && departmentName != centreName ? content with { IssuerCode = c.LeadDepartment } : content;
    }

    private static DocumentContent Compose(CaseDocumentKind kind, Case c, string centreName, string departmentName, string publicBaseUrl,
        IReadOnlyDictionary<string, string>? fieldLabels, IReadOnlyDictionary<string, string>? fieldUnits)
    {
        if (kind == CaseDocumentKind.Certificate)
        {
            return CertificateTypes.Build(c, departmentName, publicBaseUrl, fieldUnits);
        }

        if (kind == CaseDocumentKind.ApplicationForm)
        {
            return ApplicationForm(c, centreName, fieldLabels ?? new Dictionary<string, string>(), fieldUnits ?? new Dictionary<string, string>());
        }

        var idLabel = c.Applicant.IdType == ApplicantIdType.ResidentId ? "身份证号码" : "统一社会信用代码";
        var applicant = $"{c.Applicant.Name}（{idLabel} {Masking.IdNumber(c.Applicant.IdNumber)}）";
        var number = $"{c.Number}";
        return kind switch
        {
            CaseDocumentKind.Receipt => new DocumentContent(
                "受理回执", $"编号：{number}",
                [
                    ("办件编号", number), ("查询码", c.QueryCode ?? ""), ("申请事项", c.MatterName), ("申请人", applicant),
                    ("提交时间", Local(c.SubmittedAt)),
                    ("已收材料", string.Join("、", c.Materials.Where(m => m.Received).Select(m => m.Name)) is { Length: > 0 } received ? received : "（待窗口核对）"),
                ],
                [$"您的申请已收到。窗口将在5个工作日内审核；材料不齐全或不符合法定形式的，将一次性告知需要补正的全部内容。凭办件编号和查询码可在{centreName}网站“办件查询”查看办理进度。"],
                centreName, LocalDate(c.SubmittedAt)),
            CaseDocumentKind.AcceptanceNotice => new DocumentContent(
                "受理通知书", $"编号：{number}",
                [("申请人", applicant), ("申请事项", c.MatterName), ("受理时间", Local(c.AcceptedAt)), ("承诺办结期限", DueDate(c.Promised.DueAt)),
                    ("法定办结期限", DueDate(c.Legal.DueAt))],
                [$"{c.Applicant.Name}：你（单位）提出的“{c.MatterName}”申请，申请材料齐全、符合法定形式，根据《中华人民共和国行政许可法》第三十二条的规定，决定予以受理。"
                    + "本机关将在承诺期限内作出决定；依法需要听证、检验、检测、鉴定、专家评审的，所需时间不计入期限，届时另行书面告知。"],
                departmentName, LocalDate(c.AcceptedAt)),
            CaseDocumentKind.SupplementNotice => new DocumentContent(
                "补正材料通知书", $"编号：{number}",
                [("申请人", applicant), ("申请事项", c.MatterName), ("告知时间", Local(c.SupplementRequestedAt))],
                [
                    $"{c.Applicant.Name}：你（单位）提出的“{c.MatterName}”申请，申请材料不齐全或不符合法定形式。根据《中华人民共和国行政许可法》第三十二条的规定，现一次性告知需要补正的全部内容如下：",
                    .. c.SupplementItems.Select((item, i) => $"{i + 1}. {item}"),
                    "请补正后重新提交。补正材料齐全、符合法定形式的，本机关将予以受理。",
                ],
                centreName, LocalDate(c.SupplementRequestedAt)),
            CaseDocumentKind.NonAcceptanceNotice => new DocumentContent(
                "不予受理通知书", $"编号：{number}",
                [("申请人", applicant), ("申请事项", c.MatterName), ("决定时间", Local(c.ConcludedAt))],
                [
                    $"{c.Applicant.Name}：你（单位）提出的“{c.MatterName}”申请，经审查，决定不予受理。理由：{c.RefusalReason}",
                    "如不服本决定，可以自收到本通知书之日起六十日内依法申请行政复议，或者自收到之日起六个月内依法向人民法院提起行政诉讼。",
                ],
                departmentName, LocalDate(c.ConcludedAt)),
            CaseDocumentKind.ApprovalDecision => new DocumentContent(
                "准予行政许可决定书", $"编号：{number}",
                [("申请人", applicant), ("许可事项", c.MatterName), ("决定时间", Local(c.DecidedAt))],
                [
                    $"{c.Applicant.Name}：你（单位）于{Local(c.SubmittedAt)}提出的“{c.MatterName}”申请，本机关于{Local(c.AcceptedAt)}受理。"
                        + "经审查，申请符合法定条件、标准，根据《中华人民共和国行政许可法》第三十八条第一款的规定，决定准予行政许可。",
                    c.CertificateType is null ? "本决定书即为办理结果，请妥善保管。" : "相关证照将在本决定作出之日起十个工作日内颁发，请凭受理回执到窗口领取或选择邮寄送达。",
                ],
                departmentName, LocalDate(c.DecidedAt)),
            CaseDocumentKind.DenialDecision => new DocumentContent(
                "不予行政许可决定书", $"编号：{number}",
                [("申请人", applicant), ("申请事项", c.MatterName), ("决定时间", Local(c.DecidedAt))],
                [
                    $"{c.Applicant.Name}：你（单位）提出的“{c.MatterName}”申请，本机关于{Local(c.AcceptedAt)}受理。经审查，决定不予行政许可。理由：{c.DecisionOpinion}",
                    "根据《中华人民共和国行政许可法》第三十八条第二款的规定，如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者自收到之日起六个月内依法向人民法院提起行政诉讼。",
                ],
                departmentName, LocalDate(c.DecidedAt)),
            CaseDocumentKind.SpecialProcedureNotice when c.SpecialProcedures.LastOrDefault() is { } p => new DocumentContent(
                "特别程序告知书", $"编号：{number}",
                [
                    ("申请人", applicant), ("申请事项", c.MatterName), ("特别程序", p.Kind), ("启动时间", Local(p.StartedAt)),
                    ("结束时间", p.EndedAt is { } ended ? Local(ended) : "（进行中，结束后恢复计时）"),
                ],
                [
                    $"{c.Applicant.Name}：你（单位）提出的“{c.MatterName}”申请，本机关于{Local(c.AcceptedAt)}受理。因{p.Reason}，需要进行{p.Kind}。",
                    "根据《中华人民共和国行政许可法》第四十五条的规定，行政机关作出行政许可决定，依法需要听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审的，所需时间不计算在办理期限内。特别程序结束后，办理期限自下一个工作日起继续计算。",
                ],
                departmentName, LocalDate(p.StartedAt)),
            CaseDocumentKind.ExtensionNotice when c.Extensions.LastOrDefault(e => e.Approved == true) is { } e => new DocumentContent(
                "延期办理告知书", $"编号：{number}",
                [
                    ("申请人", applicant), ("申请事项", c.MatterName), ("延长期限", $"{e.Days}个工作日"), ("批准时间", Local(e.AnsweredAt)),
                    ("延长后法定办结期限", DueDate(c.Legal.DueAt)),
                ],
                [
                    $"{c.Applicant.Name}：你（单位）提出的“{c.MatterName}”申请，本机关于{Local(c.AcceptedAt)}受理。因{e.Reason}，不能在法定期限内作出决定。",
                    $"根据《中华人民共和国行政许可法》第四十二条的规定，经本机关负责人批准，办理期限延长{e.Days}个工作日，特此告知。",
                ],
                departmentName, LocalDate(e.AnsweredAt)),
            CaseDocumentKind.CommitmentLetter when c.Commitment is { } p => new DocumentContent(
                "告知承诺书", $"编号：{number}",
                [
                    ("申请人", applicant), ("申请事项", c.MatterName), ("承诺事项", p.Duty), ("证明内容", p.Proof),
                    ("以承诺代替的材料", string.Join("、", p.Replaces)), ("核查时限", $"准予许可后{p.VerificationDays}个工作日内"),
                    ("签署", $"{p.SignedBy}（本人登录确认）　{Local(p.SignedAt)}"),
                ],
                [
                    $"{departmentName}告知：依据国办发〔2020〕42号，本事项可以书面承诺代替上列材料，本机关将在准予许可后{p.VerificationDays}个工作日内核查。",
                    $"申请人承诺：已知晓上述告知内容，符合承诺事项所列条件，所述属实。{p.Liability}",
                ],
                departmentName, LocalDate(p.SignedAt)),
            CaseDocumentKind.RevocationDecision when c.VerificationResult is { Truthful: false } v => new DocumentContent(
                "撤销行政许可决定书", $"编号：{number}",
                [
                    ("申请人", applicant), ("许可事项", c.MatterName), ("准予许可时间", Local(c.DecidedAt)),
                    ("证照编号", c.CertificateNumber ?? "（未发证）"), ("决定时间", Local(v.VerifiedAt)),
                ],
                [
                    $"{c.Applicant.Name}：你（单位）以告知承诺方式申请的“{c.MatterName}”，本机关于{Local(c.DecidedAt)}准予许可。经核查，承诺内容不实：{v.Findings}",
                    "根据《中华人民共和国行政许可法》第六十九条第二款的规定，决定撤销该行政许可"
                        + (c.CertificateNumber is null ? "。" : $"，证照（编号{c.CertificateNumber}）即时失效。") + "虚假承诺已记入信用记录，信用修复前不再适用告知承诺。",
                    "如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者自收到之日起六个月内依法向人民法院提起行政诉讼。",
                ],
                departmentName, LocalDate(v.VerifiedAt)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "the case has no such document"),
        };
    }

    /// <summary>The application form printout 申请表: the matter's fields in the catalogue's order with the case's data.</summary>
    private static DocumentContent ApplicationForm(Case c, string centreName, IReadOnlyDictionary<string, string> labels,
        IReadOnlyDictionary<string, string> units)
    {
        static bool IsIdentifier(string key) => key.Contains("IdNumber", StringComparison.OrdinalIgnoreCase) || key.EndsWith("Id", StringComparison.Ordinal);
        var known = labels.Where(l => c.FormData.ContainsKey(l.Key)).Select(l => (l.Value, c.FormData[l.Key], l.Key));
        var other = c.FormData.Where(kv => !labels.ContainsKey(kv.Key)).Select(kv => (kv.Key, kv.Value, kv.Key));
        return new DocumentContent(
            "申请表", $"{c.MatterName}　办件编号：{c.Number}",
            [
                ("申请事项", c.MatterName),
                ("申请人", c.Applicant.Name),
                (c.Applicant.IdType == ApplicantIdType.ResidentId ? "身份证号码" : "统一社会信用代码", c.Applicant.IdType == ApplicantIdType.ResidentId
                    ? Masking.IdNumber(c.Applicant.IdNumber) : c.Applicant.IdNumber),
                ("申报渠道", CaseLifecycle.Channel(c.Channel)),
                .. known.Concat(other).Select(f => (f.Item1, IsIdentifier(f.Item3) ? Masking.IdNumber(f.Item2)
                    : CertificateTypes.WithUnit(f.Item2, units.GetValueOrDefault(f.Item3)))),
                ("申请材料", c.Materials.Count == 0 ? "（无）"
                    : string.Join("；", c.Materials.Select((m, i) => $"{i + 1}. {m.Name}（{(m.Received ? "已收" : m.FileName is not null ? "已上传" : "未提交")}）"))),
            ],
            ["本人（单位）承诺：所填写的内容和提交的申请材料真实、合法、有效，如有虚假，愿承担相应的法律责任。", $"受理机构：{centreName}"],
            $"申请人（签字或盖章）：{c.Applicant.Name}",
            LocalDate(c.SubmittedAt));
    }

    private static string Local(DateTimeOffset? t) => t?.ToOffset(WorkingTime.ChinaOffset)
        .ToString("yyyy年M月d日 HH:mm", System.Globalization.CultureInfo.InvariantCulture) ?? "";

    private static string DueDate(DateTimeOffset? t) => t?.ToOffset(WorkingTime.ChinaOffset).AddSeconds(-1)
        .ToString("yyyy年M月d日", System.Globalization.CultureInfo.InvariantCulture) ?? "";

    private static DateOnly LocalDate(DateTimeOffset? t) => t is { } v ? WorkingTime.LocalDate(v) : DateOnly.MinValue;
}
