using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Web.Features.Admin.FlowDesigner;

/// <summary>The kinds of step the designer's palette offers, plus the loose branch a parallel step takes in.</summary>
public enum StepKind
{
    /// <summary>任务: one officer of a department.</summary>
    Task,

    /// <summary>并联审批: branches to several departments, joined by quorum.</summary>
    Parallel,

    /// <summary>会签: several officers of one department.</summary>
    Countersign,

    /// <summary>条件: branches on the case's form data.</summary>
    Condition,

    /// <summary>结束: the case's result.</summary>
    End,
}

/// <summary>
/// The flow designer's editable model 流程设计模型: mutable, so the side panel binds to it, and able to hold what a definition
/// cannot (a branch not yet attached to its parallel step, an outcome not yet connected). Every change is turned into definition
/// JSON (<see cref="ToJson"/>) and checked by the engine's loader (<see cref="FlowCheck"/>); positions live here too, so undo and
/// redo restore the picture with the flow.
/// </summary>
public sealed class FlowModel
{
    private static readonly JsonSerializerOptions SnapshotOptions = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public string Id { get; set; } = "";

    public int Version { get; set; } = 1;

    public string Title { get; set; } = "";

    public string? Description { get; set; }

    /// <summary>The step a case starts on.</summary>
    public string Start { get; set; } = "";

    public List<StepModel> Steps { get; set; } = [];

    /// <summary>Every branch of every parallel step, and those not yet attached to one (<see cref="BranchModel.ParallelId"/> null).</summary>
    public List<BranchModel> Branches { get; set; } = [];

    public List<FlowConnection> Connections { get; set; } = [];

    public StepModel? FindStep(string? id) => Steps.Find(s => s.Id == id);

    public BranchModel? FindBranch(string? id) => Branches.Find(b => b.Id == id);

    /// <summary>The branches a parallel step takes in, in order.</summary>
    public IEnumerable<BranchModel> BranchesOf(string parallelId) => Branches.Where(b => b.ParallelId == parallelId);

    /// <summary>Where <paramref name="from"/> leads on <paramref name="outcome"/>, if connected.</summary>
    public string? Target(string from, string outcome) => Connections.Find(c => c.From == from && c.Outcome == outcome)?.To;

    /// <summary>Reads a loaded definition (every property the engine knows; <see cref="FlowLayout"/> places the steps).</summary>
    public static FlowModel FromDefinition(WorkflowDefinition definition)
    {
        var model = new FlowModel
        {
            Id = definition.Id,
            Version = definition.Version,
            Title = definition.Title,
            Description = definition.Description,
            Start = definition.Start,
            Connections = [.. definition.Connections.Select(c => new FlowConnection { From = c.From, Outcome = c.Outcome, To = c.To })],
        };
        foreach (var step in definition.Steps)
        {
            var s = new StepModel { Id = step.Id, Title = step.Title };
            switch (step)
            {
                case TaskStep task:
                    (s.Kind, s.Department, s.Role, s.LimitDays, s.Writes) = (StepKind.Task, task.Department, task.Role, task.LimitDays, task.Writes);
                    s.Fields = [.. task.Fields.Select(FieldModel.From)];
                    break;
                case ParallelStep parallel:
                    (s.Kind, s.LimitDays) = (StepKind.Parallel, parallel.LimitDays);
                    s.Quorum = parallel.Quorum == parallel.Branches.Count ? null : parallel.Quorum;
                    model.Branches.AddRange(parallel.Branches.Select(b => new BranchModel
                    {
                        Id = b.Id,
                        ParallelId = parallel.Id,
                        Title = b.Title,
                        Department = b.Department,
                        Role = b.Role,
                        LimitDays = b.LimitDays,
                        Writes = b.Writes,
                        Fields = [.. b.Fields.Select(FieldModel.From)],
                    }));
                    break;
                case CountersignStep countersign:
                    (s.Kind, s.Department, s.Role, s.LimitDays, s.Writes) =
                        (StepKind.Countersign, countersign.Department, countersign.Role, countersign.LimitDays, countersign.Writes);
                    s.Signers = countersign.Signers;
                    s.Quorum = countersign.Quorum == countersign.Signers ? null : countersign.Quorum;
                    s.Fields = [.. countersign.Fields.Select(FieldModel.From)];
                    break;
                case ConditionStep condition:
                    s.Kind = StepKind.Condition;
                    s.When = FlowConditions.Text(condition);
                    break;
                case EndStep end:
                    s.Kind = StepKind.End;
                    s.Result = end.Result.ToName();
                    break;
            }

            if (step is HumanStep human)
            {
                s.Outcomes = [.. human.Outcomes.Select(o => o.ToName())];
                s.DistinctFrom = [.. human.DistinctFrom];
            }

            model.Steps.Add(s);
        }

        FlowLayout.Apply(model);
        return model;
    }

