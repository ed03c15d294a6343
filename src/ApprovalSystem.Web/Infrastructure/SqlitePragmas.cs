using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>
/// Per-connection SQLite settings. With write-ahead logging, synchronous=NORMAL keeps the database
/// consistent on a crash and syncs at checkpoints instead of on every commit (see
/// docs/decisions/0006); busy_timeout makes a writer wait for another instead of failing.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
