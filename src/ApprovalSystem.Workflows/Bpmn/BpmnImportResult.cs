namespace ApprovalSystem.Workflows.Bpmn;

/// <summary>
/// What <see cref="BpmnImporter.Import"/> made of a BPMN file: the definition when nothing is wrong or missing; else the
/// errors (refused elements, a flow the engine cannot run, the validator's findings) and what each element still needs.
/// </summary>
/// <param name="Definition">The valid definition, or null when there are errors or needs.</param>
/// <param name="Needs">Per element, what the file does not say and the administrator must (department, role, limit …);
/// pass the answers back to <see cref="BpmnImporter.Import"/> keyed by <see cref="BpmnNeed.ElementId"/>.</param>
public sealed record BpmnImportResult(WorkflowDefinition? Definition, IReadOnlyList<BpmnImportError> Errors, IReadOnlyList<BpmnNeed> Needs)
{
    public bool Succeeded => Definition is not null;
}

/// <summary>Why a file, or one of its elements, cannot be imported; <see cref="Message"/> is Chinese and says what to do.</summary>
/// <param name="ElementId">The BPMN element's id, if the error is about one.</param>
/// <param name="ElementName">Its name as drawn, if it has one.</param>
public sealed record BpmnImportError(string? ElementId, string? ElementName, string Message)
{
    public override string ToString() => ElementId is null ? Message : $"{ElementId}: {Message}";
}

/// <summary>What one element (a user task, a joint step's split gateway, an end event …) of an imported file lacks.</summary>
/// <param name="StepId">The step the element becomes.</param>
/// <param name="BranchId">The branch, when the element is a branch of a joint step.</param>
public sealed record BpmnNeed(string ElementId, string? ElementName, string StepId, string? BranchId, IReadOnlyList<BpmnMissing> Missing)
{
    /// <summary>“受理”缺少：办理部门、岗位角色.</summary>
    public string Message => $"“{ElementName ?? ElementId}”缺少：{string.Join("、", Missing.Select(m => m.ToChinese()))}";
}

/// <summary>A property of a step that a BPMN file may not carry.</summary>
public enum BpmnMissing
{
    Title,
    Department,
    Role,
    LimitDays,
    Signers,
    Result,
}

/// <summary>The administrator's answer for one element's <see cref="BpmnNeed"/>; only what was missing is read.</summary>
public sealed record BpmnAnswer
{
    public string? Title { get; init; }

    public string? Department { get; init; }

    public string? Role { get; init; }

    public int? LimitDays { get; init; }

    public int? Signers { get; init; }

    public WorkflowResult? Result { get; init; }
}

/// <summary>Chinese names of <see cref="BpmnMissing"/>.</summary>
public static class BpmnMissingNames
{
    public static string ToChinese(this BpmnMissing missing) => missing switch
    {
        BpmnMissing.Title => "名称",
        BpmnMissing.Department => "办理部门",
        BpmnMissing.Role => "岗位角色",
        BpmnMissing.LimitDays => "办理时限（工作日）",
        BpmnMissing.Signers => "会签人数",
        BpmnMissing.Result => "办结结果（准予、不予或上报）",
        _ => missing.ToString(),
    };
}
