using System.Diagnostics;
using System.Text.Json.Serialization;
using ApprovalSystem.Workflows.Conditions;

namespace ApprovalSystem.Workflows;

/// <summary>
/// A workflow definition 流程定义, loaded from one JSON file in <c>workflows/</c> by <see cref="WorkflowLoader"/>.
/// Only valid definitions are ever constructed by the loader.
/// </summary>
/// <param name="ContentHash">SHA-256 (lower-case hex) of the canonical JSON: a changed hash means a new version.</param>
/// <param name="SourceJson">The JSON text the definition was loaded from, for the host to store with its version.</param>
public sealed record WorkflowDefinition(
    string Id,
    int Version,
    string Title,
    string? Description,
    string Start,
    IReadOnlyList<WorkflowStep> Steps,
    IReadOnlyList<WorkflowConnection> Connections,
    string ContentHash,
    string SourceJson)
{
    /// <summary>The file the definition was loaded from, for messages about it.</summary>
    public string? File { get; init; }

    public WorkflowStep? FindStep(string stepId) => Steps.FirstOrDefault(s => s.Id == stepId);

    /// <summary>
    /// The department codes the definition names (not the <see cref="WorkflowDepartments"/> placeholders),
    /// with the step that names each; the host checks them against its catalogue.
    /// </summary>
    public IEnumerable<(string StepId, string? BranchId, string Department)> DepartmentCodes() =>
        Steps.SelectMany(step => step switch
        {
            TaskStep task => [(task.Id, (string?)null, task.Department)],
            CountersignStep countersign => [(countersign.Id, null, countersign.Department)],
            ParallelStep parallel => parallel.Branches.Select(b => (parallel.Id, (string?)b.Id, b.Department)),
            _ => [],
        }).Where(d => d.Department is not WorkflowDepartments.Lead and not WorkflowDepartments.Centre);

    public WorkflowStep GetStep(string stepId) =>
        FindStep(stepId) ?? throw new WorkflowException($"Workflow \"{Id}\" v{Version} has no step \"{stepId}\".");

    /// <summary>The step a connection leads to from <paramref name="stepId"/> on <paramref name="outcome"/>, if any.</summary>
    public string? Target(string stepId, string outcome) =>
        Connections.FirstOrDefault(c => c.From == stepId && c.Outcome == outcome)?.To;

    /// <summary>The fields a work item of <paramref name="stepId"/> (and <paramref name="branchId"/> of a joint step) asks for.</summary>
    public IReadOnlyList<StepField> FieldsOf(string stepId, string? branchId) => Part(stepId, branchId)?.Fields ?? [];

    /// <summary>The case-data section a work item of <paramref name="stepId"/> (and <paramref name="branchId"/> of a joint step) writes.</summary>
    public string? SectionOf(string stepId, string? branchId) => Part(stepId, branchId)?.Writes;

    /// <summary>What a work item writes and asks for: its task or countersign step, or its branch of a joint step.</summary>
    private (string Writes, IReadOnlyList<StepField> Fields)? Part(string stepId, string? branchId) => FindStep(stepId) switch
    {
        TaskStep task => (task.Writes, task.Fields),
        CountersignStep countersign => (countersign.Writes, countersign.Fields),
        ParallelStep parallel when parallel.Branches.FirstOrDefault(b => b.Id == branchId) is { } branch => (branch.Writes, branch.Fields),
        _ => null,
    };

    /// <summary>Who writes a case-data section: the title of the step or branch whose <c>writes</c> it is, and its fields.</summary>
    public (string Title, IReadOnlyList<StepField> Fields)? Writer(string section)
    {
        foreach (var step in Steps)
        {
            switch (step)
            {
                case TaskStep task when task.Writes == section:
                    return (task.Title, task.Fields);
                case CountersignStep countersign when countersign.Writes == section:
                    return (countersign.Title, countersign.Fields);
                case ParallelStep parallel when parallel.Branches.FirstOrDefault(b => b.Writes == section) is { } branch:
                    return (branch.Title, branch.Fields);
            }
        }

        return null;
    }
}

/// <summary>
/// A piece of data a human step asks the person acting to enter into its section: a licence number,
/// an amount of tax, a date, a conclusion from a list. Later steps read it, labelled, and a field with
/// the same <see cref="Key"/> in a later step starts from the value already entered.
/// </summary>
/// <param name="Key">The key in the section (and the applicant's form data it may start from).</param>
/// <param name="Label">Shown to people, in Chinese.</param>
/// <param name="Required">The step cannot be approved without it (deny and return need no data).</param>
/// <param name="Options">The choices of a <see cref="FieldKind.Select"/> field.</param>
/// <param name="Unit">Shown after a number (万元, 平方米 …).</param>
/// <param name="MaxLength">The longest text accepted; null for the type's default (200 for text, 2,000 for textarea).</param>
public sealed record StepField(string Key, string Label, FieldKind Type, bool Required, IReadOnlyList<string> Options, string? Unit, int? MaxLength = null);

