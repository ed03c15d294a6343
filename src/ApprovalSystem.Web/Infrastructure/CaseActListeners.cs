using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>What a case act wrote, as its writers see it inside the act's transaction.</summary>
/// <param name="StepsBefore">The work items open before the act (a step that appeared is news to its department).</param>
/// <param name="Now">The act's moment (the store's clock).</param>
public sealed record CaseActWrite(AppDbContext Db, Case Case, IReadOnlyList<CaseRecord> Records, IReadOnlyCollection<string> StepsBefore, DateTimeOffset Now);

/// <summary>
/// A feature's part in every case act, inside its transaction: it adds what belongs with the act to the unit of work
/// (notifications, outbox messages), saved with the case or not at all. Registered by the feature; run by
/// <see cref="CaseStore"/> in registration order.
/// </summary>
public interface ICaseActWriter
{
    Task WriteAsync(CaseActWrite act, CancellationToken ct);
}

/// <summary>
/// A feature that hears of a saved case act, after its commit (the document worker woken, live dashboards). It must not throw:
/// the act is saved whatever it does.
/// </summary>
public interface ICaseActObserver
{
    Task SavedAsync(long caseId, CancellationToken ct);
}
