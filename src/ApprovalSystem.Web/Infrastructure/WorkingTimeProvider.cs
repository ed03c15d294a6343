using ApprovalSystem.Core.Calendar;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>
/// The working-day calendar as the case engine uses it, read from the database once and kept until
/// an administrator changes the calendar (which calls <see cref="Invalidate"/>). With several nodes
/// the cache is short-lived, so every node sees a change within a minute.
/// </summary>
public sealed class WorkingTimeProvider(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
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

    public void Invalidate() => _cached = null;
}
