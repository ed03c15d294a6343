namespace ApprovalSystem.Web.Infrastructure;

/// <summary>
/// Two moments inside a case act (<see cref="CaseStore"/>) where a test harness may hold the act. The county-year
/// simulation (tests/ApprovalSystem.Simulation, decision 0013) holds one act after its read while a second act on the
/// same case runs to its end, in an order its seed decides, and abandons an act before its commit. The application
/// registers no probe: both calls are then skipped.
/// </summary>
public interface ICaseActProbe
{
    /// <summary>The act has read the case it acts on (for a new case: it is about to start); nothing is written or locked yet.</summary>
    ValueTask ReadAsync(CancellationToken ct);

    /// <summary>The act's rows are written inside its transaction; the commit is next.</summary>
    ValueTask BeforeCommitAsync(CancellationToken ct);
}
