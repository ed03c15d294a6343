using System.Threading.Channels;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Documents;

/// <summary>
/// Renders the documents' outbox (<see cref="PendingDocument"/>) on every node: woken in-process right after an act's
/// commit (it observes the acts), else looking every <see cref="Poll"/> and at start (rows left by a restart, by
/// another node, or due for a retry). Each row is leased before rendering (its next attempt moved on by <see cref="Lease"/>,
/// only if no one moved it first), so two nodes do not both render it; if both ever do — a lease run out on a slow node —
/// the unique (case, kind, moment) of <see cref="CaseDocument"/> keeps one. A failed rendering is retried after
/// <see cref="Backoff"/>, up to <see cref="MaxAttempts"/>; the row then stays with its last error, and the document is
/// rendered on demand from its words (<see cref="CaseDocumentArchive.IssuedAsync"/>).
/// </summary>
public sealed class DocumentWorker(IDbContextFactory<AppDbContext> dbFactory, DocumentRenderer renderer, IDocumentSigner signer, StorageOptions storage,
    TimeProvider clock, ILogger<DocumentWorker> logger) : BackgroundService, ICaseActObserver
{
    public const int MaxAttempts = 10;

    private const int Batch = 20;

    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    /// <summary>Long enough for any rendering (tens of milliseconds); a node that died while rendering holds its row this long.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>10 s, 20 s, 40 s… (capped at an hour): the last of <see cref="MaxAttempts"/> comes about 1.4 hours after the first.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(10 * Math.Pow(2, Math.Max(0, attempts - 1)), 3600));

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>One pass at a time in this process (another node's passes race through the lease).</summary>
    private readonly SemaphoreSlim _pass = new(1, 1);

    /// <summary>After a saved act: render what it issued now, not at the next look.</summary>
    public Task SavedAsync(long caseId, CancellationToken ct)
    {
        _wake.Writer.TryWrite(true);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DrainAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database is unreachable or not migrated yet: look again later; the rows wait.
                logger.LogWarning(e, "The document worker could not look for documents to render");
            }
            catch (Exception)
            {
                return; // stopping: what is left waits for the next start
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            wait.CancelAfter(Poll);
            try
            {
                await _wake.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // No act here meanwhile: look anyway (another node's rows, retries).
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Renders and stores every document due now and returns how many it stored. A pass under way in this process is
    /// waited for first, so afterwards nothing that was due is left unless it failed (or another node holds it).
    /// </summary>
    public async Task<int> DrainAsync(CancellationToken ct = default)
    {
        await _pass.WaitAsync(ct);
        try
        {
            var stored = 0;
            while (true)
            {
                var now = clock.GetUtcNow();
                List<PendingDocument> due;
                await using (var db = await dbFactory.CreateDbContextAsync(ct))
                {
                    due = await db.PendingDocuments.AsNoTracking().Where(p => p.Attempts < MaxAttempts && p.NextAttemptAt <= now)
                        .OrderBy(p => p.NextAttemptAt).ThenBy(p => p.Id).Take(Batch).ToListAsync(ct);
                }

                var claimed = 0;
                foreach (var row in due)
                {
                    if (await ClaimAsync(row, now, ct))
                    {
                        claimed++;
                        stored += await RenderAsync(row, ct) ? 1 : 0;
                    }
                }

                if (claimed == 0)
                {
                    return stored;
                }
            }
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>
    /// Renders and stores one document now, if it is due and no worker holds it: for a download that comes before the worker.
    /// Not cancelled with the request (a rendering is short; abandoned, its lease would hold the row). True when stored here.
    /// </summary>
    public async Task<bool> RenderNowAsync(PendingDocument row)
    {
        var now = clock.GetUtcNow();
        return row.Attempts < MaxAttempts && row.NextAttemptAt <= now && await ClaimAsync(row, now, CancellationToken.None)
            && await RenderAsync(row, CancellationToken.None);
    }

    /// <summary>Takes the row for this worker for <see cref="Lease"/>, unless another worker took it first.</summary>
    private async Task<bool> ClaimAsync(PendingDocument row, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var gate = await SqliteWriteGate.EnterAsync(db, ct);
        var claimed = await db.PendingDocuments.Where(p => p.Id == row.Id && p.Attempts == row.Attempts && p.NextAttemptAt == row.NextAttemptAt)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.Attempts, row.Attempts + 1).SetProperty(p => p.NextAttemptAt, now + Lease), ct);
        return claimed == 1;
    }

    /// <summary>Renders a claimed row and stores the document; a failure is kept on the row for the next attempt. True when stored here.</summary>
    private async Task<bool> RenderAsync(PendingDocument row, CancellationToken ct)
    {
        var attempts = row.Attempts + 1;
        try
        {
            var content = IssuedContent.Read(row.Content);
            // Signed last, over the final bytes: what is stored, hashed and downloaded is the signed document.
            var pdf = await signer.SignAsync(renderer.Render(content), SigningRequest.For(content), ct);
            return await StoreAsync(row, pdf, renderer.MissingCharacters(content), ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            var next = clock.GetUtcNow() + Backoff(attempts);
            var error = $"{e.GetType().Name}: {e.Message}";
            error = error.Length > 1000 ? error[..1000] : error;
            if (attempts >= MaxAttempts)
            {
                logger.LogError(e, "Gave up rendering the {Kind} of case {CaseId} after {Attempts} attempts; it is rendered on demand until an administrator "
                    + "puts it back (PendingDocuments row {Id})", row.Kind, row.CaseId, attempts, row.Id);
            }
            else
            {
                logger.LogWarning(e, "Could not render the {Kind} of case {CaseId} (attempt {Attempts}); trying again at {Next}",
                    row.Kind, row.CaseId, attempts, next);
            }

            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            using var gate = await SqliteWriteGate.EnterAsync(db, CancellationToken.None);
            await db.PendingDocuments.Where(p => p.Id == row.Id).ExecuteUpdateAsync(
                u => u.SetProperty(p => p.NextAttemptAt, next).SetProperty(p => p.LastError, error), CancellationToken.None);
            return false;
        }
    }

    /// <summary>
    /// Keeps the PDF as a file named by its hash, then in one save: the <see cref="CaseDocument"/> row, the file's registration,
    /// the journal's note of characters no font has, and the outbox row's removal. Not stored again if another worker did.
    /// </summary>
    private async Task<bool> StoreAsync(PendingDocument row, byte[] pdf, IReadOnlyList<string> missing, CancellationToken ct)
    {
        var sha = ContentFiles.Sha256Of(pdf);
        var created = await ContentFiles.WriteAsync(storage.DataFolder, sha, pdf, ct);
        var kept = false;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                using var gate = await SqliteWriteGate.EnterAsync(db, ct);
                if (!await db.PendingDocuments.AnyAsync(p => p.Id == row.Id, ct))
                {
                    return false; // stored by a worker whose lease this one outlived
                }

                var storedBefore = await db.CaseDocuments.AnyAsync(d => d.CaseId == row.CaseId && d.Kind == row.Kind && d.IssuedAt == row.IssuedAt, ct);
                if (!storedBefore)
                {
                    await AddAsync(db, row, pdf.Length, sha, missing, ct);
                }

                db.PendingDocuments.Remove(new PendingDocument { Id = row.Id });
                try
                {
                    await db.SaveChangesAsync(ct);
                    kept = !storedBefore;
                    return kept;
                }
                catch (DbUpdateException e) when (attempt < 4 && (e is DbUpdateConcurrencyException || SqlDialect.IsUniqueViolation(e)))
                {
                    // Another writer moved the journal's head, stored this document or removed its row meanwhile: look again.
                }
            }
        }
        finally
        {
            if (created && !kept)
            {
                await ContentFiles.ForgetUnregisteredAsync(dbFactory, storage.DataFolder, sha);
            }
        }
    }

    private async Task AddAsync(AppDbContext db, PendingDocument row, long size, string sha, IReadOnlyList<string> missing, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var kind = Enum.Parse<CaseDocumentKind>(row.Kind);
        if (missing.Count > 0)
        {
            // Printed as □: the case's journal says which characters the stored document lacks.
            var number = await db.Cases.Where(c => c.Id == row.CaseId).Select(c => c.Number).FirstOrDefaultAsync(ct);
            await CaseJournal.AppendEventAsync(db, row.CaseId, number, now, CaseDocumentArchive.SystemActor, "文书缺字", "",
                $"{CaseDocuments.Title(kind)}中有{missing.Count}个字符没有可用字体，印为“□”：{CaseDocumentArchive.Describe(missing)}",
                new Dictionary<string, string> { ["document"] = row.Kind, ["missing"] = CaseDocumentArchive.Describe(missing) }, ct);
        }

        await ContentFiles.RegisterAsync(db, sha, "application/pdf", size, now, ct);
        db.CaseDocuments.Add(new CaseDocument
        {
            CaseId = row.CaseId,
            Kind = row.Kind,
            IssuedAt = row.IssuedAt,
            FileName = row.FileName,
            Sha256 = sha,
            StoredAt = now,
        });
    }
}
