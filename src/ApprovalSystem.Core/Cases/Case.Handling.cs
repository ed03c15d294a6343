using System.Globalization;
using System.Text.Json;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Cases;

/// <summary>Handling 办理: separation of duties, claiming and assigning steps, acting on them, special procedures, extensions and withdrawal
/// (Features/Cases/Handling).</summary>
public sealed partial class Case
{
    /// <summary>
    /// The title of the earlier step this person acted on that <paramref name="step"/> must be kept apart from
    /// (its definition's <see cref="HumanStep.DistinctFrom"/>, separation of duties 不相容岗位分离), or null when they may take it.
    /// </summary>
    /// <remarks>
    /// Only the standing act of each earlier step counts: after a return, the pass that was sent back is superseded by the
    /// one done again (the person who did the first 承办 may review the second, done by someone else). And a department
    /// head does not take an officer's step that a head's step of the flow must be kept apart from (the head who did the
    /// 审核 could not do the 审批, and the case would wait for ever): the flow reserves such a step for officers.
    /// </remarks>
    public string? SeparationConflict(WorkflowDefinition definition, CaseStep step, string userId, bool isHead = false) =>
        SeparationConflict(definition, step, userId, isHead, Steps);

    /// <summary>
    /// The same rule over a case's closed steps only (the worklist reads those, not whole cases): the title of the earlier step
    /// this person acted on that <paramref name="step"/> must be kept apart from, or of the head's later step that reserves it.
    /// </summary>
    public static string? SeparationConflict(WorkflowDefinition definition, CaseStep step, string userId, bool isHead, IEnumerable<CaseStep> steps)
    {
        if (definition.FindStep(step.StepId) is not HumanStep human)
        {
            return null;
        }

        if (human.DistinctFrom.Count > 0)
        {
            // Of each earlier step, its latest pass stands (a joint step's branches share one opening moment).
            var standing = steps.Where(s => !s.IsOpen && s.Outcome != StepOutcome.Cancelled && human.DistinctFrom.Contains(s.StepId))
                .GroupBy(s => s.StepId)
                .SelectMany(g =>
                {
                    var latest = g.Max(s => s.OpenedAt);
                    return g.Where(s => s.OpenedAt == latest);
                });
            if (standing.FirstOrDefault(s => s.ActorId == userId) is { } earlier)
            {
                return earlier.Title;
            }
        }

        if (isHead && step.Role != Roles.DepartmentHead && ReservingStep(definition, step.StepId) is { } reserving)
        {
            return reserving.Title;
        }

        return null;
    }

    /// <summary>Whether the flow reserves an officers' step <paramref name="stepId"/> from department heads (a head's step is kept apart from it).</summary>
    public static bool ReservedFromHead(WorkflowDefinition definition, string stepId, string role) =>
        role != Roles.DepartmentHead && ReservingStep(definition, stepId) is not null;

    private static TaskStep? ReservingStep(WorkflowDefinition definition, string stepId) =>
        definition.Steps.OfType<TaskStep>().FirstOrDefault(t => t.Role == Roles.DepartmentHead && t.DistinctFrom.Contains(stepId));

    private void RequireSeparated(WorkflowDefinition? definition, CaseStep step, string userId, string who, bool isHead)
    {
        if (definition is null || SeparationConflict(definition, step, userId, isHead) is not { } conflict)
        {
            return;
        }

        if (Steps.Any(s => !s.IsOpen && s.ActorId == userId && s.Title == conflict && s.Outcome != StepOutcome.Cancelled))
        {
            throw new CaseRuleException($"不相容岗位分离：{who}已办理本件的“{conflict}”环节，“{step.Title}”须由其他工作人员办理");
        }

        throw new CaseRuleException($"不相容岗位分离：“{conflict}”由部门负责人办理并须与“{step.Title}”分离，“{step.Title}”须由经办人员办理");
    }

    /// <summary>An officer takes a work item 签收 (not one the workflow keeps apart from a step they acted on).</summary>
    public void Claim(string workItemId, CaseActor actor, DateTimeOffset now, WorkflowDefinition? definition = null)
    {
        Guard(CaseTrigger.Claim);
        var step = OpenStep(workItemId);
        RequireEligible(step, actor);
        RequireSeparated(definition, step, actor.UserId, "您", actor.Is(Roles.DepartmentHead));
        if (step.AssigneeId is not null && step.AssigneeId != actor.UserId)
        {
            throw new CaseRuleException($"该环节已由{step.AssigneeName}签收");
        }

        step.AssignTo(actor.UserId, actor.Name);
        Record(CaseTrigger.Claim, now, actor, null, State, ("step", step.Title), ("workItem", step.WorkItemId));
    }

