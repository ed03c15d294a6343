using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Workflows;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Cases.Handling;

/// <summary>An officer takes a task 签收.</summary>
public static class ClaimTask
{
    public sealed record Command(long CaseId, string WorkItemId);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.WorkItemId).NotEmpty().WithMessage("请选择要签收的环节").Text(32, "环节编号");
    }

    public sealed class Handler(CaseStore store, WorkflowCatalog workflows, Validator validator)
    {
        public async Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            return await store.ExecuteAsync(command.CaseId, actor, async (c, ctx) =>
                c.Claim(command.WorkItemId, actor, ctx.Now, await workflows.OfCaseAsync(c, ct)), ct);
        }
    }
}

/// <summary>The department head assigns or reassigns 分派/改派 a task to an officer of the department.</summary>
public static class AssignTask
{
    public sealed record Command(long CaseId, string WorkItemId, string AssigneeUserId);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.WorkItemId).NotEmpty().WithMessage("请选择要分派的环节").Text(32, "环节编号");
            RuleFor(c => c.AssigneeUserId).NotEmpty().WithMessage("请选择分派给哪位工作人员").Text(450, "工作人员编号");
        }
    }

    public sealed class Handler(CaseStore store, IDbContextFactory<AppDbContext> dbFactory, WorkflowCatalog workflows, Validator validator)
    {
        public async Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var assignee = await db.Users.AsNoTracking().Where(u => u.Id == command.AssigneeUserId)
                .Select(u => new { u.Id, u.DisplayName, Department = u.Department!.Code }).FirstOrDefaultAsync(ct)
                ?? throw new CaseRuleException("要分派的工作人员不存在");
            var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id
                               where ur.UserId == assignee.Id && (r.Name == Roles.Officer || r.Name == Roles.DepartmentHead)
                               select r.Name).ToListAsync(ct);
            if (roles.Count == 0)
            {
                throw new CaseRuleException("只能分派给部门工作人员");
            }

            var isHead = roles.Contains(Roles.DepartmentHead);
            return await store.ExecuteAsync(command.CaseId, actor, async (c, ctx) =>
                c.Assign(command.WorkItemId, assignee.Id, assignee.DisplayName, assignee.Department, actor, ctx.Now, await workflows.OfCaseAsync(c, ct),
                    isHead), ct);
        }
    }
}

/// <summary>
/// An officer acts 办理 on a task: approve, deny or return, with an opinion and the data the step
/// writes into its section (every later department reads it).
/// </summary>
public static class ActOnTask
{
    public sealed record Command(long CaseId, string WorkItemId, Outcome Outcome, string? Opinion, Dictionary<string, string>? SectionData = null);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.WorkItemId).NotEmpty().WithMessage("请选择要办理的环节").Text(32, "环节编号");
            RuleFor(c => c.Outcome).IsInEnum().WithMessage("办理结果无效");
            RuleFor(c => c.Opinion).NotEmpty().When(c => c.Outcome != Outcome.Approve).WithMessage("不同意或退回必须填写意见");
            RuleFor(c => c.Opinion).MaximumLength(2000).WithMessage("意见不能超过2000字").Must(InputRules.NoControlCharacters)
                .WithMessage("意见含有不可见的控制字符，请删除后重试");
            RuleFor(c => c.SectionData).Must(d => d is null || d.Count <= 100).WithMessage("环节数据最多100项").Custom((data, context) =>
            {
                foreach (var (key, value) in data ?? [])
                {
                    if (key.Length > 100 || value?.Length > 4000 || !InputRules.NoControlCharacters(key) || !InputRules.NoControlCharacters(value))
                    {
                        context.AddFailure($"SectionData.{key}", "环节数据每项不能超过4000字，且不能含有不可见的控制字符");
                    }
                }
            });
        }
    }

    public sealed class Handler(CaseStore store, WorkflowCatalog workflows, Validator validator)
    {
        public async Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            return await store.ExecuteAsync(command.CaseId, actor, async (c, ctx) =>
            {
                var definition = await workflows.OfCaseAsync(c, ct) ?? throw new CaseRuleException("办件尚未受理");
                c.Act(definition, command.WorkItemId, command.Outcome, command.Opinion, command.SectionData, actor, ctx.Now, ctx.Time);
            }, ct);
        }
    }
}

