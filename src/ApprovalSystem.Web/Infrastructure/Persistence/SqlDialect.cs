using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace ApprovalSystem.Web.Infrastructure.Persistence;

/// <summary>
/// The few places where the case engine's hand-written statements differ between the providers:
/// returning a generated key, locking a row for the rest of the transaction, and incrementing a
/// counter row that may not exist yet. Identifiers and parameter names come from the provider's own
/// <see cref="ISqlGenerationHelper"/>.
/// </summary>
internal sealed class SqlDialect
{
    private readonly Kind _kind;

    private SqlDialect(Kind kind, ISqlGenerationHelper helper)
    {
        _kind = kind;
        Helper = helper;
    }

    private enum Kind
    {
        Sqlite,
        PostgreSql,
        SqlServer,
    }

    public ISqlGenerationHelper Helper { get; }

    public static SqlDialect For(DbContext db)
    {
        var provider = db.Database.ProviderName ?? "";
        var kind = provider.Contains("Sqlite", StringComparison.OrdinalIgnoreCase) ? Kind.Sqlite
            : provider.Contains("Npgsql", StringComparison.OrdinalIgnoreCase) ? Kind.PostgreSql
            : provider.Contains("SqlServer", StringComparison.OrdinalIgnoreCase) ? Kind.SqlServer
            : throw new NotSupportedException($"The case engine does not support the database provider {provider}.");
        return new SqlDialect(kind, db.GetService<ISqlGenerationHelper>());
    }

    public string Quote(string identifier) => Helper.DelimitIdentifier(identifier);

    /// <summary>
    /// SQLite's driver binds each parameter of a command to each statement in it by name: many
    /// statements are cheaper as separate commands (there is no round trip to save in-process).
    /// </summary>
    public bool BindsByNamePerStatement => _kind == Kind.Sqlite;

    /// <summary><c>INSERT INTO t (…) VALUES (…)</c> that returns the generated key as its single result.</summary>
    public void InsertReturning(StringBuilder sql, string table, IEnumerable<string> columns, IEnumerable<string> values, string key)
    {
        sql.Append("INSERT INTO ").Append(Quote(table)).Append(" (").AppendJoin(", ", columns.Select(Quote)).Append(')');
        if (_kind == Kind.SqlServer)
        {
            sql.Append(" OUTPUT INSERTED.").Append(Quote(key));
        }

        sql.Append(" VALUES (").AppendJoin(", ", values).Append(')');
        if (_kind != Kind.SqlServer)
        {
            sql.Append(" RETURNING ").Append(Quote(key));
        }

        sql.Append(';');
    }

    /// <summary>
    /// <c>SELECT … FROM t WHERE …</c> that keeps the row locked until the transaction ends, so writers
    /// queue on it instead of racing. SQLite needs no hint: its write transactions are exclusive.
    /// </summary>
    public string SelectForUpdate(string table, IEnumerable<string> columns, string where) => _kind switch
    {
        Kind.PostgreSql => $"SELECT {string.Join(", ", columns.Select(Quote))} FROM {Quote(table)} WHERE {where} FOR UPDATE;",
        Kind.SqlServer => $"SELECT {string.Join(", ", columns.Select(Quote))} FROM {Quote(table)} WITH (UPDLOCK, ROWLOCK) WHERE {where};",
        _ => $"SELECT {string.Join(", ", columns.Select(Quote))} FROM {Quote(table)} WHERE {where};",
    };

    /// <summary>
    /// Increments the counter row named by the parameter (creating it at 1) and returns the new value,
    /// atomically: two writers at the same moment get different values.
    /// </summary>
    public string Increment(string table, string keyColumn, string valueColumn, string keyParameter) => _kind switch
    {
        Kind.SqlServer =>
            $"UPDATE {Quote(table)} WITH (UPDLOCK, HOLDLOCK) SET {Quote(valueColumn)} = {Quote(valueColumn)} + 1 " +
            $"OUTPUT INSERTED.{Quote(valueColumn)} WHERE {Quote(keyColumn)} = {keyParameter};\n" +
            $"IF @@ROWCOUNT = 0 INSERT INTO {Quote(table)} ({Quote(keyColumn)}, {Quote(valueColumn)}) " +
            $"OUTPUT INSERTED.{Quote(valueColumn)} VALUES ({keyParameter}, 1);",
        _ =>
            $"INSERT INTO {Quote(table)} ({Quote(keyColumn)}, {Quote(valueColumn)}) VALUES ({keyParameter}, 1) " +
            $"ON CONFLICT ({Quote(keyColumn)}) DO UPDATE SET {Quote(valueColumn)} = {Quote(table)}.{Quote(valueColumn)} + 1 RETURNING {Quote(valueColumn)};",
    };

    /// <summary>
    /// Counts one attempt on a windowed counter row (creating it), atomically, and returns its count and window start: the window
    /// starts again at <paramref name="now"/> when it began at or before <paramref name="expired"/> and no hold is running.
    /// </summary>
    public string CountAttempt(string table, string key, string now, string expired)
    {
        string C(string column) => Quote(column);
        string Old(string column) => (_kind == Kind.SqlServer ? "t." : Quote(table) + ".") + C(column);
        var restart = $"{Old("WindowStart")} <= {expired} AND {Old("BlockedUntil")} <= {now}";
        var set = $"{C("Count")} = CASE WHEN {restart} THEN 1 ELSE {Old("Count")} + 1 END, "
            + $"{C("WindowStart")} = CASE WHEN {restart} THEN {now} ELSE {Old("WindowStart")} END";
        var columns = $"({C("Key")}, {C("WindowStart")}, {C("Count")}, {C("BlockedUntil")})";
        return _kind == Kind.SqlServer
            ? $"MERGE {Quote(table)} WITH (HOLDLOCK) AS t USING (SELECT {key} AS k) AS s ON t.{C("Key")} = s.k "
                + $"WHEN MATCHED THEN UPDATE SET {set} WHEN NOT MATCHED THEN INSERT {columns} VALUES ({key}, {now}, 1, 0) "
                + $"OUTPUT INSERTED.{C("Count")}, INSERTED.{C("WindowStart")};"
            : $"INSERT INTO {Quote(table)} {columns} VALUES ({key}, {now}, 1, 0) ON CONFLICT ({C("Key")}) DO UPDATE SET {set} "
                + $"RETURNING {C("Count")}, {C("WindowStart")};";
    }

    /// <summary>
    /// The database chose this transaction as a deadlock victim or could not serialize it (PostgreSQL 40P01 and 40001, SQL Server
    /// error 1205): nothing of it was written, and running it again on fresh data is the documented answer.
    /// </summary>
    public static bool IsDeadlock(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is DbException db && (db.SqlState is "40P01" or "40001"
                || db.Message.Contains("deadlocked", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A unique-key violation: another writer won a race (the caller retries on fresh data).</summary>
    public static bool IsUniqueViolation(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is DbException && (x.Message.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase)
                || x.Message.Contains("duplicate key", StringComparison.OrdinalIgnoreCase)
                || x.Message.Contains("23505", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
