using System.Xml.Linq;
using ApprovalSystem.Workflows.Layout;
using static ApprovalSystem.Workflows.Bpmn.BpmnNames;

namespace ApprovalSystem.Workflows.Bpmn;

/// <summary>
/// Writes a workflow as a BPMN 2.0 file with its diagram (BPMNDI, from <see cref="WorkflowLayout"/>) that bpmn.io and
/// Camunda Modeler open. Step ids are the element ids where they are legal XML ids; everything the engine needs and
/// BPMN has no place for is kept in <c>as:</c> extension attributes, so <see cref="BpmnImporter"/> reads the file back
/// into the same definition. The mapping is in workflows/README.md.
/// </summary>
public static class BpmnExporter
{
    /// <summary>The id of the start event.</summary>
    public const string StartEventId = "StartEvent_1";

    private const double GatewaySize = 50;
    private const double GatewayInset = 4;

    /// <summary>The BPMN document of <paramref name="definition"/>.</summary>
    public static XDocument Export(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new Writer(definition).Write();
    }

    /// <summary>The BPMN file's text (UTF-8, indented) of <paramref name="definition"/>.</summary>
    public static string ExportText(WorkflowDefinition definition)
    {
        var document = Export(definition);
        return document.Declaration + "\n" + document.ToString().ReplaceLineEndings("\n");
    }

    private sealed class Writer(WorkflowDefinition definition)
    {
        private readonly HashSet<string> used = new(StringComparer.Ordinal) { StartEventId };
        private readonly Dictionary<string, string> elementOf = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> joinOf = new(StringComparer.Ordinal);
        private readonly WorkflowDiagram diagram = WorkflowLayout.Compute(definition);
        private readonly List<XElement> shapes = [];
        private readonly List<XElement> edges = [];

        public XDocument Write()
        {
            var processId = Allocate(IsXmlId("Process_" + definition.Id) ? "Process_" + definition.Id : "Process_1");
            foreach (var step in definition.Steps.Where(s => !elementOf.ContainsKey(s.Id)))
            {
                elementOf[step.Id] = Allocate(IsXmlId(step.Id) ? step.Id : $"Step_{elementOf.Count + 1}");
            }

            var process = new XElement(
                Model + "process",
                new XAttribute("id", processId),
                new XAttribute("name", definition.Title),
                new XAttribute("isExecutable", "false"),
                new XAttribute(Extension + "workflowId", definition.Id),
                new XAttribute(Extension + "version", definition.Version));
            if (definition.Description is { } description)
            {
                process.Add(new XElement(Model + "documentation", description));
            }

            var start = diagram.FindNode(WorkflowLayout.StartNodeId)!;
            process.Add(new XElement(Model + "startEvent", new XAttribute("id", StartEventId), new XAttribute("name", "开始")));
            Shape(StartEventId, start.X, start.Y, start.Width, start.Height);
            var steps = definition.Steps.DistinctBy(s => s.Id).ToList();
            foreach (var step in steps)
            {
                process.Add(Step(step, diagram.FindNode(step.Id)!));
            }

            foreach (var edge in diagram.Edges)
            {
                process.Add(Flow(edge));
            }

            foreach (var condition in steps.OfType<ConditionStep>())
            {
                var gateway = process.Elements(Model + "exclusiveGateway").Single(g => (string?)g.Attribute("id") == elementOf[condition.Id]);
                var otherwise = process.Elements(Model + "sequenceFlow").FirstOrDefault(f =>
                    (string?)f.Attribute("sourceRef") == elementOf[condition.Id] && (string?)f.Attribute(Extension + "outcome") == "false");
                if (otherwise is not null)
                {
                    gateway.Add(new XAttribute("default", (string)otherwise.Attribute("id")!));
                }
            }

            var root = new XElement(
                Model + "definitions",
                new XAttribute(XNamespace.Xmlns + "bpmn", Model),
                new XAttribute(XNamespace.Xmlns + "bpmndi", Di),
                new XAttribute(XNamespace.Xmlns + "dc", Dc),
                new XAttribute(XNamespace.Xmlns + "di", DiCommon),
                new XAttribute(XNamespace.Xmlns + "xsi", Xsi),
                new XAttribute(XNamespace.Xmlns + "camunda", Camunda),
                new XAttribute(XNamespace.Xmlns + "as", Extension),
                new XAttribute("id", "Definitions_1"),
                new XAttribute("targetNamespace", Extension.NamespaceName),
                new XAttribute("exporter", "ApprovalSystem"),
                new XAttribute("exporterVersion", "1"),
                process,
                new XElement(
                    Di + "BPMNDiagram",
                    new XAttribute("id", "BPMNDiagram_1"),
                    new XElement(Di + "BPMNPlane", new XAttribute("id", "BPMNPlane_1"), new XAttribute("bpmnElement", processId), shapes, edges)));
            return new XDocument(new XDeclaration("1.0", "UTF-8", null), root);
        }

