using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Supervision.Dashboard;

/// <summary>
/// The dashboard's figures, counted once per node and shared by every open dashboard: after a change (a case act, a
/// card, an order: <see cref="SupervisionLive"/>) they are recounted at most once per <see cref="Coalesce"/>, and every
/// <see cref="Refresh"/> for other nodes' changes — but only while a dashboard is open. Fifty open dashboards cost what
/// one does; a dashboard that closes unsubscribes at once (<see cref="Subscribe"/>). The counts themselves run on
/// indexes of the open cases (state, lead department), not on the whole table.
/// </summary>
public sealed class DashboardFigures : IDisposable
{
    private readonly SupervisionQueries _queries;
    private readonly SupervisionLive _live;
    private readonly ILogger<DashboardFigures> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Timer _timer;
    private readonly object _lock = new();
    private readonly List<Action> _subscribers = [];
    private SupervisionQueries.Figures? _figures;
    private long _countedRevision = -1;
    private long _countedAt;
    private int _pending;
    private long _recounts;

    public DashboardFigures(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, SupervisionLive live, ILogger<DashboardFigures> logger)
    {
        _queries = new SupervisionQueries(dbFactory, clock);
        _live = live;
        _logger = logger;
        _live.Changed += OnChanged;
        _timer = new Timer(_ => OnTick(), null, Refresh, Refresh);
    }

    /// <summary>How long changes are gathered before one recount (a busy hall acts many times a second).</summary>
    public TimeSpan Coalesce { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often open dashboards are recounted anyway (changes made on other nodes).</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);

    /// <summary>How many times the figures were counted since start (what the sharing saves is measured by it).</summary>
    public long Recounts => Interlocked.Read(ref _recounts);

    /// <summary>How many open dashboards listen.</summary>
    public int Subscribers
    {
        get
        {
            lock (_lock)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>The latest figures, or null before the first count.</summary>
    public SupervisionQueries.Figures? Latest => Volatile.Read(ref _figures);

    /// <summary>
    /// The figures as of the latest change: counted now only if something changed since the last count or the count is
    /// older than <see cref="Refresh"/> (other nodes, and the day's figures after midnight).
    /// </summary>
    public async Task<SupervisionQueries.Figures> CurrentAsync(CancellationToken ct = default) =>
        Fresh() ?? await CountAsync(force: false, ct);

    private SupervisionQueries.Figures? Fresh() =>
        Volatile.Read(ref _figures) is { } figures && Interlocked.Read(ref _countedRevision) == _live.Revision
            && Environment.TickCount64 - Interlocked.Read(ref _countedAt) < Refresh.TotalMilliseconds
            ? figures
            : null;

    /// <summary>Calls <paramref name="updated"/> after each recount until the returned handle is disposed.</summary>
    public IDisposable Subscribe(Action updated)
    {
        lock (_lock)
        {
            _subscribers.Add(updated);
        }

        return new Subscription(this, updated);
    }

    private async Task<SupervisionQueries.Figures> CountAsync(bool force, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var revision = _live.Revision;
            if (!force && Fresh() is { } fresh)
            {
                return fresh; // another caller counted while this one waited
            }

            var figures = await _queries.FiguresAsync(ct);
            Interlocked.Increment(ref _recounts);
            Volatile.Write(ref _figures, figures);
            Interlocked.Exchange(ref _countedRevision, revision);
            Interlocked.Exchange(ref _countedAt, Environment.TickCount64);
            return figures;
        }
        finally
        {
            _gate.Release();
        }
    }

    private void OnChanged()
    {
        if (Subscribers == 0 || Interlocked.Exchange(ref _pending, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            await Task.Delay(Coalesce);
            Interlocked.Exchange(ref _pending, 0);
            await RecountAndNotifyAsync(force: false);
        });
    }

    private void OnTick()
    {
        if (Subscribers > 0)
        {
            _ = RecountAndNotifyAsync(force: true);
        }
    }

    private async Task RecountAndNotifyAsync(bool force)
    {
        try
        {
            await CountAsync(force, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Could not count the dashboard's figures");
            return;
        }

        Action[] subscribers;
        lock (_lock)
        {
            subscribers = [.. _subscribers];
        }

        foreach (var s in subscribers)
        {
            s();
        }
    }

    public void Dispose()
    {
        _live.Changed -= OnChanged;
        _timer.Dispose();
        _gate.Dispose();
    }

    private sealed class Subscription(DashboardFigures owner, Action updated) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                lock (owner._lock)
                {
                    owner._subscribers.Remove(updated);
                }
            }
        }
    }
}
