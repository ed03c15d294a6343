using System.Text.Json;
using ApprovalSystem.Workflows.Conditions;

namespace ApprovalSystem.Workflows;

/// <summary>
/// Turns one definition document into a <see cref="WorkflowDefinition"/>, collecting every problem of
/// shape (missing or mistyped properties, bad limits, unknown roles …) rather than stopping at the first.
/// </summary>
internal sealed class WorkflowParser(string file, IReadOnlySet<string> knownRoles)
{
    private static readonly string[] RootProperties = ["$schema", "id", "version", "title", "description", "start", "steps", "connections"];
    private static readonly string[] TaskProperties = ["id", "kind", "title", "department", "role", "limitDays", "writes", "outcomes", "fields",
        "distinctFrom"];
    private static readonly string[] ParallelProperties = ["id", "kind", "title", "limitDays", "quorum", "branches", "outcomes"];
    private static readonly string[] BranchProperties = ["id", "title", "department", "role", "limitDays", "writes", "fields"];
    private static readonly string[] CountersignProperties = ["id", "kind", "title", "department", "role", "signers", "quorum", "limitDays", "writes",
        "outcomes", "fields", "distinctFrom"];
    private static readonly string[] FieldProperties = ["key", "label", "type", "required", "options", "unit", "maxLength"];
    private static readonly string[] ConditionProperties = ["id", "kind", "title", "when", "field", "operator", "value"];
    private static readonly string[] EndProperties = ["id", "kind", "title", "result"];
    private static readonly string[] ConnectionProperties = ["from", "outcome", "to"];
    private static readonly Outcome[] QuorumOutcomes = [Outcome.Approve, Outcome.Deny];

    /// <summary>How the designer names a missing property in Chinese.</summary>
    private static readonly Dictionary<string, string> PropertyNames = new(StringComparer.Ordinal)
    {
        ["title"] = "名称", ["department"] = "办理部门", ["role"] = "办理角色", ["writes"] = "数据分区", ["id"] = "标识", ["key"] = "数据项标识",
        ["field"] = "条件字段", ["operator"] = "比较方式", ["result"] = "办结结果", ["start"] = "开始环节", ["kind"] = "环节类型",
        ["limitDays"] = "时限（工作日）", ["signers"] = "会签人数", ["quorum"] = "通过所需数", ["branches"] = "并联分支", ["outcomes"] = "办理结果",
    };

    private readonly List<WorkflowLoadError> errors = [];

    public IReadOnlyList<WorkflowLoadError> Errors => errors;

    /// <summary>False when a step could not be built at all, so graph checks would only echo that error.</summary>
    public bool GraphUsable { get; private set; } = true;

    public WorkflowDefinition? Parse(JsonElement root, string contentHash, string sourceJson)
    {
        var top = new Where(null, "");
        if (root.ValueKind != JsonValueKind.Object)
        {
            Error(top, "the document must be a JSON object");
            return null;
        }

        CheckProperties(root, RootProperties, top);
        var id = String(root, "id", top);
        var version = Integer(root, "version", top);
        if (version is <= 0)
        {
            Error(top, $"\"version\" must be a positive integer (was {version})");
        }

        var title = String(root, "title", top);
        var description = String(root, "description", top, required: false);
        var start = String(root, "start", top);
        var steps = ParseSteps(root);
        var connections = ParseConnections(root);

        return id is null || version is null || title is null || start is null || steps is null
            ? null
            : new WorkflowDefinition(id, version.Value, title, description, start, steps, connections, contentHash, sourceJson);
    }

    private List<WorkflowStep>? ParseSteps(JsonElement root)
    {
        var top = new Where(null, "");
        if (Array(root, "steps", top) is not { } items)
        {
            return null;
        }

        if (items.Count == 0)
        {
            Error(top, "\"steps\" must not be empty");
            return null;
        }

        var steps = new List<WorkflowStep>();
        for (var i = 0; i < items.Count; i++)
        {
            if (ParseStep(items[i], new Where(null, $"steps[{i}]: ")) is not { } step)
            {
                continue;
            }

            if (steps.Exists(s => s.Id == step.Id))
            {
                Error(new Where(step.Id, ""), "duplicate step id", "环节标识重复：每个环节的标识须唯一");
            }
            else
            {
                steps.Add(step);
            }
        }

        return steps;
    }

