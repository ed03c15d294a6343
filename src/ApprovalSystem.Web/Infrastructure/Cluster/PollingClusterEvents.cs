using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Infrastructure.Cluster;

/// <summary>
/// Several nodes on a database without LISTEN/NOTIFY (SQL Server): a message is a row of <see cref="ClusterEvent"/> — inside
/// an act's unit of work it is saved with the act, so a rolled-back act leaves none — and every node polls the table every
/// <see cref="Interval"/> (<see cref="RunAsync"/>). Ids are drawn before commit, so a row may commit after a higher one was
/// read: the poll looks back over the last <see cref="LookBack"/> ids and skips those it has seen. Rows older than
/// <see cref="Keep"/> are deleted.
/// </summary>
public sealed class PollingClusterEvents(IDbContextFactory<AppDbContext> dbFactory, ILogger<PollingClusterEvents> logger)
    : ClusterEventsBase(logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    public static readonly TimeSpan Keep = TimeSpan.FromMinutes(5);

    public const int LookBack = 200;

    // Housekeeping of a transport table: the wall clock, not the application's (tests move that one).
    private static readonly TimeProvider Wall = TimeProvider.System;

    private readonly HashSet<long> _seen = [];
    private readonly Queue<long> _seenOrder = new();
    private long _last = -1;

    /// <summary>Whether the first poll has run (tests wait for it before the other node acts).</summary>
    public bool Listening => Interlocked.Read(ref _last) >= 0;

    protected override async Task SendAsync(AppDbContext? db, string message, CancellationToken ct)
    {
        var row = new ClusterEvent { Message = message.Length > 300 ? message[..300] : message, At = Wall.GetUtcNow() };
        if (db is not null)
        {
            db.ClusterEvents.Add(row); // saved by the act's own SaveChanges, in its transaction
            return;
        }

        await using var own = await dbFactory.CreateDbContextAsync(ct);
        own.ClusterEvents.Add(row);
        await own.SaveChangesAsync(ct);
    }

    /// <summary>Polls until <paramref name="stopping"/>; a failed poll is logged and tried again on the next tick.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Interval, Wall);
        var nextCleanup = Wall.GetUtcNow();
        var failing = false;
        do
        {
            try
            {
                await PollAsync(stopping);
                if (Wall.GetUtcNow() >= nextCleanup)
                {
                    await using var db = await dbFactory.CreateDbContextAsync(stopping);
                    var before = Wall.GetUtcNow() - Keep;
                    await db.ClusterEvents.Where(e => e.At < before).ExecuteDeleteAsync(stopping);
                    nextCleanup = Wall.GetUtcNow() + TimeSpan.FromMinutes(1);
                }

                if (failing)
                {
                    failing = false;
                    logger.LogInformation("Polling the other nodes' events again");
                    OnReconnected();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                if (!failing)
                {
                    logger.LogWarning(e, "Could not poll the other nodes' events; trying again every {Interval}", Interval);
                }

                failing = true;
            }
        }
        while (await WaitAsync(timer, stopping));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task PollAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var starting = _last < 0;
        var from = starting ? (await db.ClusterEvents.MaxAsync(e => (long?)e.Id, ct) ?? 0) - LookBack : _last - LookBack;
        var rows = await db.ClusterEvents.AsNoTracking().Where(e => e.Id > from).OrderBy(e => e.Id).Select(e => new { e.Id, e.Message })
            .Take(1000).ToListAsync(ct);
        var last = Math.Max(_last, from + LookBack);
        foreach (var row in rows.Where(r => _seen.Add(r.Id)))
        {
            _seenOrder.Enqueue(row.Id);
            if (_seenOrder.Count > 4 * LookBack)
            {
                _seen.Remove(_seenOrder.Dequeue());
            }

            if (!starting)
            {
                OnMessage(row.Message); // at start, what was said before is already in the database this node reads
            }

            last = Math.Max(last, row.Id);
        }

        Interlocked.Exchange(ref _last, Math.Max(last, 0));
    }
}

/// <summary>Runs <see cref="PollingClusterEvents.RunAsync"/> for the life of the host.</summary>
internal sealed class PollingClusterListener(PollingClusterEvents events) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => events.RunAsync(stoppingToken);
}
