using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using ApprovalSystem.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace ApprovalSystem.Web.Infrastructure.Persistence;

/// <summary>A statement's argument: a column's model value (converted by the column's mapping) or a plain value.</summary>
internal readonly record struct Arg(ColumnMap? Column, object? Value)
{
    public object? ProviderValue => Column is { } c ? c.ToProvider(Value) : Value;
}

/// <summary>A statement with its arguments, in placeholder order, that changes <see cref="Rows"/> rows.</summary>
internal sealed record Statement(string Sql, IReadOnlyList<Arg> Args, int Rows = 1);

/// <summary>
/// Runs the case engine's statements on the unit of work's connection, inside its transaction:
/// through ADO.NET commands (PostgreSQL, SQL Server: the writes go in one batch, one round trip), or
/// on SQLite through its native API with every statement prepared once per connection and reused —
/// preparing the wide case statements costs more than running them (see docs/benchmarks.md).
/// </summary>
internal abstract class RowSession
{
    /// <summary>Whether the statements of <see cref="ExecuteAsync"/> are sent together (their placeholders must then be unique).</summary>
    public abstract bool Batches { get; }

    public static async Task<RowSession> OpenAsync(AppDbContext db, SqlDialect dialect, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        return db.Database.GetDbConnection() is SqliteConnection { Handle: { } handle }
            ? new SqliteSession(handle)
            : new AdoSession(db, dialect);
    }

    /// <summary>
    /// On SQLite, begins the act's write transaction on the native connection (BEGIN IMMEDIATE, a
    /// prepared statement) instead of through EF Core's transaction API: the act's EF queries and
    /// saves run in it all the same, as they use the same connection. Null on other providers.
    /// </summary>
    public static async Task<NativeTransaction?> BeginNativeAsync(AppDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        if (db.Database.GetDbConnection() is not SqliteConnection { Handle: { } handle })
        {
            return null;
        }

        var session = new SqliteSession(handle);
        await session.ExecuteAsync([new Statement("BEGIN IMMEDIATE", [], 0)], ct);
        return new NativeTransaction(session);
    }

    /// <summary>A write transaction begun on SQLite's native connection; committed, or rolled back when the act fails.</summary>
    public sealed class NativeTransaction(RowSession session)
    {
        public Task CommitAsync(CancellationToken ct) => session.ExecuteAsync([new Statement("COMMIT", [], 0)], ct);

        public async Task RollbackAsync()
        {
            try
            {
                await session.ExecuteAsync([new Statement("ROLLBACK", [], 0)], CancellationToken.None);
            }
            catch (SqliteException)
            {
                // Already rolled back (SQLite ends a transaction itself on some errors).
            }
        }
    }

    /// <summary>The rows of a query (every result set), as provider values of <paramref name="columns"/>.</summary>
    public abstract Task<List<object?[]>> QueryAsync(string sql, IReadOnlyList<Arg> args, IReadOnlyList<ColumnMap> columns, CancellationToken ct);

    /// <summary>Runs the statements; throws <see cref="DbUpdateConcurrencyException"/> when fewer rows changed than they expect.</summary>
    public abstract Task ExecuteAsync(IReadOnlyList<Statement> statements, CancellationToken ct);

    /// <summary>
    /// Two queries, in order; where the provider batches (PostgreSQL, SQL Server) they go to the server together, in one round
    /// trip (docs/benchmarks.md: a pair's round trips).
    /// </summary>
    public virtual async Task<(List<object?[]> First, List<object?[]> Second)> QueryBothAsync(
        (string Sql, IReadOnlyList<Arg> Args, IReadOnlyList<ColumnMap> Columns) first,
        (string Sql, IReadOnlyList<Arg> Args, IReadOnlyList<ColumnMap> Columns) second, CancellationToken ct) =>
        (await QueryAsync(first.Sql, first.Args, first.Columns, ct), await QueryAsync(second.Sql, second.Args, second.Columns, ct));

    protected static void Expect(int expected, int changed)
    {
        if (changed != expected)
        {
            throw new DbUpdateConcurrencyException("办件已被他人修改");
        }
    }

