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
    };

    /// <summary>The notices that exist for a case in its current state.</summary>
    public static IEnumerable<CaseDocumentKind> Available(Case c)
    {
        if (c.Number is not null && c.SubmittedAt is not null)
        {
            yield return CaseDocumentKind.Receipt;
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

        if (c.CertificateNumber is not null)
        {
            yield return CaseDocumentKind.Certificate;
        }
    }

    public static DocumentContent Build(CaseDocumentKind kind, Case c, string centreName, string departmentName, string publicBaseUrl = "", IReadOnlyDictionary<string, string>? fieldLabels = null)
    {
        if (kind == CaseDocumentKind.Certificate)
        {
            return Certificates.Build(c, departmentName, publicBaseUrl, fieldLabels);
        }

        var applicant = $"{c.Applicant.Name}（{(c.Applicant.IdType == ApplicantIdType.ResidentId ? "身份证号码" : "统一社会信用代码")} {Masking.IdNumber(c.Applicant.IdNumber)}）";
        var number = $"{c.Number}";
        return kind switch
        {
            CaseDocumentKind.Receipt => new DocumentContent(
                "受理回执", $"编号：{number}",
                [
                    ("办件编号", number), ("查询码", c.QueryCode ?? ""), ("申请事项", c.MatterName), ("申请人", applicant),
                    ("提交时间", Local(c.SubmittedAt)), ("已收材料", string.Join("、", c.Materials.Where(m => m.Received).Select(m => m.Name)) is { Length: > 0 } received ? received : "（待窗口核对）"),
                ],
                [$"您的申请已收到。窗口将在5个工作日内审核；材料不齐全或不符合法定形式的，将一次性告知需要补正的全部内容。凭办件编号和查询码可在{centreName}网站“办件查询”查看办理进度。"],
                centreName, LocalDate(c.SubmittedAt)),
            CaseDocumentKind.AcceptanceNotice => new DocumentContent(
                "受理通知书", $"编号：{number}",
                [("申请人", applicant), ("申请事项", c.MatterName), ("受理时间", Local(c.AcceptedAt)), ("承诺办结期限", DueDate(c.Promised.DueAt)), ("法定办结期限", DueDate(c.Legal.DueAt))],
                [$"{c.Applicant.Name}：你（单位）提出的“{c.MatterName}”申请，申请材料齐全、符合法定形式，根据《中华人民共和国行政许可法》第三十二条的规定，决定予以受理。本机关将在承诺期限内作出决定；依法需要听证、检验、检测、鉴定、专家评审的，所需时间不计入期限，届时另行书面告知。"],
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
                    $"{c.Applicant.Name}：你（单位）于{Local(c.SubmittedAt)}提出的“{c.MatterName}”申请，本机关于{Local(c.AcceptedAt)}受理。经审查，申请符合法定条件、标准，根据《中华人民共和国行政许可法》第三十八条第一款的规定，决定准予行政许可。",
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
            CaseDocumentKind.Certificate => Certificates.Build(c, departmentName, publicBaseUrl),
        };
    }

    private static string Local(DateTimeOffset? t) => t?.ToOffset(WorkingTime.ChinaOffset).ToString("yyyy年M月d日 HH:mm", System.Globalization.CultureInfo.InvariantCulture) ?? "";

    private static string DueDate(DateTimeOffset? t) => t?.ToOffset(WorkingTime.ChinaOffset).AddSeconds(-1).ToString("yyyy年M月d日", System.Globalization.CultureInfo.InvariantCulture) ?? "";

    private static DateOnly LocalDate(DateTimeOffset? t) => t is { } v ? WorkingTime.LocalDate(v) : DateOnly.MinValue;
}
