using ApprovalSystem.Core.Supervision;

namespace ApprovalSystem.Web.Data;

/// <summary>
/// A card raised on a case's promised clock or on one entry of a step. <see cref="SubjectKey"/> plus
/// <see cref="Kind"/> is unique, so every scan — repeated, late, or on two nodes at once — raises
/// each card once. A card leaves the active list when its item concludes; the row stays.
/// </summary>
public class CardRecord
{
    public long Id { get; set; }

    /// <summary>The <see cref="CardSubject"/> as text: "case:42" or "case:42/step:wi-7" — a returned and re-entered step is a new work item, so a new subject.</summary>
    public string SubjectKey { get; set; } = "";

    public CardKind Kind { get; set; }

    public long CaseId { get; set; }

    public string CaseNumber { get; set; } = "";

    public string MatterName { get; set; } = "";

    /// <summary>The step's work item, null for the case's own clock.</summary>
    public string? WorkItemId { get; set; }

    public string? StepTitle { get; set; }

    public string Department { get; set; } = "";

    public string? OfficerId { get; set; }

    public string? OfficerName { get; set; }

    /// <summary>The warning or due moment that was crossed.</summary>
    public DateTimeOffset Moment { get; set; }

    public DateTimeOffset RaisedAt { get; set; }

    /// <summary>When the item concluded and the card left the active list.</summary>
    public DateTimeOffset? ClosedAt { get; set; }

    public static string CaseKey(long caseId) => new CardSubject(caseId).ToString();

    public static string StepKey(long caseId, string workItemId) => new CardSubject(caseId, workItemId).ToString();

    public static string KindName(CardKind kind) => kind == CardKind.Yellow ? "黄牌" : "红牌";
}

/// <summary>A process-supervision alert 流程监察预警 with its evidence; raised once per key.</summary>
public class SupervisionAlertRecord
{
    public long Id { get; set; }

    /// <summary>Rule + case + item: the same finding is never raised twice.</summary>
    public string Key { get; set; } = "";

    public string Rule { get; set; } = "";

    public long? CaseId { get; set; }

    public string? CaseNumber { get; set; }

    public string Department { get; set; } = "";

    public string Message { get; set; } = "";

    /// <summary>The evidence as "name: value" lines.</summary>
    public string Evidence { get; set; } = "";

    public DateTimeOffset RaisedAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    public string? ResolvedBy { get; set; }

    public string? Resolution { get; set; }
}

/// <summary>Where the last scan stopped: the moment scanned up to and the journal sequence read.</summary>
public class SupervisionScanState
{
    public int Id { get; set; }

    public DateTimeOffset? ScannedUntil { get; set; }

    public long JournalSequence { get; set; }

    public int Version { get; set; }
}
