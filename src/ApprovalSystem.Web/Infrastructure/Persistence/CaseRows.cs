using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Journal;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ApprovalSystem.Web.Infrastructure.Persistence;

/// <summary>The rows a case was loaded from (provider values), to write back only what an act changed.</summary>
internal sealed class CaseSnapshot(object?[] row, Dictionary<string, object?[]> steps)
{
    public object?[] Row { get; } = row;

    public Dictionary<string, object?[]> Steps { get; } = steps;
}

/// <summary>
/// The case engine's hot path to the database (see docs/decisions/0009): loads a case with its
/// steps, and writes a new or changed case, its steps and its journal records with a few plain
/// commands inside the caller's transaction, instead of EF Core's change tracker and update
/// pipeline. Columns, type mappings and value converters all come from the EF model, so the rows are
/// exactly what EF Core itself reads and writes; the rest of the application queries them with EF.
/// <list type="bullet">
/// <item>Only the columns an act changed are updated, guarded by the case's (and each step's) version: a
/// writer that lost a race gets <see cref="DbUpdateConcurrencyException"/> and the store retries.</item>
/// <item>The journal head is read locked (<c>FOR UPDATE</c>; SQLite's write transaction is exclusive), so
/// concurrent acts queue on it instead of failing.</item>
/// </list>
/// </summary>
internal sealed class CaseRows
{
    private static readonly ConcurrentDictionary<IModel, CaseRows> ByModel = new();

    private readonly SqlDialect _sql;
    private readonly TableMap _cases;
    private readonly TableMap _steps;
    private readonly TableMap _journal;
    private readonly TableMap _heads;
    private readonly TableMap _counters;
    private readonly string _selectCase;
    private readonly string _selectSteps;
    private readonly int _caseKey;
    private readonly int[] _caseTokens;
    private readonly int[] _stepKeys;
    private readonly int[] _stepTokens;
    private readonly ColumnMap _headId;
    private readonly ColumnMap _headSequence;
    private readonly ColumnMap _headHash;
    private readonly ColumnMap _counterKey;
    private readonly ColumnMap _counterValue;
    private readonly string _insertCase;

    /// <summary>The case's own list behind its read-only <see cref="Case.Steps"/> (the field EF Core maps the navigation to).</summary>
    private readonly System.Reflection.FieldInfo _stepList;
    private readonly ConcurrentDictionary<(string Table, int Rows, int Offset), string> _inserts = new();

    private CaseRows(AppDbContext db)
    {
        _sql = SqlDialect.For(db);
        var model = db.Model;
        var caseType = model.FindEntityType(typeof(Case))!;
        var stepType = model.FindEntityType(typeof(CaseStep))!;
        _cases = TableMap.For(caseType);
        _steps = TableMap.For(stepType);
        _journal = TableMap.For(model.FindEntityType(typeof(CaseJournalEntry))!);
        _heads = TableMap.For(model.FindEntityType(typeof(JournalHead))!);
        _counters = TableMap.For(model.FindEntityType(typeof(CaseNumberCounter))!);

        _caseKey = _cases.IndexOf(caseType.FindPrimaryKey()!.Properties.Single().GetColumnName());
        _caseTokens = [.. caseType.GetProperties().Where(p => p.IsConcurrencyToken).Select(p => _cases.IndexOf(p.GetColumnName()))];
        _stepKeys = [.. stepType.FindPrimaryKey()!.Properties.Select(p => _steps.IndexOf(p.GetColumnName()))];
        _stepTokens = [.. stepType.GetProperties().Where(p => p.IsConcurrencyToken).Select(p => _steps.IndexOf(p.GetColumnName()))];
        _stepList = caseType.FindNavigation(nameof(Case.Steps))!.FieldInfo
            ?? throw new InvalidOperationException("Case.Steps has no backing field in the model.");
        var stepWorkItem = _steps.Column(nameof(CaseStep.WorkItemId));
        var stepCase = _steps.Column("CaseId");
        var p0 = _sql.Helper.GenerateParameterNamePlaceholder(RowSession.ParameterName(0));
        _selectCase = $"SELECT {ColumnList(_cases)} FROM {_sql.Quote(_cases.Table)} WHERE {_sql.Quote(_cases.Columns[_caseKey].Name)} = {p0}";
        _selectSteps = $"SELECT {ColumnList(_steps)} FROM {_sql.Quote(_steps.Table)} WHERE {_sql.Quote(stepCase.Name)} = {p0} "
            + $"ORDER BY {_sql.Quote(stepWorkItem.Name)}";

        var key = _cases.Columns[_caseKey];
        var insertCase = new StringBuilder();
        _sql.InsertReturning(
            insertCase,
            _cases.Table,
            _cases.Columns.Where(col => col != key).Select(col => col.Name),
            _cases.Columns.Where(col => col != key).Select((col, i) => _sql.Helper.GenerateParameterNamePlaceholder(RowSession.ParameterName(i))),
            key.Name);
        _insertCase = insertCase.ToString();

        _headId = _heads.Column(nameof(JournalHead.Id));
        _headSequence = _heads.Column(nameof(JournalHead.LastSequence));
        _headHash = _heads.Column(nameof(JournalHead.LastHash));
        _counterKey = _counters.Column(nameof(CaseNumberCounter.Prefix));
        _counterValue = _counters.Column(nameof(CaseNumberCounter.Last));
    }

