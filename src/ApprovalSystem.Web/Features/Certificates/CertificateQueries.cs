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

    /// <summary>The latest 1,000 certificates the actor may see (<see cref="CertificateActs.VisibleTo"/>), newest first.</summary>
    public async Task<List<CertificateRecord>> RegisterAsync(CaseActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await CertificateActs.VisibleTo(db.Certificates.AsNoTracking(), actor).OrderByDescending(x => x.Id).Take(1000).ToListAsync(ct);
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
