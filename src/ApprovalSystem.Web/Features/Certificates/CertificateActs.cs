using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Certificates;

/// <summary>
/// The certificate register 证照库: revoke 撤销 or cancel 注销 a certificate (with a reason), record a
/// reprint 补打. Each act is journalled on the certificate's case in the same save as the register row.
/// </summary>
public static class CertificateActs
{
    public sealed record ChangeStatus(long CertificateId, CertificateStatus To, string Reason);

    public sealed class Validator : AbstractValidator<ChangeStatus>
    {
        public Validator()
        {
            RuleFor(c => c.To).Must(t => t is CertificateStatus.Revoked or CertificateStatus.Cancelled).WithMessage("只能撤销或注销证照");
            RuleFor(c => c.Reason).NotEmpty().WithMessage("请说明撤销或注销的理由（将在核验页面公示）").Text(500, "理由");
        }
    }

    public sealed class Handler(CaseStore store, IDbContextFactory<AppDbContext> dbFactory, Validator validator)
    {
        public async Task<CertificateRecord> ChangeStatusAsync(ChangeStatus command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            var caseId = await CaseIdAsync(x => x.Id == command.CertificateId, ct);
            CertificateRecord? record = null;
            await store.ExecuteAsync(caseId, actor, async (c, ctx) =>
            {
                record = await ctx.Db.Certificates.FirstAsync(x => x.Id == command.CertificateId, ct);
                if (record.Status != CertificateStatus.Valid)
                {
                    throw new CaseRuleException($"该证照已{(record.Status == CertificateStatus.Revoked ? "撤销" : "注销")}，不能再次变更");
                }

                c.RecordCertificateAct(command.To == CertificateStatus.Revoked ? CaseTrigger.RevokeCertificate : CaseTrigger.CancelCertificate, command.Reason,
                    actor, ctx.Now);
                record.Status = command.To;
                record.StatusReason = command.Reason.Trim();
                record.StatusChangedBy = actor.Name;
                record.StatusChangedAt = ctx.Now;
                record.Version++;
            }, ct);
            return record!;
        }

        /// <summary>Records that the certificate of a case was printed again (count and journal).</summary>
        public async Task<CertificateRecord> RecordReprintAsync(long caseId, CaseActor actor, CancellationToken ct = default)
        {
            _ = await CaseIdAsync(x => x.CaseId == caseId, ct);
            CertificateRecord? record = null;
            await store.ExecuteAsync(caseId, actor, async (c, ctx) =>
            {
                record = await ctx.Db.Certificates.FirstAsync(x => x.CaseId == caseId, ct);
                if (record.Status != CertificateStatus.Valid)
                {
                    throw new CaseRuleException("证照已撤销或注销，不能补打");
                }

                c.RecordCertificateAct(CaseTrigger.ReprintCertificate, null, actor, ctx.Now);
                record.ReprintCount++;
                record.Version++;
            }, ct);
            return record!;
        }

        private async Task<long> CaseIdAsync(System.Linq.Expressions.Expression<Func<CertificateRecord, bool>> which, CancellationToken ct)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.Certificates.Where(which).Select(x => (long?)x.CaseId).FirstOrDefaultAsync(ct)
                ?? throw new CaseNotFoundException("证照库中没有这份证照");
        }
    }

    /// <summary>Who may see the register: administrators and supervisors see all, department staff their department's, clerks all.</summary>
    public static IQueryable<CertificateRecord> VisibleTo(IQueryable<CertificateRecord> query, CaseActor actor) =>
        actor.Is(Roles.Administrator) || actor.Is(Roles.Supervisor) || actor.Is(Roles.Clerk) ? query
        : (actor.Is(Roles.Officer) || actor.Is(Roles.DepartmentHead)) && actor.Department is { } d ? query.Where(x => x.Department == d)
        : query.Where(_ => false);

    /// <summary>May this actor revoke or cancel certificates of this department?</summary>
    public static bool CanChangeStatus(CaseActor actor, string department) =>
        actor.Is(Roles.Administrator) || (actor.Is(Roles.DepartmentHead) && actor.Department == department);
}
