using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Cases.Conclusion;

/// <summary>Deliver 送达 the result to the applicant (window pick-up, post, electronic).</summary>
public static class DeliverCase
{
    public static readonly IReadOnlyList<string> Methods = ["窗口领取", "邮寄送达", "电子送达", "代办员转交"];

    public sealed record Command(long CaseId, string Method);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Method).Must(m => Methods.Contains(m)).WithMessage($"送达方式应为：{string.Join("、", Methods)}");
    }

    public sealed class Handler(CaseStore store, Validator validator)
    {
        public async Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            return await store.ExecuteAsync(command.CaseId, actor, (c, ctx) =>
            {
                c.Deliver(command.Method, actor, ctx.Now);
                return Task.CompletedTask;
            }, ct);
        }
    }
}

/// <summary>Archive 归档 a concluded case: file list, retention period and location.</summary>
public static class ArchiveCase
{
    public sealed record Command(long CaseId, IReadOnlyList<string> Files, int RetentionYears, string Location);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Files).NotEmpty().WithMessage("请列出归档的案卷文件");
            this.Entries(c => c.Files, 200, 200, "案卷文件");
            RuleFor(c => c.RetentionYears).InclusiveBetween(1, 100).WithMessage("保管期限应为1至100年（永久保管填100）");
            RuleFor(c => c.Location).NotEmpty().WithMessage("请填写存放位置，如“档案室A柜3层”").Text(200, "存放位置");
        }
    }

    public sealed class Handler(CaseStore store, Validator validator)
    {
        public async Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            return await store.ExecuteAsync(command.CaseId, actor, (c, ctx) =>
            {
                c.ArchiveCase(command.Files, command.RetentionYears, command.Location, actor, ctx.Now);
                return Task.CompletedTask;
            }, ct);
        }
    }
}
