using System.Collections.Concurrent;
using ApprovalSystem.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Infrastructure.Persistence;

/// <summary>
/// SQLite lets one transaction write at a time. The case store's writers in this process queue here,
/// asynchronously and in order, instead of meeting SQLite's busy handler, which sleeps a growing
/// interval (1 ms, 2 ms, 5 ms…) between retries: with several clerks acting at once the queue keeps
/// the database busy instead of idle. One gate per database; other providers need none.
/// </summary>
internal static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new();

    public static async Task<IDisposable?> EnterAsync(AppDbContext db, CancellationToken ct)
    {
        if (db.Database.GetDbConnection() is not SqliteConnection connection)
        {
            return null;
        }

        var gate = Gates.GetOrAdd(connection.ConnectionString, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Entered(gate);
    }

    private sealed class Entered(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