    public static CaseRows For(AppDbContext db) => ByModel.GetOrAdd(db.Model, _ => new CaseRows(db));

    /// <summary>Loads a case with its steps (ordered as EF Core's include orders them), untracked, with the snapshot to save it against.</summary>
    public async Task<(Case Case, CaseSnapshot Snapshot)?> LoadAsync(AppDbContext db, long id, CancellationToken ct)
    {
        var session = await RowSession.OpenAsync(db, _sql, ct);
        var (rows, stepRows) = await session.QueryBothAsync(
            (_selectCase, [new Arg(_cases.Columns[_caseKey], id)], _cases.Columns), (_selectSteps, [new Arg(null, id)], _steps.Columns), ct);
        if (rows.Count == 0)
        {
            return null;
        }

        var c = (Case)_cases.Materialize(rows[0]);
        var steps = new Dictionary<string, object?[]>();
        var list = (List<CaseStep>)_stepList.GetValue(c)!;
        foreach (var stepRow in stepRows)
        {
            var step = (CaseStep)_steps.Materialize(stepRow);
            list.Add(step);
            steps[step.WorkItemId] = stepRow;
        }

        return (c, new CaseSnapshot(rows[0], steps));
    }

    /// <summary>
    /// Writes the case (inserted when <paramref name="before"/> is null, which gives it its id, else
    /// only its changed columns), its new and changed steps and its pending journal records, in the
    /// current transaction. Throws <see cref="DbUpdateConcurrencyException"/> when another writer
    /// changed the case or a step since it was loaded.
    /// </summary>
    public async Task SaveAsync(AppDbContext db, Case c, CaseSnapshot? before, CancellationToken ct)
    {
        if (!db.InTransaction)
        {
            throw new InvalidOperationException("A case is saved inside its act's transaction.");
        }

        var session = await RowSession.OpenAsync(db, _sql, ct);
        var writes = new RowSession.Builder(session, _sql);

        // The journal head, read locked: concurrent acts queue here (SQLite's write transaction is already exclusive). A new
        // case's row goes to the server in the same round trip, before it.
        (string Sql, IReadOnlyList<Arg> Args, IReadOnlyList<ColumnMap> Columns) selectHead = (
            _sql.SelectForUpdate(_heads.Table, [_headSequence.Name, _headHash.Name], $"{_sql.Quote(_headId.Name)} = {CaseJournal.HeadId}"),
            [], [_headSequence, _headHash]);
        var journalled = c.PendingRecords.Count > 0;
        List<object?[]>? found = null;
        if (before is null)
        {
            var key = _cases.Columns[_caseKey];
            var args = _cases.Columns.Where(column => column != key).Select(column => new Arg(column, column.Get!(c))).ToList();
            (string, IReadOnlyList<Arg>, IReadOnlyList<ColumnMap>) insert = (_insertCase, args, [key]);
            var (id, heads) = journalled
                ? await session.QueryBothAsync(insert, selectHead, ct)
                : (await session.QueryAsync(_insertCase, args, [key], ct), null);
            SetId(c, Convert.ToInt64(id.Single()[0], CultureInfo.InvariantCulture));
            found = heads;
        }
        else if (journalled)
        {
            found = await session.QueryAsync(selectHead.Sql, selectHead.Args, selectHead.Columns, ct);
        }

        (long Sequence, string Hash, bool Exists) head = found is [var row, ..]
            ? (Convert.ToInt64(row[0], CultureInfo.InvariantCulture), (string)row[1]!, true)
            : (0, JournalChain.Genesis, false);

        if (before is not null)
        {
            AppendUpdate(_cases, c, before.Row, null);
        }

        object? CaseId(ColumnMap column) => c.Id;
        foreach (var step in c.Steps)
        {
            if (before?.Steps.TryGetValue(step.WorkItemId, out var old) == true)
            {
                AppendUpdate(_steps, step, old, CaseId);
            }
            else
            {
                AppendInsert(_steps, [step], CaseId);
            }
        }

        if (c.PendingRecords.Count > 0)
        {
            var entries = CaseJournal.Chain(c, head.Sequence, head.Hash);
            AppendInsert(_journal, entries, null);
            var last = entries[^1];
            var text = writes.Text;
            if (!head.Exists)
            {
                text.Append($"INSERT INTO {_sql.Quote(_heads.Table)} ")
                    .Append($"({_sql.Quote(_headId.Name)}, {_sql.Quote(_headSequence.Name)}, {_sql.Quote(_headHash.Name)}) VALUES ({CaseJournal.HeadId}, ")
                    .Append(writes.Param(_headSequence, last.Sequence)).Append(", ").Append(writes.Param(_headHash, last.Hash)).Append(");");
            }
            else
            {
                text.Append($"UPDATE {_sql.Quote(_heads.Table)} SET {_sql.Quote(_headSequence.Name)} = ").Append(writes.Param(_headSequence, last.Sequence))
                    .Append($", {_sql.Quote(_headHash.Name)} = ").Append(writes.Param(_headHash, last.Hash))
                    .Append($" WHERE {_sql.Quote(_headId.Name)} = {CaseJournal.HeadId} AND {_sql.Quote(_headSequence.Name)} = ")
                    .Append(writes.Param(_headSequence, head.Sequence)).Append(';');
            }

            writes.End();
        }

        await session.ExecuteAsync(writes.Statements, ct);
        c.ClearPendingRecords();

        void AppendInsert(TableMap table, IReadOnlyList<object> entities, Func<ColumnMap, object?>? shadow)
        {
            var args = new List<Arg>(table.Columns.Count * entities.Count);
            foreach (var entity in entities)
            {
                foreach (var column in table.Columns)
                {
                    args.Add(new Arg(column, column.Get is { } get ? get(entity) : shadow!(column)));
                }
            }

            writes.Add(InsertSql(table, entities.Count, writes.Offset), args, entities.Count);
        }

        void AppendUpdate(TableMap table, object entity, object?[] old, Func<ColumnMap, object?>? shadow)
        {
            var text = writes.Text;
            var now = table.ProviderValues(entity, shadow);
            var first = true;
            for (var i = 0; i < now.Length; i++)
            {
                if (ColumnMap.SameProviderValue(now[i], old[i]))
                {
                    continue;
                }

                var column = table.Columns[i];
                text.Append(first ? $"UPDATE {_sql.Quote(table.Table)} SET " : ", ")
                    .Append(_sql.Quote(column.Name)).Append(" = ").Append(writes.Param(column, column.Get is { } get ? get(entity) : shadow!(column)));
                first = false;
            }

            if (first)
            {
                return;
            }

            // The row as it was: its key and its concurrency tokens.
            var where = table == _cases ? [_caseKey, .. _caseTokens] : _stepKeys.Concat(_stepTokens).ToArray();
            for (var k = 0; k < where.Length; k++)
            {
                var column = table.Columns[where[k]];
                text.Append(k == 0 ? " WHERE " : " AND ").Append(_sql.Quote(column.Name)).Append(" = ")
                    .Append(writes.Param(column, column.FromProvider(old[where[k]])));
            }

            text.Append(';');
            writes.End();
        }
    }

