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

    /// <summary>The <see cref="CardSubject"/> as text: "case:42" or "case:42/step:wi-7" — a returned and re-entered step is a new work item, so a new
    /// subject.</summary>
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

/// <summary>
/// The performance indicators' sums and counts of one day, department, matter and officer
/// (<see cref="PerformanceTally"/>), pre-aggregated so any period's statistics are a sum over days.
/// Every event counts on its own day (China time), so the sums are exact; see PerformanceAggregator.
/// </summary>
public class PerformanceDay
{
    public DateOnly Day { get; set; }

    public string Department { get; set; } = "";

    public string MatterCode { get; set; } = "";

    /// <summary>The case's handling officer 承办人 (display name), "" when no officer handled it.</summary>
    public string Officer { get; set; } = "";

    public int Received { get; set; }

    public int Accepted { get; set; }

    public int Concluded { get; set; }

    public int OnTime { get; set; }

    public int Early { get; set; }

    public int Overdue { get; set; }

    public long UsedDays { get; set; }

    public long LegalDays { get; set; }

    public long PromisedDays { get; set; }

    public int YellowCards { get; set; }

    public int RedCards { get; set; }

    public int RepeatedWarnings { get; set; }

    public int Orders { get; set; }

    public int OrdersResponded { get; set; }

    public long ResponseDays { get; set; }

    public int Ratings { get; set; }

    public int GoodRatings { get; set; }

    public int Complaints { get; set; }

    public PerformanceTally ToTally() => new()
    {
        Received = Received, Accepted = Accepted, Concluded = Concluded, OnTime = OnTime, Early = Early, Overdue = Overdue,
        UsedDays = UsedDays, LegalDays = LegalDays, PromisedDays = PromisedDays, YellowCards = YellowCards, RedCards = RedCards,
        RepeatedWarnings = RepeatedWarnings, Orders = Orders, OrdersResponded = OrdersResponded, ResponseDays = ResponseDays,
        Ratings = Ratings, GoodRatings = GoodRatings, Complaints = Complaints,
    };

    public static PerformanceDay From(DateOnly day, string department, string matter, string officer, PerformanceTally t) => new()
    {
        Day = day, Department = department, MatterCode = matter, Officer = officer,
        Received = t.Received, Accepted = t.Accepted, Concluded = t.Concluded, OnTime = t.OnTime, Early = t.Early, Overdue = t.Overdue,
        UsedDays = t.UsedDays, LegalDays = t.LegalDays, PromisedDays = t.PromisedDays, YellowCards = t.YellowCards, RedCards = t.RedCards,
        RepeatedWarnings = t.RepeatedWarnings, Orders = t.Orders, OrdersResponded = t.OrdersResponded, ResponseDays = t.ResponseDays,
        Ratings = t.Ratings, GoodRatings = t.GoodRatings, Complaints = t.Complaints,
    };
}
