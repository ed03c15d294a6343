namespace ApprovalSystem.Web.Data;

/// <summary>The state of a 秒批 rule version: edited as a draft, run only while published, kept when retired (decision 0059).</summary>
public enum RuleVersionStatus
{
    /// <summary>草稿: being edited; never runs.</summary>
    Draft,

    /// <summary>已发布: the one version of its matter that runs on filing.</summary>
    Published,

    /// <summary>已停用: replaced by a later version (or switched off); kept for the decisions made on it.</summary>
    Retired,
}

/// <summary>
/// One version of a matter's rules of automatic approval 秒批规则 (<see cref="Core.AutoApproval.AutoApprovalRuleSet"/> as JSON). A matter
/// has at most one published version; editing makes a new draft; publishing a draft retires the version it replaces.
/// </summary>
public sealed class AutoApprovalRuleVersion
{
    public int Id { get; set; }

    public string MatterCode { get; set; } = "";

    /// <summary>1, 2, 3… per matter.</summary>
    public int Version { get; set; }

    public RuleVersionStatus Status { get; set; }

    /// <summary>The rule set as JSON (sources and named conditions).</summary>
    public string Rules { get; set; } = "";

    /// <summary>Why this version was made (the editor's note).</summary>
    public string? Note { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset? PublishedAt { get; set; }

    public string? PublishedBy { get; set; }

    public DateTimeOffset? RetiredAt { get; set; }
}

/// <summary>
/// One run of a matter's 秒批 rules on a filing: the version, every condition with the values it read and its result, and whether the
/// case was approved by it. Written in the filing act's transaction, so a decision never exists without its explanation.
/// </summary>
public sealed class AutoApprovalRun
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    public string CaseNumber { get; set; } = "";

    public string MatterCode { get; set; } = "";

    public string MatterName { get; set; } = "";

    public string Department { get; set; } = "";

    public int RuleVersionId { get; set; }

    public int RuleVersion { get; set; }

    /// <summary>Every condition passed and the case was approved automatically.</summary>
    public bool Approved { get; set; }

    /// <summary>The conditions' outcomes as JSON (<see cref="Core.AutoApproval.ConditionOutcome"/> list).</summary>
    public string Conditions { get; set; } = "";

    public DateTimeOffset At { get; set; }
}