    /// <summary>Increments a numbering series (a day's case numbers, a year's certificates) in the current transaction.</summary>
    public async Task<int> NextInSeriesAsync(AppDbContext db, string series, CancellationToken ct)
    {
        var session = await RowSession.OpenAsync(db, _sql, ct);
        var sql = _sql.Increment(_counters.Table, _counterKey.Name, _counterValue.Name,
            _sql.Helper.GenerateParameterNamePlaceholder(RowSession.ParameterName(0)));
        var rows = await session.QueryAsync(sql, [new Arg(_counterKey, series)], [_counterValue], ct);
        return rows.Count > 0 ? Convert.ToInt32(rows[0][0], CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"The series {series} returned no value.");
    }

    /// <summary>The text of an INSERT of <paramref name="rows"/> rows, its placeholders from <paramref name="offset"/> (kept: SQLite's prepared statements are
    /// found by it).</summary>
    private string InsertSql(TableMap table, int rows, int offset) => _inserts.GetOrAdd((table.Table, rows, offset), _ =>
    {
        var text = new StringBuilder("INSERT INTO ").Append(_sql.Quote(table.Table)).Append(" (").Append(ColumnList(table)).Append(") VALUES ");
        var index = offset;
        for (var e = 0; e < rows; e++)
        {
            text.Append(e == 0 ? "(" : ", (");
            for (var i = 0; i < table.Columns.Count; i++)
            {
                text.Append(i == 0 ? "" : ", ").Append(_sql.Helper.GenerateParameterNamePlaceholder(RowSession.ParameterName(index++)));
            }

            text.Append(')');
        }

        return text.Append(';').ToString();
    });

    private string ColumnList(TableMap table) => string.Join(", ", table.Columns.Select(c => _sql.Quote(c.Name)));

    private static readonly System.Reflection.PropertyInfo IdProperty = typeof(Case).GetProperty(nameof(Case.Id))!;

    private static void SetId(Case c, long id) => IdProperty.SetValue(c, id);
}
