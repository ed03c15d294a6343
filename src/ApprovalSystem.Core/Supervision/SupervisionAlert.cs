using System.Globalization;

namespace ApprovalSystem.Core.Supervision;

/// <summary>The kinds of process 流程 and fee 收费 supervision alerts.</summary>
public enum AlertKind
{
    /// <summary>不予受理未说明理由.</summary>
    RefusalWithoutReason,

    /// <summary>不予许可未说明理由.</summary>
    DenialWithoutReason,

    /// <summary>超过5个工作日受理或告知补正.</summary>
    LateAcceptance,

    /// <summary>颠倒程序或跳过环节.</summary>
    StepOutOfOrder,

    /// <summary>申请材料不齐全即受理.</summary>
    AcceptedWithMissingMaterial,

    /// <summary>收费与法定标准不符.</summary>
    FeeMismatch,

    /// <summary>办结后未及时归档.</summary>
    NotArchived,

    /// <summary>体外循环：在条线系统办结而未在本系统办理.</summary>
    HandledOutsideSystem,

    /// <summary>环节超时而办件未超时.</summary>
    StepOverdue,

    /// <summary>自动审批所用规则版本未发布: a 秒批 decided on a rule version that was not the published one at the time.</summary>
    AutoApprovalUnpublishedRules,
}

/// <summary>
/// A typed alert with its evidence. <see cref="Key"/> is (case, rule, item) as text: store alerts with
/// a unique index on it so that each is raised exactly once however often the rules run.
/// </summary>
/// <param name="Item">What the alert is about inside the case (a work item id, "acceptance", "fee"…); part of the key.</param>
/// <param name="Message">The alert text shown to supervisors, in Chinese.</param>
/// <param name="Evidence">The facts the rule saw, as key/value pairs (instants as ISO 8601 UTC).</param>
public sealed record SupervisionAlert(AlertKind Kind, long CaseId, string? WorkItemId, string Item, string Message,
    IReadOnlyDictionary<string, string> Evidence)
{
    public string Key => "case:" + CaseId.ToString(CultureInfo.InvariantCulture) + "/" + SupervisionAlerts.RuleKey(Kind) + "/" + Item;
}

public static class SupervisionAlerts
{
    /// <summary>The stable rule key of an alert kind (stored; never rename).</summary>
    public static string RuleKey(AlertKind kind) => kind switch
    {
        AlertKind.RefusalWithoutReason => "refusal-without-reason",
        AlertKind.DenialWithoutReason => "denial-without-reason",
        AlertKind.LateAcceptance => "late-acceptance",
        AlertKind.StepOutOfOrder => "step-out-of-order",
        AlertKind.AcceptedWithMissingMaterial => "accepted-missing-material",
        AlertKind.FeeMismatch => "fee-mismatch",
        AlertKind.NotArchived => "not-archived",
        AlertKind.HandledOutsideSystem => "handled-outside-system",
        AlertKind.StepOverdue => "step-overdue",
        AlertKind.AutoApprovalUnpublishedRules => "auto-approval-unpublished-rules",
    };

    /// <summary>The kind's name for the supervision pages.</summary>
    public static string Name(AlertKind kind) => kind switch
    {
        AlertKind.RefusalWithoutReason => "不予受理未说明理由",
        AlertKind.DenialWithoutReason => "不予许可未说明理由",
        AlertKind.LateAcceptance => "超期受理",
        AlertKind.StepOutOfOrder => "颠倒程序/跳过环节",
        AlertKind.AcceptedWithMissingMaterial => "材料不全受理",
        AlertKind.FeeMismatch => "违规收费",
        AlertKind.NotArchived => "未及时归档",
        AlertKind.HandledOutsideSystem => "体外循环",
        AlertKind.StepOverdue => "环节超时",
        AlertKind.AutoApprovalUnpublishedRules => "自动审批所用规则版本未发布",
    };

    internal static string Iso(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static string Num(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
