using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Documents;

/// <summary>
/// The documents an act issued, written into the documents' outbox (<see cref="PendingDocument"/>) in the act's own
/// transaction with their words as of the act: committed with the act or not at all, so a restart between the commit
/// and the rendering loses none, and a later act cannot change what one says. <see cref="DocumentWorker"/> renders them.
/// A document is identified by its kind and its act's moment (<see cref="CaseDocumentArchive.IssuedAt"/>); what is
/// stored or waiting already is not written again, and a case from before documents were stored gets what it lacks.
/// </summary>
public sealed class DocumentOutbox(CaseDocumentArchive archive, ILogger<DocumentOutbox> logger) : ICaseActWriter
{
    public async Task WriteAsync(CaseActWrite act, CancellationToken ct)
    {
        var c = act.Case;
        var issued = CaseDocuments.Available(c).Where(CaseDocumentArchive.IsIssued)
            .Select(kind => (Kind: kind, At: CaseDocumentArchive.IssuedAt(kind, c)))
            .Where(d => d.At is not null).ToList();
        if (issued.Count == 0)
        {
            return;
        }

        var db = act.Db;
        var stored = await db.CaseDocuments.Where(d => d.CaseId == c.Id).Select(d => new { d.Kind, d.IssuedAt }).ToListAsync(ct);
        var waiting = await db.PendingDocuments.Where(d => d.CaseId == c.Id).Select(d => new { d.Kind, d.IssuedAt }).ToListAsync(ct);
        var known = stored.Concat(waiting).ToList();
        foreach (var (kind, at) in issued)
        {
            // Within a millisecond: PostgreSQL keeps microseconds, .NET ticks.
            if (known.Any(k => k.Kind == kind.ToString() && Math.Abs((k.IssuedAt - at!.Value).TotalMilliseconds) < 1))
            {
                continue;
            }

            DocumentContent content;
            try
            {
                content = await CaseDocumentArchive.ContentAsync(db, kind, c, archive.PublicBaseUrl(), ct);
            }
            catch (Exception e) when (e is not (OperationCanceledException or DbUpdateException or System.Data.Common.DbException))
            {
                // A document must never cost the act: without its row it is rendered on demand.
                logger.LogError(e, "Could not write the {Kind} of case {CaseId} for rendering", kind, c.Id);
                continue;
            }

            db.PendingDocuments.Add(new PendingDocument
            {
                CaseId = c.Id,
                Kind = kind.ToString(),
                IssuedAt = at!.Value,
                FileName = $"{CaseDocuments.Title(kind)}-{c.Number}.pdf",
                Content = IssuedContent.Write(content),
                CreatedAt = act.Now,
                NextAttemptAt = act.Now,
            });
        }
    }
}
