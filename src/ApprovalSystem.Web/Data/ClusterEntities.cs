namespace ApprovalSystem.Web.Data;

/// <summary>
/// A message between nodes where the database has no LISTEN/NOTIFY (SQL Server): a row of a change table that every node
/// polls (<see cref="Infrastructure.Cluster.PollingClusterEvents"/>). Ids and cache keys only, never personal data; rows
/// older than a few minutes are deleted.
/// </summary>
public class ClusterEvent
{
    public long Id { get; set; }

    /// <summary>"node|topic|payload", as <see cref="Infrastructure.Cluster.ClusterEventsBase"/> encodes it.</summary>
    public string Message { get; set; } = "";

    public DateTimeOffset At { get; set; }
}