        private IEnumerable<XElement> Step(WorkflowStep step, DiagramNode node)
        {
            var id = elementOf[step.Id];
            switch (step)
            {
                case TaskStep task:
                    Shape(id, node.X, node.Y, node.Width, node.Height);
                    yield return Human(UserTask(id, step.Id, task.Title, task.Department, task.Role, task.LimitDays, task.Writes, task.Fields), task);
                    break;
                case CountersignStep countersign:
                    Shape(id, node.X, node.Y, node.Width, node.Height);
                    var signed = UserTask(
                        id, step.Id, countersign.Title, countersign.Department, countersign.Role, countersign.LimitDays, countersign.Writes,
                        countersign.Fields);
                    yield return Human(signed, countersign)
                        .With(new XAttribute(Extension + "signers", countersign.Signers), new XAttribute(Extension + "quorum", countersign.Quorum))
                        .With(new XElement(
                            Model + "multiInstanceLoopCharacteristics",
                            new XElement(Model + "loopCardinality", Expression(), countersign.Signers),
                            new XElement(Model + "completionCondition", Expression(), $"${{nrOfCompletedInstances >= {countersign.Quorum}}}")));
                    break;
                case ParallelStep parallel:
                    foreach (var element in Parallel(parallel, id, node))
                    {
                        yield return element;
                    }

                    break;
                case ConditionStep condition:
                    Gateway(id, node, node.CenterY - (GatewaySize / 2), node.Title, marker: true);
                    yield return Named("exclusiveGateway", id, step.Id, condition.Title);
                    break;
                case EndStep end:
                    Shape(id, node.X, node.Y, node.Width, node.Height);
                    yield return Named("endEvent", id, step.Id, end.Title).With(new XAttribute(Extension + "result", end.Result.ToName()));
                    break;
            }
        }

        /// <summary>A joint step: a split gateway at the top of its box, a user task per branch, a join gateway at the bottom.</summary>
        private IEnumerable<XElement> Parallel(ParallelStep parallel, string id, DiagramNode node)
        {
            var join = joinOf[parallel.Id] = Allocate(id + "__join");
            Gateway(id, node, node.Y + GatewayInset, node.Title, marker: false);
            Gateway(join, node, node.Bottom - GatewayInset - GatewaySize, null, marker: false);
            yield return Human(Named("parallelGateway", id, parallel.Id, parallel.Title), parallel);
            var splitY = node.Y + GatewayInset + GatewaySize;
            var joinY = node.Bottom - GatewayInset - GatewaySize;
            for (var i = 0; i < parallel.Branches.Count; i++)
            {
                var branch = parallel.Branches[i];
                var box = diagram.FindNode(branch.Id, parallel.Id)!;
                var task = Allocate(IsXmlId($"{id}__{branch.Id}") ? $"{id}__{branch.Id}" : $"{id}__Branch_{i + 1}");
                Shape(task, box.X, box.Y, box.Width, box.Height);
                yield return UserTask(task, null, branch.Title, branch.Department, branch.Role, branch.LimitDays, branch.Writes, branch.Fields)
                    .With(new XAttribute(Extension + "branch", branch.Id));
                var into = (splitY + box.Y) / 2;
                var outOf = (box.Bottom + joinY) / 2;
                yield return Sequence(Allocate($"Flow_{task}_in"), id, task, null, null);
                Edge($"Flow_{task}_in", [new(node.CenterX, splitY), new(node.CenterX, into), new(box.CenterX, into), new(box.CenterX, box.Y)]);
                yield return Sequence(Allocate($"Flow_{task}_out"), task, join, null, null);
                Edge($"Flow_{task}_out", [new(box.CenterX, box.Bottom), new(box.CenterX, outOf), new(node.CenterX, outOf), new(node.CenterX, joinY)]);
            }

            yield return new XElement(
                Model + "parallelGateway",
                new XAttribute("id", join),
                new XAttribute("name", $"{parallel.Title}（汇合）"),
                new XAttribute(Extension + "join", parallel.Id),
                new XAttribute(Extension + "quorum", parallel.Quorum));
        }

