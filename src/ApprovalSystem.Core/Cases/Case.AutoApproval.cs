using System.Globalization;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Cases;

/// <summary>
/// What the automatic approver needs to act on a case: the rule version that passed, of which matter, and whether that version is
/// the matter's published one (read in the act's transaction). Without a published version of the case's own matter it may not act.
/// </summary>
public sealed record AutoApprovalGrant(string MatterCode, int RuleVersion, bool Published);

/// <summary>Automatic approval 秒批 (Features/AutoApproval): accepted and approved at once, within the filing act.</summary>
public sealed partial class Case
{
    /// <summary>The mark in the completed workflow instance of a case the automatic approver decided (no person's step ran).</summary>
    public const string AutoApprovalTrail = "$auto-approval";

    /// <summary>Whether the automatic approver accepted and approved the case.</summary>
    public bool AutoApproved => AcceptedBy == CaseActor.AutoApproverName && WorkflowState is not null && Instance().Trail.Contains(AutoApprovalTrail);

    /// <summary>
    /// Accepts 受理 and approves 准予 the filed case at once, by the automatic approver 秒批系统, when every condition of its matter's
    /// published rules held. Two journal records (acceptance, then the decision naming the rule version); no person's step is
    /// opened, the clocks start and stop at the same instant, and the workflow instance is stored completed as approved.
    /// </summary>
    public void ApproveAutomatically(WorkflowDefinition definition, AutoApprovalGrant grant, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        Guard(CaseTrigger.Accept);
        CheckGrant(definition, grant, actor);
        var version = grant.RuleVersion.ToString(CultureInfo.InvariantCulture);
        AcceptedAt = now;
        AcceptedBy = actor.Name;
        Promised = Deadline.Start(now, PromisedLimitDays, Warning, time);
        Legal = Deadline.Start(now, LegalLimitDays, Warning, time);
        Review = Review.Stop(now, time);
        WorkflowVersion = definition.Version;
        Move(CaseTrigger.Accept, CaseState.Handling, now, actor, "秒批：申请符合自动审批规则，予以受理", ("workflow", $"{definition.Id} v{definition.Version}"),
            ("autoApprovalRuleVersion", version));
        DecideAutomatically(definition, grant, actor, now, time);
    }

    /// <summary>
    /// The decision half of <see cref="ApproveAutomatically"/>: approves a case the automatic approver itself accepted in the same act.
    /// A case people accepted is theirs to decide (its steps run), whatever the rules say.
    /// </summary>
    public void DecideAutomatically(WorkflowDefinition definition, AutoApprovalGrant grant, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        Guard(CaseTrigger.AutoApprove);
        CheckGrant(definition, grant, actor);
        if (AcceptedBy != CaseActor.AutoApproverName || WorkflowState is not null)
        {
            throw new CaseRuleException("本件已由工作人员受理，按办理流程处理；秒批系统只审批由其受理的办件");
        }

        var version = grant.RuleVersion.ToString(CultureInfo.InvariantCulture);
        WorkflowState = new WorkflowInstance
        {
            DefinitionId = definition.Id,
            DefinitionVersion = definition.Version,
            LeadDepartment = LeadDepartment,
            CentreDepartment = WorkflowDepartments.DefaultCentre,
            CaseData = CaseDataForWorkflow(),
            StartedAt = now,
            CompletedAt = now,
            Result = WorkflowResult.Approved,
            Trail = [AutoApprovalTrail],
        }.ToJson();
        StopAllClocks(now, time);
        DecidedAt = now;
        ConcludedAt = now;
        DecisionOpinion = $"经秒批规则第{version}版核验，全部条件符合，准予许可";
        Move(CaseTrigger.AutoApprove, CaseState.Approved, now, actor, DecisionOpinion, ("result", WorkflowResult.Approved.ToName()),
            ("ruleVersion", version), ("promisedUsedDays", Promised.UsedDays.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Only the automatic approver, only on the rules of the case's own matter, only a published version, only its flow.</summary>
    private void CheckGrant(WorkflowDefinition definition, AutoApprovalGrant grant, CaseActor actor)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(grant);
        if (!actor.IsAutoApprover)
        {
            throw new CaseRuleException("只有秒批系统可以自动审批；工作人员请按受理、办理流程处理");
        }

        if (grant.MatterCode != MatterCode)
        {
            throw new CaseRuleException($"秒批系统只能办理已配置秒批规则的事项：“{MatterName}”未配置秒批规则");
        }

        if (!grant.Published)
        {
            throw new CaseRuleException($"“{MatterName}”的秒批规则第{grant.RuleVersion}版尚未发布（或已停用），不能用于自动审批");
        }

        if (definition.Id != WorkflowId)
        {
            throw new CaseRuleException($"事项使用流程“{WorkflowId}”，而不是“{definition.Id}”");
        }
    }
}
