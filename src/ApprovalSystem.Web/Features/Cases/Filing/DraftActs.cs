using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Cases.Filing;

/// <summary>Change a draft's form data 保存草稿 (and, for an agent or clerk, the applicant they file for).</summary>
public static class SaveDraft
{
    /// <param name="Applicant">The resident or unit an agent or clerk files for; ignored for applicants (their account is the applicant).</param>
    /// <param name="Situation">New answers to the guide's questions 情形 (null: unchanged); they change the draft's checklist.</param>
    public sealed record Command(long CaseId, Dictionary<string, string> FormData, FileCase.ApplicantInput? Applicant = null,
        Dictionary<string, string>? Situation = null);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(c => c.FormData).NotNull().WithMessage("请填写申请表")
                .Must(d => d is null || d.Count <= 200).WithMessage("申请表的栏目过多")
                .Custom((d, ctx) => FileCase.FormValues(d, ctx.AddFailure));
            RuleForEach(c => c.FormData).Must(kv => kv.Value is null || kv.Value.Length <= 4000).WithMessage("申请表每一栏不能超过4000字");
            RuleFor(c => c.Applicant!).SetValidator(new FileCase.ApplicantValidator(clock)).When(c => c.Applicant is not null);
            RuleFor(c => c.Situation).Custom((d, ctx) => FileCase.SituationValues(d, ctx.AddFailure));
        }
    }

    public sealed class Handler(CaseStore store, Validator validator)
    {
        public async Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            return await store.ExecuteAsync(command.CaseId, actor, async (c, ctx) => await UpdateAsync(c, ctx, command, actor, ct), ct);
        }

        /// <summary>The draft takes the form (checked as a draft: what is filled must be valid, nothing is required yet) and the applicant.</summary>
        internal static async Task UpdateAsync(Case c, CaseActContext ctx, Command command, CaseActor actor, CancellationToken ct)
        {
            var matter = await ctx.Db.Matters.AsNoTracking().FirstAsync(m => m.Id == c.MatterId, ct);
            if (command.Situation is { } situation && !Situations.Normalise(matter.Situations, situation).OrderBy(a => a.Key, StringComparer.Ordinal)
                    .SequenceEqual(c.Situation.OrderBy(a => a.Key, StringComparer.Ordinal)))
            {
                c.AnswerSituation(MatterSnapshot.From(matter, c.LeadDepartment), situation, actor, ctx.Now);
            }

            FileCase.CheckForm(matter, command.FormData, submitting: false, WorkingTime.LocalDate(ctx.Now), c.Situation);
            var applicant = command.Applicant is { } a && !actor.Is(ApprovalSystem.Core.Identity.Roles.Applicant) ? FileCase.ToInfo(a) : c.Applicant;
            var unchanged = applicant == c.Applicant && command.FormData.Count == c.FormData.Count
                && command.FormData.All(f => c.FormData.TryGetValue(f.Key, out var v) && v == f.Value);
            if (!unchanged)
            {
                // Only a change is journalled: filing an untouched draft from the page adds no empty 保存草稿.
                c.UpdateDraft(command.FormData, applicant, actor, ctx.Now);
            }
        }
    }
}

/// <summary>
/// File a saved draft 提交: it gets its case number and query code. The filing page sends what is on the form with it, so the
/// draft is updated and filed in one act (or neither, when the form is refused); the API's bare submit files the draft as saved.
/// </summary>
public static class SubmitCase
{
    public sealed record Command(long CaseId, Dictionary<string, string>? FormData = null, FileCase.ApplicantInput? Applicant = null,
        Dictionary<string, string>? Situation = null);

    public sealed class Handler(CaseStore store, SaveDraft.Validator draftValidator, AutoApproval.AutoApprover autoApprover,
        IDbContextFactory<Data.AppDbContext> dbFactory)
    {
        public async Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            var update = command.FormData is { } form ? new SaveDraft.Command(command.CaseId, form, command.Applicant, command.Situation) : null;
            if (update is not null)
            {
                await draftValidator.ValidateAndThrowAsync(update, ct);
            }

            // 秒批: the shared records are read before the act, with the form and applicant the draft will be filed with.
            AutoApproval.AutoApprover.Prepared? rules = null;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                if (await db.Cases.AsNoTracking().FirstOrDefaultAsync(c => c.Id == command.CaseId, ct) is { State: CaseState.Draft } draft
                    && draft.IsVisibleTo(actor))
                {
                    var applicant = command.Applicant is { } a && !actor.Is(ApprovalSystem.Core.Identity.Roles.Applicant)
                        ? FileCase.ToInfo(a)
                        : draft.Applicant;
                    rules = await autoApprover.PrepareAsync(draft.MatterCode, applicant, command.FormData ?? draft.FormData, ct);
                }
            }

            return await store.ExecuteAsync(command.CaseId, actor, async (c, ctx) =>
            {
                var matter = await ctx.Db.Matters.AsNoTracking().FirstAsync(m => m.Id == c.MatterId, ct);
                if (update is not null)
                {
                    // Checked as a filing first, so every problem (wrong and missing values alike) is told at once.
                    FileCase.CheckForm(matter, update.FormData, submitting: true, WorkingTime.LocalDate(ctx.Now), update.Situation ?? c.Situation);
                    await SaveDraft.Handler.UpdateAsync(c, ctx, update, actor, ct);
                }

                FileCase.CheckForm(matter, c.FormData, submitting: true, WorkingTime.LocalDate(ctx.Now), c.Situation);
                var region = await CaseStore.RegionCodeAsync(ctx.Db, ct);
                c.Submit(await CaseStore.NextNumberAsync(ctx.Db, region, ctx.Now, ct), CaseStore.NewQueryCode(), actor, ctx.Now, ctx.Time);
                if (rules is not null)
                {
                    (await autoApprover.ApplyAsync(c, rules, ctx, ct))(ctx.Db, c);
                }
            }, ct);
        }
    }
}

/// <summary>The applicant withdraws 撤回 an open application.</summary>
public static class WithdrawCase
{
    public sealed record Command(long CaseId, string? Reason);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Reason).MaximumLength(500).WithMessage("撤回原因不能超过500字").Must(InputRules.NoControlCharacters)
            .WithMessage("撤回原因含有不可见的控制字符，请删除后重试");
    }

    public sealed class Handler(CaseStore store, Validator validator)
    {
        public async Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            return await store.ExecuteAsync(command.CaseId, actor, (c, ctx) =>
            {
                c.Withdraw(command.Reason, actor, ctx.Now, ctx.Time);
                return Task.CompletedTask;
            }, ct);
        }
    }
}

/// <summary>The applicant hands in the supplement 补正 and the filing goes back to the window.</summary>
public static class ResubmitCase
{
    public sealed record Command(long CaseId, string? Note);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Note).MaximumLength(1000).WithMessage("说明不能超过1000字").Must(InputRules.NoControlCharacters)
            .WithMessage("说明含有不可见的控制字符，请删除后重试");
    }

    public sealed class Handler(CaseStore store, Validator validator)
    {
        public async Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            return await store.ExecuteAsync(command.CaseId, actor, (c, ctx) =>
            {
                c.Resubmit(actor, ctx.Now, ctx.Time, command.Note);
                return Task.CompletedTask;
            }, ct);
        }
    }
}
