using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Privacy;

/// <summary>
/// Keeps personal data no longer than the procedure needs it (PIPL Art. 19, docs/privacy.md): deletes drafts not saved for
/// <see cref="PrivacyOptions.DraftRetentionDays"/> with their uploaded files, and the uploaded files of cases not accepted or
/// withdrawn <see cref="PrivacyOptions.RejectedUploadRetentionDays"/> after they ended. A daily Hangfire job; safe to run
/// twice or on two nodes at once (a case changed meanwhile is a concurrency conflict, left to the next run).
/// The journal is never touched: its rows are hash-chained, and a draft's hold only masked values.
/// </summary>
public sealed class RetentionJob(IDbContextFactory<AppDbContext> dbFactory, StorageOptions storage, PrivacyOptions options, TimeProvider time,
    ILogger<RetentionJob> logger)
{
    public const string JobId = "privacy-retention";

    private const int Batch = 100;

    private static readonly CaseActor SystemActor = CaseActor.System("个人信息保存期限");

    /// <summary>What one run removed.</summary>
    public sealed record Result(int DraftsDeleted, int CasesPurged, int FilesDeleted);

    public async Task RunAsync() => await RunAsync(CancellationToken.None);

    public async Task<Result> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var drafts = 0;
        var purged = 0;
        var files = new HashSet<string>(StringComparer.Ordinal);

        var draftCutoff = now.AddDays(-Math.Max(1, options.DraftRetentionDays));
        while (!ct.IsCancellationRequested)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);

            // A draft's age is its last save (its last journal entry), not its creation: a draft worked on recently stays.
            var batch = await db.Cases.Where(c => c.State == CaseState.Draft && c.CreatedAt < draftCutoff
                    && !db.Journal.Any(j => j.CaseId == c.Id && j.At >= draftCutoff))
                .OrderBy(c => c.Id).Take(Batch).ToListAsync(ct);
            var deleted = 0;
            foreach (var c in batch)
            {
                if (await DeleteDraftAsync(db, c, now, ct) is { } shas)
                {
                    deleted++;
                    files.UnionWith(shas);
                }
            }

            drafts += deleted;
            if (batch.Count < Batch || deleted == 0)
            {
                break;
            }
        }

        var uploadCutoff = now.AddDays(-Math.Max(1, options.RejectedUploadRetentionDays));
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // Cases that ended without a decision on the merits; the files are the applicant's, the case and its journal the centre's.
            var ended = await db.Cases.Where(c => (c.State == CaseState.NotAccepted || c.State == CaseState.Withdrawn) && c.ConcludedAt < uploadCutoff)
                .ToListAsync(ct);
            foreach (var c in ended.Where(c => c.Materials.Any(m => m.FileSha256 is not null)))
            {
                if (await ForgetUploadsAsync(db, c, now, ct) is { } shas)
                {
                    purged++;
                    files.UnionWith(shas);
                }
            }
        }

        var removed = 0;
        foreach (var sha in files)
        {
            removed += await DeleteFileIfUnusedAsync(sha, ct) ? 1 : 0;
        }

        if (drafts + purged > 0)
        {
            logger.LogInformation("Retention: deleted {Drafts} drafts, removed the uploads of {Cases} ended cases, {Files} files", drafts, purged, removed);
        }

        return new Result(drafts, purged, removed);
    }

    /// <summary>Deletes the draft and its rows; the hashes of its uploaded files, or null when it changed meanwhile.</summary>
    private async Task<List<string>?> DeleteDraftAsync(AppDbContext db, Case c, DateTimeOffset now, CancellationToken ct)
    {
        var shas = Uploaded(c);
        db.Cases.Remove(c);
        db.RowCounts.Add(new RowCount { Scope = StateCounts.CaseState, Bucket = nameof(CaseState.Draft), Delta = -1 });
        foreach (var department in StateCounts.DepartmentsOf(c).Where(d => d.Length > 0))
        {
            db.RowCounts.Add(new RowCount { Scope = StateCounts.CaseDepartment, Bucket = department, Delta = -1 });
        }

        await CaseJournal.AppendEventAsync(db, c.Id, null, now, SystemActor, "草稿超期删除", nameof(CaseState.Draft),
            $"草稿超过{options.DraftRetentionDays}日未保存，连同上传的材料删除", new Dictionary<string, string> { ["files"] = shas.Count.ToString(
                System.Globalization.CultureInfo.InvariantCulture) }, ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.CaseSearchTerms.Where(t => t.CaseId == c.Id).ExecuteDeleteAsync(ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return shas;
        }
        catch (DbUpdateException)
        {
            // Saved again meanwhile (a concurrency conflict on the case) or another node's journal append won: the next run looks again.
            db.ChangeTracker.Clear();
            return null;
        }
    }

    /// <summary>Takes the uploaded files off a case that ended; the hashes, or null when it changed meanwhile.</summary>
    private async Task<List<string>?> ForgetUploadsAsync(AppDbContext db, Case c, DateTimeOffset now, CancellationToken ct)
    {
        var shas = Uploaded(c);
        var entry = db.Entry(c);

        // The materials keep their names (what was handed in); the files go. The version moves, so a concurrent act conflicts.
        entry.Property(x => x.Materials).CurrentValue = c.Materials.Select(m => m with { FileSha256 = null }).ToList();
        entry.Property(x => x.Version).CurrentValue = c.Version + 1;
        await CaseJournal.AppendEventAsync(db, c.Id, c.Number, now, SystemActor, "材料超期删除", c.State.ToString(),
            $"{CaseLifecycle.Name(c.State)}办件上传的材料超过{options.RejectedUploadRetentionDays}日，已删除", null, ct);
        try
        {
            await db.SaveChangesAsync(ct);
            return shas;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return null;
        }
    }

    private static List<string> Uploaded(Case c) => c.Materials.Where(m => m.FileSha256 is not null).Select(m => m.FileSha256!).Distinct().ToList();

    /// <summary>
    /// Deletes a stored file no case, document or order refers to any more. Files are stored once by content, so the same scan
    /// uploaded to two cases is one file: it goes only with the last reference.
    /// </summary>
    private async Task<bool> DeleteFileIfUnusedAsync(string sha, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pattern = "%" + sha + "%";
        var inCases = await db.Database.SqlQuery<long>($"SELECT \"Id\" AS \"Value\" FROM \"Cases\" WHERE \"Materials\" LIKE {pattern}").AnyAsync(ct);
        var inOrders = await db.Database.SqlQuery<long>($"SELECT \"Id\" AS \"Value\" FROM \"SupervisionOrders\" WHERE \"Attachments\" LIKE {pattern}")
            .AnyAsync(ct);
        if (inCases || inOrders || await db.CaseDocuments.AnyAsync(d => d.Sha256 == sha, ct))
        {
            return false;
        }

        await db.StoredFiles.Where(f => f.Sha256 == sha).ExecuteDeleteAsync(ct);
        var path = ContentFiles.PathFor(storage.DataFolder, sha);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }
}
