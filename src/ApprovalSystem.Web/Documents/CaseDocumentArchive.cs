using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Documents;

/// <summary>
/// The documents exactly as issued. Every act writes what it issued, with its words as of the act, into the documents'
/// outbox in its own transaction (<see cref="DocumentOutbox"/>); right after the commit, outside the request,
/// <see cref="DocumentWorker"/> renders each and keeps the PDF as a file under the data folder named by its SHA-256,
/// with a <see cref="CaseDocument"/> row (decision 0016). Downloads serve those bytes (<see cref="IssuedAsync"/>: one that comes
/// before the worker has the document kept first); cases from before documents were stored are rendered as they are now.
/// </summary>
public sealed class CaseDocumentArchive(IDbContextFactory<AppDbContext> dbFactory, DocumentRenderer renderer, IDocumentSigner signer,
    IConfiguration configuration, StorageOptions storage, DocumentWorker worker, ILogger<CaseDocumentArchive> logger, IHttpContextAccessor? http = null)
{
    /// <summary>The moment of the act that issued a document of this kind (its identity among documents of the same kind).</summary>
    public static DateTimeOffset? IssuedAt(CaseDocumentKind kind, Case c) => kind switch
    {
        // Stored at filing, and again at acceptance with the materials the window checked (the first one stays as issued).
        CaseDocumentKind.Receipt => c.AcceptedAt ?? c.SubmittedAt,
        CaseDocumentKind.AcceptanceNotice => c.AcceptedAt,
        CaseDocumentKind.SupplementNotice => c.SupplementRequestedAt,
        CaseDocumentKind.NonAcceptanceNotice => c.ConcludedAt ?? c.SubmittedAt,
        CaseDocumentKind.ApprovalDecision or CaseDocumentKind.DenialDecision => c.DecidedAt,
        CaseDocumentKind.Certificate => c.CertificateIssuedAt,
        CaseDocumentKind.SpecialProcedureNotice => c.SpecialProcedures.LastOrDefault()?.StartedAt,
        CaseDocumentKind.ExtensionNotice => c.Extensions.LastOrDefault(e => e.Approved == true)?.AnsweredAt,
        CaseDocumentKind.ApplicationForm => c.SubmittedAt,
        CaseDocumentKind.CommitmentLetter => c.Commitment is null ? null : c.SubmittedAt,
        CaseDocumentKind.RevocationDecision => c.VerificationResult is { Truthful: false } v ? v.VerifiedAt : null,
    };

    /// <summary>The kinds that are issued at an act and so stored (the form printout is a print of the data, rendered on demand).</summary>
    public static bool IsIssued(CaseDocumentKind kind) => kind != CaseDocumentKind.ApplicationForm;

    /// <summary>The base of the verification URL in QR codes: Documents:PublicBaseUrl, else the current request's host.</summary>
    public string PublicBaseUrl(HttpRequest? request = null)
    {
        if (configuration["Documents:PublicBaseUrl"] is { Length: > 0 } configured)
        {
            return configured;
        }

        request ??= http?.HttpContext?.Request;
        return request is null ? "http://localhost" : $"{request.Scheme}://{request.Host}";
    }

    /// <summary>The actor of the journal entries the archive writes.</summary>
    public static readonly CaseActor SystemActor = CaseActor.System("文书系统");

    /// <summary>What a document of the case says as it is now.</summary>
    public async Task<DocumentContent> ContentAsync(CaseDocumentKind kind, Case c, string publicBaseUrl, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ContentAsync(db, kind, c, publicBaseUrl, ct);
    }

    /// <summary>What a document of the case says as it is now, read through the caller's unit of work (an act's, inside its transaction).</summary>
    public static async Task<DocumentContent> ContentAsync(AppDbContext db, CaseDocumentKind kind, Case c, string publicBaseUrl, CancellationToken ct)
    {
        var centre = await db.Settings.Where(s => s.Key == "Centre.Name").Select(s => s.Value).FirstOrDefaultAsync(ct) ?? "行政服务中心";
        var department = await db.Departments.Where(d => d.Code == c.LeadDepartment).Select(d => d.Name).FirstOrDefaultAsync(ct) ?? c.LeadDepartment;
        var fields = kind is CaseDocumentKind.ApplicationForm or CaseDocumentKind.Certificate
            ? await db.Matters.AsNoTracking().Where(m => m.Id == c.MatterId).Select(m => m.FormFields).FirstOrDefaultAsync(ct) ?? []
            : [];
        return CaseDocuments.Build(kind, c, centre, department, publicBaseUrl, fields.ToDictionary(f => f.Key, f => f.Label),
            fields.Where(f => !string.IsNullOrEmpty(f.Unit)).ToDictionary(f => f.Key, f => f.Unit!));
    }

    /// <summary>Renders a document of the case as it is now, signed by its issuer.</summary>
    public async Task<byte[]> RenderAsync(CaseDocumentKind kind, Case c, string publicBaseUrl, CancellationToken ct = default) =>
        await SignedAsync(await ContentAsync(kind, c, publicBaseUrl, ct), ct);

    /// <summary>A rendering signed by its issuer (<see cref="IDocumentSigner"/>): the last step over the final bytes.</summary>
    private async Task<byte[]> SignedAsync(DocumentContent content, CancellationToken ct) =>
        await signer.SignAsync(renderer.Render(content), SigningRequest.For(content), ct);

    /// <summary>The characters of a document of the case that no font has (they would print as □): for a warning
    /// before printing. Empty when every character prints.</summary>
    public async Task<IReadOnlyList<string>> MissingCharactersAsync(CaseDocumentKind kind, Case c, CancellationToken ct = default) =>
        renderer.MissingCharacters(await ContentAsync(kind, c, PublicBaseUrl(), ct));

    /// <summary>The journal's words for characters no font has: the characters and their code points (U+1F984).</summary>
    public static string Describe(IReadOnlyList<string> missing) =>
        string.Join("、", missing.Select(m => $"{m}（U+{char.ConvertToUtf32(m, 0):X4}）"));

    /// <summary>The latest stored document of a kind, or null when none was stored (not rendered yet, or an older case).</summary>
    public async Task<CaseDocument?> StoredAsync(long caseId, CaseDocumentKind kind, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var name = kind.ToString();
        return await db.CaseDocuments.AsNoTracking().Where(d => d.CaseId == caseId && d.Kind == name)
            .OrderByDescending(d => d.IssuedAt).ThenByDescending(d => d.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>A stored document's bytes as issued: its file, checked against its SHA-256 (<see cref="ContentFileException"/> when
    /// missing or changed), or the row's own content for documents stored before files.</summary>
    public async Task<byte[]> BytesAsync(CaseDocument document, CancellationToken ct = default)
    {
        try
        {
            return document.Content ?? await ContentFiles.ReadVerifiedAsync(storage.DataFolder, document.Sha256, ct);
        }
        catch (ContentFileException e)
        {
            logger.LogError(e, "The stored {Kind} of case {CaseId} (CaseDocuments row {Id}) cannot be served", document.Kind, document.CaseId, document.Id);
            throw;
        }
    }

    /// <summary>
    /// The latest issued document of a kind as the applicant gets it: the stored bytes. A download that comes before the
    /// worker renders and stores the document itself; one that finds it held by a worker, or failing, gets a rendering of
    /// its words as of the act, not kept. Null when the case has none issued (an older case: the caller renders it as it is).
    /// </summary>
    public async Task<IssuedDocument?> IssuedAsync(long caseId, CaseDocumentKind kind, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var name = kind.ToString();
        var stored = await db.CaseDocuments.AsNoTracking().Where(d => d.CaseId == caseId && d.Kind == name)
            .OrderByDescending(d => d.IssuedAt).ThenByDescending(d => d.Id).FirstOrDefaultAsync(ct);
        var pending = await db.PendingDocuments.AsNoTracking().Where(d => d.CaseId == caseId && d.Kind == name)
            .OrderByDescending(d => d.IssuedAt).FirstOrDefaultAsync(ct);
        if (pending is not null && (stored is null || pending.IssuedAt > stored.IssuedAt))
        {
            await worker.RenderNowAsync(pending);
            stored = await db.CaseDocuments.AsNoTracking()
                .FirstOrDefaultAsync(d => d.CaseId == caseId && d.Kind == name && d.IssuedAt == pending.IssuedAt, ct);
            if (stored is null)
            {
                return new IssuedDocument(pending.FileName, await SignedAsync(IssuedContent.Read(pending.Content), ct), Stored: false);
            }
        }

        return stored is null ? null : new IssuedDocument(stored.FileName, await BytesAsync(stored, ct), Stored: true);
    }
}

/// <summary>An issued document's file name and bytes; <paramref name="Stored"/> is false for a rendering of one not stored yet.</summary>
public sealed record IssuedDocument(string FileName, byte[] Pdf, bool Stored);
