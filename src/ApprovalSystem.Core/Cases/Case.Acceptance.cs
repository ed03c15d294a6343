using System.Globalization;
using System.Text.Json;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Cases;

/// <summary>Acceptance 受理: the window's review, acceptance, refusal, the one-time supplement notice and the resubmission (Features/Cases/Acceptance).</summary>
public sealed partial class Case
{
    /// <summary>The window's review 预审: records which materials were received and checked.</summary>
    public void ReviewMaterials(IReadOnlyCollection<string> received, CaseActor actor, DateTimeOffset now, string? note = null)
    {
        Guard(CaseTrigger.Review);
        RequireClerk(actor);
        Materials = Materials.Select(m => m with { Received = received.Contains(m.Name) || m.FileSha256 is not null }).ToList();
        Record(CaseTrigger.Review, now, actor, note, State, ("received", string.Join("、", received)));
    }

    /// <summary>
    /// Accepts 受理 the application: starts the workflow on its definition and the promised and legal
    /// clocks. Required materials still missing are recorded (supervision flags it).
    /// </summary>
    public void Accept(WorkflowDefinition definition, CaseActor actor, DateTimeOffset now, WorkingTime time, string? opinion = null, decimal? feeCharged = null)
    {
        Guard(CaseTrigger.Accept);
        RequireClerk(actor);
        if (definition.Id != WorkflowId)
        {
            throw new CaseRuleException($"事项使用流程“{WorkflowId}”，而不是“{definition.Id}”");
        }

        // Start the flow first: if it cannot start, nothing of the case has changed.
        WorkflowTransition transition;
        try
        {
            transition = WorkflowRuntime.Start(definition, LeadDepartment, CaseDataForWorkflow(), now);
        }
        catch (WorkflowException e)
        {
            throw new CaseRuleException("无法受理：" + e.Message, e);
        }

        // Accepted after the 5 working days for telling what is missing: by law the application counts
        // as accepted from its receipt, so the promised and legal limits run from then.
        var late = Review is { RunningSince: { } receivedAt, DueAt: { } reviewDue } && now > reviewDue ? receivedAt : (DateTimeOffset?)null;
        AcceptedAt = now;
        AcceptedBy = actor.Name;
        FeeCharged = feeCharged;
        Promised = Deadline.Start(late ?? now, PromisedLimitDays, Warning, time);
        Legal = Deadline.Start(late ?? now, LegalLimitDays, Warning, time);
        Review = Review.Stop(now, time);
        WorkflowVersion = definition.Version;
        var missing = Materials.Where(m => m.Required && !m.Received).Select(m => m.Name).ToList();
        Move(CaseTrigger.Accept, CaseState.Handling, now, actor, opinion, ("workflow", $"{definition.Id} v{definition.Version}"),
            ("missingRequired", missing.Count == 0 ? null : string.Join("、", missing)), ("feeCharged", feeCharged?.ToString(CultureInfo.InvariantCulture)),
            ("limitsFromReceipt", late?.ToString("O", CultureInfo.InvariantCulture)));
        Apply(definition, transition, actor, now, time);
    }

    /// <summary>Refuses 不予受理 the application; the reason is required and is told to the applicant.</summary>
    public void Refuse(string reason, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        Guard(CaseTrigger.Refuse);
        RequireClerk(actor);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new CaseRuleException("不予受理必须说明理由");
        }

        RefusalReason = reason.Trim();
        ConcludedAt = now;
        Review = Review.Stop(now, time);
        Move(CaseTrigger.Refuse, CaseState.NotAccepted, now, actor, RefusalReason);
    }

    /// <summary>
    /// The one-time supplement notice 一次性告知: every missing or wrong item at once. A second request
    /// for the same filing round is refused, because the law allows telling only once.
    /// </summary>
    public void RequestSupplement(IReadOnlyList<string> items, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        Guard(CaseTrigger.RequestSupplement);
        RequireClerk(actor);
        var list = items.Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i.Trim()).Distinct().ToList();
        if (list.Count == 0)
        {
            throw new CaseRuleException("请列出需要补正的全部材料或内容");
        }

        SupplementItems = list;
        SupplementRequestedAt = now;
        Review = Review.Stop(now, time);
        Move(CaseTrigger.RequestSupplement, CaseState.SupplementRequested, now, actor, string.Join("；", list), ("items", string.Join("；", list)),
            ("late", Review.UsedDays > ReviewLimitDays ? "true" : null));
    }

    /// <summary>The applicant hands in the supplement 补正; the window's 5-day review starts again.</summary>
    public void Resubmit(CaseActor actor, DateTimeOffset now, WorkingTime time, string? note = null)
    {
        Guard(CaseTrigger.Resubmit);
        if (!(IsFiler(actor) || actor.Is(Roles.Clerk)))
        {
            throw new CaseRuleException("只有申请人、代办员或窗口工作人员可以提交补正材料");
        }

        Review = Deadline.Start(now, ReviewLimitDays, new WarningPolicy(1, null), time);
        Move(CaseTrigger.Resubmit, CaseState.PreAcceptance, now, actor, note);
    }
}
