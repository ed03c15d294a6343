using System.Globalization;

namespace ApprovalSystem.Workflows;

/// <summary>
/// The difference 版本差异 between two definitions of a flow, for the version history: steps added and removed, and of the steps in
/// both their titles, departments, roles, limits, fields, quorums, conditions and connections. Pure; the labels are Chinese, as shown.
/// </summary>
public static class WorkflowDiff
{
    /// <summary>What changed from <paramref name="before"/> to <paramref name="after"/>, flow first, then steps in the after order.</summary>
    public static IReadOnlyList<WorkflowDifference> Compare(WorkflowDefinition before, WorkflowDefinition after)
    {
        var changes = new List<WorkflowDifference>();
        Value(changes, null, DiffAspect.FlowTitle, before.Title, after.Title);
        Value(changes, null, DiffAspect.Start, before.Start, after.Start);
        foreach (var step in before.Steps.Where(s => after.FindStep(s.Id) is null))
        {
            changes.Add(new(DiffKind.Removed, step.Id, DiffAspect.Step, Describe(step), null));
        }

        foreach (var step in after.Steps)
        {
            if (before.FindStep(step.Id) is not { } old)
            {
                changes.Add(new(DiffKind.Added, step.Id, DiffAspect.Step, null, Describe(step)));
                continue;
            }

            CompareStep(changes, old, step);
        }

        var oldEdges = before.Connections.ToDictionary(c => (c.From, c.Outcome), c => c.To);
        var newEdges = after.Connections.ToDictionary(c => (c.From, c.Outcome), c => c.To);
        foreach (var (key, to) in oldEdges.Where(e => !newEdges.ContainsKey(e.Key)))
        {
            changes.Add(new(DiffKind.Removed, key.From, DiffAspect.Connection, Edge(key.Outcome, to), null));
        }

        foreach (var (key, to) in newEdges)
        {
            if (!oldEdges.TryGetValue(key, out var oldTo))
            {
                changes.Add(new(DiffKind.Added, key.From, DiffAspect.Connection, null, Edge(key.Outcome, to)));
            }
            else if (oldTo != to)
            {
                changes.Add(new(DiffKind.Changed, key.From, DiffAspect.Connection, Edge(key.Outcome, oldTo), Edge(key.Outcome, to)));
            }
        }

        return changes;
    }

    /// <summary>How people read an aspect: 环节, 部门, 时限（工作日）…</summary>
    public static string Chinese(this DiffAspect aspect) => aspect switch
    {
        DiffAspect.FlowTitle => "流程名称",
        DiffAspect.Start => "起始环节",
        DiffAspect.Step => "环节",
        DiffAspect.Kind => "环节类型",
        DiffAspect.Title => "环节名称",
        DiffAspect.Department => "部门",
        DiffAspect.Role => "岗位",
        DiffAspect.Limit => "时限（工作日）",
        DiffAspect.Quorum => "通过数",
        DiffAspect.Signers => "会签人数",
        DiffAspect.Outcomes => "可选结果",
        DiffAspect.Section => "写入数据段",
        DiffAspect.Field => "填写字段",
        DiffAspect.Branch => "并联分支",
        DiffAspect.Condition => "条件",
        DiffAspect.Result => "办结结果",
        DiffAspect.DistinctFrom => "不相容岗位",
        DiffAspect.Connection => "连线",
        _ => aspect.ToString(),
    };

    public static string Chinese(this DiffKind kind) => kind switch
    {
        DiffKind.Added => "新增",
        DiffKind.Removed => "删除",
        DiffKind.Changed => "修改",
        _ => kind.ToString(),
    };

    private static void CompareStep(List<WorkflowDifference> changes, WorkflowStep a, WorkflowStep b)
    {
        var id = b.Id;
        if (WorkflowNames.Kind(a) != WorkflowNames.Kind(b))
        {
            changes.Add(new(DiffKind.Changed, id, DiffAspect.Kind, Describe(a), Describe(b)));
            return;
        }

        Value(changes, id, DiffAspect.Title, a.Title, b.Title);
        if (a is HumanStep ha && b is HumanStep hb)
        {
            Value(changes, id, DiffAspect.Limit, Number(ha.LimitDays), Number(hb.LimitDays));
            Value(changes, id, DiffAspect.Outcomes, Outcomes(ha), Outcomes(hb));
            Value(changes, id, DiffAspect.DistinctFrom, string.Join("、", ha.DistinctFrom), string.Join("、", hb.DistinctFrom));
        }

        switch (a, b)
        {
            case (TaskStep x, TaskStep y):
                Value(changes, id, DiffAspect.Department, x.Department, y.Department);
                Value(changes, id, DiffAspect.Role, x.Role, y.Role);
                Value(changes, id, DiffAspect.Section, x.Writes, y.Writes);
                Fields(changes, id, null, x.Fields, y.Fields);
                break;
            case (CountersignStep x, CountersignStep y):
                Value(changes, id, DiffAspect.Department, x.Department, y.Department);
                Value(changes, id, DiffAspect.Role, x.Role, y.Role);
                Value(changes, id, DiffAspect.Signers, Number(x.Signers), Number(y.Signers));
                Value(changes, id, DiffAspect.Quorum, Number(x.Quorum), Number(y.Quorum));
                Value(changes, id, DiffAspect.Section, x.Writes, y.Writes);
                Fields(changes, id, null, x.Fields, y.Fields);
                break;
            case (ParallelStep x, ParallelStep y):
                Value(changes, id, DiffAspect.Quorum, Number(x.Quorum), Number(y.Quorum));
                Branches(changes, id, x, y);
                break;
            case (ConditionStep x, ConditionStep y):
                Value(changes, id, DiffAspect.Condition, Condition(x), Condition(y));
                break;
            case (EndStep x, EndStep y):
                Value(changes, id, DiffAspect.Result, x.Result.ToName(), y.Result.ToName());
                break;
        }
    }

