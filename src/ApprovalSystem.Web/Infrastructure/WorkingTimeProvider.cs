using ApprovalSystem.Core.Calendar;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>
/// The working-day calendar as the case engine uses it, read from the database once and kept until
/// an administrator changes the calendar (which calls <see cref="Invalidate"/>). With several nodes
/// the change is told to every node (<see cref="Cluster.IClusterEvents"/>), and the cache is short-lived besides.
/// </summary>
public sealed class WorkingTimeProvider(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, Cluster.IClusterEvents? events = null)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private (WorkingTime Time, DateTimeOffset LoadedAt)? _cached;

    public async Task<WorkingTime> GetAsync(CancellationToken ct = default)
    {
        if (_cached is { } c && clock.GetUtcNow() - c.LoadedAt < Lifetime)
        {
            return c.Time;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var time = new WorkingTime(new WorkingCalendar(await db.CalendarDays.AsNoTracking().ToListAsync(ct)));
        _cached = (time, clock.GetUtcNow());
        return time;
    }

    /// <summary>After a saved calendar edit: this node reads the calendar again, and so does every other node.</summary>
    public void Invalidate()
    {
        _cached = null;
        if (events is not null)
        {
            _ = events.PublishAsync(Cluster.ClusterTopics.Calendar);
        }
    }

    /// <summary>Another node edited the calendar.</summary>
    public void InvalidateHere() => _cached = null;
}
