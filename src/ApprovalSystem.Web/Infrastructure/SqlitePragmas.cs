using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>
/// Per-connection SQLite settings. With write-ahead logging, synchronous=NORMAL keeps the database
/// consistent on a crash and syncs at checkpoints instead of on every commit (see
/// docs/decisions/0006); busy_timeout makes a writer wait for another instead of failing; the
/// automatic checkpoint is only a backstop for <see cref="SqliteCheckpointer"/> (decision 0009).
/// </summary>
/// <remarks>
/// The settings stay with the native connection, which SQLite's driver pools: they are applied once
/// per native connection, not on every open (acts open a connection several times a second).
/// </remarks>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    // The log is checkpointed in the background (SqliteCheckpointer); 20,000 pages (80 MB) is only the backstop.
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA wal_autocheckpoint=20000;";

    private static readonly ConditionalWeakTable<object, object> Applied = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsNew(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (IsNew(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static bool IsNew(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || Applied.TryAdd(handle, Applied);
}
