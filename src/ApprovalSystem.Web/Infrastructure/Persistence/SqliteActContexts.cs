using System.Collections.Concurrent;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Infrastructure.Persistence;

/// <summary>
/// SQLite only: the contexts that case acts run in, each on a connection that stays open between
/// acts. Opening a pooled SQLite connection re-registers EF Core's SQL functions on it (ef_add,
/// ef_compare, regexp and the rest, about a dozen), and every registration expires the connection's
/// prepared statements, so each act re-parsed the statements <see cref="RowSession"/> had prepared
/// (measured: about fifteen re-parses per start+approve pair; see docs/benchmarks.md). A context
/// that keeps its connection open registers them once.
/// </summary>
/// <remarks>
/// A context is lent to one act at a time and taken back only when the act left nothing behind
/// (no transaction, nothing tracked after clearing); one that failed is disposed instead. An idle
/// connection holds no lock and no read snapshot: SQLite takes them only inside a statement or a
/// transaction. The contexts close with the application's services.
/// </remarks>
public sealed class SqliteActContexts(Func<AppDbContext> create) : IDisposable
{
    /// <summary>Idle contexts kept; more are created when more acts run at once, and disposed after.</summary>
    private const int Retained = 8;

    private readonly ConcurrentBag<AppDbContext> _idle = [];
    private volatile bool _disposed;

    /// <summary>A context for one act, with its connection open.</summary>
    public async Task<AppDbContext> RentAsync(CancellationToken ct)
    {
        if (_idle.TryTake(out var db))
        {
            return db;
        }

        db = create();
        try
        {
            // EF Core counts explicit opens and leaves the connection open until as many closes.
            await db.Database.OpenConnectionAsync(ct);
            return db;
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>Takes a context back after its act; <paramref name="clean"/> is false when the act failed.</summary>
    public async ValueTask ReturnAsync(AppDbContext db, bool clean)
    {
        if (clean && !_disposed && !db.InTransaction && _idle.Count < Retained)
        {
            db.ChangeTracker.Clear();
            db.Database.AutoTransactionBehavior = AutoTransactionBehavior.WhenNeeded;
            _idle.Add(db);
            if (!_disposed)
            {
                return;
            }

            // Disposed meanwhile: fall through and close whatever is idle.
            while (_idle.TryTake(out var idle))
            {
                await idle.DisposeAsync();
            }

            return;
        }

        await db.DisposeAsync();
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var db))
        {
            db.Dispose();
        }
    }
}