    /// <summary>
    /// The definition JSON of the flow as the loader reads it (the one place the designer writes it). Branches not attached to a
    /// parallel step are left out: <see cref="FlowCheck"/> reports them.
    /// </summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = SnapshotOptions.Encoder }))
        {
            w.WriteStartObject();
            w.WriteString("$schema", "./workflow.schema.json");
            w.WriteString("id", Id);
            w.WriteNumber("version", Version);
            w.WriteString("title", Title);
            if (!string.IsNullOrWhiteSpace(Description))
            {
                w.WriteString("description", Description);
            }

            w.WriteString("start", Start);
            w.WriteStartArray("steps");
            foreach (var step in Steps)
            {
                WriteStep(w, step);
            }

            w.WriteEndArray();
            w.WriteStartArray("connections");
            foreach (var c in Connections)
            {
                w.WriteStartObject();
                w.WriteString("from", c.From);
                w.WriteString("outcome", c.Outcome);
                w.WriteString("to", c.To);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private void WriteStep(Utf8JsonWriter w, StepModel step)
    {
        w.WriteStartObject();
        w.WriteString("id", step.Id);
        w.WriteString("kind", step.Kind switch
        {
            StepKind.Task => "task",
            StepKind.Parallel => "parallel",
            StepKind.Countersign => "countersign",
            StepKind.Condition => "condition",
            StepKind.End => "end",
        });
        w.WriteString("title", step.Title);
        switch (step.Kind)
        {
            case StepKind.Task or StepKind.Countersign:
                w.WriteString("department", step.Department);
                w.WriteString("role", step.Role);
                if (step.Kind == StepKind.Countersign)
                {
                    w.WriteNumber("signers", step.Signers);
                    WriteQuorum(w, step);
                }

                w.WriteNumber("limitDays", step.LimitDays);
                w.WriteString("writes", step.Writes);
                WriteOutcomes(w, step);
                WriteFields(w, step.Fields);
                if (step.DistinctFrom.Count > 0)
                {
                    w.WriteStartArray("distinctFrom");
                    step.DistinctFrom.ForEach(w.WriteStringValue);
                    w.WriteEndArray();
                }

                break;
            case StepKind.Parallel:
                w.WriteNumber("limitDays", step.LimitDays);
                WriteQuorum(w, step);
                WriteOutcomes(w, step);
                w.WriteStartArray("branches");
                foreach (var branch in BranchesOf(step.Id))
                {
                    w.WriteStartObject();
                    w.WriteString("id", branch.Id);
                    w.WriteString("title", branch.Title);
                    w.WriteString("department", branch.Department);
                    w.WriteString("role", branch.Role);
                    w.WriteNumber("limitDays", branch.LimitDays);
                    w.WriteString("writes", branch.Writes);
                    WriteFields(w, branch.Fields);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                break;
            case StepKind.Condition:
                FlowConditions.Write(w, step.When);
                break;
            case StepKind.End:
                w.WriteString("result", step.Result);
                break;
        }

        w.WriteEndObject();
    }

    private static void WriteQuorum(Utf8JsonWriter w, StepModel step)
    {
        if (step.Quorum is { } quorum)
        {
            w.WriteNumber("quorum", quorum);
        }
    }

    private static void WriteOutcomes(Utf8JsonWriter w, StepModel step)
    {
        w.WriteStartArray("outcomes");
        step.Outcomes.ForEach(w.WriteStringValue);
        w.WriteEndArray();
    }

    private static void WriteFields(Utf8JsonWriter w, List<FieldModel> fields)
    {
        if (fields.Count == 0)
        {
            return;
        }

        w.WriteStartArray("fields");
        foreach (var f in fields)
        {
            w.WriteStartObject();
            w.WriteString("key", f.Key);
            w.WriteString("label", f.Label);
            w.WriteString("type", f.Type);
            if (f.Required)
            {
                w.WriteBoolean("required", true);
            }

            if (f.Type == "choice" || f.Options.Count > 0)
            {
                w.WriteStartArray("options");
                f.Options.ForEach(w.WriteStringValue);
                w.WriteEndArray();
            }

            if (!string.IsNullOrWhiteSpace(f.Unit))
            {
                w.WriteString("unit", f.Unit);
            }

            if (f.MaxLength is { } max)
            {
                w.WriteNumber("maxLength", max);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>The whole model as text, for undo and redo (positions and loose branches included).</summary>
    public string Snapshot() => JsonSerializer.Serialize(this, SnapshotOptions);

    public static FlowModel Restore(string snapshot) => JsonSerializer.Deserialize<FlowModel>(snapshot, SnapshotOptions)!;

    /// <summary>A new id for a step or branch: the kind's word and the first free number ("task-3").</summary>
    public string NewId(string prefix)
    {
        for (var n = 1; ; n++)
        {
            var id = $"{prefix}-{n}";
            if (FindStep(id) is null && FindBranch(id) is null)
            {
                return id;
            }
        }
    }

    /// <summary>Adds a step of <paramref name="kind"/> with the defaults an administrator most often wants, at (x, y).</summary>
    public StepModel AddStep(StepKind kind, double x, double y)
    {
        var id = NewId(kind.ToString().ToLowerInvariant());
        var step = new StepModel { Id = id, Kind = kind, Title = FlowTexts.KindName(kind), X = x, Y = y };
        switch (kind)
        {
            case StepKind.Task:
                (step.Department, step.Role, step.LimitDays, step.Writes, step.Outcomes) = (WorkflowDepartments.Lead, "Officer", 2, id, ["approve", "deny"]);
                break;
            case StepKind.Countersign:
                (step.Department, step.Role, step.LimitDays, step.Writes, step.Signers) = (WorkflowDepartments.Lead, "Officer", 2, id, 2);
                step.Outcomes = ["approve", "deny"];
                break;
            case StepKind.Parallel:
                (step.LimitDays, step.Outcomes) = (5, ["approve", "deny"]);
                break;
            case StepKind.End:
                step.Result = "approved";
                break;
            case StepKind.Condition:
                break;
        }

        Steps.Add(step);
        if (Steps.Count == 1)
        {
            Start = id;
        }

        return step;
    }

    /// <summary>Adds a branch, attached to <paramref name="parallelId"/> or loose until the administrator connects it.</summary>
    public BranchModel AddBranch(string? parallelId, double x, double y)
    {
        var id = NewId("branch");
        var branch = new BranchModel
        {
            Id = id,
            ParallelId = parallelId,
            Title = "并联分支",
            Role = "Officer",
            LimitDays = 1,
            Writes = id,
            X = x,
            Y = y,
        };
        Branches.Add(branch);
        return branch;
    }

    /// <summary>Connects <paramref name="from"/>'s <paramref name="outcome"/> to <paramref name="to"/>, replacing its earlier target.</summary>
    public void Connect(string from, string outcome, string to)
    {
        Connections.RemoveAll(c => c.From == from && c.Outcome == outcome);
        Connections.Add(new FlowConnection { From = from, Outcome = outcome, To = to });
    }

    public void Disconnect(string from, string outcome) => Connections.RemoveAll(c => c.From == from && c.Outcome == outcome);

    /// <summary>Removes a step with its connections (both ways) and the references other steps hold to it; its branches come loose.</summary>
    public void RemoveStep(string id)
    {
        Steps.RemoveAll(s => s.Id == id);
        Connections.RemoveAll(c => c.From == id || c.To == id);
        Steps.ForEach(s => s.DistinctFrom.Remove(id));
        Branches.Where(b => b.ParallelId == id).ToList().ForEach(b => b.ParallelId = null);
        if (Start == id)
        {
            Start = Steps.FirstOrDefault()?.Id ?? "";
        }
    }

    public void RemoveBranch(string id) => Branches.RemoveAll(b => b.Id == id);
}

/// <summary>One step 环节 being edited; which properties count depends on <see cref="Kind"/>.</summary>
public sealed class StepModel
{
    public string Id { get; set; } = "";

    public StepKind Kind { get; set; }

    public string Title { get; set; } = "";

    /// <summary>A department code, <c>$lead</c> 主办部门 or <c>$centre</c> 服务中心 (task, countersign).</summary>
    public string Department { get; set; } = "";

    public string Role { get; set; } = "";

    /// <summary>The time limit in working days 工作日.</summary>
    public int LimitDays { get; set; }

    /// <summary>The case-data section the step writes.</summary>
    public string Writes { get; set; } = "";

    /// <summary>"approve", "deny", "return" the officer may choose.</summary>
    public List<string> Outcomes { get; set; } = [];

    public List<FieldModel> Fields { get; set; } = [];

    /// <summary>Separation of duties 不相容岗位: the steps whose officer may not act on this one.</summary>
    public List<string> DistinctFrom { get; set; } = [];

    /// <summary>Branches or signers needed to approve; null for all of them.</summary>
    public int? Quorum { get; set; }

    /// <summary>Officers who sign a countersign step.</summary>
    public int Signers { get; set; }

    /// <summary>The condition on the case's form data, as the administrator writes it (<see cref="FlowConditions"/>).</summary>
    public string When { get; set; } = "";

    /// <summary>"approved", "denied" or "reported" (end).</summary>
    public string Result { get; set; } = "";

    public double X { get; set; }

    public double Y { get; set; }

    /// <summary>The outcomes a connection leaves this step on, as the diagram draws its ports.</summary>
    public IEnumerable<string> PortOutcomes() => Kind switch
    {
        StepKind.Condition => ["true", "false"],
        StepKind.End => [],
        _ => Outcomes,
    };
}

/// <summary>A department's part of a parallel step 并联分支.</summary>
public sealed class BranchModel
{
    public string Id { get; set; } = "";

    /// <summary>The parallel step that takes it in; null while it is not yet connected to one.</summary>
    public string? ParallelId { get; set; }

    public string Title { get; set; } = "";

    public string Department { get; set; } = "";

    public string Role { get; set; } = "";

    public int LimitDays { get; set; }

    public string Writes { get; set; } = "";

    public List<FieldModel> Fields { get; set; } = [];

    public double X { get; set; }

    public double Y { get; set; }
}

/// <summary>A field the step's officer enters 环节数据项.</summary>
public sealed class FieldModel
{
    public string Key { get; set; } = "";

    public string Label { get; set; } = "";

    /// <summary>The file's type name: text, textarea, number, date, choice, phone, idcard, creditcode.</summary>
    public string Type { get; set; } = "text";

    public bool Required { get; set; }

    public List<string> Options { get; set; } = [];

    public string? Unit { get; set; }

    public int? MaxLength { get; set; }

    public static FieldModel From(StepField field) => new()
    {
        Key = field.Key,
        Label = field.Label,
        Type = FlowTexts.FieldTypeName(field.Type),
        Required = field.Required,
        Options = [.. field.Options],
        Unit = field.Unit,
        MaxLength = field.MaxLength,
    };
}

/// <summary>An outcome's connection 连线: when <see cref="From"/> ends with <see cref="Outcome"/>, go to <see cref="To"/>.</summary>
public sealed class FlowConnection
{
    public string From { get; set; } = "";

    public string Outcome { get; set; } = "";

    public string To { get; set; } = "";
}
