using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Infrastructure.Persistence;

/// <summary>
/// Rows that exist once (a card per clock and kind, an alert per finding, a scan's position, an order's escalation), written
/// by scans that may run at the same moment on several nodes. Each such write runs in a transaction that first locks the
/// journal head (<c>FOR UPDATE</c>; SQLite's write transaction is exclusive, and this process's writers queue at
/// <see cref="SqliteWriteGate"/>), then looks whether the row is there: the scan that comes second waits, finds the first
/// one's row and skips it, so no statement fails on the unique key and nothing is logged as an error. An expected race is
/// counted (<see cref="Races"/>, instrument <c>approval.races.expected</c> of the meter <see cref="MeterName"/>), and the
/// scan logs its count once at Debug.
/// </summary>
internal static class OnceOnly
{
    public const string MeterName = "ApprovalSystem";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Races another writer won that the loser expected and skipped (tag <c>what</c>: card, alert, escalation, scan-state).</summary>
    public static readonly Counter<long> Races = Meter.CreateCounter<long>("approval.races.expected", unit: "{race}",
        description: "Expected races lost to another node or scan (a once-only row already written), skipped without error.");

    private static readonly AsyncLocal<StrongBox<int>?> Tally = new();

    /// <summary>Counts one expected race of kind <paramref name="what"/> (and in the scan's tally, <see cref="StartTally"/>).</summary>
    public static void Lost(string what)
    {
        Races.Add(1, new KeyValuePair<string, object?>("what", what));
        if (Tally.Value is { } tally)
        {
            Interlocked.Increment(ref tally.Value);
        }
    }

    /// <summary>Starts counting the races lost by what the calling flow does from here on (one scan), for its one log line.</summary>
    public static StrongBox<int> StartTally()
    {
        var tally = new StrongBox<int>();
        Tally.Value = tally;
        return tally;
    }

    /// <summary>
    /// Begins the transaction of one once-only write and takes the lock that serialises such writes across nodes. Dispose the
    /// returned scope after committing (or not: it rolls back).
    /// </summary>
    public static async Task<Scope> BeginAsync(AppDbContext db, CancellationToken ct)
    {
        db.ChangeTracker.Clear(); // what the previous write tracked (the journal head) is stale now
        var gate = await SqliteWriteGate.EnterAsync(db, ct);
        try
        {
            var tx = await db.Database.BeginTransactionAsync(ct);
            var dialect = SqlDialect.For(db);
            var head = db.Model.FindEntityType(typeof(JournalHead))!;
            var table = head.GetTableName()!;
            var id = head.FindProperty(nameof(JournalHead.Id))!.GetColumnName();
            var sequence = head.FindProperty(nameof(JournalHead.LastSequence))!.GetColumnName();
            var sql = dialect.SelectForUpdate(table, [sequence], $"{dialect.Quote(id)} = {CaseJournal.HeadId}");
            await db.Database.ExecuteSqlRawAsync(sql, ct);
            return new Scope(tx, gate);
        }
        catch
        {
            gate?.Dispose();
            throw;
        }
    }

    /// <summary>One once-only write's transaction and lock.</summary>
    public sealed class Scope(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, IDisposable? gate) : IAsyncDisposable
    {
        public Task CommitAsync(CancellationToken ct) => tx.CommitAsync(ct);

        public async ValueTask DisposeAsync()
        {
            try
            {
                await tx.DisposeAsync();
            }
            finally
            {
                gate?.Dispose();
            }
        }
    }
}