    private sealed class AdoSession(AppDbContext db, SqlDialect dialect) : RowSession
    {
        public override bool Batches => true;

        public override async Task<List<object?[]>> QueryAsync(string sql, IReadOnlyList<Arg> args, IReadOnlyList<ColumnMap> columns, CancellationToken ct)
        {
            await using var command = Command(sql, args);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new List<object?[]>();
            do
            {
                rows.AddRange(await ReadAsync(reader, columns, ct));
            }
            while (await reader.NextResultAsync(ct));
            return rows;
        }

        public override async Task<(List<object?[]> First, List<object?[]> Second)> QueryBothAsync(
            (string Sql, IReadOnlyList<Arg> Args, IReadOnlyList<ColumnMap> Columns) first,
            (string Sql, IReadOnlyList<Arg> Args, IReadOnlyList<ColumnMap> Columns) second, CancellationToken ct)
        {
            var connection = db.Database.GetDbConnection();
            if (!connection.CanCreateBatch)
            {
                return await base.QueryBothAsync(first, second, ct);
            }

            await using var batch = connection.CreateBatch();
            batch.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            await using var maker = connection.CreateCommand(); // the mappings make parameters on a command; a batch command takes them
            foreach (var (sql, args, _) in new[] { first, second })
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = sql;
                for (var i = 0; i < args.Count; i++)
                {
                    command.Parameters.Add(Parameter(maker, i, args[i]));
                }

                batch.BatchCommands.Add(command);
            }

            await using var reader = await batch.ExecuteReaderAsync(ct);
            var firstRows = await ReadAsync(reader, first.Columns, ct);
            await reader.NextResultAsync(ct);
            return (firstRows, await ReadAsync(reader, second.Columns, ct));
        }

        private static async Task<List<object?[]>> ReadAsync(DbDataReader reader, IReadOnlyList<ColumnMap> columns, CancellationToken ct)
        {
            var rows = new List<object?[]>();
            while (await reader.ReadAsync(ct))
            {
                var row = new object?[columns.Count];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = columns[i].Read(reader, i);
                }

                rows.Add(row);
            }

