using System.Globalization;
using System.Text.Json;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Cases;

/// <summary>Migration 流程迁移: an administrator moves a running case to another version of its flow (Features/Admin/Workflows).</summary>
public sealed partial class Case
{
    /// <summary>
    /// Moves the case from <paramref name="source"/> (the version it runs on) to <paramref name="target"/>, its open steps mapped by
    /// <paramref name="mapping"/>. A work item that continues keeps its clock's start and the working days used, with the target step's
    /// limit (re-armed on the calendar), and its assignee where the department and role stay; one the target adds starts now. One act,
    /// journalled with what moved where. Refused (nothing changes) where the engine finds the mapping unsafe.
    /// </summary>
    /// <exception cref="CaseRuleException">
    /// Not an administrator, the case is not being handled, or the mapping is unsafe (the reasons).
    /// </exception>
    /// <returns>Each work item the case now waits on, with the one it continues (null for one the target adds).</returns>
    public IReadOnlyList<MigratedStep> MigrateWorkflow(WorkflowDefinition source, WorkflowDefinition target, IReadOnlyDictionary<string, string> mapping,
        string? reason, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        Guard(CaseTrigger.MigrateWorkflow);
        if (!actor.Is(Roles.Administrator))
        {
            throw new CaseRuleException("只有系统管理员可以迁移在办件的流程");
        }

        if (WorkflowVersion != source.Version || WorkflowId != source.Id)
        {
            throw new CaseRuleException($"办件按流程“{WorkflowId}”第{WorkflowVersion}版办理，不是第{source.Version}版，请刷新后重试");
        }

        var result = WorkflowMigration.Migrate(source, target, Instance(), mapping, now);
        if (!result.Succeeded)
        {
            throw new CaseRuleException("不能迁移：" + string.Join("；", result.Problems));
        }

        var moved = new List<Dictionary<string, string?>>();
        var steps = new List<MigratedStep>();
        foreach (var move in result.Moves)
        {
            var old = move.From is { } from ? Steps.FirstOrDefault(s => s.WorkItemId == from.Id && s.IsOpen) : null;
            var w = move.To;
            Deadline deadline;
            if (old is not null)
            {
                deadline = old.Deadline.Relimit(w.LimitDays, time);
                old.Close(StepOutcome.Cancelled, "流程迁移", null, now, time);
            }
            else
            {
                deadline = Deadline.Start(now, w.LimitDays, Warning, time);
                if (State == CaseState.Suspended)
                {
                    deadline = deadline.Suspend(now, time);
                }
            }

            var step = CaseStep.Open(w, deadline, target);
            if (old?.AssigneeId is { } assignee && old.Department == step.Department && old.Role == step.Role)
            {
                step.AssignTo(assignee, old.AssigneeName ?? "");
            }

            _steps.Add(step);
            steps.Add(new MigratedStep(old, step));
            moved.Add(new()
            {
                ["from"] = old?.Title,
                ["fromDepartment"] = old?.Department,
                ["to"] = step.Title,
                ["toDepartment"] = step.Department,
                ["dueAt"] = step.Deadline.DueAt?.ToString("O", CultureInfo.InvariantCulture),
            });
        }

        foreach (var closed in result.Closed)
        {
            Steps.FirstOrDefault(s => s.WorkItemId == closed.Id && s.IsOpen)?.Close(StepOutcome.Cancelled, "流程迁移", null, now, time);
        }

        var fromVersion = WorkflowVersion;
        WorkflowVersion = target.Version;
        WorkflowState = result.Instance!.ToJson();
        Record(CaseTrigger.MigrateWorkflow, now, actor, reason, State,
            ("workflow", WorkflowId),
            ("fromVersion", fromVersion?.ToString(CultureInfo.InvariantCulture)),
            ("toVersion", target.Version.ToString(CultureInfo.InvariantCulture)),
            ("steps", JsonSerializer.Serialize(moved, JournalJson)));
        return steps;
    }
}

/// <summary>A work item of a migrated case: the step it waits on now and the one it continues (null for one the new version adds).</summary>
public sealed record MigratedStep(CaseStep? From, CaseStep To);