    private static void Branches(List<WorkflowDifference> changes, string id, ParallelStep a, ParallelStep b)
    {
        foreach (var branch in a.Branches.Where(x => b.Branches.All(y => y.Id != x.Id)))
        {
            changes.Add(new(DiffKind.Removed, id, DiffAspect.Branch, Branch(branch), null) { BranchId = branch.Id });
        }

        foreach (var branch in b.Branches)
        {
            if (a.Branches.FirstOrDefault(x => x.Id == branch.Id) is not { } old)
            {
                changes.Add(new(DiffKind.Added, id, DiffAspect.Branch, null, Branch(branch)) { BranchId = branch.Id });
                continue;
            }

            var at = changes.Count;
            Value(changes, id, DiffAspect.Title, old.Title, branch.Title);
            Value(changes, id, DiffAspect.Department, old.Department, branch.Department);
            Value(changes, id, DiffAspect.Role, old.Role, branch.Role);
            Value(changes, id, DiffAspect.Limit, Number(old.LimitDays), Number(branch.LimitDays));
            Value(changes, id, DiffAspect.Section, old.Writes, branch.Writes);
            Fields(changes, id, branch.Id, old.Fields, branch.Fields);
            for (var i = at; i < changes.Count; i++)
            {
                changes[i] = changes[i] with { BranchId = branch.Id };
            }
        }
    }

    private static void Fields(List<WorkflowDifference> changes, string id, string? branchId, IReadOnlyList<StepField> a, IReadOnlyList<StepField> b)
    {
        foreach (var field in a.Where(x => b.All(y => y.Key != x.Key)))
        {
            changes.Add(new(DiffKind.Removed, id, DiffAspect.Field, Field(field), null) { BranchId = branchId });
        }

        foreach (var field in b)
        {
            var old = a.FirstOrDefault(x => x.Key == field.Key);
            if (old is null)
            {
                changes.Add(new(DiffKind.Added, id, DiffAspect.Field, null, Field(field)) { BranchId = branchId });
            }
            else if (Field(old) != Field(field))
            {
                changes.Add(new(DiffKind.Changed, id, DiffAspect.Field, Field(old), Field(field)) { BranchId = branchId });
            }
        }
    }

    private static void Value(List<WorkflowDifference> changes, string? stepId, DiffAspect aspect, string? before, string? after)
    {
        if (!string.Equals(before ?? "", after ?? "", StringComparison.Ordinal))
        {
            changes.Add(new(DiffKind.Changed, stepId, aspect, before, after));
        }
    }

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Outcomes(HumanStep step) => string.Join("、", step.Outcomes.Select(o => o.ToName()));

    private static string Edge(string outcome, string to) => $"{outcome} → {to}";

    private static string Condition(ConditionStep c) => c.When.ToText();

    private static string Branch(ParallelBranch b) => $"{b.Title}（{b.Department}，{b.Role}，{Number(b.LimitDays)}个工作日）";

    private static string Field(StepField f) =>
        $"{f.Key}：{f.Label}（{f.Type}{(f.Required ? "，必填" : "")}{(f.Options.Count > 0 ? "，" + string.Join("/", f.Options) : "")}"
        + $"{(f.Unit is null ? "" : "，" + f.Unit)}{(f.MaxLength is { } max ? "，≤" + Number(max) : "")}）";

    /// <summary>One line for a whole step: its kind, title, department and limit.</summary>
    public static string Describe(WorkflowStep step) => step switch
    {
        TaskStep t => $"任务“{t.Title}”（{t.Department}，{t.Role}，{Number(t.LimitDays)}个工作日）",
        ParallelStep p => $"并联“{p.Title}”（{p.Branches.Count}个分支，通过数{Number(p.Quorum)}，{Number(p.LimitDays)}个工作日）",
        CountersignStep c => $"会签“{c.Title}”（{c.Department}，{Number(c.Signers)}人，通过数{Number(c.Quorum)}，{Number(c.LimitDays)}个工作日）",
        ConditionStep c => $"条件“{c.Title}”（{Condition(c)}）",
        EndStep e => $"办结“{e.Title}”（{e.Result.ToName()}）",
        _ => step.Title,
    };
}

public enum DiffKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>What of a flow or step changed.</summary>
public enum DiffAspect
{
    FlowTitle,
    Start,
    Step,
    Kind,
    Title,
    Department,
    Role,
    Limit,
    Quorum,
    Signers,
    Outcomes,
    Section,
    Field,
    Branch,
    Condition,
    Result,
    DistinctFrom,
    Connection,
}

/// <summary>One difference: of the flow (<see cref="StepId"/> null), a step, a branch of a joint step, or a connection leaving a step.</summary>
public sealed record WorkflowDifference(DiffKind Kind, string? StepId, DiffAspect Aspect, string? Before, string? After)
{
    public string? BranchId { get; init; }
}
