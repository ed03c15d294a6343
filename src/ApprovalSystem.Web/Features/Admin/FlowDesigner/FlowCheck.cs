using ApprovalSystem.Workflows;

namespace ApprovalSystem.Web.Features.Admin.FlowDesigner;

/// <summary>One problem of the flow being designed, pinned to its step (or branch) where it has one; the text is Chinese.</summary>
/// <param name="Position">For a condition: where in its text the mistake is (zero-based).</param>
public sealed record FlowIssue(string? StepId, string? BranchId, string Message, int? Position = null)
{
    /// <summary>The diagram node the issue is pinned to: the branch's own node, else the step's.</summary>
    public string? NodeId => BranchId ?? StepId;
}

/// <summary>
/// Checks the model as the engine will: the designer's own rules for what a definition cannot hold (a loose branch, a condition
/// that does not read) and then the engine's loader and validator on <see cref="FlowModel.ToJson"/>, with the departments checked
/// against the catalogue as <see cref="Infrastructure.WorkflowRegistry.CheckDepartments"/> does at start-up.
/// </summary>
public static class FlowCheck
{
    public static IReadOnlyList<FlowIssue> Run(FlowModel model, IReadOnlySet<string>? departmentCodes = null)
    {
        var issues = new List<FlowIssue>();
        foreach (var branch in model.Branches.Where(b => b.ParallelId is null))
        {
            issues.Add(new(null, branch.Id, $"并联分支“{branch.Title}”未连接：请把它连到一个并联审批环节（或在右侧“所属并联环节”中选择）"));
        }

        foreach (var branch in model.Branches.Where(b => b.ParallelId is not null && model.FindStep(b.ParallelId)?.Kind != StepKind.Parallel))
        {
            issues.Add(new(null, branch.Id, $"并联分支“{branch.Title}”所属的环节不是并联审批环节：请重新选择"));
        }

        var unreadable = new HashSet<string>();
        foreach (var step in model.Steps.Where(s => s.Kind == StepKind.Condition))
        {
            if (FlowConditions.Check(step.When) is { } error)
            {
                unreadable.Add(step.Id);
                issues.Add(new(step.Id, null, $"条件第{error.Position + 1}个字符处：{error.Message}", error.Position));
            }
        }

        if (model.Steps.Count == 0)
        {
            issues.Add(new(null, null, "流程还没有环节：请从左侧添加环节"));
            return issues;
        }

        var result = new WorkflowLoader().LoadFromJson(model.Id + ".json", model.ToJson());
        foreach (var error in result.Errors.Where(e => e.StepId is null || !unreadable.Contains(e.StepId)))
        {
            var branch = error.StepId is null
                ? null
                : model.BranchesOf(error.StepId).FirstOrDefault(b => error.Message.StartsWith($"branch \"{b.Id}\"", StringComparison.Ordinal));
            issues.Add(new(error.StepId, branch?.Id, error.Chinese ?? $"流程定义有误（{error.Message}）"));
        }

        if (departmentCodes is not null && result.Definitions is [var definition])
        {
            foreach (var (stepId, branchId, code) in definition.DepartmentCodes().Where(d => !departmentCodes.Contains(d.Department)))
            {
                issues.Add(new(stepId, branchId, $"部门“{code}”不在部门目录中：请重新选择办理部门"));
            }
        }

        return issues;
    }
}
