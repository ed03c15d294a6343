using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Data;

/// <summary>
/// A change to an exact count kept by the writes themselves (decision 0021): how many rows of a table are in one state.
/// The count is the sum of its rows' deltas. Every write that adds a row or moves it between states adds a delta in its
/// own transaction (an insert: no row is updated, so concurrent writers never wait on each other), and
/// <see cref="StateCounts.CompactAsync"/> folds a count's rows into one now and then, so reading it stays a sum of a few rows
/// whatever the table's size.
/// </summary>
public class RowCount
{
    public long Id { get; set; }

    /// <summary>What is counted: <see cref="StateCounts.CaseState"/>, <see cref="StateCounts.DeliveryStatus"/>.</summary>
    public string Scope { get; set; } = "";

    /// <summary>The state as stored (the enum's name).</summary>
    public string Bucket { get; set; } = "";

    public long Delta { get; set; }
}

/// <summary>The exact counts kept with the writes (decision 0021): cases per state, webhook deliveries per status.</summary>
public static class StateCounts
{
    /// <summary>Cases per <see cref="Core.Cases.CaseState"/>: written by <see cref="Infrastructure.CaseStore"/> with the case.</summary>
    public const string CaseState = "case.state";

    /// <summary>Webhook deliveries per <see cref="Data.DeliveryStatus"/>: written by the outbox and the dispatcher.</summary>
    public const string DeliveryStatus = "delivery.status";

    /// <summary>
    /// Cases each department has touched (its lead department's, or one with a step of it): an officer's list of their
    /// department's cases. A case only ever gains departments, so this count only grows.
    /// </summary>
    public const string CaseDepartment = "case.department";

    /// <summary>The departments a case touches: its lead department and its steps'.</summary>
    public static HashSet<string> DepartmentsOf(Core.Cases.Case c)
    {
        var departments = c.Steps.Select(s => s.Department).ToHashSet(StringComparer.Ordinal);
        departments.Add(c.LeadDepartment);
        return departments;
    }

    /// <summary>Adds one case to the count of each department it touches now and did not before (<paramref name="before"/> null: a new case).</summary>
    public static void Touch(AppDbContext db, IReadOnlySet<string>? before, IReadOnlySet<string> now)
    {
        foreach (var department in now)
        {
            if (department.Length > 0 && before?.Contains(department) != true)
            {
                db.RowCounts.Add(new RowCount { Scope = CaseDepartment, Bucket = department, Delta = 1 });
            }
        }
    }

    /// <summary>One count: the sum of its few rows.</summary>
    public static async Task<int> ReadAsync(AppDbContext db, string scope, string bucket, CancellationToken ct = default) =>
        checked((int)await db.RowCounts.AsNoTracking().Where(r => r.Scope == scope && r.Bucket == bucket).SumAsync(r => r.Delta, ct));

    /// <summary>Adds a move of <paramref name="rows"/> rows from one state to another (either may be null: added, removed) to the unit of work.</summary>
    public static void Move<TState>(AppDbContext db, string scope, TState? from, TState? to, long rows = 1)
        where TState : struct, Enum
    {
        if (Nullable.Equals(from, to) || rows == 0)
        {
            return;
        }

        if (from is { } f)
        {
            db.RowCounts.Add(new RowCount { Scope = scope, Bucket = f.ToString(), Delta = -rows });
        }

        if (to is { } t)
        {
            db.RowCounts.Add(new RowCount { Scope = scope, Bucket = t.ToString(), Delta = rows });
        }
    }

    /// <summary>The count of every state of <paramref name="scope"/> (0 for a state without rows): one indexed sum of a few rows.</summary>
    public static async Task<Dictionary<TState, int>> ReadAsync<TState>(AppDbContext db, string scope, CancellationToken ct = default)
        where TState : struct, Enum
    {
        var sums = await db.RowCounts.AsNoTracking().Where(r => r.Scope == scope).GroupBy(r => r.Bucket)
            .Select(g => new { Bucket = g.Key, Count = g.Sum(r => r.Delta) }).ToListAsync(ct);
        var counts = Enum.GetValues<TState>().ToDictionary(s => s, _ => 0);
        foreach (var sum in sums)
        {
            if (Enum.TryParse<TState>(sum.Bucket, out var state))
            {
                counts[state] = checked((int)sum.Count);
            }
        }

        return counts;
    }

    /// <summary>
    /// Folds each count's rows into one. A count is folded in a transaction of its own: its rows up to the highest id read are
    /// summed and deleted, and the sum inserted; if the delete removes other rows than the sum read (another node folding at
    /// the same time, or a delta committed in between), it is rolled back and left for the next pass. Returns the rows removed.
    /// </summary>
    public static async Task<int> CompactAsync(AppDbContext db, CancellationToken ct = default)
    {
        var folds = await db.RowCounts.AsNoTracking().GroupBy(r => new { r.Scope, r.Bucket }).Where(g => g.Count() > 1)
            .Select(g => new { g.Key.Scope, g.Key.Bucket, Last = g.Max(r => r.Id) }).ToListAsync(ct);
        var removed = 0;
        foreach (var fold in folds)
        {
            var rows = db.RowCounts.Where(r => r.Scope == fold.Scope && r.Bucket == fold.Bucket && r.Id <= fold.Last);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var read = await rows.GroupBy(r => r.Scope).Select(g => new { Rows = g.Count(), Sum = g.Sum(r => r.Delta) }).SingleOrDefaultAsync(ct);
            if (read is null || read.Rows < 2 || await rows.ExecuteDeleteAsync(ct) != read.Rows)
            {
                await tx.RollbackAsync(ct);
                continue;
            }

            db.RowCounts.Add(new RowCount { Scope = fold.Scope, Bucket = fold.Bucket, Delta = read.Sum });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
            removed += read.Rows - 1;
        }

        return removed;
    }

    /// <summary>
    /// Recounts every scope from its table, in one transaction: for rows written around the application (a bulk load, a
    /// restore). The migration that made the table counted what was there the same way.
    /// </summary>
    public static async Task RebuildAsync(AppDbContext db, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.RowCounts.ExecuteDeleteAsync(ct);
        var cases = await db.Cases.IgnoreAutoIncludes().GroupBy(c => c.State).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct);
        db.RowCounts.AddRange(cases.Select(c => new RowCount { Scope = CaseState, Bucket = c.Key.ToString(), Delta = c.Count }));
        var deliveries = await db.Outbox.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct);
        db.RowCounts.AddRange(deliveries.Select(d => new RowCount { Scope = DeliveryStatus, Bucket = d.Key.ToString(), Delta = d.Count }));
        await db.SaveChangesAsync(ct);

        // The cases each department touched: its lead department's and its steps' (as the migration counted them).
        var sql = Infrastructure.Persistence.SqlDialect.For(db);
        string Q(string name) => sql.Quote(name);
        // Identifiers and constants only, quoted by the provider: nothing from outside.
        var insert =
            $"INSERT INTO {Q("RowCounts")} ({Q("Scope")}, {Q("Bucket")}, {Q("Delta")}) SELECT '{CaseDepartment}', {Q("Department")}, COUNT(*) FROM "
            + $"(SELECT {Q("LeadDepartment")} AS {Q("Department")}, {Q("Id")} AS {Q("CaseId")} FROM {Q("Cases")} "
            + $"UNION SELECT {Q("Department")}, {Q("CaseId")} FROM {Q("CaseSteps")}) touched WHERE {Q("Department")} <> '' GROUP BY {Q("Department")}";
        await db.Database.ExecuteSqlRawAsync(insert, ct);

        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
    }
}