    private WorkflowStep? ParseStep(JsonElement element, Where at)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            Error(at, "a step must be a JSON object");
            GraphUsable = false;
            return null;
        }

        var id = String(element, "id", at);
        if (id is null)
        {
            GraphUsable = false;
            return null;
        }

        at = new Where(id, "");
        var kind = String(element, "kind", at);
        var title = String(element, "title", at) ?? "";
        switch (kind)
        {
            case "task":
                CheckProperties(element, TaskProperties, at);
                return new TaskStep(
                    id,
                    title,
                    String(element, "department", at) ?? "",
                    Role(element, at),
                    Limit(element, at, sameDay: true),
                    String(element, "writes", at) ?? "",
                    Outcomes(element, at, required: true)) { Fields = Fields(element, at), DistinctFrom = StepIds(element, "distinctFrom", at) };
            case "parallel":
                CheckProperties(element, ParallelProperties, at);
                var branches = Branches(element, at);
                var stageLimit = Limit(element, at);
                foreach (var branch in branches.Where(b => stageLimit > 0 && b.LimitDays > stageLimit))
                {
                    Error(at with { Prefix = $"branch \"{branch.Id}\": ", Chinese = $"分支“{branch.Title}”：" },
                        $"\"limitDays\" ({branch.LimitDays}) exceeds the joint step's {stageLimit}: the joint step's limit covers all its branches",
                        $"时限{branch.LimitDays}个工作日超过了并联环节的{stageLimit}个工作日：并联环节的时限须涵盖各分支");
                }

                return new ParallelStep(id, title, stageLimit, Quorum(element, at, branches.Count), branches, Outcomes(element, at, required: false));
            case "countersign":
                CheckProperties(element, CountersignProperties, at);
                var signers = Integer(element, "signers", at) ?? 0;
                if (signers < 2)
                {
                    Error(at, $"\"signers\" must be at least 2 (was {signers})", $"会签人数至少为2人（现为{signers}）");
                }

                return new CountersignStep(
                    id,
                    title,
                    String(element, "department", at) ?? "",
                    Role(element, at),
                    signers,
                    Quorum(element, at, signers),
                    Limit(element, at),
                    String(element, "writes", at) ?? "",
                    Outcomes(element, at, required: false)) { Fields = Fields(element, at), DistinctFrom = StepIds(element, "distinctFrom", at) };
            case "condition":
                CheckProperties(element, ConditionProperties, at);
                return Condition(element, id, title, at);
            case "end":
                CheckProperties(element, EndProperties, at);
                var result = String(element, "result", at);
                if (result is not null && !WorkflowNames.Results.ContainsKey(result))
                {
                    Error(at, $"unknown result \"{result}\" (allowed: approved, denied, reported)");
                }

                return new EndStep(id, title, WorkflowNames.Results.GetValueOrDefault(result ?? "", WorkflowResult.Denied));
            default:
                if (kind is not null)
                {
                    Error(at, $"unknown kind \"{kind}\" (allowed: task, parallel, countersign, condition, end)");
                }

                GraphUsable = false;
                return null;
        }
    }

    private List<ParallelBranch> Branches(JsonElement element, Where at)
    {
        var branches = new List<ParallelBranch>();
        if (Array(element, "branches", at) is not { } items)
        {
            return branches;
        }

        if (items.Count < 2)
        {
            Error(at, $"a parallel step needs at least 2 branches (has {items.Count})", $"并联审批环节至少需要2个分支（现有{items.Count}个）：请添加分支并连到本环节");
        }

        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var branchAt = at with { Prefix = $"branches[{i}]: " };
            if (item.ValueKind != JsonValueKind.Object)
            {
                Error(branchAt, "a branch must be a JSON object");
                continue;
            }

            var id = String(item, "id", branchAt);
            if (id is null)
            {
                continue;
            }

            branchAt = at with { Prefix = $"branch \"{id}\": ", Chinese = $"分支“{id}”：" };
            if (branches.Exists(b => b.Id == id))
            {
                Error(branchAt, "duplicate branch id", "分支标识重复");
                continue;
            }

            CheckProperties(item, BranchProperties, branchAt);
            branches.Add(new ParallelBranch(
                id,
                String(item, "title", branchAt) ?? "",
                String(item, "department", branchAt) ?? "",
                Role(item, branchAt),
                Limit(item, branchAt),
                String(item, "writes", branchAt) ?? "") { Fields = Fields(item, branchAt) });
        }

        return branches;
    }

    /// <summary>The optional "fields" of a task, branch or countersign step: what the person acting enters.</summary>
    private List<StepField> Fields(JsonElement element, Where at)
    {
        var fields = new List<StepField>();
        if (!element.TryGetProperty("fields", out _) || Array(element, "fields", at) is not { } items)
        {
            return fields;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var fieldAt = at with { Prefix = at.Prefix + $"fields[{i}]: " };
            if (items[i].ValueKind != JsonValueKind.Object)
            {
                Error(fieldAt, "a field must be a JSON object");
                continue;
            }

            CheckProperties(items[i], FieldProperties, fieldAt);
            var key = String(items[i], "key", fieldAt);
            if (key is null)
            {
                continue;
            }

            fieldAt = at with { Prefix = at.Prefix + $"field \"{key}\": ", Chinese = at.Chinese + $"数据项“{key}”：" };
            if (!IsKey(key))
            {
                Error(fieldAt, "\"key\" must start with a letter and hold only letters, digits and '_' (it is stored as a case-data key)",
                    "标识须以英文字母开头，只含字母、数字和下划线");
            }

            if (fields.Exists(f => f.Key == key))
            {
                Error(fieldAt, "duplicate field key", "标识与本环节另一数据项重复");
                continue;
            }

            var label = String(items[i], "label", fieldAt) ?? key;
            var typeName = String(items[i], "type", fieldAt);
            var type = FieldKind.Text;
            if (typeName is not null && !WorkflowNames.FieldTypes.TryGetValue(typeName, out type))
            {
                Error(fieldAt, $"unknown type \"{typeName}\" (allowed: {string.Join(", ", WorkflowNames.FieldTypes.Keys)})");
            }

            var required = false;
            if (items[i].TryGetProperty("required", out var requiredValue))
            {
                if (requiredValue.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    required = requiredValue.GetBoolean();
                }
                else
                {
                    Error(fieldAt, "\"required\" must be true or false");
                }
            }

            var options = new List<string>();
            if (items[i].TryGetProperty("options", out _) && Array(items[i], "options", fieldAt) is { } choices)
            {
                foreach (var choice in choices)
                {
                    if (choice.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(choice.GetString()))
                    {
                        Error(fieldAt, "\"options\" must be non-empty strings");
                    }
                    else if (!options.Contains(choice.GetString()!))
                    {
                        options.Add(choice.GetString()!);
                    }
                }
            }

            int? maxLength = null;
            if (items[i].TryGetProperty("maxLength", out _))
            {
                maxLength = Integer(items[i], "maxLength", fieldAt);
                if (maxLength is < 1)
                {
                    Error(fieldAt, "\"maxLength\" must be at least 1");
                }
                else if (maxLength is not null && type is not (FieldKind.Text or FieldKind.Textarea))
                {
                    Error(fieldAt, "\"maxLength\" belongs to a text or textarea field only");
                }
            }

            if (type == FieldKind.Select && options.Count < 2)
            {
                Error(fieldAt, "a choice field needs at least 2 \"options\"", "选择项至少需要2个选项");
            }
            else if (type != FieldKind.Select && options.Count > 0)
            {
                Error(fieldAt, "\"options\" belong to a choice field only", "只有“选择”类型的数据项才有选项");
            }

            fields.Add(new StepField(key, label, type, required, options, String(items[i], "unit", fieldAt, required: false), maxLength));
        }

        return fields;
    }

    private static bool IsKey(string key) => char.IsAsciiLetter(key[0]) && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>
    /// A condition step: <c>"when"</c> in the condition language, or the older <c>field</c>/<c>operator</c>/<c>value</c>
    /// form that stored versions still hold, read as the comparison it means.
    /// </summary>
    private ConditionStep Condition(JsonElement element, string id, string title, Where at)
    {
        var legacy = element.TryGetProperty("field", out _) || element.TryGetProperty("operator", out _) || element.TryGetProperty("value", out _);
        if (!element.TryGetProperty("when", out _) && legacy)
        {
            return LegacyCondition(element, id, title, at);
        }

        if (legacy)
        {
            Error(at, "give the condition either as \"when\" or as \"field\"/\"operator\"/\"value\", not both");
        }

        var text = String(element, "when", at);
        var parsed = ConditionParser.Parse(text ?? "");
        if (text is not null && !parsed.Succeeded)
        {
            Error(at, $"\"when\" {parsed.Errors[0]}", $"条件{parsed.Errors[0]}");
        }

        return new ConditionStep(id, title, parsed.Condition ?? new EmptyCondition(new FieldOperand("_"), Negated: false));
    }

    private ConditionStep LegacyCondition(JsonElement element, string id, string title, Where at)
    {
        var field = String(element, "field", at) ?? "";
        var symbol = String(element, "operator", at);
        var op = ConditionOperator.Equal;
        if (symbol is not null && !WorkflowNames.Operators.TryGetValue(symbol, out op))
        {
            Error(at, $"unknown operator \"{symbol}\" (allowed: >, >=, <, <=, ==, !=)");
        }

        ConditionOperand value = new TextLiteral("");
        if (!element.TryGetProperty("value", out var json))
        {
            Error(at, "missing \"value\"");
        }
        else if (json.ValueKind == JsonValueKind.Number && json.TryGetDecimal(out var number))
        {
            value = new NumberLiteral(number);
        }
        else if (json.ValueKind == JsonValueKind.String)
        {
            value = new TextLiteral(json.GetString()!);
            if (op is not (ConditionOperator.Equal or ConditionOperator.NotEqual))
            {
                Error(at, $"operator \"{symbol}\" needs a number \"value\" (a string can only be compared with == or !=)");
            }
        }
        else
        {
            Error(at, "\"value\" must be a number or a string");
        }

        if (field.Length > 0 && ConditionParser.Parse($"{field} is empty").Condition is not EmptyCondition)
        {
            Error(at, $"\"field\" \"{field}\" is not a field reference (a key, or section.key)");
        }

        return new ConditionStep(id, title, new CompareCondition(new FieldOperand(field), op, value));
    }

    private List<WorkflowConnection> ParseConnections(JsonElement root)
    {
        var connections = new List<WorkflowConnection>();
        if (!root.TryGetProperty("connections", out _) || Array(root, "connections", new Where(null, "")) is not { } items)
        {
            return connections;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var at = new Where(null, $"connections[{i}]: ");
            if (items[i].ValueKind != JsonValueKind.Object)
            {
                Error(at, "a connection must be a JSON object");
                continue;
            }

            CheckProperties(items[i], ConnectionProperties, at);
            var from = String(items[i], "from", at);
            var outcome = String(items[i], "outcome", at);
            var to = String(items[i], "to", at);
            if (from is not null && outcome is not null && to is not null)
            {
                connections.Add(new WorkflowConnection(from, outcome, to));
            }
        }

        return connections;
    }

    private string Role(JsonElement element, Where at)
    {
        var role = String(element, "role", at);
        if (role is not null && !knownRoles.Contains(role))
        {
            Error(at, $"unknown role \"{role}\" (known: {string.Join(", ", knownRoles.Order(StringComparer.Ordinal))})", $"角色“{role}”不存在");
        }

        return role ?? "";
    }

    /// <param name="sameDay">A task step may take 0: due at the end of the working day it opens (the window's 即办).</param>
    private int Limit(JsonElement element, Where at, bool sameDay = false)
    {
        var days = Integer(element, "limitDays", at);
        if (sameDay && days < 0)
        {
            Error(at, $"\"limitDays\" must be 0 (the same working day) or a positive number of working days (was {days})",
                $"时限须为0（当日办结）或正整数个工作日（现为{days}）");
        }
        else if (!sameDay && days is <= 0)
        {
            Error(at, $"\"limitDays\" must be a positive number of working days (was {days})", $"时限须为正整数个工作日（现为{days}）");
        }

        return days ?? 0;
    }

    private int Quorum(JsonElement element, Where at, int of)
    {
        if (!element.TryGetProperty("quorum", out _))
        {
            return of;
        }

        var quorum = Integer(element, "quorum", at);
        if (quorum is not null && (quorum < 1 || quorum > of))
        {
            Error(at, $"\"quorum\" must be between 1 and {of} (was {quorum})", $"通过所需人数（分支数）须在1到{of}之间（现为{quorum}）");
        }

        return quorum ?? of;
    }

    /// <summary>An optional array of step ids (checked against the steps by the validator).</summary>
    private List<string> StepIds(JsonElement element, string name, Where at)
    {
        var ids = new List<string>();
        if (!element.TryGetProperty(name, out _) || Array(element, name, at) is not { } items)
        {
            return ids;
        }

        foreach (var item in items)
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
            {
                Error(at, $"\"{name}\" must list step ids as strings (found {item.GetRawText()})", "不相容岗位须列出环节标识");
            }
            else if (!ids.Contains(item.GetString()!))
            {
                ids.Add(item.GetString()!);
            }
        }

        return ids;
    }

    private List<Outcome> Outcomes(JsonElement element, Where at, bool required)
    {
        // A joint or countersign step always ends approved or denied (by quorum); it may add "return".
        if (!required && !element.TryGetProperty("outcomes", out _))
        {
            return [.. QuorumOutcomes];
        }

        var outcomes = new List<Outcome>();
        if (Array(element, "outcomes", at) is not { } items)
        {
            return outcomes;
        }

        foreach (var item in items)
        {
            var name = item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText();
            if (!WorkflowNames.Outcomes.TryGetValue(name, out var outcome))
            {
                Error(at, $"unknown outcome \"{name}\" (allowed: approve, deny, return)");
            }
            else if (!outcomes.Contains(outcome))
            {
                outcomes.Add(outcome);
            }
        }

        if (items.Count == 0)
        {
            Error(at, "\"outcomes\" must not be empty", "请至少选择一个办理结果");
        }
        else if (!required && !QuorumOutcomes.All(outcomes.Contains))
        {
            Error(at, "\"outcomes\" must include \"approve\" and \"deny\"", "办理结果须包括“同意”和“不同意”");
        }

        return outcomes;
    }

    private string? String(JsonElement element, string name, Where at, bool required = true)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null
            || (value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString())))
        {
            if (required)
            {
                Error(at, $"missing \"{name}\"", $"请填写{PropertyNames.GetValueOrDefault(name, name)}");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Error(at, $"\"{name}\" must be a string");
            return null;
        }

        return value.GetString();
    }

    private int? Integer(JsonElement element, string name, Where at)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            Error(at, $"missing \"{name}\"", $"请填写{PropertyNames.GetValueOrDefault(name, name)}");
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            Error(at, $"\"{name}\" must be an integer", $"{PropertyNames.GetValueOrDefault(name, name)}须为整数");
            return null;
        }

        return number;
    }

    private List<JsonElement>? Array(JsonElement element, string name, Where at)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            Error(at, $"missing \"{name}\"", $"请填写{PropertyNames.GetValueOrDefault(name, name)}");
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            Error(at, $"\"{name}\" must be an array");
            return null;
        }

        return [.. value.EnumerateArray()];
    }

    /// <summary>Unknown properties are reported because they are nearly always typos ("limtDays").</summary>
    private void CheckProperties(JsonElement element, string[] allowed, Where at)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                Error(at, $"unknown property \"{property.Name}\"");
            }
        }
    }

    /// <param name="chinese">The problem for the flow designer's administrator (see <see cref="WorkflowLoadError.Chinese"/>).</param>
    private void Error(Where at, string message, string? chinese = null) =>
        errors.Add(new(file, at.StepId, at.Prefix + message) { Chinese = chinese is null ? null : at.Chinese + chinese });

    /// <summary>Where a problem is: the step (if known) and a prefix such as <c>branch "tax": </c> (and 分支“契税征收”：).</summary>
    private readonly record struct Where(string? StepId, string Prefix)
    {
        public string Chinese { get; init; } = "";
    }
}