            return rows;
        }

        public override async Task ExecuteAsync(IReadOnlyList<Statement> statements, CancellationToken ct)
        {
            if (statements.Count == 0)
            {
                return;
            }

            await using var command = Command(string.Concat(statements.Select(s => s.Sql)), [.. statements.SelectMany(s => s.Args)]);
            Expect(statements.Sum(s => s.Rows), await command.ExecuteNonQueryAsync(ct));
        }

        private DbCommand Command(string sql, IReadOnlyList<Arg> args)
        {
            var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = sql;
            for (var i = 0; i < args.Count; i++)
            {
                command.Parameters.Add(Parameter(command, i, args[i]));
            }

            return command;
        }

        /// <summary>A parameter made by the column's mapping (its conversion and provider type) on <paramref name="command"/>.</summary>
        private DbParameter Parameter(DbCommand command, int index, Arg arg)
        {
            var name = dialect.Helper.GenerateParameterName(ParameterName(index));
            if (arg.Column is { } column)
            {
                return column.Mapping.CreateParameter(command, name, arg.Value, column.Property.IsNullable);
            }

            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = arg.Value ?? DBNull.Value;
            return parameter;
        }
    }

    /// <summary>
    /// SQLite's native API on the connection EF Core opened (so the statements run in its
    /// transaction). Prepared statements are kept per native connection, which the driver pools;
    /// they are reset after every use, so none holds a read snapshot.
    /// </summary>
    internal sealed class SqliteSession(sqlite3 db) : RowSession
    {
        private const int MaxStatements = 64;

        private static readonly ConditionalWeakTable<sqlite3, Dictionary<string, sqlite3_stmt>> Prepared = [];

        public override bool Batches => false;

        /// <summary>
        /// The statements prepared on a connection and how often SQLite had to prepare them again (a
        /// registered function or a schema change expires them): for tests and diagnostics.
        /// </summary>
        internal static (int Statements, int Reprepared) Status(sqlite3 db)
        {
            if (!Prepared.TryGetValue(db, out var cache))
            {
                return (0, 0);
            }

            const int reprepare = 5; // SQLITE_STMTSTATUS_REPREPARE
            return (cache.Count, cache.Values.Sum(stmt => raw.sqlite3_stmt_status(stmt, reprepare, 0)));
        }

        public override Task<List<object?[]>> QueryAsync(string sql, IReadOnlyList<Arg> args, IReadOnlyList<ColumnMap> columns, CancellationToken ct)
        {
            var stmt = Prepare(sql);
            try
            {
                Bind(stmt, args);
                var rows = new List<object?[]>();
                while (Step(stmt) == raw.SQLITE_ROW)
                {
                    var row = new object?[columns.Count];
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] = Read(stmt, i, columns[i].ProviderType);
                    }

                    rows.Add(row);
                }

                return Task.FromResult(rows);
            }
            finally
            {
                Reset(stmt);
            }
        }

        public override Task ExecuteAsync(IReadOnlyList<Statement> statements, CancellationToken ct)
        {
            foreach (var statement in statements)
            {
                var stmt = Prepare(statement.Sql);
                try
                {
                    Bind(stmt, statement.Args);
                    while (Step(stmt) == raw.SQLITE_ROW)
                    {
                    }

                    if (statement.Rows > 0)
                    {
                        Expect(statement.Rows, raw.sqlite3_changes(db));
                    }
                }
                finally
                {
                    Reset(stmt);
                }
            }

            return Task.CompletedTask;
        }

        private sqlite3_stmt Prepare(string sql)
        {
            var cache = Prepared.GetValue(db, _ => []);
            if (cache.TryGetValue(sql, out var stmt))
            {
                return stmt;
            }

            if (cache.Count >= MaxStatements)
            {
                foreach (var old in cache.Values)
                {
                    old.Dispose();
                }

                cache.Clear();
            }

            var rc = raw.sqlite3_prepare_v2(db, sql, out stmt, out var tail);
            SqliteException.ThrowExceptionForRC(rc, db);
            if (!string.IsNullOrWhiteSpace(tail))
            {
                stmt.Dispose();
                throw new InvalidOperationException("One statement at a time: " + sql);
            }

            cache[sql] = stmt;
            return stmt;
        }

        private int Step(sqlite3_stmt stmt)
        {
            var rc = raw.sqlite3_step(stmt);
            if (rc != raw.SQLITE_ROW && rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }

            return rc;
        }

        private static void Reset(sqlite3_stmt stmt)
        {
            raw.sqlite3_reset(stmt);
            raw.sqlite3_clear_bindings(stmt);
        }

        private void Bind(sqlite3_stmt stmt, IReadOnlyList<Arg> args)
        {
            for (var i = 0; i < args.Count; i++)
            {
                var index = i + 1;
                var rc = args[i].ProviderValue switch
                {
                    null => raw.sqlite3_bind_null(stmt, index),
                    string s => BindText(stmt, index, s),
                    long l => raw.sqlite3_bind_int64(stmt, index, l),
                    int n => raw.sqlite3_bind_int64(stmt, index, n),
                    short n => raw.sqlite3_bind_int64(stmt, index, n),
                    byte n => raw.sqlite3_bind_int64(stmt, index, n),
                    bool b => raw.sqlite3_bind_int64(stmt, index, b ? 1 : 0),
                    double d => raw.sqlite3_bind_double(stmt, index, d),
                    float f => raw.sqlite3_bind_double(stmt, index, f),

                    // As the ADO.NET driver writes a decimal: invariant text with at least one decimal.
                    decimal m => raw.sqlite3_bind_text(stmt, index, m.ToString("0.0###########################", CultureInfo.InvariantCulture)),
                    byte[] bytes => raw.sqlite3_bind_blob(stmt, index, bytes),
                    var other =>
                        throw new NotSupportedException($"The case engine cannot bind a {other.GetType().Name} to SQLite; map it with a value converter."),
                };
                SqliteException.ThrowExceptionForRC(rc, db);
            }
        }

        /// <summary>Binds text through a reused UTF-8 buffer (SQLite copies it); an empty span would bind NULL, so "" goes as it is.</summary>
        private static int BindText(sqlite3_stmt stmt, int index, string value)
        {
            if (value.Length == 0)
            {
                return raw.sqlite3_bind_text(stmt, index, value);
            }

            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(value.Length));
            try
            {
                var length = Encoding.UTF8.GetBytes(value, buffer);
                return raw.sqlite3_bind_text(stmt, index, buffer.AsSpan(0, length));
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private static object? Read(sqlite3_stmt stmt, int i, Type type)
        {
            var storage = raw.sqlite3_column_type(stmt, i);
            if (storage == raw.SQLITE_NULL)
            {
                return null;
            }

            if (type == typeof(string))
            {
                return raw.sqlite3_column_text(stmt, i).utf8_to_string();
            }

            if (type == typeof(long))
            {
                return raw.sqlite3_column_int64(stmt, i);
            }

            if (type == typeof(int))
            {
                return checked((int)raw.sqlite3_column_int64(stmt, i));
            }

            if (type == typeof(bool))
            {
                return raw.sqlite3_column_int64(stmt, i) != 0;
            }

            if (type == typeof(short))
            {
                return checked((short)raw.sqlite3_column_int64(stmt, i));
            }

            if (type == typeof(byte))
            {
                return checked((byte)raw.sqlite3_column_int64(stmt, i));
            }

            if (type == typeof(double))
            {
                return raw.sqlite3_column_double(stmt, i);
            }

            if (type == typeof(float))
            {
                return (float)raw.sqlite3_column_double(stmt, i);
            }

            if (type == typeof(decimal))
            {
                return storage == raw.SQLITE_TEXT
                    ? decimal.Parse(raw.sqlite3_column_text(stmt, i).utf8_to_string(), NumberStyles.Number | NumberStyles.AllowExponent,
                        CultureInfo.InvariantCulture)
                    : storage == raw.SQLITE_INTEGER ? raw.sqlite3_column_int64(stmt, i) : (decimal)raw.sqlite3_column_double(stmt, i);
            }

            if (type == typeof(byte[]))
            {
                return raw.sqlite3_column_blob(stmt, i).ToArray();
            }

            throw new NotSupportedException($"The case engine cannot read a {type.Name} from SQLite; map it with a value converter.");
        }
    }

    public static string ParameterName(int index) => "p" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Builds statements: their text and arguments, with placeholders numbered per statement or across the batch.</summary>
    public sealed class Builder(RowSession session, SqlDialect dialect)
    {
        private readonly List<Statement> _statements = [];
        private List<Arg> _args = [];
        private int _batchArgs;

        public StringBuilder Text { get; } = new();

        public IReadOnlyList<Statement> Statements => _statements;

        /// <summary>A placeholder for a column's model value.</summary>
        public string Param(ColumnMap column, object? value) => Add(new Arg(column, value));

        /// <summary>A placeholder for a plain value.</summary>
        public string Raw(object? value) => Add(new Arg(null, value));

        /// <summary>Ends the statement in <see cref="Text"/>, which changes <paramref name="rows"/> rows; it runs with the others.</summary>
        public void End(int rows = 1)
        {
            _batchArgs += _args.Count;
            _statements.Add(new Statement(Text.ToString(), _args, rows));
            Text.Clear();
            _args = [];
        }

        /// <summary>Where the next statement's placeholders start: 0, or after the batch's when it is sent as one.</summary>
        public int Offset => session.Batches ? _batchArgs : 0;

        /// <summary>Adds a statement built elsewhere (placeholders from <see cref="Offset"/>), which changes <paramref name="rows"/> rows.</summary>
        public void Add(string sql, List<Arg> args, int rows)
        {
            _batchArgs += args.Count;
            _statements.Add(new Statement(sql, args, rows));
        }

        // Placeholders are numbered within the statement, or across the batch when it is sent as one.
        private string Add(Arg arg)
        {
            var index = (session.Batches ? _batchArgs : 0) + _args.Count;
            _args.Add(arg);
            return dialect.Helper.GenerateParameterNamePlaceholder(ParameterName(index));
        }
    }
}
