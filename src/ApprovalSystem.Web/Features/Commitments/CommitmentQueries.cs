using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Commitments;

/// <summary>The department's verification tasks 核查任务 and the register of false commitments 虚假承诺记录 (decision 0060).</summary>
public sealed class CommitmentQueries(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>A verification task: open while its clock runs; done with its result.</summary>
    public sealed record VerificationTask(long CaseId, string Number, string MatterName, string Applicant, string Department, DateTimeOffset? ApprovedAt,
        DateTimeOffset? WarnAt, DateTimeOffset? DueAt, string? CertificateNumber, VerificationRecord? Result);

    /// <summary>
    /// The verification tasks an actor sees: a department's staff their own department's, administrators and supervisors all. Open ones
    /// first, oldest due first; then the latest done ones.
    /// </summary>
    public async Task<List<VerificationTask>> TasksAsync(CaseActor actor, bool done = false, int take = 200, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cases = db.Cases.AsNoTracking().IgnoreAutoIncludes().Where(c => c.Commitment != null && c.DecidedAt != null);
        if (!(actor.Is(Roles.Administrator) || actor.Is(Roles.Supervisor)))
        {
            var department = actor.Department ?? "\0";
            cases = cases.Where(c => c.LeadDepartment == department);
        }

        cases = done ? cases.Where(c => c.VerificationResult != null).OrderByDescending(c => c.Id)
            : cases.Where(c => c.Verification.RunningSince != null).OrderBy(c => c.Verification.DueAt).ThenBy(c => c.Id);
        var rows = await cases.Take(take).Select(c => new
        {
            c.Id, c.Number, c.MatterName, c.Applicant.Name, c.LeadDepartment, c.DecidedAt, c.Verification.WarnAt, c.Verification.DueAt,
            c.CertificateNumber, c.VerificationResult,
        }).ToListAsync(ct);
        return [.. rows.Select(r => new VerificationTask(r.Id, r.Number ?? "", r.MatterName, Masking.PersonName(r.Name), r.LeadDepartment, r.DecidedAt,
            r.WarnAt, r.DueAt, r.CertificateNumber, r.VerificationResult))];
    }

    /// <summary>Why this applicant account may not choose the commitment now (an unrepaired false commitment), or null.</summary>
    public async Task<string?> RefusalForAsync(ApplicationUser? user, CancellationToken ct = default)
    {
        var enterprise = user?.ApplicantType == ApplicantType.Enterprise;
        var number = enterprise ? user?.CreditCode : user?.IdNumber;
        if (string.IsNullOrEmpty(number))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await CommitmentRules.OpenFalseCommitmentAsync(db, enterprise ? ApplicantIdType.CreditCode : ApplicantIdType.ResidentId, number, ct);
        return record is null ? null : CommitmentRules.Refusal(record);
    }

    /// <summary>The false commitments on record, unrepaired first (administrators and supervisors).</summary>
    public async Task<List<FalseCommitmentRecord>> FalseCommitmentsAsync(CaseActor actor, CancellationToken ct = default)
    {
        if (!(actor.Is(Roles.Administrator) || actor.Is(Roles.Supervisor)))
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.FalseCommitments.AsNoTracking().OrderBy(r => r.RepairedAt != null).ThenByDescending(r => r.RecordedAt).Take(500).ToListAsync(ct);
    }
}
