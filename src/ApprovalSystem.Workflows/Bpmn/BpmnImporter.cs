using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using static ApprovalSystem.Workflows.Bpmn.BpmnNames;

namespace ApprovalSystem.Workflows.Bpmn;

/// <summary>
/// Reads a BPMN 2.0 file — one written by <see cref="BpmnExporter"/>, or drawn in bpmn.io / Camunda Modeler — into a
/// workflow definition, through the same loader and validator as a workflow file. Supported: a start event, user tasks
/// (a plain task counts as one), multi-instance user tasks (countersign), parallel split/join gateways around one user
/// task per branch (a joint step), exclusive gateways with a condition on one flow and the other flow default
/// (a condition step), end events, sequence flows. Anything else is refused with its element id and name.
/// </summary>
public static partial class BpmnImporter
{
    private static readonly Dictionary<string, string> Supported = new(StringComparer.Ordinal)
    {
        ["startEvent"] = "开始事件",
        ["endEvent"] = "结束事件",
        ["userTask"] = "用户任务",
        ["task"] = "任务",
        ["parallelGateway"] = "并行网关",
        ["exclusiveGateway"] = "排他网关",
        ["sequenceFlow"] = "顺序流",
    };

    /// <summary>Process content that draws or documents but does not change the flow.</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "documentation", "extensionElements", "laneSet", "textAnnotation", "association", "group", "dataObject",
        "dataObjectReference", "dataStoreReference", "property",
    };

    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["serviceTask"] = "服务任务",
        ["scriptTask"] = "脚本任务",
        ["sendTask"] = "发送任务",
        ["receiveTask"] = "接收任务",
        ["manualTask"] = "手工任务",
        ["businessRuleTask"] = "业务规则任务",
        ["callActivity"] = "调用活动",
        ["subProcess"] = "子流程",
        ["adHocSubProcess"] = "自由子流程",
        ["transaction"] = "事务子流程",
        ["intermediateCatchEvent"] = "中间捕获事件",
        ["intermediateThrowEvent"] = "中间抛出事件",
        ["boundaryEvent"] = "边界事件",
        ["inclusiveGateway"] = "包容网关",
        ["complexGateway"] = "复杂网关",
        ["eventBasedGateway"] = "事件网关",
        ["timerEventDefinition"] = "定时事件",
        ["messageEventDefinition"] = "消息事件",
        ["signalEventDefinition"] = "信号事件",
        ["errorEventDefinition"] = "错误事件",
        ["escalationEventDefinition"] = "升级事件",
        ["compensateEventDefinition"] = "补偿事件",
        ["conditionalEventDefinition"] = "条件事件",
        ["terminateEventDefinition"] = "终止事件",
        ["linkEventDefinition"] = "链接事件",
        ["cancelEventDefinition"] = "取消事件",
        ["standardLoopCharacteristics"] = "循环任务",
        ["messageFlow"] = "消息流",
    };

    /// <summary>Reads <paramref name="xml"/>; <paramref name="answers"/> (by element id) fill what the file lacks.</summary>
    public static BpmnImportResult Import(string xml, IReadOnlyDictionary<string, BpmnAnswer>? answers = null, WorkflowLoaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            return Failed(new(null, null, $"文件不是有效的 XML（第 {ex.LineNumber} 行第 {ex.LinePosition} 列）：请用建模工具重新保存为 .bpmn 文件后再导入。"));
        }

        return new Reader(document, answers ?? new Dictionary<string, BpmnAnswer>(), options).Read();
    }

    private static BpmnImportResult Failed(BpmnImportError error) => new(null, [error], []);

    private sealed record Flow(XElement Element, string Id, string? Name, string Source, string Target)
    {
        public string? Outcome => (string?)Element.Attribute(Extension + "outcome");

        public string? Condition => Element.Element(Model + "conditionExpression")?.Value.Trim() is { Length: > 0 } text ? text : null;
    }

    private sealed class Reader(XDocument document, IReadOnlyDictionary<string, BpmnAnswer> answers, WorkflowLoaderOptions? options)
    {
        private readonly List<BpmnImportError> errors = [];
        private readonly List<BpmnNeed> needs = [];
        private readonly Dictionary<string, XElement> nodes = new(StringComparer.Ordinal);
        private readonly List<Flow> flows = [];

        /// <summary>Split gateway id → (join gateway id, branch task ids).</summary>
        private readonly Dictionary<string, (string Join, List<string> Branches)> blocks = new(StringComparer.Ordinal);

        public BpmnImportResult Read()
        {
            var root = document.Root!;
            if (root.Name != Model + "definitions")
            {
                return Failed(new(null, null, "这不是 BPMN 2.0 文件（根元素应为 bpmn:definitions）：请从 bpmn.io 或 Camunda Modeler 导出 .bpmn 文件。"));
            }

            foreach (var messageFlow in root.Descendants(Model + "messageFlow"))
            {
                Refuse(messageFlow, "messageFlow");
            }

            var processes = root.Elements(Model + "process").ToList();
            if (processes.Count != 1)
            {
                errors.Add(new(null, null, processes.Count == 0
                    ? "文件里没有流程（bpmn:process）：请画出流程后再导入。"
                    : $"文件里有 {processes.Count} 个流程（池）：一次只能导入一个流程，请拆成多个文件。"));
                return new(null, errors, needs);
            }

            var process = processes[0];
            Collect(process);
            if (errors.Count > 0)
            {
                return new(null, errors, needs);
            }

            FindBlocks();
            var json = Build(process);
            if (errors.Count > 0 || needs.Count > 0 || json is null)
            {
                return new(null, errors, needs);
            }

            var loaded = new WorkflowLoader(options).LoadFromJson($"{json["id"]}.bpmn", json.ToJsonString());
            errors.AddRange(loaded.Errors.Select(e => new BpmnImportError(
                e.StepId is null ? null : ElementOfStep(e.StepId),
                e.StepId is null ? null : Name(nodes.GetValueOrDefault(ElementOfStep(e.StepId) ?? "")),
                $"流程校验未通过：{e.Message}")));
            return new(errors.Count == 0 ? loaded.Definitions.Single() : null, errors, needs);
        }

        /// <summary>Takes in the process's nodes and flows, refusing what the engine cannot run.</summary>
        private void Collect(XElement process)
        {
            foreach (var element in process.Elements())
            {
                var kind = element.Name.LocalName;
                if (element.Name.Namespace != Model || Ignored.Contains(kind))
                {
                    continue;
                }

                if (!Supported.ContainsKey(kind))
                {
                    Refuse(element, kind);
                    continue;
                }

                foreach (var inner in element.Elements().Where(e => e.Name.Namespace == Model && Unsupported.ContainsKey(e.Name.LocalName)))
                {
                    Refuse(element, inner.Name.LocalName);
                }

                var id = (string?)element.Attribute("id");
                if (string.IsNullOrWhiteSpace(id))
                {
                    errors.Add(new(null, Name(element), $"{Supported[kind]}“{Name(element)}”没有 id：请用建模工具重新保存文件。"));
                    continue;
                }

                if (kind == "sequenceFlow")
                {
                    flows.Add(new(element, id, Name(element), (string?)element.Attribute("sourceRef") ?? "", (string?)element.Attribute("targetRef") ?? ""));
                }
                else if (!nodes.TryAdd(id, element))
                {
                    errors.Add(new(id, Name(element), $"id “{id}”出现了不止一次：请用建模工具重新保存文件。"));
                }
            }

            foreach (var flow in flows.Where(f => !nodes.ContainsKey(f.Source) || !nodes.ContainsKey(f.Target)))
            {
                errors.Add(new(flow.Id, flow.Name, $"顺序流 {flow.Id} 连到了不存在的元素：请把它的两端都连到流程里的元素上。"));
            }
        }

        /// <summary>Pairs each parallel split with its join: every flow out of the split reaches one task, whose one flow reaches the join.</summary>
        private void FindBlocks()
        {
            var joins = new HashSet<string>(StringComparer.Ordinal);
            foreach (var id in nodes.Where(n => Kind(n.Value) == "parallelGateway" && n.Value.Attribute(Extension + "join") is null).Select(n => n.Key))
            {
                var tasks = Out(id).Select(f => f.Target).ToList();
                var next = tasks.Select(t => Out(t).ToList()).ToList();
                if (tasks.Count == 0 || tasks.Distinct().Count() != tasks.Count || !tasks.All(t => IsTask(t) && In(t).Count() == 1)
                    || !next.All(n => n.Count == 1) || next.Select(n => n[0].Target).Distinct().Count() != 1)
                {
                    continue;
                }

                var join = next[0][0].Target;
                if (join == id || Kind(nodes[join]) != "parallelGateway" || In(join).Count() != tasks.Count
                    || (tasks.Count == 1 && nodes[join].Attribute(Extension + "join") is null))
                {
                    continue;
                }

                blocks[id] = (join, tasks);
                joins.Add(join);
            }

            foreach (var (id, gateway) in nodes.Where(n => Kind(n.Value) == "parallelGateway" && !blocks.ContainsKey(n.Key) && !joins.Contains(n.Key)))
            {
                errors.Add(new(id, Name(gateway),
                    $"并行网关“{Name(gateway) ?? id}”无法对应为并联审批：并行网关之后的每条分支必须恰好是一个用户任务，并且全部汇合到同一个并行网关。"));
            }
        }

        private JsonObject? Build(XElement process)
        {
            var starts = nodes.Values.Where(n => Kind(n) == "startEvent").ToList();
            if (starts.Count != 1)
            {
                errors.Add(new(null, null, $"流程需要恰好一个开始事件（现有 {starts.Count} 个）。"));
                return null;
            }

            var startId = (string)starts[0].Attribute("id")!;
            var first = Out(startId).ToList();
            if (first.Count != 1)
            {
                errors.Add(new(startId, Name(starts[0]), "开始事件必须恰好有一条顺序流连到第一个环节。"));
                return null;
            }

            var branchTasks = blocks.Values.SelectMany(b => b.Branches).ToHashSet(StringComparer.Ordinal);
            var joinOf = blocks.ToDictionary(b => b.Value.Join, b => b.Key, StringComparer.Ordinal);
            var steps = new JsonArray();
            foreach (var (id, element) in nodes)
            {
                if (Kind(element) == "startEvent" || branchTasks.Contains(id) || joinOf.ContainsKey(id))
                {
                    continue;
                }

                if (Step(id, element) is { } step)
                {
                    steps.Add(step);
                }
            }

            var connections = new JsonArray();
            foreach (var flow in flows.Where(f => f.Source != startId && !blocks.ContainsKey(f.Source) && !branchTasks.Contains(f.Source)))
            {
                var from = joinOf.GetValueOrDefault(flow.Source) ?? flow.Source;
                if (branchTasks.Contains(flow.Target) || joinOf.ContainsKey(flow.Target))
                {
                    errors.Add(new(flow.Id, flow.Name, $"顺序流 {flow.Id} 从外部连进了并联审批的分支或汇合网关：请连到该并联审批开头的并行网关。"));
                    continue;
                }

                if (Outcome(flow, from) is { } outcome)
                {
                    connections.Add(new JsonObject { ["from"] = StepId(from), ["outcome"] = outcome, ["to"] = StepId(flow.Target) });
                }
            }

            var workflowId = (string?)process.Attribute(Extension + "workflowId") ?? (string?)process.Attribute("id") ?? "imported";
            var title = Name(process);
            if (title is null && answers.GetValueOrDefault((string?)process.Attribute("id") ?? "")?.Title is { } answered)
            {
                title = answered;
            }

            if (title is null)
            {
                needs.Add(new((string?)process.Attribute("id") ?? "", null, "", null, [BpmnMissing.Title]));
            }

            var workflow = new JsonObject
            {
                ["id"] = workflowId,
                ["version"] = int.TryParse((string?)process.Attribute(Extension + "version"), CultureInfo.InvariantCulture, out var version) ? version : 1,
                ["title"] = title ?? "",
            };
            if (process.Element(Model + "documentation")?.Value is { Length: > 0 } description)
            {
                workflow["description"] = description;
            }

            workflow["start"] = StepId(first[0].Target);
            workflow["steps"] = steps;
            workflow["connections"] = connections;
            return workflow;
        }

        private JsonObject? Step(string id, XElement element)
        {
            var stepId = StepId(id);
            var step = new JsonObject { ["id"] = stepId };
            switch (Kind(element))
            {
                case "userTask" or "task":
                    var missing = new List<BpmnMissing>();
                    var countersign = element.Element(Model + "multiInstanceLoopCharacteristics");
                    step["kind"] = countersign is null ? "task" : "countersign";
                    step["title"] = Title(id, element, missing);
                    Performer(step, id, element, stepId, missing);
                    if (countersign is not null)
                    {
                        var signers = Integer(element, "signers") ?? Integer(countersign.Element(Model + "loopCardinality")?.Value)
                            ?? answers.GetValueOrDefault(id)?.Signers;
                        if (signers is null)
                        {
                            missing.Add(BpmnMissing.Signers);
                        }

                        step["signers"] = signers ?? 0;
                        step["quorum"] = Integer(element, "quorum") ?? Quorum(countersign.Element(Model + "completionCondition")?.Value) ?? signers ?? 0;
                    }

                    Human(step, element, id);
                    Fields(step, element);
                    Need(id, element, stepId, null, missing);
                    return step;
                case "parallelGateway":
                    var parallelMissing = new List<BpmnMissing>();
                    var (join, branches) = blocks[id];
                    step["kind"] = "parallel";
                    step["title"] = Title(id, element, parallelMissing);
                    step["limitDays"] = Limit(id, element, parallelMissing);
                    step["quorum"] = Integer(nodes[join], "quorum") ?? Integer(element, "quorum") ?? branches.Count;
                    var items = new JsonArray();
                    foreach (var branchTask in branches)
                    {
                        var task = nodes[branchTask];
                        var branchId = (string?)task.Attribute(Extension + "branch") ?? branchTask;
                        var branchMissing = new List<BpmnMissing>();
                        var branch = new JsonObject { ["id"] = branchId, ["title"] = Title(branchTask, task, branchMissing) };
                        Performer(branch, branchTask, task, branchId, branchMissing);
                        Fields(branch, task);
                        items.Add(branch);
                        Need(branchTask, task, stepId, branchId, branchMissing);
                    }

                    step["branches"] = items;
                    Human(step, element, join);
                    Need(id, element, stepId, null, parallelMissing);
                    return step;
                case "exclusiveGateway":
                    var conditionMissing = new List<BpmnMissing>();
                    step["kind"] = "condition";
                    step["title"] = Title(id, element, conditionMissing);
                    Need(id, element, stepId, null, conditionMissing);
                    var (yes, _) = Branches(id, element);
                    if (yes?.Condition is { } text && BpmnConditionText.AddTo(step, text) is { } problem)
                    {
                        errors.Add(new(yes.Id, yes.Name, problem));
                    }

                    return step;
                default:
                    var endMissing = new List<BpmnMissing>();
                    step["kind"] = "end";
                    step["title"] = Title(id, element, endMissing);
                    var result = (string?)element.Attribute(Extension + "result") ?? answers.GetValueOrDefault(id)?.Result?.ToName();
                    if (result is null)
                    {
                        endMissing.Add(BpmnMissing.Result);
                    }

                    step["result"] = result ?? "";
                    Need(id, element, stepId, null, endMissing);
                    return step;
            }
        }

        /// <summary>The "true" and "false" flows of an exclusive gateway: by <c>as:outcome</c>, else the conditioned one and the default.</summary>
        private (Flow? Yes, Flow? No) Branches(string id, XElement gateway)
        {
            var outgoing = Out(id).ToList();
            var yes = outgoing.FirstOrDefault(f => f.Outcome == "true");
            var no = outgoing.FirstOrDefault(f => f.Outcome == "false");
            var fallback = (string?)gateway.Attribute("default");
            no ??= outgoing.FirstOrDefault(f => f.Id == fallback && f != yes) ?? outgoing.FirstOrDefault(f => f.Condition is null && f != yes);
            yes ??= outgoing.FirstOrDefault(f => f.Condition is not null && f != no);
            if (outgoing.Count != 2 || yes is null || no is null || yes.Condition is null)
            {
                errors.Add(new(id, Name(gateway),
                    $"排他网关“{Name(gateway) ?? id}”必须恰好有两条出口：一条写条件表达式（满足时走），另一条设为默认流（不满足时走）。"));
                return (null, null);
            }

            return (yes, no);
        }

        private string? Outcome(Flow flow, string from)
        {
            var source = nodes[from];
            if (Kind(source) == "exclusiveGateway")
            {
                var (yes, no) = Branches(from, source);
                return flow == yes ? "true" : flow == no ? "false" : null;
            }

            var outcome = flow.Outcome ?? OutcomeOfName(flow.Name) ?? (Out(flow.Source).Count() == 1 ? "approve" : null);
            if (outcome is null || outcome is "true" or "false")
            {
                errors.Add(new(flow.Id, flow.Name,
                    $"顺序流“{flow.Name ?? flow.Id}”没有标明办理结果：一个环节有多条出口时，请把每条出口命名为“同意”“不同意”或“退回”。"));
            }

            return outcome is "true" or "false" ? null : outcome;
        }

        /// <summary>Department, role, limit and section of a task, countersign or branch.</summary>
        private void Performer(JsonObject step, string id, XElement element, string section, List<BpmnMissing> missing)
        {
            var groups = ((string?)element.Attribute(Camunda + "candidateGroups"))?.Split(':', 2, StringSplitOptions.TrimEntries);
            var answer = answers.GetValueOrDefault(id);
            var department = (string?)element.Attribute(Extension + "department") ?? (groups is [var d, _] && d.Length > 0 ? d : answer?.Department);
            var role = (string?)element.Attribute(Extension + "role") ?? (groups is [_, var r] && r.Length > 0 ? r : answer?.Role);
            if (department is null)
            {
                missing.Add(BpmnMissing.Department);
            }

            if (role is null)
            {
                missing.Add(BpmnMissing.Role);
            }

            step["department"] = department ?? "";
            step["role"] = role ?? "";
            step["limitDays"] = Limit(id, element, missing);
            step["writes"] = (string?)element.Attribute(Extension + "writes") ?? Section(section);
        }

        private int Limit(string id, XElement element, List<BpmnMissing> missing)
        {
            var limit = Integer(element, "limitDays") ?? answers.GetValueOrDefault(id)?.LimitDays;
            if (limit is null)
            {
                missing.Add(BpmnMissing.LimitDays);
            }

            return limit ?? 0;
        }

        private string Title(string id, XElement element, List<BpmnMissing> missing)
        {
            var title = Name(element) ?? answers.GetValueOrDefault(id)?.Title;
            if (title is null)
            {
                missing.Add(BpmnMissing.Title);
            }

            return title ?? "";
        }

        private void Need(string id, XElement element, string stepId, string? branchId, List<BpmnMissing> missing)
        {
            if (missing.Count > 0)
            {
                needs.Add(new(id, Name(element), stepId, branchId, missing));
            }
        }

        /// <summary>
        /// Outcomes and separation of duties of a human step; a drawn step may approve and deny, and return where a flow
        /// named 退回 leaves <paramref name="exit"/> (its element, or a joint step's join gateway).
        /// </summary>
        private void Human(JsonObject step, XElement element, string exit)
        {
            if ((string?)element.Attribute(Extension + "outcomes") is { } outcomes)
            {
                step["outcomes"] = new JsonArray([.. outcomes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(o => (JsonNode)o)]);
            }
            else
            {
                var returns = Out(exit).Any(f => (f.Outcome ?? OutcomeOfName(f.Name)) == "return");
                step["outcomes"] = returns ? new JsonArray("approve", "deny", "return") : new JsonArray("approve", "deny");
            }

            var distinct = element.Element(Model + "extensionElements")?.Elements(Extension + "distinctFrom")
                .Select(d => (string?)d.Attribute("step")).OfType<string>();
            if (distinct?.Any() == true)
            {
                step["distinctFrom"] = new JsonArray([.. distinct.Select(d => (JsonNode)d)]);
            }
        }

        private static void Fields(JsonObject step, XElement element)
        {
            var fields = element.Element(Model + "extensionElements")?.Element(Extension + "fields")?.Elements(Extension + "field").ToList();
            if (fields is not { Count: > 0 })
            {
                return;
            }

            var items = new JsonArray();
            foreach (var field in fields)
            {
                var item = new JsonObject();
                foreach (var name in new[] { "key", "label", "type" })
                {
                    if ((string?)field.Attribute(name) is { } value)
                    {
                        item[name] = value;
                    }
                }

                if ((string?)field.Attribute("required") is { } required)
                {
                    item["required"] = required == "true";
                }

                var options = field.Elements(Extension + "option").Select(o => (JsonNode)o.Value).ToArray();
                if (options.Length > 0)
                {
                    item["options"] = new JsonArray(options);
                }

                if ((string?)field.Attribute("unit") is { } unit)
                {
                    item["unit"] = unit;
                }

                if (Integer(field, "maxLength") is { } maxLength)
                {
                    item["maxLength"] = maxLength;
                }

                items.Add(item);
            }

            step["fields"] = items;
        }

        private void Refuse(XElement element, string kind)
        {
            var id = (string?)element.Attribute("id") ?? (string?)element.Parent?.Attribute("id");
            var name = Name(element) ?? Name(element.Parent);
            errors.Add(new(id, name,
                $"不支持的 BPMN 元素：{Unsupported.GetValueOrDefault(kind, kind)}（{kind}）“{name ?? "未命名"}”，id {id ?? "无"}。"
                + "本系统只支持开始事件、用户任务、会签（多实例用户任务）、并行网关、排他网关、结束事件和顺序流：请在建模工具中删除它或改为用户任务后再导入。"));
        }

        private string StepId(string elementId) =>
            nodes.TryGetValue(elementId, out var element) && (string?)element.Attribute(Extension + "stepId") is { } stepId ? stepId : elementId;

        private string? ElementOfStep(string stepId) =>
            nodes.FirstOrDefault(n => StepId(n.Key) == stepId && !blocks.Values.Any(b => b.Join == n.Key)).Key;

        private IEnumerable<Flow> Out(string id) => flows.Where(f => f.Source == id);

        private IEnumerable<Flow> In(string id) => flows.Where(f => f.Target == id);

        private bool IsTask(string id) =>
            nodes.TryGetValue(id, out var element) && Kind(element) is "userTask" or "task"
            && element.Element(Model + "multiInstanceLoopCharacteristics") is null;

        private static string Kind(XElement element) => element.Name.LocalName;

        private static string? Name(XElement? element) => ((string?)element?.Attribute("name"))?.Trim() is { Length: > 0 } name ? name : null;

        private static int? Integer(XElement element, string attribute) =>
            Integer((string?)element.Attribute(Extension + attribute) ?? (string?)element.Attribute(attribute));

        private static int? Integer(string? text) =>
            int.TryParse(text?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

        private static int? Quorum(string? condition) =>
            condition is not null && CompletedAtLeast().Match(condition) is { Success: true } match ? Integer(match.Groups[1].Value) : null;

        /// <summary>A section name from an element id, in camel case: "Activity_0x1ab" → "activity0x1ab", "land-use" → "landUse".</summary>
        private static string Section(string id)
        {
            var words = NotKeyCharacters().Split(id).Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w[1..]);
            var name = string.Concat(words);
            return name.Length > 0 && char.IsAsciiLetter(name[0]) ? char.ToLowerInvariant(name[0]) + name[1..] : "section" + name;
        }
    }

    [GeneratedRegex("[^A-Za-z0-9]+", RegexOptions.None, 1000)]
    private static partial Regex NotKeyCharacters();

    [GeneratedRegex(@"nrOfCompletedInstances\s*>=\s*(\d+)", RegexOptions.None, 1000)]
    private static partial Regex CompletedAtLeast();
}