/// <summary>Start or end a special procedure 特别程序 (the clocks stop while it runs).</summary>
public static class SpecialProcedureActs
{
    public static readonly IReadOnlyList<string> Kinds = ["听证", "招标", "拍卖", "检验", "检测", "检疫", "鉴定", "专家评审", "现场核查"];

    public sealed record StartCommand(long CaseId, string Kind, string Reason);

    public sealed record EndCommand(long CaseId, string? Result);

    public sealed class StartValidator : AbstractValidator<StartCommand>
    {
        public StartValidator()
        {
            RuleFor(c => c.Kind).Must(k => Kinds.Contains(k)).WithMessage($"特别程序种类应为：{string.Join("、", Kinds)}");
            RuleFor(c => c.Reason).NotEmpty().WithMessage("请说明启动特别程序的理由（将书面告知申请人）").Text(1000, "特别程序理由");
        }
    }

    public sealed class EndValidator : AbstractValidator<EndCommand>
    {
        public EndValidator() => RuleFor(c => c.Result).Text(1000, "特别程序结果");
    }

    public sealed class Handler(CaseStore store, StartValidator validator, EndValidator endValidator)
    {
        public async Task<Case> StartAsync(StartCommand command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            return await store.ExecuteAsync(command.CaseId, actor, (c, ctx) =>
            {
                c.StartSpecialProcedure(command.Kind, command.Reason, actor, ctx.Now, ctx.Time);
                return Task.CompletedTask;
            }, ct);
        }

        public async Task<Case> EndAsync(EndCommand command, CaseActor actor, CancellationToken ct = default)
        {
            await endValidator.ValidateAndThrowAsync(command, ct);
            return await store.ExecuteAsync(command.CaseId, actor, (c, ctx) =>
            {
                c.EndSpecialProcedure(command.Result, actor, ctx.Now, ctx.Time);
                return Task.CompletedTask;
            }, ct);
        }
    }
}

/// <summary>Ask for an extension 延期 (+10 working days, +15 for joint matters) and the head's answer.</summary>
public static class ExtensionActs
{
    public sealed record RequestCommand(long CaseId, string Reason);

    public sealed record AnswerCommand(long CaseId, bool Approve, string? Opinion);

    public sealed class RequestValidator : AbstractValidator<RequestCommand>
    {
        public RequestValidator() => RuleFor(c => c.Reason).NotEmpty().WithMessage("申请延期必须说明理由（将告知申请人）").Text(1000, "延期理由");
    }

    public sealed class AnswerValidator : AbstractValidator<AnswerCommand>
    {
        public AnswerValidator() => RuleFor(c => c.Opinion).Text(1000, "审批意见");
    }

    public sealed class Handler(CaseStore store, RequestValidator validator, AnswerValidator answerValidator)
    {
        public async Task<Case> RequestAsync(RequestCommand command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            return await store.ExecuteAsync(command.CaseId, actor, (c, ctx) =>
            {
                c.RequestExtension(command.Reason, actor, ctx.Now, c.Kind == MatterKind.Joint ? 15 : 10);
                return Task.CompletedTask;
            }, ct);
        }

        public async Task<Case> AnswerAsync(AnswerCommand command, CaseActor actor, CancellationToken ct = default)
        {
            await answerValidator.ValidateAndThrowAsync(command, ct);
            return await store.ExecuteAsync(command.CaseId, actor, (c, ctx) =>
            {
                c.AnswerExtension(command.Approve, command.Opinion, actor, ctx.Now, ctx.Time);
                return Task.CompletedTask;
            }, ct);
        }
    }
}
