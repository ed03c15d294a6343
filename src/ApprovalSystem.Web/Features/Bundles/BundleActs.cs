using ApprovalSystem.Core.Bundles;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Cases.Filing;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Bundles;

/// <summary>
/// The acts on a bundle case after filing: upload a merged material (once, attached to every member that needs it), submit a draft,
/// and at the window one acceptance, one supplement notice, one refusal for the whole bundle. Each act and its members' acts are one
/// transaction (<see cref="BundleStore"/>).
/// </summary>
public static class BundleActs
{
    public sealed record UploadCommand(long BundleId, string MaterialName, string FileName, Stream Content);

    public sealed record AcceptCommand(long BundleId, IReadOnlyList<string>? ReceivedMaterials = null, string? Opinion = null);

    public sealed record SupplementCommand(long BundleId, IReadOnlyList<string> Items);

    public sealed record RefuseCommand(long BundleId, string Reason);

    public sealed class SupplementValidator : AbstractValidator<SupplementCommand>
    {
        public SupplementValidator() => RuleFor(c => c.Items).NotEmpty().WithMessage("请列出需要补正的全部材料或内容")
            .Must(i => i.All(x => !string.IsNullOrWhiteSpace(x) && x.Length <= 500)).WithMessage("补正内容不能有空项，且每项不超过500字");
    }

    public sealed class RefuseValidator : AbstractValidator<RefuseCommand>
    {
        public RefuseValidator() => RuleFor(c => c.Reason).NotEmpty().WithMessage("不予受理必须说明理由").Text(2000, "不予受理理由");
    }

