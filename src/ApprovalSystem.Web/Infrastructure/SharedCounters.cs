using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>
/// Attempt counters kept in the database, so every node behind the load balancer counts against the same budget (issue 17
/// item 3, decision 0042): the guards that keep public forms from being used to guess (query codes, registered identifiers,
/// passwords, API keys) and the exchange's per-system rate limit are built on it. A counter counts in a fixed window that
/// opens with its first attempt; one attempt is one atomic upsert (<c>INSERT … ON CONFLICT DO UPDATE</c> on SQLite and
/// PostgreSQL, <c>MERGE</c> on SQL Server), so two nodes at the same moment get different counts. Rows whose window ended a
/// day ago and that hold nothing back are deleted, at most once a minute per node.
/// </summary>
public sealed class SharedCounters(IDbContextFactory<AppDbContext> dbs)
{
    /// <summary>Longer than any window or hold a guard uses.</summary>
    private static readonly TimeSpan Kept = TimeSpan.FromDays(1);

    private long _nextPruneTicks;

    /// <summary>A counter as read: its attempts in the current window, when that began, and until when it is held (if at all).</summary>
    public sealed record Reading(int Count, DateTimeOffset WindowStart, DateTimeOffset BlockedUntil)
    {
        public static readonly Reading None = new(0, DateTimeOffset.MinValue, DateTimeOffset.MinValue);

        /// <summary>The attempts that count at <paramref name="now"/> in a window of <paramref name="window"/>.</summary>
        public int Within(TimeSpan window, DateTimeOffset now) => WindowStart > now - window ? Count : 0;
    }

    /// <summary>The counters named, read in one query; a key never counted reads as <see cref="Reading.None"/>.</summary>
    public async Task<IReadOnlyList<Reading>> ReadAsync(IReadOnlyList<string> keys, CancellationToken ct = default)
    {
        var fitted = keys.Select(SharedCounterKeys.Fit).ToList();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await db.SharedCounters.AsNoTracking().Where(c => fitted.Contains(c.Key)).ToDictionaryAsync(c => c.Key, ct);
        return fitted.Select(k => rows.TryGetValue(k, out var r)
            ? new Reading(r.Count, new DateTimeOffset(r.WindowStart, TimeSpan.Zero), new DateTimeOffset(r.BlockedUntil, TimeSpan.Zero))
            : Reading.None).ToList();
    }

    /// <summary>Counts one attempt on <paramref name="key"/> and returns the counter after it.</summary>
    public async Task<Reading> AddAsync(string key, TimeSpan window, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await PruneAsync(db, now, ct);
        var dialect = SqlDialect.For(db);
        var connection = db.Database.GetDbConnection();
        using var gate = await SqliteWriteGate.EnterAsync(db, ct);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            var p = (Key: dialect.Helper.GenerateParameterName("key"), Now: dialect.Helper.GenerateParameterName("now"),
                Expired: dialect.Helper.GenerateParameterName("expired"));
            command.CommandText = dialect.CountAttempt("SharedCounters", p.Key, p.Now, p.Expired);
            Add(command, p.Key, SharedCounterKeys.Fit(key));
            Add(command, p.Now, now.UtcTicks);
            Add(command, p.Expired, (now - window).UtcTicks);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return new Reading(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture),
                new DateTimeOffset(Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero),
                DateTimeOffset.MinValue);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Holds <paramref name="key"/> back until <paramref name="until"/> (never shortening a longer hold); its window runs on from now.</summary>
    public async Task HoldAsync(string key, DateTimeOffset until, DateTimeOffset now, CancellationToken ct = default)
    {
        var fitted = SharedCounterKeys.Fit(key);
        var untilTicks = until.UtcTicks;
        var nowTicks = now.UtcTicks;
        await using var db = await dbs.CreateDbContextAsync(ct);
        using var gate = await SqliteWriteGate.EnterAsync(db, ct);
        await db.SharedCounters.Where(c => c.Key == fitted).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.BlockedUntil, c => c.BlockedUntil < untilTicks ? untilTicks : c.BlockedUntil)
            .SetProperty(c => c.WindowStart, nowTicks), ct);
    }

    /// <summary>Forgets <paramref name="key"/> (a right password clears its account's count).</summary>
    public async Task RemoveAsync(string key, CancellationToken ct = default)
    {
        var fitted = SharedCounterKeys.Fit(key);
        await using var db = await dbs.CreateDbContextAsync(ct);
        using var gate = await SqliteWriteGate.EnterAsync(db, ct);
        await db.SharedCounters.Where(c => c.Key == fitted).ExecuteDeleteAsync(ct);
    }

    private async Task PruneAsync(AppDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var next = Interlocked.Read(ref _nextPruneTicks);
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextPruneTicks, (now + TimeSpan.FromMinutes(1)).UtcTicks, next) != next)
        {
            return;
        }

        var before = (now - Kept).UtcTicks;
        var nowTicks = now.UtcTicks;
        using var gate = await SqliteWriteGate.EnterAsync(db, ct);
        await db.SharedCounters.Where(c => c.WindowStart < before && c.BlockedUntil < nowTicks).ExecuteDeleteAsync(ct);
    }

    private static void Add(System.Data.Common.DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