        private XElement Flow(DiagramEdge edge)
        {
            var from = edge.From == WorkflowLayout.StartNodeId ? StartEventId : Exit(edge.From);
            var to = elementOf[edge.To];
            var id = Allocate(edge.From == WorkflowLayout.StartNodeId ? "Flow_start" : $"Flow_{from}_{edge.Outcome}");
            var points = edge.Points.ToList();
            points[0] = points[0] with { Y = points[0].Y - Inset(edge.From) };
            points[^1] = points[^1] with { Y = points[^1].Y + Inset(edge.To) };
            Edge(id, points);
            var outcome = edge.From == WorkflowLayout.StartNodeId ? null : edge.Outcome;
            var flow = Sequence(id, from, to, outcome, outcome is null ? null : FlowName(outcome));
            if (outcome == "true" && definition.FindStep(edge.From) is ConditionStep condition)
            {
                flow.Add(new XElement(Model + "conditionExpression", Expression(), BpmnConditionText.Write(condition)));
            }

            return flow;
        }

        /// <summary>How far inside a step's box its BPMN shape begins (a gateway is smaller than the box it is drawn in).</summary>
        private double Inset(string stepId) => definition.FindStep(stepId) switch
        {
            ConditionStep => (WorkflowLayout.ConditionHeight - GatewaySize) / 2,
            ParallelStep => GatewayInset,
            _ => 0,
        };

        /// <summary>The element an outcome of a step leaves from: a joint step's join gateway, else the step's own element.</summary>
        private string Exit(string stepId) =>
            joinOf.GetValueOrDefault(stepId) ?? elementOf[stepId];

        private static XElement Sequence(string id, string from, string to, string? outcome, string? name)
        {
            var flow = new XElement(Model + "sequenceFlow", new XAttribute("id", id));
            if (name is not null)
            {
                flow.Add(new XAttribute("name", name));
            }

            flow.Add(new XAttribute("sourceRef", from), new XAttribute("targetRef", to));
            if (outcome is not null)
            {
                flow.Add(new XAttribute(Extension + "outcome", outcome));
            }

            return flow;
        }

        private static XElement UserTask(
            string id, string? stepId, string title, string department, string role, int limitDays, string writes, IReadOnlyList<StepField> fields)
        {
            var task = Named("userTask", id, stepId, title).With(
                new XAttribute(Camunda + "candidateGroups", $"{department}:{role}"),
                new XAttribute(Extension + "department", department),
                new XAttribute(Extension + "role", role),
                new XAttribute(Extension + "limitDays", limitDays),
                new XAttribute(Extension + "writes", writes));
            if (fields.Count > 0)
            {
                Extensions(task).Add(new XElement(Extension + "fields", fields.Select(Field)));
            }

            return task;
        }