    /// <summary>The department head assigns or reassigns 分派 a work item to an officer of the department.</summary>
    public void Assign(string workItemId, string assigneeId, string assigneeName, string assigneeDepartment, CaseActor actor, DateTimeOffset now,
        WorkflowDefinition? definition = null, bool assigneeIsHead = false)
    {
        Guard(CaseTrigger.Assign);
        var step = OpenStep(workItemId);
        if (!actor.Is(Roles.DepartmentHead) || actor.Department != step.Department)
        {
            throw new CaseRuleException("只有本部门负责人可以分派该环节");
        }

        if (assigneeDepartment != step.Department)
        {
            throw new CaseRuleException("只能分派给本部门的工作人员");
        }

        RequireSeparated(definition, step, assigneeId, assigneeName, assigneeIsHead);

        var previous = step.AssigneeName;
        step.AssignTo(assigneeId, assigneeName);
        Record(CaseTrigger.Assign, now, actor, null, State, ("step", step.Title), ("workItem", step.WorkItemId), ("from", previous), ("to", assigneeName));
    }

    /// <summary>
    /// An officer acts 办理 on a work item (approve, deny, return) with an opinion and the data their
    /// step writes. The workflow moves on; when it ends, the case is decided (or reported).
    /// </summary>
    public void Act(WorkflowDefinition definition, string workItemId, Outcome outcome, string? opinion, IReadOnlyDictionary<string, string>? sectionData,
        CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        Guard(CaseTrigger.ActOnTask);
        var step = OpenStep(workItemId);
        RequireEligible(step, actor);
        if (step.AssigneeId is not null && step.AssigneeId != actor.UserId)
        {
            throw new CaseRuleException($"该环节已由{step.AssigneeName}签收，只能由其办理或由部门负责人重新分派");
        }

        if (outcome is Outcome.Deny or Outcome.Return && string.IsNullOrWhiteSpace(opinion))
        {
            throw new CaseRuleException(outcome == Outcome.Deny ? "不同意必须填写理由" : "退回必须说明原因");
        }

        var instance = Instance();
        if (definition.Id != instance.DefinitionId || definition.Version != instance.DefinitionVersion)
        {
            throw new CaseRuleException($"办件按流程“{instance.DefinitionId}”第{instance.DefinitionVersion}版办理");
        }

        RequireSeparated(definition, step, actor.UserId, "您", actor.Is(Roles.DepartmentHead));

        // A step entered again keeps what it wrote for the fields not given again; a countersigner has only their own entries.
        var existing = definition.FindStep(step.StepId) is CountersignStep || definition.SectionOf(step.StepId, step.BranchId) is not { } section
            ? null : instance.Sections.GetValueOrDefault(section);
        sectionData = StepData.Check(step.Title, definition.FieldsOf(step.StepId, step.BranchId), outcome, sectionData, WorkingTime.LocalDate(now), existing);
        WorkflowTransition transition;
        try
        {
            // A head standing in for an officer acts in the step's role.
            var roles = actor.Is(step.Role) ? actor.Roles.ToArray() : [.. actor.Roles, step.Role];
            transition = WorkflowRuntime.Act(definition, instance, workItemId, new Actor(actor.UserId, step.Department, roles), outcome, opinion, sectionData,
                now);
        }
        catch (WorkflowException e)
        {
            throw new CaseRuleException("无法办理：" + e.Message, e);
        }

        step.Close(outcome.ToStepOutcome(), opinion, actor, now, time);
        Record(CaseTrigger.ActOnTask, now, actor, opinion, State, ("step", step.Title), ("workItem", step.WorkItemId), ("outcome", outcome.ToName()),
            ("data", sectionData is null || sectionData.Count == 0 ? null : JsonSerializer.Serialize(sectionData)));
        Apply(definition, transition, actor, now, time);
    }

    /// <summary>Starts a special procedure 特别程序 (hearing, inspection, testing, expert review…): every clock stops.</summary>
    public void StartSpecialProcedure(string kind, string reason, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        Guard(CaseTrigger.StartSpecialProcedure);
        RequireHandler(actor);
        if (string.IsNullOrWhiteSpace(kind) || string.IsNullOrWhiteSpace(reason))
        {
            throw new CaseRuleException("请填写特别程序的种类和理由（将书面告知申请人）");
        }

        SpecialProcedures = [.. SpecialProcedures, new SpecialProcedure(kind.Trim(), reason.Trim(), now, actor.Name)];
        Promised = Promised.Suspend(now, time);
        Legal = Legal.Suspend(now, time);
        foreach (var s in OpenSteps)
        {
            s.Reclock(s.Deadline.Suspend(now, time));
        }

        Move(CaseTrigger.StartSpecialProcedure, CaseState.Suspended, now, actor, reason, ("kind", kind));
    }

