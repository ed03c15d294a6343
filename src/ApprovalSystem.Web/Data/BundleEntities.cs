namespace ApprovalSystem.Web.Data;

/// <summary>A member case's reference to its bundle case 一件事 (decision 0054): one row per member, keyed by the case.</summary>
public class BundleMemberLink
{
    public long CaseId { get; set; }

    public long BundleCaseId { get; set; }
}

/// <summary>A row of a bundle case's journal: every act on the bundle, who, when, with what (the members' acts are in the case journal).</summary>
public class BundleJournalEntry
{
    public long Id { get; set; }

    public long BundleCaseId { get; set; }

    public DateTimeOffset At { get; set; }

    public string ActorId { get; set; } = "";

    public string ActorName { get; set; } = "";

    public string Role { get; set; } = "";

    public string Action { get; set; } = "";

    public string FromState { get; set; } = "";

    public string ToState { get; set; } = "";

    public string? Opinion { get; set; }

    /// <summary>The data the act changed, as JSON.</summary>
    public string Data { get; set; } = "{}";
}
