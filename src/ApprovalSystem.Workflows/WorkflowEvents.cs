using System.Text.Json.Serialization;

namespace ApprovalSystem.Workflows;

/// <summary>Something that happened in a workflow instance; the host journals these with the case.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(StepOpened), "stepOpened")]
[JsonDerivedType(typeof(WorkItemOpened), "workItemOpened")]
[JsonDerivedType(typeof(WorkItemCompleted), "workItemCompleted")]
[JsonDerivedType(typeof(WorkItemCancelled), "workItemCancelled")]
[JsonDerivedType(typeof(StepCompleted), "stepCompleted")]
[JsonDerivedType(typeof(Returned), "returned")]
[JsonDerivedType(typeof(WorkflowCompleted), "completed")]
public abstract record WorkflowEvent(DateTimeOffset At);

/// <summary>A human step was entered; <see cref="EntryCount"/> &gt; 1 after a return, to re-arm its deadline.</summary>
public sealed record StepOpened(DateTimeOffset At, string StepId, string Title, int LimitDays, int EntryCount) : WorkflowEvent(At);

/// <summary>Someone can now act: a task, one branch of a joint step, or one signature of a countersign.</summary>
public sealed record WorkItemOpened(DateTimeOffset At, WorkItem WorkItem) : WorkflowEvent(At);

/// <summary>An actor acted on a work item; for a branch of a joint step this is the branch's completion.</summary>
public sealed record WorkItemCompleted(DateTimeOffset At, WorkItem WorkItem, string ActorId, Outcome Outcome, string? Opinion)
    : WorkflowEvent(At);

/// <summary>A work item closed without an act, because its step was decided (quorum) or returned by someone else.</summary>
public sealed record WorkItemCancelled(DateTimeOffset At, WorkItem WorkItem) : WorkflowEvent(At);

/// <summary>A step finished; <see cref="Outcome"/> is "approve", "deny", "return", or "true"/"false" for a condition.</summary>
public sealed record StepCompleted(DateTimeOffset At, string StepId, string Outcome) : WorkflowEvent(At);

/// <summary>A step was sent back 退回 to an earlier one.</summary>
public sealed record Returned(DateTimeOffset At, string FromStepId, string ToStepId) : WorkflowEvent(At);

/// <summary>The flow reached an end step: the case is decided (or reported up).</summary>
public sealed record WorkflowCompleted(DateTimeOffset At, string EndStepId, WorkflowResult Result) : WorkflowEvent(At);
