using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Cases.Filing;

/// <summary>Change a draft's form data 保存草稿.</summary>
public static class SaveDraft
{
    public sealed record Command(long CaseId, Dictionary<string, string> FormData);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.FormData).NotNull().WithMessage("请填写申请表")
                .Must(d => d is null || d.Count <= 200).WithMessage("申请表的栏目过多");
            RuleForEach(c => c.FormData).Must(kv => kv.Value is null || kv.Value.Length <= 4000).WithMessage("申请表每一栏不能超过4000字");
        }
    }

    public sealed class Handler(CaseStore store, Validator validator)
    {
        public async Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            return await store.ExecuteAsync(command.CaseId, actor, async (c, ctx) =>
            {
                var matter = await ctx.Db.Matters.AsNoTracking().FirstAsync(m => m.Id == c.MatterId, ct);
                FileCase.CheckForm(matter, command.FormData, submitting: false, WorkingTime.LocalDate(ctx.Now));
                c.UpdateDraft(command.FormData, c.Applicant, actor, ctx.Now);
            }, ct);
        }
    }
}

/// <summary>File a saved draft 提交: it gets its case number and query code.</summary>
public static class SubmitCase
{
    public sealed record Command(long CaseId);

    public sealed class Handler(CaseStore store)
    {
        public Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default) =>
            store.ExecuteAsync(command.CaseId, actor, async (c, ctx) =>
            {
                var matter = await ctx.Db.Matters.AsNoTracking().FirstAsync(m => m.Id == c.MatterId, ct);
                FileCase.CheckForm(matter, c.FormData, submitting: true, WorkingTime.LocalDate(ctx.Now));
                var region = await CaseStore.RegionCodeAsync(ctx.Db, ct);
                c.Submit(await CaseStore.NextNumberAsync(ctx.Db, region, ctx.Now, ct), CaseStore.NewQueryCode(), actor, ctx.Now, ctx.Time);
            }, ct);
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
