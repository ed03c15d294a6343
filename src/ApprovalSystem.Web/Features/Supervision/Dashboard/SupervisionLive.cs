namespace ApprovalSystem.Web.Features.Supervision.Dashboard;

/// <summary>
/// Tells open dashboards that supervision figures changed (a card raised, an alert, an order, a
/// case act), so they re-read without a reload. In-process; with several nodes the dashboard also
/// re-reads on a short timer.
/// </summary>
public sealed class SupervisionLive : Infrastructure.ICaseActObserver
{
    /// <summary>Every saved case act may change the figures.</summary>
    public Task SavedAsync(long caseId, CancellationToken ct)
    {
        Publish();
        return Task.CompletedTask;
    }

    public event Action? Changed;

    private long _revision;

    public long Revision => Interlocked.Read(ref _revision);

    public void Publish()
    {
        Interlocked.Increment(ref _revision);
        Changed?.Invoke();
    }
}
