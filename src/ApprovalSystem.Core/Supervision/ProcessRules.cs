using System.Globalization;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Workflows;
using static ApprovalSystem.Core.Supervision.SupervisionAlerts;

namespace ApprovalSystem.Core.Supervision;

/// <summary>A process-supervision rule 流程监察规则: a pure check of one case's facts at an instant.</summary>
public interface IProcessRule
{
    AlertKind Kind { get; }

    /// <summary>The alerts the case deserves at <paramref name="now"/>; the same facts always give the same keys.</summary>
    IEnumerable<SupervisionAlert> Check(CaseFacts facts, DateTimeOffset now);
}

/// <summary>Settings of the process rules (configuration section "Supervision:Process" on the Web side).</summary>
public sealed record ProcessRuleOptions
{
    /// <summary>Working days after the decision within which a case must be archived 归档.</summary>
    public int ArchiveWithinDays { get; init; } = 10;
}

/// <summary>All process rules together.</summary>
public sealed class ProcessSupervision(WorkingTime time, ProcessRuleOptions? options = null)
{
    public IReadOnlyList<IProcessRule> Rules { get; } =
    [
        new RefusalWithoutReasonRule(),
        new DenialWithoutReasonRule(),
        new LateAcceptanceRule(),
        new StepOrderRule(),
        new MissingMaterialRule(),
        new FeeRule(),
        new NotArchivedRule(time, options ?? new ProcessRuleOptions()),
        new OutsideSystemRule(),
        new StepOverdueRule(),
        new UnpublishedAutoApprovalRule(),
    ];

    /// <summary>Every alert the case deserves at <paramref name="now"/>; the store inserts those whose key is new.</summary>
    public IReadOnlyList<SupervisionAlert> Check(CaseFacts facts, DateTimeOffset now) => [.. Rules.SelectMany(r => r.Check(facts, now))];
}

/// <summary>不予受理 without a stated reason.</summary>
public sealed class RefusalWithoutReasonRule : IProcessRule
{
    public AlertKind Kind => AlertKind.RefusalWithoutReason;

    public IEnumerable<SupervisionAlert> Check(CaseFacts facts, DateTimeOffset now)
    {
        if (facts.Refused && string.IsNullOrWhiteSpace(facts.RefusalReason))
        {
            yield return new SupervisionAlert(Kind, facts.CaseId, null, "refusal", $"办件{facts.Number}不予受理但未说明理由",
                new Dictionary<string, string> { ["state"] = facts.State.ToString(), ["reason"] = facts.RefusalReason ?? "" });
        }
    }
}

/// <summary>不予许可 without stated reasons.</summary>
public sealed class DenialWithoutReasonRule : IProcessRule
{
    public AlertKind Kind => AlertKind.DenialWithoutReason;

    public IEnumerable<SupervisionAlert> Check(CaseFacts facts, DateTimeOffset now)
    {
        if (facts.Denied && string.IsNullOrWhiteSpace(facts.DenialReason))
        {
            yield return new SupervisionAlert(Kind, facts.CaseId, null, "denial", $"办件{facts.Number}作出不予许可决定但未说明理由",
                new Dictionary<string, string> { ["decidedAt"] = facts.DecidedAt is { } d ? Iso(d) : "", ["reason"] = facts.DenialReason ?? "" });
        }
    }
}

/// <summary>The window answered a filing round (acceptance, supplement notice or refusal) after its 5-working-day limit.</summary>
public sealed class LateAcceptanceRule : IProcessRule
{
    public AlertKind Kind => AlertKind.LateAcceptance;

    public IEnumerable<SupervisionAlert> Check(CaseFacts facts, DateTimeOffset now)
    {
        for (var i = 0; i < facts.ReviewRounds.Count; i++)
        {
            var r = facts.ReviewRounds[i];
            if (r.AnsweredAt > r.DueAt)
            {
                var what = r.Act switch
                {
                    ReviewAct.Accepted => "受理",
                    ReviewAct.SupplementRequested => "告知补正",
                    ReviewAct.Refused => "作出不予受理决定",
                };
                yield return new SupervisionAlert(Kind, facts.CaseId, null, "round-" + i.ToString(CultureInfo.InvariantCulture),
                    $"办件{facts.Number}超过{Case.ReviewLimitDays}个工作日才{what}",
                    new Dictionary<string, string> { ["act"] = r.Act.ToString(), ["answeredAt"] = Iso(r.AnsweredAt), ["dueAt"] = Iso(r.DueAt) });
            }
        }
    }
}

/// <summary>Accepted although a required material was missing.</summary>
public sealed class MissingMaterialRule : IProcessRule
{
    public AlertKind Kind => AlertKind.AcceptedWithMissingMaterial;