    /// <summary>Ends the special procedure: the clocks resume from the next working day.</summary>
    public void EndSpecialProcedure(string? result, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        Guard(CaseTrigger.EndSpecialProcedure);
        RequireHandler(actor);
        var current = CurrentSpecialProcedure ?? throw new CaseRuleException("没有进行中的特别程序");
        SpecialProcedures = SpecialProcedures.Select(p => p == current ? p with { EndedAt = now, EndedBy = actor.Name, Result = result } : p).ToList();
        Promised = Promised.Resume(now, time);
        Legal = Legal.Resume(now, time);
        foreach (var s in OpenSteps)
        {
            s.Reclock(s.Deadline.Resume(now, time));
        }

        Move(CaseTrigger.EndSpecialProcedure, CaseState.Handling, now, actor, result, ("kind", current.Kind));
    }

    /// <summary>An officer asks to extend the limit 延期; the head of the organ decides.</summary>
    public void RequestExtension(string reason, CaseActor actor, DateTimeOffset now, int days)
    {
        Guard(CaseTrigger.RequestExtension);
        RequireHandler(actor);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new CaseRuleException("申请延期必须说明理由（将告知申请人）");
        }

        var allowed = Kind == MatterKind.Joint ? 15 : 10;
        if (days < 1 || days > allowed)
        {
            throw new CaseRuleException($"延期不得超过{allowed}个工作日");
        }

        if (Extensions.Any(e => e.Approved is null))
        {
            throw new CaseRuleException("已有待审批的延期申请");
        }

        if (Extensions.Any(e => e.Approved == true))
        {
            throw new CaseRuleException("办理期限只能延长一次");
        }

        Extensions = [.. Extensions, new ExtensionRequest(days, reason.Trim(), now, actor.Name)];
        Record(CaseTrigger.RequestExtension, now, actor, reason, State, ("days", days.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>The head of the lead department approves or refuses the pending extension.</summary>
    public void AnswerExtension(bool approve, string? opinion, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        Guard(approve ? CaseTrigger.ApproveExtension : CaseTrigger.RejectExtension);
        if (!actor.Is(Roles.DepartmentHead) || actor.Department != LeadDepartment)
        {
            throw new CaseRuleException("延期须由主办部门负责人批准");
        }

        var pending = Extensions.LastOrDefault(e => e.Approved is null) ?? throw new CaseRuleException("没有待审批的延期申请");
        Extensions = Extensions.Select(e => e == pending ? e with { Approved = approve, AnsweredAt = now, AnsweredBy = actor.Name } : e).ToList();
        if (approve)
        {
            Promised = Promised.Extend(pending.Days, time);
            Legal = Legal.Extend(pending.Days, time);

            // The steps open now are what the extra time is for: their clocks move with the case's, so they
            // do not card for time the head has granted.
            foreach (var s in OpenSteps)
            {
                s.Reclock(s.Deadline.Extend(pending.Days, time));
            }
        }

        Record(approve ? CaseTrigger.ApproveExtension : CaseTrigger.RejectExtension, now, actor, opinion, State,
            ("days", pending.Days.ToString(CultureInfo.InvariantCulture)), ("legalDueAt", Legal.DueAt?.ToString("O", CultureInfo.InvariantCulture)),
            ("stepsExtended", approve ? OpenSteps.Count().ToString(CultureInfo.InvariantCulture) : null));
    }

    /// <summary>The applicant (or the agent who filed) withdraws 撤回 the application while it is open.</summary>
    public void Withdraw(string? reason, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        Guard(CaseTrigger.Withdraw);
        if (!IsFiler(actor))
        {
            throw new CaseRuleException("只有申请人（或代其申报的代办员）可以撤回申请");
        }

        // Open steps are cancelled as a joint step cancels its remaining branches: with the days they used.
        foreach (var s in OpenSteps.ToList())
        {
            s.Close(StepOutcome.Cancelled, null, null, now, time);
        }

        StopAllClocks(now, time);
        ConcludedAt = now;
        Move(CaseTrigger.Withdraw, CaseState.Withdrawn, now, actor, reason);
    }
}
