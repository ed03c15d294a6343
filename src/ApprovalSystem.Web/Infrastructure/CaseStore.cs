using System.Globalization;
using System.Security.Cryptography;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>What an act runs with: the unit of work, the working-day calendar and the moment.</summary>
public sealed record CaseActContext(AppDbContext Db, WorkingTime Time, DateTimeOffset Now);

/// <summary>The case that an act referred to does not exist (or is not visible to the actor).</summary>
public sealed class CaseNotFoundException(string message) : Exception(message);

/// <summary>
/// Loads a case, runs one act on it, and writes the case, its steps and its journal records in one
/// transaction, with what else the act added to the unit of work (register records) and what the
/// features' <see cref="ICaseActWriter"/>s add (notifications, outbox messages). The case's own rows go through <see cref="Persistence.CaseRows"/> (the hot
/// path, decision 0009); everything else through EF Core. Optimistic concurrency guards the case and
/// its steps: when another writer got there first, the act is run again on fresh data — it then
/// either succeeds (the other writer touched something else, e.g. another branch of a joint step)
/// or fails with the domain's own message ("该环节已由…于…办理"). The journal head is read locked, so
/// concurrent acts queue on it rather than fail.
/// </summary>
/// <remarks>An act must not call the store again from inside its callback: on SQLite the act holds the write gate.
/// After a successful save the features' <see cref="ICaseActObserver"/>s hear of it (documents to render, dashboards to refresh); they never fail the act.
/// Infrastructure names no feature: features register their writers and observers.</remarks>
public sealed class CaseStore(IDbContextFactory<AppDbContext> dbFactory, WorkingTimeProvider workingTime, TimeProvider clock, StorageOptions storage,
    IEnumerable<ICaseActWriter> writers, IEnumerable<ICaseActObserver> observers, Persistence.SqliteActContexts? sqliteContexts = null,
    ICaseActProbe? probe = null, Observability.AppMetrics? metrics = null)
{
    private const int Attempts = 5;

    public TimeProvider Clock => clock;

    /// <summary>
    /// Runs an act on an existing case and saves it. The act runs inside the write transaction (on
    /// SQLite an exclusive one), so what it reads through <see cref="CaseActContext.Db"/> and the
    /// numbers it draws (<see cref="NextNumberAsync"/>) are consistent with what is written.
    /// </summary>
    public async Task<Case> ExecuteAsync(long caseId, CaseActor actor, Func<Case, CaseActContext, Task> act, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            Case c = null!;
            IReadOnlyList<CaseRecord> saved = [];
            if (!await InContextAsync(async db =>
                {
                    var rows = Persistence.CaseRows.For(db);
                    var loaded = await rows.LoadAsync(db, caseId, ct);
                    if (loaded is not var (found, snapshot) || !found.IsVisibleTo(actor))
                    {
                        throw new CaseNotFoundException("办件不存在，或您无权查看");
                    }

                    c = found;
                    var time = await workingTime.GetAsync(ct);
                    var stepsBefore = c.OpenSteps.Select(s => s.WorkItemId).ToHashSet();
                    var termsBefore = SearchTerms.OfCase(c.Number, c.Applicant.Name);
                    var stateBefore = c.State;
                    var departmentsBefore = StateCounts.DepartmentsOf(c);
                    await Read(ct);
                    return await WroteAsync(db, attempt, "同时办理的人较多，本次未能保存，请稍后重试", async () =>
                    {
                        await act(c, new CaseActContext(db, time, clock.GetUtcNow()));
                        saved = await SaveAsync(db, rows, c, snapshot, (stateBefore, departmentsBefore), stepsBefore, termsBefore, null, ct);
                    }, ct);
                }, ct))
            {
                // Someone else wrote first; run the act again on what they left.
                continue;
            }

            metrics?.CaseActSaved(c, saved);
            await SavedAsync(c.Id);
            return c;
        }
    }

    /// <summary>Creates a case (a draft, or a filing that goes further at once) and saves it with its journal records.</summary>
    /// <param name="afterInsert">Adds what belongs with the new case (it has its id by then) to the same transaction.</param>
    public async Task<Case> CreateAsync(Func<CaseActContext, Task<Case>> create, Action<AppDbContext, Case>? afterInsert = null, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            Case c = null!;
            IReadOnlyList<CaseRecord> saved = [];
            if (!await InContextAsync(async db =>
                {
                    var rows = Persistence.CaseRows.For(db);
                    var time = await workingTime.GetAsync(ct);
                    await Read(ct);
                    return await WroteAsync(db, attempt, "同时提交的人较多，本次未能保存，请稍后重试", async () =>
                    {
                        c = await create(new CaseActContext(db, time, clock.GetUtcNow()));
                        saved = await SaveAsync(db, rows, c, null, (null, null), [], null, afterInsert, ct);
                    }, ct);
                }, ct))
            {
                continue;
            }

            metrics?.CaseActSaved(c, saved);
            await SavedAsync(c.Id);
            return c;
        }
    }

    /// <summary>
    /// Runs one act over several cases in one transaction (a bundle 一件事 accepting its members, starting a waiting member,
    /// stopping the rest: decision 0054): all are saved, or none. The caller authorises the act (the cases are loaded as they are);
    /// a race with another writer runs the act again on fresh data.
    /// </summary>
    public async Task<IReadOnlyList<Case>> ExecuteManyAsync(IReadOnlyList<long> caseIds, Func<IReadOnlyList<Case>, CaseActContext, Task> act,
        CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var saved = new List<(Case Case, IReadOnlyList<CaseRecord> Records)>();
            if (!await InContextAsync(async db =>
                {
                    var rows = Persistence.CaseRows.For(db);
                    var loaded = new List<(Case Case, Persistence.CaseSnapshot Snapshot, HashSet<string> Steps, IReadOnlySet<string> Terms, CaseState State,
                        IReadOnlySet<string> Departments)>();
                    foreach (var id in caseIds)
                    {
                        var (found, snapshot) = await rows.LoadAsync(db, id, ct) ?? throw new CaseNotFoundException("办件不存在");
                        loaded.Add((found, snapshot, found.OpenSteps.Select(s => s.WorkItemId).ToHashSet(),
                            SearchTerms.OfCase(found.Number, found.Applicant.Name), found.State, StateCounts.DepartmentsOf(found)));
                    }

                    var time = await workingTime.GetAsync(ct);
                    await Read(ct);
                    return await WroteAsync(db, attempt, "同时办理的人较多，本次未能保存，请稍后重试", async () =>
                    {
                        await act([.. loaded.Select(l => l.Case)], new CaseActContext(db, time, clock.GetUtcNow()));
                        foreach (var l in loaded)
                        {
                            saved.Add((l.Case, await SaveAsync(db, rows, l.Case, l.Snapshot, (l.State, l.Departments), l.Steps, l.Terms, null, ct)));
                        }

                        if (db.ChangeTracker.HasChanges())
                        {
                            await db.SaveChangesAsync(ct);
                        }
                    }, ct);
                }, ct))
            {
                continue;
            }

            return await SavedAllAsync(saved);
        }
    }

    /// <summary>Creates several cases (a bundle's members) in one transaction with what belongs with them (<paramref name="afterInsert"/>).</summary>
    public async Task<IReadOnlyList<Case>> CreateManyAsync(Func<CaseActContext, Task<IReadOnlyList<Case>>> create,
        Func<AppDbContext, IReadOnlyList<Case>, CaseActContext, Task> afterInsert, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            IReadOnlyList<Case> cases = [];
            var saved = new List<(Case Case, IReadOnlyList<CaseRecord> Records)>();
            if (!await InContextAsync(async db =>
                {
                    var rows = Persistence.CaseRows.For(db);
                    var time = await workingTime.GetAsync(ct);
                    await Read(ct);
                    return await WroteAsync(db, attempt, "同时提交的人较多，本次未能保存，请稍后重试", async () =>
                    {
                        var ctx = new CaseActContext(db, time, clock.GetUtcNow());
                        cases = await create(ctx);
                        saved.Clear();
                        foreach (var c in cases)
                        {
                            saved.Add((c, await SaveAsync(db, rows, c, null, (null, null), [], null, null, ct)));
                        }

                        await afterInsert(db, cases, ctx);
                        if (db.ChangeTracker.HasChanges())
                        {
                            await db.SaveChangesAsync(ct);
                        }
                    }, ct);
                }, ct))
            {
                continue;
            }

            return await SavedAllAsync(saved);
        }
    }

    /// <summary>Counts the committed acts of several cases and tells the observers, case by case.</summary>
    private async Task<IReadOnlyList<Case>> SavedAllAsync(List<(Case Case, IReadOnlyList<CaseRecord> Records)> saved)
    {
        foreach (var (c, records) in saved)
        {
            metrics?.CaseActSaved(c, records);
        }

        foreach (var (c, _) in saved)
        {
            await SavedAsync(c.Id);
        }

        return [.. saved.Select(s => s.Case)];
    }

    /// <summary>
    /// The next case number 办件编号 for a region and day: 330799-20261123-0001. Drawn inside the act's
    /// transaction, so two clerks filing at the same moment get different numbers and a refused act
    /// leaves no gap.
    /// </summary>
    public static async Task<string> NextNumberAsync(AppDbContext db, string regionCode, DateTimeOffset now, CancellationToken ct)
    {
        var prefix = $"{regionCode}-{WorkingTime.LocalDate(now):yyyyMMdd}";
        var next = await NextInSeriesAsync(db, prefix, ct);
        return $"{prefix}-{next.ToString("0000", CultureInfo.InvariantCulture)}";
    }

    /// <summary>The next value of a numbering series (a day's case numbers, a year's certificates), inside the act's transaction.</summary>
    public static Task<int> NextInSeriesAsync(AppDbContext db, string series, CancellationToken ct)
    {
        if (!db.InTransaction)
        {
            throw new InvalidOperationException("Numbers are drawn inside a case act (CaseStore.CreateAsync or ExecuteAsync).");
        }

        return Persistence.CaseRows.For(db).NextInSeriesAsync(db, series, ct);
    }

    /// <summary>The region code 行政区划代码 that case and certificate numbers start with.</summary>
    public static async Task<string> RegionCodeAsync(AppDbContext db, CancellationToken ct) =>
        await db.Settings.Where(s => s.Key == "Region.Code").Select(s => s.Value).FirstOrDefaultAsync(ct) ?? "000000";

    /// <summary>A six-digit query code 查询码 from a cryptographic source.</summary>
    public static string NewQueryCode() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("000000", CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs one attempt of an act in a unit of work of its own: on SQLite a context whose connection
    /// stays open between acts (<see cref="Persistence.SqliteActContexts"/>), elsewhere one from the pool.
    /// </summary>
    private async Task<bool> InContextAsync(Func<AppDbContext, Task<bool>> attempt, CancellationToken ct)
    {
        if (sqliteContexts is null)
        {
            await using var pooled = await dbFactory.CreateDbContextAsync(ct);
            return await attempt(pooled);
        }

        var db = await sqliteContexts.RentAsync(ct);
        var clean = false;
        try
        {
            var wrote = await attempt(db);
            clean = true;
            return wrote;
        }
        finally
        {
            await sqliteContexts.ReturnAsync(db, clean);
        }
    }

    /// <summary>
    /// Another writer got there first: a changed case or step, a taken key (journal head, idempotency key), or the database broke a
    /// deadlock between two acts by rolling this one back.
    /// </summary>
    private static bool IsRace(Exception e) =>
        e is DbUpdateConcurrencyException || Persistence.SqlDialect.IsUniqueViolation(e) || Persistence.SqlDialect.IsDeadlock(e);

    /// <summary>
    /// Runs an act's work in one transaction and commits it. False when another writer won a race (the
    /// caller runs the act again on fresh data); after the last attempt the race is told in Chinese.
    /// </summary>
    private async Task<bool> WroteAsync(AppDbContext db, int attempt, string raceMessage, Func<Task> work, CancellationToken ct)
    {
        try
        {
            await InTransactionAsync(db, work, ct);
            return true;
        }
        catch (Exception e) when (attempt < Attempts && IsRace(e))
        {
            return false;
        }
        catch (Exception e) when (IsRace(e))
        {
            throw new CaseRuleException(raceMessage, e);
        }
    }

    /// <summary>On SQLite the process's writers first queue at <see cref="Persistence.SqliteWriteGate"/>; a failure rolls the work back.</summary>
    private async Task InTransactionAsync(AppDbContext db, Func<Task> work, CancellationToken ct)
    {
        using var gate = await Persistence.SqliteWriteGate.EnterAsync(db, ct);
        if (gate is not null && await Persistence.RowSession.BeginNativeAsync(db, ct) is { } native)
        {
            // SQLite: the transaction is the native connection's; EF Core saves inside it without its own.
            db.InActTransaction = true;
            db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
            try
            {
                await work();
                await BeforeCommit(ct);
                await native.CommitAsync(ct);
            }
            catch
            {
                await native.RollbackAsync();
                throw;
            }
            finally
            {
                db.InActTransaction = false;
                db.Database.AutoTransactionBehavior = AutoTransactionBehavior.WhenNeeded;
            }

            return;
        }

        // No savepoints around EF's saves inside the act: an act that fails rolls its whole transaction back, so they would
        // only cost two round trips each (docs/benchmarks.md, "where a pair's time goes").
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            await work();
            await BeforeCommit(ct);
            await tx.CommitAsync(ct);
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = true;
        }
    }

    /// <summary>
    /// Writes what the act did: the case's own rows and journal records (<see cref="Persistence.CaseRows"/>),
    /// then, through EF, what belongs with them (<paramref name="afterInsert"/>), its notifications and
    /// outbox messages, and whatever else the act added to the unit of work.
    /// </summary>
    /// <param name="counted">The case's state and departments as loaded (nulls for a new case): the counts of cases per state and per
    /// department follow them (decision 0021).</param>
    /// <param name="termsBefore">The case's search terms as loaded (null for a new case): its index entries follow its number and applicant.</param>
    /// <returns>The journal records the act wrote (counted in the metrics once committed).</returns>
    private async Task<IReadOnlyList<CaseRecord>> SaveAsync(AppDbContext db, Persistence.CaseRows rows, Case c, Persistence.CaseSnapshot? before,
        (CaseState? State, IReadOnlySet<string>? Departments) counted, IReadOnlyCollection<string> stepsBefore, IReadOnlySet<string>? termsBefore,
        Action<AppDbContext, Case>? afterInsert, CancellationToken ct)
    {
        var records = c.PendingRecords.ToList();
        await rows.SaveAsync(db, c, before, ct);
        await SearchTerms.WriteCaseAsync(db, c.Id, termsBefore, SearchTerms.OfCase(c.Number, c.Applicant.Name), ct);
        StateCounts.Move(db, StateCounts.CaseState, counted.State, c.State);
        StateCounts.Touch(db, counted.Departments, StateCounts.DepartmentsOf(c));
        afterInsert?.Invoke(db, c);
        var write = new CaseActWrite(db, c, records, stepsBefore, clock.GetUtcNow());
        foreach (var writer in writers)
        {
            await writer.WriteAsync(write, ct);
        }

        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync(ct);
        }

        return records;
    }

    public string DataFolder => storage.DataFolder;

    private ValueTask Read(CancellationToken ct) => probe?.ReadAsync(ct) ?? ValueTask.CompletedTask;

    private ValueTask BeforeCommit(CancellationToken ct) => probe?.BeforeCommitAsync(ct) ?? ValueTask.CompletedTask;

    /// <summary>Tells the observers of the saved act (documents to render, dashboards to refresh); not cancelled with the request.</summary>
    private async Task SavedAsync(long caseId)
    {
        foreach (var observer in observers)
        {
            await observer.SavedAsync(caseId, CancellationToken.None);
        }
    }
}