    public IEnumerable<SupervisionAlert> Check(CaseFacts facts, DateTimeOffset now)
    {
        if (facts.AcceptedAt is { } accepted && facts.MissingRequiredAtAcceptance.Count > 0)
        {
            var missing = string.Join("、", facts.MissingRequiredAtAcceptance);
            yield return new SupervisionAlert(Kind, facts.CaseId, null, "acceptance", $"办件{facts.Number}在缺少必要材料（{missing}）的情况下受理",
                new Dictionary<string, string> { ["acceptedAt"] = Iso(accepted), ["missing"] = missing });
        }
    }
}

/// <summary>收费监察: the charged amount differs from the matter's legal fee.</summary>
public sealed class FeeRule : IProcessRule
{
    public AlertKind Kind => AlertKind.FeeMismatch;

    public IEnumerable<SupervisionAlert> Check(CaseFacts facts, DateTimeOffset now)
    {
        if (facts.FeeCharged is { } charged && charged != facts.LegalFee)
        {
            yield return new SupervisionAlert(Kind, facts.CaseId, null, "fee",
                $"办件{facts.Number}实收费用{Num(charged)}元，与法定收费标准{Num(facts.LegalFee)}元不符",
                new Dictionary<string, string> { ["legalFee"] = Num(facts.LegalFee), ["charged"] = Num(charged) });
        }
    }
}

/// <summary>Decided but not archived within the configured working days.</summary>
public sealed class NotArchivedRule(WorkingTime time, ProcessRuleOptions options) : IProcessRule
{
    public AlertKind Kind => AlertKind.NotArchived;

    public IEnumerable<SupervisionAlert> Check(CaseFacts facts, DateTimeOffset now)
    {
        if (facts.DecidedAt is { } decided && facts.ArchivedAt is null && facts.State != CaseState.Archived)
        {
            var due = time.DueAfter(decided, options.ArchiveWithinDays);
            if (now > due)
            {
                yield return new SupervisionAlert(Kind, facts.CaseId, null, "archive",
                    $"办件{facts.Number}办结后超过{options.ArchiveWithinDays}个工作日未归档",
                    new Dictionary<string, string> { ["decidedAt"] = Iso(decided), ["archiveDueAt"] = Iso(due) });
            }
        }
    }
}

/// <summary>
/// 体外循环: a line system 条线系统 reported the case concluded but it was not handled in this system.
/// The exchange sets <see cref="CaseFacts.LineConcludedAt"/> and <see cref="CaseFacts.HandledInSystem"/>.
/// </summary>
public sealed class OutsideSystemRule : IProcessRule
{
    public AlertKind Kind => AlertKind.HandledOutsideSystem;

    public IEnumerable<SupervisionAlert> Check(CaseFacts facts, DateTimeOffset now)
    {
        if (facts.LineConcludedAt is { } concluded && !facts.HandledInSystem)
        {
            yield return new SupervisionAlert(Kind, facts.CaseId, null, "line",
                $"办件{facts.Number}在条线系统“{facts.LineSystem}”办结，但未在本系统受理和办理",
                new Dictionary<string, string> { ["lineSystem"] = facts.LineSystem ?? "", ["lineConcludedAt"] = Iso(concluded) });
        }
    }
}

/// <summary>一个环节超时而办件未超时: a step passed its own due moment while the case is within its promised limit.</summary>
public sealed class StepOverdueRule : IProcessRule
{
    public AlertKind Kind => AlertKind.StepOverdue;

    public IEnumerable<SupervisionAlert> Check(CaseFacts facts, DateTimeOffset now)
    {
        var caseEnd = facts.ConcludedAt ?? now;
        if (facts.PromisedDueAt is { } caseDue && caseEnd > caseDue)
        {
            yield break; // the case itself is overdue: its red card says it.
        }

        foreach (var s in facts.Steps)
        {
            if (s.DueAt is { } due && s.Outcome != StepOutcome.Cancelled && (s.ClosedAt ?? now) > due)
            {
                yield return new SupervisionAlert(Kind, facts.CaseId, s.WorkItemId, s.WorkItemId,
                    $"办件{facts.Number}的“{s.Title}”环节超过环节时限",
                    new Dictionary<string, string>
                    {
                        ["step"] = s.Title, ["department"] = s.Department, ["dueAt"] = Iso(due),
                        ["closedAt"] = s.ClosedAt is { } c ? Iso(c) : "",
                    });
            }
        }
    }
}

/// <summary>
/// 颠倒程序 / 跳过环节: the case's step instances, in the order they were opened, compared with the
/// workflow definition. A step (or a group of parallel branches / countersigners opened together)
/// must be reachable from the one before it by one connection (condition steps pass through), the
/// first from the start, and it must not open before the one before it closed; a decided case's last
/// step must lead to an end. Skipped when the facts carry no definition.
/// </summary>
public sealed class StepOrderRule : IProcessRule
{
    private const string End = "$end";

    public AlertKind Kind => AlertKind.StepOutOfOrder;