/// <summary>
/// What a field holds — a step's field (<see cref="StepField"/>) or a field of a matter's application form; every value is
/// stored as text and checked by one set of rules (Core's <c>FieldRules</c>). The member names are what the database
/// stores for form fields; workflow files name them in lower case (<see cref="WorkflowNames"/>).
/// </summary>
public enum FieldKind
{
    /// <summary>One line of text (at most 200 characters unless the field declares its own limit).</summary>
    Text,

    /// <summary>Several lines of text (at most 2,000 characters unless the field declares its own limit).</summary>
    Textarea,

    /// <summary>A decimal number, written with a dot ("1250.5").</summary>
    Number,

    /// <summary>A calendar date, yyyy-MM-dd.</summary>
    Date,

    /// <summary>One of the field's options (a workflow file calls it "choice").</summary>
    Select,

    /// <summary>A telephone number: 7–20 digits or hyphens.</summary>
    Phone,

    /// <summary>A resident ID number 居民身份证号码, with its check digit and a birth date not in the future.</summary>
    IdCard,

    /// <summary>A unified social credit code 统一社会信用代码, with its check character.</summary>
    CreditCode,
}

/// <summary>An edge of the flow: when <see cref="From"/> ends with <see cref="Outcome"/>, go to <see cref="To"/>.</summary>
/// <param name="Outcome">"approve", "deny", "return" for human steps; "true", "false" for conditions.</param>
public sealed record WorkflowConnection(string From, string Outcome, string To);

/// <summary>A step 环节 of a workflow.</summary>
public abstract record WorkflowStep(string Id, string Title)
{
    /// <summary>The outcomes a connection may leave this step on.</summary>
    public abstract IReadOnlyList<string> ConnectionOutcomes { get; }
}

/// <summary>A step where people act, with its own time limit in working days 工作日.</summary>
/// <param name="Outcomes">What the people acting may choose.</param>
public abstract record HumanStep(string Id, string Title, int LimitDays, IReadOnlyList<Outcome> Outcomes)
    : WorkflowStep(Id, Title)
{
    public override IReadOnlyList<string> ConnectionOutcomes => [.. Outcomes.Select(o => o.ToName())];

    public bool Allows(Outcome outcome) => Outcomes.Contains(outcome);

    /// <summary>
    /// Separation of duties 不相容岗位分离: the ids of steps whose officer may not act on this one in the same case
    /// (the 审核 of a case is not done by the person who did its 承办).
    /// </summary>
    public IReadOnlyList<string> DistinctFrom { get; init; } = [];
}

/// <summary>One officer of a department in a role handles the step (承办, 审核, 审批 …).</summary>
/// <param name="Department">A department code, or <see cref="WorkflowDepartments.Lead"/> / <see cref="WorkflowDepartments.Centre"/>.</param>
/// <param name="Writes">The case-data section this step writes; later steps read it.</param>
public sealed record TaskStep(
    string Id,
    string Title,
    string Department,
    string Role,
    int LimitDays,
    string Writes,
    IReadOnlyList<Outcome> Outcomes) : HumanStep(Id, Title, LimitDays, Outcomes)
{
    /// <summary>What the officer enters into <see cref="Writes"/>.</summary>
    public IReadOnlyList<StepField> Fields { get; init; } = [];
}

/// <summary>
/// Joint approval 并联审批: all branches open at once; approved when <see cref="Quorum"/> branches approved,
/// denied as soon as the quorum can no longer be reached.
/// </summary>
public sealed record ParallelStep(
    string Id,
    string Title,
    int LimitDays,
    int Quorum,
    IReadOnlyList<ParallelBranch> Branches,
    IReadOnlyList<Outcome> Outcomes) : HumanStep(Id, Title, LimitDays, Outcomes);

/// <summary>One department's part of a <see cref="ParallelStep"/>, handled like a task with its own limit.</summary>
public sealed record ParallelBranch(string Id, string Title, string Department, string Role, int LimitDays, string Writes)
{
    /// <summary>What the department's officer enters into <see cref="Writes"/>.</summary>
    public IReadOnlyList<StepField> Fields { get; init; } = [];
}

/// <summary>
/// Countersigning 会签: <see cref="Signers"/> different officers of one department each sign once;
/// approved when <see cref="Quorum"/> approved, denied as soon as the quorum can no longer be reached.
/// </summary>
public sealed record CountersignStep(
    string Id,
    string Title,
    string Department,
    string Role,
    int Signers,
    int Quorum,
    int LimitDays,
    string Writes,
    IReadOnlyList<Outcome> Outcomes) : HumanStep(Id, Title, LimitDays, Outcomes)
{
    /// <summary>What each signer enters into <see cref="Writes"/>.</summary>
    public IReadOnlyList<StepField> Fields { get; init; } = [];
}

/// <summary>
/// A branch 条件分支 on the case's data (form fields and the sections steps wrote), in the condition language;
/// leaves on "true" or "false".
/// </summary>
/// <param name="When">The condition; a file writes it as text (<c>"when": "floorArea > 300"</c>).</param>
public sealed record ConditionStep(string Id, string Title, Condition When) : WorkflowStep(Id, Title)
{
    public override IReadOnlyList<string> ConnectionOutcomes => ["true", "false"];
}

