using ApprovalSystem.Web.Infrastructure.Cluster;

namespace ApprovalSystem.Web.Features.Supervision.Dashboard;

/// <summary>
/// Tells open dashboards and worklists that supervision figures changed (a card raised, an alert, an order, a case act), so
/// they re-read without a reload — on every node: a case act is told to the other nodes inside its transaction
/// (<see cref="ClusterCaseActs"/>, so a rolled-back act tells nobody), the rest after it is saved (<see cref="Publish"/>);
/// the dashboard's timer stays as the fallback should the link between the nodes be down.
/// </summary>
public sealed class SupervisionLive : Infrastructure.ICaseActObserver, IDisposable
{
    private readonly IClusterEvents? _events;
    private readonly IDisposable[] _subscriptions;

    public SupervisionLive(IClusterEvents? events = null)
    {
        _events = events;
        _subscriptions = events is null ? [] :
            [events.Subscribe(ClusterTopics.CaseAct, _ => Changes()), events.Subscribe(ClusterTopics.Supervision, _ => Changes())];
    }

    /// <summary>Every saved case act on this node may change the figures (the other nodes heard of it at its commit).</summary>
    public Task SavedAsync(long caseId, CancellationToken ct)
    {
        Changes();
        return Task.CompletedTask;
    }

    public event Action? Changed;

    private long _revision;

    public long Revision => Interlocked.Read(ref _revision);

    /// <summary>A card, an alert or an order was saved: here and on every other node.</summary>
    public void Publish()
    {
        if (_events is null)
        {
            Changes();
            return;
        }

        _ = _events.PublishAsync(ClusterTopics.Supervision); // delivered here at once, before it goes out
    }

    private void Changes()
    {
        Interlocked.Increment(ref _revision);
        Changed?.Invoke();
    }

    public void Dispose()
    {
        foreach (var s in _subscriptions)
        {
            s.Dispose();
        }
    }
}

/// <summary>Tells the other nodes of a case act inside its transaction: sent at commit, never after a rollback. Only the case id.</summary>
public sealed class ClusterCaseActs(IClusterEvents events) : Infrastructure.ICaseActWriter
{
    public Task WriteAsync(Infrastructure.CaseActWrite act, CancellationToken ct) =>
        events.PublishInTransactionAsync(act.Db, ClusterTopics.CaseAct, act.Case.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
}
