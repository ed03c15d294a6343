using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Workflows;
using FluentValidation;

namespace ApprovalSystem.Web.Features.Cases.Acceptance;

/// <summary>The window's review 预审 of a filing: which materials were received and checked.</summary>
public static class ReviewCase
{
    public sealed record Command(long CaseId, IReadOnlyList<string> ReceivedMaterials, string? Note);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.ReceivedMaterials).NotNull().WithMessage("请勾选已收取的材料");
            this.Entries(c => c.ReceivedMaterials, 200, 200, "材料名称");
            RuleFor(c => c.Note).Text(1000, "核对说明");
        }
    }

    public sealed class Handler(CaseStore store, Validator validator)
    {
        public async Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            return await store.ExecuteAsync(command.CaseId, actor, (c, ctx) =>
            {
                c.ReviewMaterials(command.ReceivedMaterials, actor, ctx.Now, command.Note);
                return Task.CompletedTask;
            }, ct);
        }
    }
}

/// <summary>
/// Accept 受理 a filing: the workflow starts on the newest version of the matter's definition.
/// An immediate matter 即办件 can be decided on the spot by passing <see cref="Command.DecideNow"/>.
/// </summary>
public static class AcceptCase
{
    /// <param name="ReceivedMaterials">When given, the window's material check is recorded in the same act.</param>
    /// <param name="DecisionData">With <paramref name="DecideNow"/>: what the first step asks for (an individual business's new 统一社会信用代码).</param>
    public sealed record Command(long CaseId, string? Opinion = null, decimal? FeeCharged = null, Outcome? DecideNow = null, string? DecisionOpinion = null,
        IReadOnlyList<string>? ReceivedMaterials = null, IReadOnlyDictionary<string, string>? DecisionData = null);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.FeeCharged).GreaterThanOrEqualTo(0).When(c => c.FeeCharged is not null).WithMessage("收费金额不能为负数")
                .LessThanOrEqualTo(MaxFee).WithMessage("收费金额不能超过1亿元").PrecisionScale(12, 2, ignoreTrailingZeros: true)
                .WithMessage("收费金额最多保留两位小数（元、角、分）");
            RuleFor(c => c.Opinion).Text(2000, "受理意见");
            RuleFor(c => c.DecisionOpinion).NotEmpty().When(c => c.DecideNow == Outcome.Deny).WithMessage("不予许可必须说明理由").Text(2000, "办结意见");
            RuleFor(c => c.DecideNow).Must(o => o is null or Outcome.Approve or Outcome.Deny).WithMessage("当场办结只能准予或不予");
            RuleFor(c => c.ReceivedMaterials).Must(m => m is null || m.All(x => !string.IsNullOrWhiteSpace(x) && x.Length <= 200))
                .WithMessage("材料名称不能为空，且每项不超过200字");
        }
    }

    /// <summary>The largest fee a window records (the column holds 12 digits, two of them after the point).</summary>
    public const decimal MaxFee = 100_000_000m;

    public sealed class Handler(CaseStore store, WorkflowCatalog workflows, Validator validator)
    {
        public async Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            return await store.ExecuteAsync(command.CaseId, actor, async (c, ctx) =>
            {
                await Bundles.BundleWindow.RequireOutsideBundleAsync(ctx.Db, c.Id, ct);
                var definition = await workflows.CurrentAsync(c.WorkflowId, ct);
                if (command.ReceivedMaterials is { } received)
                {
                    c.ReviewMaterials(received, actor, ctx.Now);
                }

                c.Accept(definition, actor, ctx.Now, ctx.Time, command.Opinion, command.FeeCharged);
                if (command.DecideNow is { } outcome)
                {
                    if (c.Kind != Core.Catalogue.MatterKind.Immediate && c.Commitment is null)
                    {
                        throw new CaseRuleException("只有即办件或告知承诺件可以当场办结");
                    }

                    var step = c.OpenSteps.FirstOrDefault() ?? throw new CaseRuleException("即办件没有可办理的环节");
                    try
                    {
                        c.Act(definition, step.WorkItemId, outcome, command.DecisionOpinion, command.DecisionData, actor, ctx.Now, ctx.Time);
                    }
                    catch (CaseInputException e) when (e.Problem == InputProblem.Invalid)
                    {
                        // The step's fields come with the acceptance as decisionData: name them so.
                        var named = e.Errors.SelectMany(x => x.Value.Select(m => (x.Key.StartsWith("data.", StringComparison.Ordinal)
                            ? "decisionData." + x.Key["data.".Length..] : x.Key, m)));
                        throw CaseInputException.Invalid(named);
                    }

                    // Approved on commitment (decision 0060): the certificate is issued in the same act; the verification clock runs.
                    if (c.Commitment is not null && c.State == CaseState.Approved && c.CertificateType is not null)
                    {
                        await Certificates.IssueCertificate.IssueAsync(c, actor, ctx, ct);
                    }
                }
            }, ct);
        }
    }
}

/// <summary>Refuse 不予受理 a filing, with the reason told to the applicant.</summary>
public static class RefuseCase
{
    public sealed record Command(long CaseId, string Reason);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Reason).NotEmpty().WithMessage("不予受理必须说明理由").Text(2000, "不予受理理由");
    }

    public sealed class Handler(CaseStore store, Validator validator)
    {
        public async Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            return await store.ExecuteAsync(command.CaseId, actor, async (c, ctx) =>
            {
                await Bundles.BundleWindow.RequireOutsideBundleAsync(ctx.Db, c.Id, ct);
                c.Refuse(command.Reason, actor, ctx.Now, ctx.Time);
            }, ct);
        }
    }
}

/// <summary>The one-time supplement notice 一次性告知: every missing or wrong item at once.</summary>
public static class RequestSupplement
{
    /// <param name="ReceivedMaterials">When given, the window's material check is recorded in the same act.</param>
    public sealed record Command(long CaseId, IReadOnlyList<string> Items, IReadOnlyList<string>? ReceivedMaterials = null);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Items).NotEmpty().WithMessage("请列出需要补正的全部材料或内容");
            this.Entries(c => c.Items, 100, 500, "补正事项");
            RuleFor(c => c.ReceivedMaterials).Must(m => m is null || m.All(x => !string.IsNullOrWhiteSpace(x) && x.Length <= 200))
                .WithMessage("材料名称不能为空，且每项不超过200字");
        }
    }

    public sealed class Handler(CaseStore store, Validator validator)
    {
        public async Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            return await store.ExecuteAsync(command.CaseId, actor, async (c, ctx) =>
            {
                await Bundles.BundleWindow.RequireOutsideBundleAsync(ctx.Db, c.Id, ct);
                if (command.ReceivedMaterials is { } received)
                {
                    c.ReviewMaterials(received, actor, ctx.Now);
                }

                c.RequestSupplement(command.Items, actor, ctx.Now, ctx.Time);
            }, ct);
        }
    }
}
