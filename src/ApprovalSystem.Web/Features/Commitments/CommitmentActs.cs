using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Commitments;

/// <summary>
/// The verification afterwards 事中事后核查 of a case approved on commitment: the lead department's officer records 核查属实 or 核查不实
/// with the findings. 核查不实 revokes the certificate in the register, records the false commitment against the applicant and (by the
/// case's documents and notifier) tells them in a 撤销行政许可决定书 with the legal remedies — all in the act's one save.
/// </summary>
public static class RecordVerification
{
    public sealed record Command(long CaseId, bool Truthful, string? Findings);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Findings).NotEmpty().When(c => !c.Truthful).WithMessage("核查不实必须写明核查发现的问题（将写入撤销决定书）")
            .Text(2000, "核查情况");
    }

    public sealed class Handler(CaseStore store, Validator validator)
    {
        public async Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            return await store.ExecuteAsync(command.CaseId, actor, async (c, ctx) =>
            {
                c.RecordVerification(command.Truthful, command.Findings, actor, ctx.Now, ctx.Time);
                if (command.Truthful)
                {
                    return;
                }

                var findings = c.VerificationResult!.Findings;
                if (await ctx.Db.Certificates.FirstOrDefaultAsync(x => x.CaseId == c.Id && x.Status == CertificateStatus.Valid, ct) is { } certificate)
                {
                    certificate.Status = CertificateStatus.Revoked;
                    certificate.StatusReason = "告知承诺核查不实，撤销行政许可";
                    certificate.StatusChangedBy = actor.Name;
                    certificate.StatusChangedAt = ctx.Now;
                    certificate.Version++;
                }

                ctx.Db.FalseCommitments.Add(new FalseCommitmentRecord
                {
                    ApplicantIdType = c.Applicant.IdType.ToString(),
                    ApplicantIdNumber = c.Applicant.IdNumber,
                    ApplicantName = c.Applicant.Name,
                    CaseId = c.Id,
                    CaseNumber = c.Number ?? "",
                    MatterName = c.MatterName,
                    Department = c.LeadDepartment,
                    Findings = findings,
                    RecordedAt = ctx.Now,
                    RecordedBy = actor.Name,
                });
            }, ct);
        }
    }
}

/// <summary>
/// The applicant signs the matter's commitment 告知承诺书 on a saved draft (the filing page's 签署 when the draft exists already; a new
/// filing signs through <see cref="Cases.Filing.FileCase.Command.OnCommitment"/>): the matter must allow it and the applicant have no
/// unrepaired false commitment (422 under <c>onCommitment</c>).
/// </summary>
public static class SignCommitment
{
    public sealed record Command(long CaseId);

    public sealed class Handler(CaseStore store)
    {
        public Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default) =>
            store.ExecuteAsync(command.CaseId, actor, async (c, ctx) =>
            {
                var matter = await ctx.Db.Matters.AsNoTracking().FirstAsync(m => m.Code == c.MatterCode, ct);
                await CommitmentRules.CheckMayCommitAsync(ctx.Db, matter, c.Applicant, ct);
                c.SignCommitment(matter.Commitment!, actor, ctx.Now);
            }, ct);
    }
}

/// <summary>
/// The repair of a false commitment 信用修复: an administrator or supervisor records it with a reason, after which the applicant may
/// file on commitment again. Journalled on the case where the false commitment was found.
/// </summary>
public static class RepairCredit
{
    public sealed record Command(long RecordId, string Reason);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Reason).NotEmpty().WithMessage("请写明信用修复的理由（如已整改到位、已履行相关义务）").Text(1000, "修复理由");
    }

    public sealed class Handler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, Validator validator)
    {
        public async Task<FalseCommitmentRecord> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            if (!(actor.Is(Roles.Administrator) || actor.Is(Roles.Supervisor)))
            {
                throw new CaseRuleException("只有系统管理员或监察人员可以记录信用修复");
            }

            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await RepairOnceAsync(command, actor, ct);
                }
                catch (DbUpdateException e) when (attempt < CaseJournal.Attempts && CaseJournal.LostRace(e))
                {
                    // Another writer went first (the journal's head, or this record): again on fresh data, which says whether it was repaired.
                }
                catch (DbUpdateException e) when (CaseJournal.LostRace(e))
                {
                    throw new CaseRuleException("办件日志正在大量写入，这次修复未保存，请再提交一次", e);
                }
            }
        }

        private async Task<FalseCommitmentRecord> RepairOnceAsync(Command command, CaseActor actor, CancellationToken ct)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var record = await db.FalseCommitments.FirstOrDefaultAsync(r => r.Id == command.RecordId, ct)
                ?? throw new CaseNotFoundException("没有这条虚假承诺记录");
            if (record.RepairedAt is { } at)
            {
                throw new CaseRuleException($"该记录已由{record.RepairedBy}于{at.ToOffset(WorkingTime.ChinaOffset):yyyy-MM-dd HH:mm}修复");
            }

            var now = clock.GetUtcNow();
            record.RepairedAt = now;
            record.RepairedBy = actor.Name;
            record.RepairReason = command.Reason.Trim();
            record.Version++;
            await CaseJournal.AppendEventAsync(db, record.CaseId, record.CaseNumber, now, actor, "信用修复", "", record.RepairReason,
                new Dictionary<string, string> { ["falseCommitment"] = record.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, ct);
            await db.SaveChangesAsync(ct);
            return record;
        }
    }
}
