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
/// Loads a case, runs one act on it, writes the case, its steps and its journal records in one
/// save. Optimistic concurrency guards the case, its steps and the journal head: when another
/// writer got there first, the act is run again on fresh data — it then either succeeds (the
/// other writer touched something else, e.g. another branch of a joint step) or fails with the
/// domain's own message ("该环节已由…于…办理").
/// </summary>
/// <remarks>After a successful save, the documents the act issued are stored (<see cref="Documents.CaseDocumentArchive"/>); that step never fails the act.</remarks>
public sealed class CaseStore(IDbContextFactory<AppDbContext> dbFactory, WorkingTimeProvider workingTime, TimeProvider clock, StorageOptions storage,
    Documents.CaseDocumentArchive? documents = null, Features.Supervision.SupervisionLive? live = null)
{
    private const int Attempts = 5;

    public TimeProvider Clock => clock;

    /// <summary>Runs an act on an existing case and saves it.</summary>
    public async Task<Case> ExecuteAsync(long caseId, CaseActor actor, Func<Case, CaseActContext, Task> act, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var c = await db.Cases.FirstOrDefaultAsync(x => x.Id == caseId, ct);
            if (c is null || !c.IsVisibleTo(actor))
            {
                throw new CaseNotFoundException("办件不存在，或您无权查看");
            }

            var time = await workingTime.GetAsync(ct);
            var stepsBefore = c.OpenSteps.Select(s => s.WorkItemId).ToHashSet();
            await act(c, new CaseActContext(db, time, clock.GetUtcNow()));
            await CaseNotifier.AddAsync(db, c, c.PendingRecords.ToList(), stepsBefore, ct);
            await Features.Exchange.Outbound.ExchangeOutbox.AddAsync(db, c, c.PendingRecords, ct);
            await CaseJournal.AppendAsync(db, c, ct);
            try
            {
                await db.SaveChangesAsync(ct);
                await CaptureDocumentsAsync(c.Id);
                live?.Publish();
                return c;
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                // Someone else wrote first; run the act again on what they left.
            }
            catch (DbUpdateException e) when (attempt < Attempts && IsJournalRace(e))
            {
            }
            catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || IsJournalRace(e))
            {
                throw new CaseRuleException("同时办理的人较多，本次未能保存，请稍后重试", e);
            }
        }
    }

    /// <summary>Creates a case (a draft, or a filing that goes further at once) and saves it with its journal records.</summary>
    public async Task<Case> CreateAsync(Func<CaseActContext, Task<Case>> create, Action<AppDbContext, Case>? afterInsert = null, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var time = await workingTime.GetAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            try
            {
                var c = await create(new CaseActContext(db, time, clock.GetUtcNow()));

                // The case's id is part of every journal record's hash: insert it first.
                db.Cases.Add(c);
                await db.SaveChangesAsync(ct);
                afterInsert?.Invoke(db, c);
                await CaseNotifier.AddAsync(db, c, c.PendingRecords.ToList(), [], ct);
                await Features.Exchange.Outbound.ExchangeOutbox.AddAsync(db, c, c.PendingRecords, ct);

                await CaseJournal.AppendAsync(db, c, ct);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                await CaptureDocumentsAsync(c.Id);
                live?.Publish();
                return c;
            }
            catch (DbUpdateException e) when (attempt < Attempts && (e is DbUpdateConcurrencyException || IsJournalRace(e)))
            {
                await tx.RollbackAsync(ct);
            }
            catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || IsJournalRace(e))
            {
                throw new CaseRuleException("同时提交的人较多，本次未能保存，请稍后重试", e);
            }
        }
    }

    /// <summary>
    /// The next case number 办件编号 for a region and day: 330799-20261123-0001. The per-day counter
    /// row is updated optimistically, so two clerks filing at the same moment get different numbers.
    /// </summary>
    public static async Task<string> NextNumberAsync(AppDbContext db, string regionCode, DateTimeOffset now, CancellationToken ct)
    {
        var prefix = $"{regionCode}-{WorkingTime.LocalDate(now):yyyyMMdd}";
        var counter = await db.CaseNumberCounters.FirstOrDefaultAsync(c => c.Prefix == prefix, ct);
        if (counter is null)
        {
            counter = new CaseNumberCounter { Prefix = prefix, Last = 0 };
            db.CaseNumberCounters.Add(counter);
        }

        counter.Last++;
        return $"{prefix}-{counter.Last.ToString("0000", CultureInfo.InvariantCulture)}";
    }

    /// <summary>The region code 行政区划代码 that case and certificate numbers start with.</summary>
    public static async Task<string> RegionCodeAsync(AppDbContext db, CancellationToken ct) =>
        await db.Settings.Where(s => s.Key == "Region.Code").Select(s => s.Value).FirstOrDefaultAsync(ct) ?? "000000";

    /// <summary>A six-digit query code 查询码 from a cryptographic source.</summary>
    public static string NewQueryCode() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("000000", CultureInfo.InvariantCulture);

    /// <summary>A unique-key violation on the journal or the number counter means another writer won a race.</summary>
    private static bool IsJournalRace(DbUpdateException e) =>
        e.InnerException?.Message is { } m && (m.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase) || m.Contains("duplicate key", StringComparison.OrdinalIgnoreCase) || m.Contains("23505", StringComparison.Ordinal));

    public string DataFolder => storage.DataFolder;

    /// <summary>Stores the documents the saved act issued; not cancelled with the request, as the act is already saved.</summary>
    private Task CaptureDocumentsAsync(long caseId) => documents?.CaptureAsync(caseId, CancellationToken.None) ?? Task.CompletedTask;
}