        private static XElement Field(StepField field)
        {
            var element = new XElement(
                Extension + "field",
                new XAttribute("key", field.Key),
                new XAttribute("label", field.Label),
                new XAttribute("type", WorkflowNames.FieldTypes.Single(t => t.Value == field.Type).Key),
                new XAttribute("required", field.Required ? "true" : "false"));
            if (field.Unit is { } unit)
            {
                element.Add(new XAttribute("unit", unit));
            }

            if (field.MaxLength is { } maxLength)
            {
                element.Add(new XAttribute("maxLength", maxLength));
            }

            element.Add(field.Options.Select(o => new XElement(Extension + "option", o)));
            return element;
        }

        /// <summary>Adds what every human step carries: its limit, its outcomes and its separation of duties.</summary>
        private static XElement Human(XElement element, HumanStep step)
        {
            element.SetAttributeValue(Extension + "limitDays", step.LimitDays);
            element.SetAttributeValue(Extension + "outcomes", string.Join(' ', step.Outcomes.Select(o => o.ToName())));
            if (step is ParallelStep parallel)
            {
                element.SetAttributeValue(Extension + "quorum", parallel.Quorum);
            }

            if (step.DistinctFrom.Count > 0)
            {
                Extensions(element).Add(step.DistinctFrom.Select(d => new XElement(Extension + "distinctFrom", new XAttribute("step", d))));
            }

            return element;
        }

        /// <summary>The element's <c>extensionElements</c>, made as its first child if it has none (BPMN wants it before the rest).</summary>
        private static XElement Extensions(XElement element)
        {
            if (element.Element(Model + "extensionElements") is { } existing)
            {
                return existing;
            }

            var created = new XElement(Model + "extensionElements");
            element.AddFirst(created);
            return created;
        }

        private static XElement Named(string kind, string id, string? stepId, string title)
        {
            var element = new XElement(Model + kind, new XAttribute("id", id), new XAttribute("name", title));
            if (stepId is not null && stepId != id)
            {
                element.Add(new XAttribute(Extension + "stepId", stepId));
            }

            return element;
        }

        private static XAttribute Expression() => new(Xsi + "type", "bpmn:tFormalExpression");

        private string Allocate(string preferred)
        {
            var id = preferred;
            for (var n = 2; !used.Add(id); n++)
            {
                id = $"{preferred}_{n}";
            }

            return id;
        }

        private void Gateway(string id, DiagramNode node, double y, string? label, bool marker)
        {
            var shape = Shape(id, node.CenterX - (GatewaySize / 2), y, GatewaySize, GatewaySize);
            if (marker)
            {
                shape.Add(new XAttribute("isMarkerVisible", "true"));
            }

            if (label is not null)
            {
                var x = node.CenterX + (GatewaySize / 2) + 6;
                shape.Add(new XElement(Di + "BPMNLabel", Bounds(x, y, Math.Max(60, node.Right - x), GatewaySize)));
            }
        }

        private XElement Shape(string id, double x, double y, double width, double height)
        {
            var shape = new XElement(Di + "BPMNShape", new XAttribute("id", id + "_di"), new XAttribute("bpmnElement", id), Bounds(x, y, width, height));
            shapes.Add(shape);
            return shape;
        }

        private void Edge(string id, IEnumerable<DiagramPoint> points) => edges.Add(new XElement(
            Di + "BPMNEdge",
            new XAttribute("id", id + "_di"),
            new XAttribute("bpmnElement", id),
            points.Select(p => new XElement(DiCommon + "waypoint", new XAttribute("x", Number(p.X)), new XAttribute("y", Number(p.Y))))));

        private static XElement Bounds(double x, double y, double width, double height) => new(
            Dc + "Bounds",
            new XAttribute("x", Number(x)),
            new XAttribute("y", Number(y)),
            new XAttribute("width", Number(width)),
            new XAttribute("height", Number(height)));
    }

    private static XElement With(this XElement element, params object[] content)
    {
        element.Add(content);
        return element;
    }
}