/// <summary>The end 办结 of the flow, with the case's result.</summary>
public sealed record EndStep(string Id, string Title, WorkflowResult Result) : WorkflowStep(Id, Title)
{
    public override IReadOnlyList<string> ConnectionOutcomes => [];
}

/// <summary>What a person decides on a work item.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Outcome>))]
public enum Outcome
{
    /// <summary>同意 / 准予.</summary>
    [JsonStringEnumMemberName("approve")]
    Approve,

    /// <summary>不同意 / 不予.</summary>
    [JsonStringEnumMemberName("deny")]
    Deny,

    /// <summary>退回: back to the previous human step, or where a "return" connection leads.</summary>
    [JsonStringEnumMemberName("return")]
    Return,
}

/// <summary>The result an end step gives the case.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkflowResult>))]
public enum WorkflowResult
{
    /// <summary>准予.</summary>
    [JsonStringEnumMemberName("approved")]
    Approved,

    /// <summary>不予.</summary>
    [JsonStringEnumMemberName("denied")]
    Denied,

    /// <summary>上报: passed up to a higher level.</summary>
    [JsonStringEnumMemberName("reported")]
    Reported,
}

/// <summary>A comparison of the condition language (and of the older <c>field</c>/<c>operator</c>/<c>value</c> form).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConditionOperator>))]
public enum ConditionOperator
{
    [JsonStringEnumMemberName(">")]
    GreaterThan,

    [JsonStringEnumMemberName(">=")]
    GreaterThanOrEqual,

    [JsonStringEnumMemberName("<")]
    LessThan,

    [JsonStringEnumMemberName("<=")]
    LessThanOrEqual,

    [JsonStringEnumMemberName("==")]
    Equal,

    [JsonStringEnumMemberName("!=")]
    NotEqual,
}

/// <summary>Department placeholders a definition may use instead of a department code.</summary>
public static class WorkflowDepartments
{
    /// <summary>The matter's own (lead) department 主办部门, given when the instance starts.</summary>
    public const string Lead = "$lead";

    /// <summary>The county administrative service centre 行政服务中心, given when the instance starts.</summary>
    public const string Centre = "$centre";

    /// <summary>The centre's department code unless the host passes another.</summary>
    public const string DefaultCentre = "FWZX";
}

/// <summary>The names used in definition files for the engine's enums.</summary>
public static class WorkflowNames
{
    public static string ToName(this Outcome outcome) => outcome switch
    {
        Outcome.Approve => "approve",
        Outcome.Deny => "deny",
        Outcome.Return => "return",
    };

    public static string ToName(this WorkflowResult result) => result switch
    {
        WorkflowResult.Approved => "approved",
        WorkflowResult.Denied => "denied",
        WorkflowResult.Reported => "reported",
    };

    public static string ToSymbol(this ConditionOperator op) => op switch
    {
        ConditionOperator.GreaterThan => ">",
        ConditionOperator.GreaterThanOrEqual => ">=",
        ConditionOperator.LessThan => "<",
        ConditionOperator.LessThanOrEqual => "<=",
        ConditionOperator.Equal => "==",
        ConditionOperator.NotEqual => "!=",
    };

    /// <summary>An outcome's name as the designer and the case pages show it: 同意, 不同意, 退回, 是, 否.</summary>
    public static string Chinese(string outcome) => outcome switch
    {
        "approve" => "同意",
        "deny" => "不同意",
        "return" => "退回",
        "true" => "是",
        "false" => "否",
        _ => outcome,
    };

    internal static readonly IReadOnlyDictionary<string, Outcome> Outcomes =
        Enum.GetValues<Outcome>().ToDictionary(o => o.ToName());

    internal static readonly IReadOnlyDictionary<string, WorkflowResult> Results =
        Enum.GetValues<WorkflowResult>().ToDictionary(r => r.ToName());

    /// <summary>A field's "type" in a workflow file.</summary>
    internal static readonly IReadOnlyDictionary<string, FieldKind> FieldTypes = new Dictionary<string, FieldKind>
    {
        ["text"] = FieldKind.Text,
        ["textarea"] = FieldKind.Textarea,
        ["number"] = FieldKind.Number,
        ["date"] = FieldKind.Date,
        ["choice"] = FieldKind.Select,
        ["phone"] = FieldKind.Phone,
        ["idcard"] = FieldKind.IdCard,
        ["creditcode"] = FieldKind.CreditCode,
    };

    internal static readonly IReadOnlyDictionary<string, ConditionOperator> Operators =
        Enum.GetValues<ConditionOperator>().ToDictionary(o => o.ToSymbol());

    internal static string Kind(WorkflowStep step) => step switch
    {
        TaskStep => "task",
        ParallelStep => "parallel",
        CountersignStep => "countersign",
        ConditionStep => "condition",
        EndStep => "end",
        _ => throw new UnreachableException(),
    };
}
