namespace ApprovalSystem.Web.Data;

/// <summary>Yellow card 黄牌 (warning moment reached) or red card 红牌 (due moment passed).</summary>
public enum CardKind
{
    Yellow,
    Red,
}

/// <summary>
/// A card raised on a case's promised clock or on one entry of a step. <see cref="SubjectKey"/> plus
/// <see cref="Kind"/> is unique, so every scan — repeated, late, or on two nodes at once — raises
/// each card once. A card leaves the active list when its item concludes; the row stays.
/// </summary>
public class SupervisionCard
{
    public long Id { get; set; }

    /// <summary>"case:{id}" or "step:{caseId}:{workItemId}:{entry}" — a returned and re-entered step is a new subject.</summary>
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

    public static string CaseKey(long caseId) => $"case:{caseId}";

    public static string StepKey(long caseId, string workItemId, int entry) => $"step:{caseId}:{workItemId}:{entry}";

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

public enum OrderState
{
    Open,
    Responded,
    Closed,
}

/// <summary>A supervision order 督办单 from a supervisor to a department, on a case or on the department.</summary>
public class SupervisionOrder
{
    public long Id { get; set; }

    public string Number { get; set; } = "";

    public long? CaseId { get; set; }

    public string? CaseNumber { get; set; }

    public string Department { get; set; } = "";

    public string Instructions { get; set; } = "";

    public string IssuedById { get; set; } = "";

    public string IssuedByName { get; set; } = "";

    public DateTimeOffset IssuedAt { get; set; }

    /// <summary>The department must respond by the end of this day (China time).</summary>
    public DateOnly ResponseDue { get; set; }

    public OrderState State { get; set; }

    public string? Response { get; set; }

    /// <summary>The response's attachments as "sha256|file name" entries separated by new lines.</summary>
    public string? AttachmentIds { get; set; }

    public string? RespondedById { get; set; }

    public string? RespondedByName { get; set; }

    public DateTimeOffset? RespondedAt { get; set; }

    /// <summary>When the unanswered order escalated (a red card and a notice to the supervisors); once.</summary>
    public DateTimeOffset? EscalatedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public string? ClosingNote { get; set; }

    public int Version { get; set; }

    public static string StateName(OrderState s) => s switch
    {
        OrderState.Open => "待回复",
        OrderState.Responded => "已回复",
        OrderState.Closed => "已办结",
        _ => s.ToString(),
    };
}

/// <summary>Where the last scan stopped: the moment scanned up to and the journal sequence read.</summary>
public class SupervisionScanState
{
    public int Id { get; set; }

    public DateTimeOffset? ScannedUntil { get; set; }

    public long JournalSequence { get; set; }

    public int Version { get; set; }
}
