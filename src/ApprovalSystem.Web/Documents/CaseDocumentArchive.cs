using System.Security.Cryptography;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Documents;

/// <summary>
/// Keeps the documents exactly as issued: after an act is saved, every document the case now has
/// that was not stored yet for that act's moment is rendered and stored (<see cref="CaseDocument"/>).
/// Downloads serve the stored bytes; cases from before this existed are rendered on demand.
/// A failure here is logged and never undoes the saved act (the document is then rendered on demand).
/// A stored document with characters no font has (printed as □) is journalled with those characters.
/// </summary>
public sealed class CaseDocumentArchive(IDbContextFactory<AppDbContext> dbFactory, DocumentRenderer renderer, IConfiguration configuration,
    ILogger<CaseDocumentArchive> logger,
    IHttpContextAccessor? http = null, TimeProvider? clock = null) : ICaseActObserver
{
    /// <summary>After every saved act: store what it issued (not cancelled with the request, as the act is already saved).</summary>
    public Task SavedAsync(long caseId, CancellationToken ct) => CaptureAsync(caseId, CancellationToken.None);

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
        var centre = await db.Settings.Where(s => s.Key == "Centre.Name").Select(s => s.Value).FirstOrDefaultAsync(ct) ?? "行政服务中心";
        var department = await db.Departments.Where(d => d.Code == c.LeadDepartment).Select(d => d.Name).FirstOrDefaultAsync(ct) ?? c.LeadDepartment;
        var fields = await db.Matters.AsNoTracking().Where(m => m.Id == c.MatterId).Select(m => m.FormFields).FirstOrDefaultAsync(ct) ?? [];
        return CaseDocuments.Build(kind, c, centre, department, publicBaseUrl, fields.ToDictionary(f => f.Key, f => f.Label));
    }

    /// <summary>Renders a document of the case as it is now.</summary>
    public async Task<byte[]> RenderAsync(CaseDocumentKind kind, Case c, string publicBaseUrl, CancellationToken ct = default) =>
        renderer.Render(await ContentAsync(kind, c, publicBaseUrl, ct));

    /// <summary>The characters of a document of the case that no font has (they would print as □): for a warning
    /// before printing. Empty when every character prints.</summary>
    public async Task<IReadOnlyList<string>> MissingCharactersAsync(CaseDocumentKind kind, Case c, CancellationToken ct = default) =>
        renderer.MissingCharacters(await ContentAsync(kind, c, PublicBaseUrl(), ct));

    /// <summary>The journal's words for characters no font has: the characters and their code points (U+1F984).</summary>
    public static string Describe(IReadOnlyList<string> missing) =>
        string.Join("、", missing.Select(m => $"{m}（U+{char.ConvertToUtf32(m, 0):X4}）"));

    /// <summary>The latest stored document of a kind, or null when none was stored (older cases).</summary>
    public async Task<CaseDocument?> StoredAsync(long caseId, CaseDocumentKind kind, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var name = kind.ToString();
        return await db.CaseDocuments.AsNoTracking().Where(d => d.CaseId == caseId && d.Kind == name).OrderByDescending(d => d.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>Stores the documents the case's saved acts issued and that are not stored yet. Never throws.</summary>
    public async Task CaptureAsync(long caseId, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await CaptureOnceAsync(caseId, ct);
                return;
            }
            catch (DbUpdateException e) when (attempt < 3 && (e is DbUpdateConcurrencyException || Infrastructure.Persistence.SqlDialect.IsUniqueViolation(e)))
            {
                // Another writer moved the journal's head (or stored the document) meanwhile: look again; what is stored is skipped.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The act is saved; the document will be rendered on demand instead.
                logger.LogWarning(e, "Could not store the documents of case {CaseId}", caseId);
                return;
            }
        }
    }

    private async Task CaptureOnceAsync(long caseId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var c = await db.Cases.AsNoTracking().FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (c is null)
        {
            return;
        }

        var stored = await db.CaseDocuments.Where(d => d.CaseId == caseId).Select(d => new { d.Kind, d.IssuedAt }).ToListAsync(ct);
        foreach (var kind in CaseDocuments.Available(c).Where(IsIssued))
        {
            if (IssuedAt(kind, c) is not { } at || stored.Any(s => s.Kind == kind.ToString() && Math.Abs((s.IssuedAt - at).TotalMilliseconds) < 1))
            {
                continue;
            }

            var content = await ContentAsync(kind, c, PublicBaseUrl(), ct);
            var pdf = renderer.Render(content);
            if (renderer.MissingCharacters(content) is { Count: > 0 } missing)
            {
                // Printed as □: the case's journal says which characters the stored document lacks.
                await CaseJournal.AppendEventAsync(db, caseId, c.Number, (clock ?? TimeProvider.System).GetUtcNow(), SystemActor, "文书缺字", "",
                    $"{CaseDocuments.Title(kind)}中有{missing.Count}个字符没有可用字体，印为“□”：{Describe(missing)}",
                    new Dictionary<string, string> { ["document"] = kind.ToString(), ["missing"] = Describe(missing) }, ct);
            }

            db.CaseDocuments.Add(new CaseDocument
            {
                CaseId = caseId,
                Kind = kind.ToString(),
                IssuedAt = at,
                FileName = $"{CaseDocuments.Title(kind)}-{c.Number}.pdf",
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(pdf)),
                Content = pdf,
                StoredAt = (clock ?? TimeProvider.System).GetUtcNow(),
            });
        }

        await db.SaveChangesAsync(ct);
    }
}
