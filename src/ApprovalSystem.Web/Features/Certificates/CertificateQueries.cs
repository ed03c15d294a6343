using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Documents;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Certificates;

/// <summary>Reads of the certificate register 证照库: a case's certificate, the register as an actor may see it, the public check.</summary>
public sealed class CertificateQueries(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>
    /// What the public verification page 证照核验 shows of a certificate: the holder's name masked unless the holder is a
    /// unit, the status as of today and, once revoked or cancelled, the reason and its date.
    /// </summary>
    public sealed record Verification(string Title, string? Number, string Holder, string MatterName, DateTimeOffset? IssuedAt, DateOnly? ValidUntil,
        string Status, string? Reason, DateTimeOffset? ChangedAt);

    /// <summary>The register's record of the case's certificate (the case page shows it to those who may see the case).</summary>
    public async Task<CertificateRecord?> OfCaseAsync(long caseId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Certificates.AsNoTracking().FirstOrDefaultAsync(x => x.CaseId == caseId, ct);
    }

    /// <summary>What the register is filtered by: status (有效, 已撤销, 已注销, 已过期, or Valid/Revoked/Cancelled), type code, text.</summary>
    public sealed record RegisterFilter(string? Status = null, string? Type = null, string? Text = null);

    /// <summary>
    /// One page of the certificates the actor may see (<see cref="CertificateActs.VisibleTo"/>), newest first, filtered
    /// over the whole register (a search finds an old certificate too), and how many match in all.
    /// </summary>
    /// <param name="filter">Text matches part of the certificate number or the holder's name, or the case number from its start or the
    /// start of one of its parts (the search index, <see cref="SearchTerms"/>).</param>
    public async Task<Cases.Queries.CaseQueries.Page<CertificateRecord>> RegisterAsync(CaseActor actor, RegisterFilter filter, int skip, int take,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var today = WorkingTime.LocalDate(clock.GetUtcNow());
        var query = CertificateActs.VisibleTo(db.Certificates.AsNoTracking(), actor);
        if (!string.IsNullOrWhiteSpace(filter.Type))
        {
            query = query.Where(x => x.Type == filter.Type);
        }

        query = filter.Status?.Trim() switch
        {
            null or "" => query,
            "有效" => query.Where(x => x.Status == CertificateStatus.Valid && (x.ValidUntil == null || x.ValidUntil >= today)),
            "已过期" => query.Where(x => x.Status == CertificateStatus.Valid && x.ValidUntil < today),
            "已撤销" => query.Where(x => x.Status == CertificateStatus.Revoked),
            "已注销" => query.Where(x => x.Status == CertificateStatus.Cancelled),
            var other when Enum.TryParse<CertificateStatus>(other, ignoreCase: true, out var status) => query.Where(x => x.Status == status),
            _ => query.Where(_ => false),
        };
        if (filter.Text?.Trim() is { Length: > 0 } text)
        {
            var ids = SearchTerms.CertificateIds(db, text);
            query = query.Where(x => ids.Contains(x.Id));
        }

        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(x => x.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 1000)).ToListAsync(ct);
        return new(rows, total);
    }

    /// <summary>The public check of the verification code printed in a certificate's QR code; null when no certificate has it.</summary>
    public async Task<Verification?> VerifyAsync(string code, CancellationToken ct = default)
    {
        if (code.Length is not (> 0 and <= 32))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.Certificates.AsNoTracking().FirstOrDefaultAsync(x => x.Code == code, ct);
        var c = await db.Cases.AsNoTracking().IgnoreAutoIncludes().FirstOrDefaultAsync(x => x.CertificateCode == code, ct);
        if (c is null)
        {
            return null;
        }

        var until = record is { } r ? r.ValidUntil : CertificateTypes.ValidUntil(c);
        var today = WorkingTime.LocalDate(clock.GetUtcNow());
        var status = record?.StatusName(today) ?? (until is null || until >= today ? "有效" : "已过期");
        var holder = c.Applicant.IdType == ApplicantIdType.CreditCode ? c.Applicant.Name : Masking.PersonName(c.Applicant.Name);
        return new Verification(CertificateTypes.TypeOf(c).Title, c.CertificateNumber, holder, c.MatterName, c.CertificateIssuedAt, until, status,
            record?.StatusReason, record?.StatusChangedAt);
    }
}
