using System.Text.Json;
using System.Text.Json.Serialization;

namespace ApprovalSystem.Workflows;

/// <summary>
/// The state of one case's flow 流程实例: where it waits (its open work items, like Elsa's bookmarks),
/// what the steps wrote, and how it ended. Immutable: <see cref="WorkflowRuntime"/> returns a new one
/// on every act. Persist it with <see cref="ToJson"/> / <see cref="FromJson"/>.
/// </summary>
public sealed record WorkflowInstance
{
    public required string DefinitionId { get; init; }

    /// <summary>A running case stays on the version it started on.</summary>
    public required int DefinitionVersion { get; init; }

    /// <summary>What <see cref="WorkflowDepartments.Lead"/> stands for: the matter's department.</summary>
    public required string LeadDepartment { get; init; }

    /// <summary>What <see cref="WorkflowDepartments.Centre"/> stands for.</summary>
    public required string CentreDepartment { get; init; }

    /// <summary>The case's form data, read by condition steps.</summary>
    public required IReadOnlyDictionary<string, JsonElement> CaseData { get; init; }

    /// <summary>Sections written by the steps so far (section name → key → value); every later step reads them.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Sections { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>
    /// What each countersigner entered, by section, in the order they signed. The section itself holds the
    /// latest value of each key (what later steps start from); these keep every signer's own entries.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<SignerEntry>> SignerEntries { get; init; } =
        new Dictionary<string, IReadOnlyList<SignerEntry>>();

    /// <summary>The step the flow waits in (or the end step it reached).</summary>
    public string? CurrentStepId { get; init; }

    /// <summary>Where the flow waits: the work items someone may act on now.</summary>
    public IReadOnlyList<WorkItem> OpenWorkItems { get; init; } = [];

    /// <summary>Acts already given on the current joint or countersign step.</summary>
    public IReadOnlyList<Vote> Votes { get; init; } = [];

    /// <summary>Human steps completed on the way here, latest last: "return" goes back to the last one.</summary>
    public IReadOnlyList<string> Trail { get; init; } = [];

    /// <summary>How many times each step was entered.</summary>
    public IReadOnlyDictionary<string, int> EntryCounts { get; init; } = new Dictionary<string, int>();

    /// <summary>Number of work items ever opened; the source of work item ids.</summary>
    public int WorkItemSequence { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Set when an end step is reached.</summary>
    public WorkflowResult? Result { get; init; }

    [JsonIgnore]
    public bool IsCompleted => Result is not null;

    public WorkItem? FindWorkItem(string workItemId) => OpenWorkItems.FirstOrDefault(w => w.Id == workItemId);

    public string ToJson() => JsonSerializer.Serialize(this, WorkflowJson.InstanceOptions);

    public static WorkflowInstance FromJson(string json) =>
        JsonSerializer.Deserialize<WorkflowInstance>(json, WorkflowJson.InstanceOptions)
        ?? throw new JsonException("A workflow instance was expected, found null.");
}

/// <summary>
/// A work item 待办: one department role may act on it. <see cref="EntryCount"/> grows each time its
/// step is re-entered (after a return) so the host re-arms the deadline from <see cref="OpenedAt"/>.
/// </summary>
/// <param name="BranchId">The branch of a joint step, otherwise null.</param>
/// <param name="Department">A department code: placeholders are already resolved.</param>
public sealed record WorkItem(
    string Id,
    string StepId,
    string? BranchId,
    string Title,
    string Department,
    string Role,
    int LimitDays,
    DateTimeOffset OpenedAt,
    int EntryCount);

/// <summary>One countersigner's entries 会签意见数据: their work item, who they are and what they entered.</summary>
public sealed record SignerEntry(string WorkItemId, string ActorId, IReadOnlyDictionary<string, string> Values);

/// <summary>One act on a work item of a joint or countersign step, counted toward its quorum.</summary>
public sealed record Vote(string WorkItemId, string? BranchId, string ActorId, Outcome Outcome);

/// <summary>The person acting: user id, department code and roles.</summary>
public sealed record Actor(string Id, string Department, IReadOnlyCollection<string> Roles)
{
    public Actor(string id, string department, params string[] roles)
        : this(id, department, (IReadOnlyCollection<string>)roles)
    {
    }
}

/// <summary>The instance after a start or an act, and what happened on the way.</summary>
public sealed record WorkflowTransition(WorkflowInstance Instance, IReadOnlyList<WorkflowEvent> Events);