    public IEnumerable<SupervisionAlert> Check(CaseFacts facts, DateTimeOffset now)
    {
        if (facts.Workflow is not { } flow || facts.Steps.Count == 0)
        {
            yield break;
        }

        var entries = facts.Steps.GroupBy(s => (s.StepId, s.OpenedAt)).OrderBy(g => g.Key.OpenedAt).Select(g => g.ToList()).ToList();
        IReadOnlyCollection<string> allowed = Next(flow, flow.Start, includeSelf: true);
        string previous = "开始";
        DateTimeOffset? previousClosed = null;
        var previousOpen = false;
        var visited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var first = entry[0];
            if (!allowed.Contains(first.StepId))
            {
                yield return Alert(facts, first, $"办件{facts.Number}在“{previous}”之后办理了“{first.Title}”，不符合流程定义（颠倒程序或跳过环节）", previous);
            }
            else if (previousOpen || (previousClosed is { } closed && first.OpenedAt < closed))
            {
                yield return Alert(facts, first, $"办件{facts.Number}的“{first.Title}”在“{previous}”办结之前开始办理（颠倒程序）", previous);
            }

            previous = first.Title;
            previousOpen = entry.Any(s => s.ClosedAt is null);
            previousClosed = previousOpen ? null : entry.Max(s => s.ClosedAt);
            visited.Add(first.StepId);
            var outcomes = entry.Select(s => s.Outcome).OfType<StepOutcome>().Where(o => o != StepOutcome.Cancelled).Select(o => o.ToName())
                .ToHashSet(StringComparer.Ordinal);
            var next = Next(flow, first.StepId, includeSelf: false, outcomes.Count == 0 ? null : outcomes);
            if (entry.Any(s => s.Outcome == StepOutcome.Return))
            {
                // A return without a "return" connection goes back to an earlier step.
                next.UnionWith(visited);
            }

            allowed = next;
        }

        if (facts.DecidedAt is not null && !allowed.Contains(End))
        {
            yield return new SupervisionAlert(Kind, facts.CaseId, null, "end", $"办件{facts.Number}在“{previous}”之后即办结，跳过了流程中的后续环节",
                new Dictionary<string, string> { ["workflow"] = $"{flow.Id} v{flow.Version}", ["last"] = previous });
        }
    }

    private SupervisionAlert Alert(CaseFacts facts, StepFacts step, string message, string previous) =>
        new(Kind, facts.CaseId, step.WorkItemId, step.WorkItemId, message, new Dictionary<string, string>
        {
            ["workflow"] = $"{facts.Workflow!.Id} v{facts.Workflow.Version}", ["step"] = step.StepId, ["previous"] = previous,
            ["openedAt"] = Iso(step.OpenedAt),
        });

    /// <summary>
    /// The human steps (and "$end") reachable from <paramref name="stepId"/> by one connection on one of
    /// <paramref name="outcomes"/> (any outcome when null), through condition steps.
    /// </summary>
    private static HashSet<string> Next(WorkflowDefinition flow, string stepId, bool includeSelf, HashSet<string>? outcomes = null)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        if (includeSelf)
        {
            queue.Enqueue(stepId);
        }
        else
        {
            foreach (var c in flow.Connections.Where(c => c.From == stepId && (outcomes is null || outcomes.Contains(c.Outcome))))
            {
                queue.Enqueue(c.To);
            }
        }

        while (queue.TryDequeue(out var id))
        {
            if (!seen.Add(id))
            {
                continue;
            }

            switch (flow.FindStep(id))
            {
                case HumanStep:
                    result.Add(id);
                    break;
                case EndStep:
                    result.Add(End);
                    break;
                case ConditionStep:
                    foreach (var c in flow.Connections.Where(c => c.From == id))
                    {
                        queue.Enqueue(c.To);
                    }

                    break;
                default:
                    break;
            }
        }

        return result;
    }
}

/// <summary>
/// 自动审批所用规则版本未发布: the automatic approver decided on a rule version that was not published at the moment of the decision
/// (never published, published only later, or already retired). The approver refuses such a version; the rule catches what
/// reached the database some other way.
/// </summary>
public sealed class UnpublishedAutoApprovalRule : IProcessRule
{
    public AlertKind Kind => AlertKind.AutoApprovalUnpublishedRules;

    public IEnumerable<SupervisionAlert> Check(CaseFacts facts, DateTimeOffset now)
    {
        if (facts.AutoApproval is not { } rules || facts.DecidedAt is not { } decided)
        {
            yield break;
        }

        if (rules.PublishedAt is { } published && published <= decided && (rules.RetiredAt is not { } retired || retired > decided))
        {
            yield break;
        }

        var version = rules.RuleVersion.ToString(CultureInfo.InvariantCulture);
        yield return new SupervisionAlert(Kind, facts.CaseId, null, "auto-approval",
            $"办件{facts.Number}由秒批系统按规则第{version}版自动审批，但该版本在决定时未处于发布状态",
            new Dictionary<string, string>
            {
                ["ruleVersion"] = version,
                ["decidedAt"] = Iso(decided),
                ["publishedAt"] = rules.PublishedAt is { } p ? Iso(p) : "未发布",
                ["retiredAt"] = rules.RetiredAt is { } r ? Iso(r) : "",
            });
    }
}