    public sealed class Handler(BundleStore bundles, WorkflowCatalog workflows, SupplementValidator supplementValidator, RefuseValidator refuseValidator,
        IDbContextFactory<AppDbContext> dbFactory)
    {
        /// <summary>A file uploaded once for a merged material: kept by its SHA-256 and attached to every member material it stands for.</summary>
        public async Task<BundleCase> UploadAsync(UploadCommand command, CaseActor actor, CancellationToken ct = default)
        {
            using var buffer = new MemoryStream();
            await command.Content.CopyToAsync(buffer, ct);
            if (buffer.Length is 0 or > UploadMaterial.MaxBytes)
            {
                throw new CaseInputException(InputProblem.TooLarge, "file", $"文件应非空且不超过{UploadMaterial.MaxBytes / 1024 / 1024}MB");
            }

            var bytes = buffer.ToArray();
            var (sha, contentType) = UploadMaterial.Identify(bytes, command.FileName);
            var name = Path.GetFileName(command.FileName);
            return await bundles.ExecuteAsync(command.BundleId, actor, async (b, members, ctx) =>
            {
                b.AttachMaterial(command.MaterialName, sha, name, bytes.Length, actor, ctx.Now);
                var merged = b.Definition.Materials.First(m => m.Name == command.MaterialName);
                foreach (var c in members.Where(c => CaseLifecycle.CanFire(c.State, CaseTrigger.AttachMaterial)))
                {
                    foreach (var target in BundleData.MemberMaterials(merged, c.MatterCode).Where(t => c.Materials.Any(m => m.Name == t)))
                    {
                        c.AttachMaterial(target, sha, name, bytes.Length, actor, ctx.Now);
                    }
                }

                await ContentFiles.WriteAsync(bundles.Cases.DataFolder, sha, bytes, ct);
                await ContentFiles.RegisterAsync(ctx.Db, sha, contentType, bytes.Length, ctx.Now, ct);
            }, ct);
        }

        /// <summary>
        /// Saves a changed merged form on a bundle draft 保存草稿 (checked as a draft: what is filled must be valid) and maps it onto
        /// every member's draft, in one transaction.
        /// </summary>
        public Task<BundleCase> SaveDraftAsync(long bundleId, Dictionary<string, string> formData, CaseActor actor, CancellationToken ct = default) =>
            bundles.ExecuteAsync(bundleId, actor, async (b, members, ctx) =>
            {
                var today = WorkingTime.LocalDate(ctx.Now);
                FileCase.FormValues(formData, (field, message) => throw new CaseInputException(InputProblem.Invalid, field, message));
                FileBundle.CheckMergedForm(b.Definition, b.Answers, formData, false, today);
                b.ReviseDraft(formData, actor, ctx.Now);
                var codes = members.Select(c => c.MatterCode).ToList();
                var matters = await ctx.Db.Matters.AsNoTracking().Where(m => codes.Contains(m.Code)).ToListAsync(ct);
                foreach (var c in members)
                {
                    var fields = matters.First(m => m.Code == c.MatterCode).FormFields;
                    c.UpdateDraft(b.Definition.MemberForm(c.MatterCode, fields, b.FormData, f => FileBundle.Prefill(b.Applicant, f, today)), c.Applicant,
                        actor, ctx.Now);
                }
            }, ct);

        /// <summary>Submits a bundle draft and its members.</summary>
        public Task<BundleCase> SubmitAsync(long bundleId, CaseActor actor, CancellationToken ct = default) =>
            bundles.ExecuteAsync(bundleId, actor, async (b, members, ctx) =>
            {
                if (b.State != BundleState.Draft)
                {
                    throw new CaseRuleException("一件事已提交");
                }

                if (Situations.Problems(b.Definition.Situations, b.Answers) is { Count: > 0 } unanswered)
                {
                    throw CaseInputException.Invalid(unanswered.Select(p => ($"answers.{p.Key}", p.Message)));
                }

                var today = WorkingTime.LocalDate(ctx.Now);
                FileBundle.CheckMergedForm(b.Definition, b.Answers, b.FormData, true, today);

                // The members as they will be filed: the draft checked them only as drafts (nothing required yet).
                var selected = await FileBundle.MembersAsync(ctx.Db, b.Definition, b.Answers, ct);
                foreach (var c in members)
                {
                    var (member, matter) = selected.FirstOrDefault(x => x.Matter.Code == c.MatterCode) is { Matter: not null } found ? found
                        : throw new CaseRuleException($"“{b.BundleName}”的成员事项“{c.MatterName}”已不在目录中，请重新申报或联系服务中心");
                    FileBundle.CheckMember(b.Definition, b.Applicant, member, matter, c.FormData, true, today, b.Answers);
                }

                var defs = b.Members.Select(m => b.Definition.Members.First(d => BundleData.Names(d.Matter, m.MatterCode))).ToList();
                await FileBundle.SubmitAsync(ctx, b, members, defs, actor, ct);
            }, ct);

        /// <summary>
        /// One acceptance 一窗受理: the merged materials checked once, the bundle accepted and its clock started, and every member that
        /// waits for nobody accepted on its own flow in the same transaction. Members that wait stay numbered drafts.
        /// </summary>
        public Task<BundleCase> AcceptAsync(AcceptCommand command, CaseActor actor, CancellationToken ct = default) =>
            bundles.ExecuteAsync(command.BundleId, actor, async (b, members, ctx) =>
            {
                b.Accept(actor, ctx.Now, ctx.Time, command.Opinion);
                var received = command.ReceivedMaterials ?? [];
                foreach (var c in members.Where(c => b.MembersToAcceptNow.Contains(c.Id)))
                {
                    var memberReceived = b.Definition.Materials.Where(m => received.Contains(m.Name))
                        .SelectMany(m => BundleData.MemberMaterials(m, c.MatterCode)).ToList();
                    c.ReviewMaterials(memberReceived, actor, ctx.Now);
                    c.Accept(await workflows.CurrentAsync(c.WorkflowId, ct), actor, ctx.Now, ctx.Time, command.Opinion);
                }
            }, ct);

        /// <summary>One supplement notice 一次性告知 for the whole bundle; each filed member waits for it too (its review clock stops).</summary>
        public async Task<BundleCase> RequestSupplementAsync(SupplementCommand command, CaseActor actor, CancellationToken ct = default)
        {
            await supplementValidator.ValidateAndThrowAsync(command, ct);
            return await bundles.ExecuteAsync(command.BundleId, actor, (b, members, ctx) =>
            {
                b.RequestSupplement(command.Items, actor, ctx.Now);
                foreach (var c in members.Where(c => c.State == CaseState.PreAcceptance))
                {
                    c.RequestSupplement(b.SupplementItems, actor, ctx.Now, ctx.Time);
                }

                return Task.CompletedTask;
            }, ct);
        }

        /// <summary>The applicant hands in the supplement for the whole bundle.</summary>
        public Task<BundleCase> ResubmitAsync(long bundleId, CaseActor actor, CancellationToken ct = default) =>
            bundles.ExecuteAsync(bundleId, actor, (b, members, ctx) =>
            {
                b.Resubmit(actor, ctx.Now);
                foreach (var c in members.Where(c => c.State == CaseState.SupplementRequested))
                {
                    c.Resubmit(actor, ctx.Now, ctx.Time);
                }

                return Task.CompletedTask;
            }, ct);

        /// <summary>Refuses 不予受理 the whole bundle: the filed members refused with the reason, the waiting ones withdrawn (never started).</summary>
        public async Task<BundleCase> RefuseAsync(RefuseCommand command, CaseActor actor, CancellationToken ct = default)
        {
            await refuseValidator.ValidateAndThrowAsync(command, ct);
            return await bundles.ExecuteAsync(command.BundleId, actor, (b, members, ctx) =>
            {
                b.Refuse(command.Reason, actor, ctx.Now);
                foreach (var c in members)
                {
                    if (c.State == CaseState.PreAcceptance)
                    {
                        c.Refuse(b.Reason!, actor, ctx.Now, ctx.Time);
                    }
                    else if (c.State == CaseState.Draft)
                    {
                        c.Withdraw($"一件事不予受理：{b.Reason}", b.FilerActor(), ctx.Now, ctx.Time);
                    }
                }

                return Task.CompletedTask;
            }, ct);
        }

        /// <summary>The bundle's journal, oldest first.</summary>
        public async Task<List<BundleJournalEntry>> JournalAsync(long bundleId, CaseActor actor, CancellationToken ct = default)
        {
            await bundles.FindAsync(bundleId, actor, ct);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.BundleJournal.AsNoTracking().Where(j => j.BundleCaseId == bundleId).OrderBy(j => j.Id).ToListAsync(ct);
        }
    }
}
