using System.Xml.Linq;
using ApprovalSystem.Workflows;
using ApprovalSystem.Workflows.Bpmn;
using static ApprovalSystem.Workflows.Bpmn.BpmnNames;

namespace ApprovalSystem.Core.Tests.Workflows.Bpmn;

public class BpmnExporterTests
{
    public static TheoryData<string> ShippedIds() => [.. ShippedWorkflows.Result.Definitions.Select(d => d.Id)];

    [Theory]
    [MemberData(nameof(ShippedIds))]
    public void ExportThenImport_ShippedFlow_GivesTheSameDefinition(string id)
    {
        var definition = ShippedWorkflows.Get(id);

        var result = BpmnImporter.Import(BpmnExporter.ExportText(definition));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors) + string.Join("\n", result.Needs.Select(n => n.Message)));
        Assert.Equal(BpmnSamples.Describe(definition), BpmnSamples.Describe(result.Definition!));
    }

    [Theory]
    [MemberData(nameof(ShippedIds))]
    public void Export_ShippedFlow_DrawsEveryFlowNodeAndFlowOnce(string id)
    {
        var document = BpmnExporter.Export(ShippedWorkflows.Get(id));

        var process = Assert.Single(document.Root!.Elements(Model + "process"));
        var nodes = process.Elements().Where(e => e.Name.LocalName is not ("sequenceFlow" or "documentation")).Select(e => (string)e.Attribute("id")!).ToList();
        var flows = process.Elements(Model + "sequenceFlow").Select(e => (string)e.Attribute("id")!).ToList();
        var plane = document.Descendants(Di + "BPMNPlane").Single();
        Assert.Equal((string)process.Attribute("id")!, (string)plane.Attribute("bpmnElement")!);
        Assert.Equal(nodes.Order(), plane.Elements(Di + "BPMNShape").Select(s => (string)s.Attribute("bpmnElement")!).Order());
        Assert.Equal(flows.Order(), plane.Elements(Di + "BPMNEdge").Select(s => (string)s.Attribute("bpmnElement")!).Order());
        Assert.All(plane.Elements(Di + "BPMNEdge"), e => Assert.True(e.Elements(DiCommon + "waypoint").Count() >= 2));
        var ids = document.Descendants().Select(e => (string?)e.Attribute("id")).OfType<string>().ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(process.Elements(Model + "sequenceFlow"), f =>
        {
            Assert.Contains((string)f.Attribute("sourceRef")!, nodes);
            Assert.Contains((string)f.Attribute("targetRef")!, nodes);
        });
    }

    [Fact]
    public void Export_CapitalConstruction_MapsEachKindOfStep()
    {
        var process = BpmnExporter.Export(ShippedWorkflows.Get("capital-construction")).Root!.Element(Model + "process")!;
        XElement Element(string id) => process.Elements().Single(e => (string?)e.Attribute("id") == id);

        Assert.Equal("基本建设投资项目联合审批", (string?)process.Attribute("name"));
        var split = Element("planning");
        Assert.Equal("parallelGateway", split.Name.LocalName);
        Assert.Equal("立项用地规划许可", (string?)split.Attribute("name"));
        Assert.Equal("10", (string?)split.Attribute(Extension + "limitDays"));
        var join = Element("planning__join");
        Assert.Equal("parallelGateway", join.Name.LocalName);
        Assert.Equal("2", (string?)join.Attribute(Extension + "quorum"));
        var branch = Element("planning__land");
        Assert.Equal("userTask", branch.Name.LocalName);
        Assert.Equal("ZRZY:Officer", (string?)branch.Attribute(Camunda + "candidateGroups"));
        Assert.Equal("ZRZY", (string?)branch.Attribute(Extension + "department"));
        Assert.Equal("10", (string?)branch.Attribute(Extension + "limitDays"));
        Assert.Equal("landPlanning", (string?)branch.Attribute(Extension + "writes"));
        Assert.Equal(["landPlanningPermitNo", "landArea"],
            branch.Descendants(Extension + "field").Select(f => (string)f.Attribute("key")!));
        var condition = Element("large");
        Assert.Equal("exclusiveGateway", condition.Name.LocalName);
        var yes = Element("Flow_large_true");
        Assert.Equal("是", (string?)yes.Attribute("name"));
        Assert.Equal("floorArea > 300", yes.Element(Model + "conditionExpression")?.Value);
        Assert.Equal("Flow_large_false", (string?)condition.Attribute("default"));
        var deny = Element("Flow_planning__join_deny");
        Assert.Equal(("不同意", "deny", "planning__join", "denied"),
            ((string?)deny.Attribute("name"), (string?)deny.Attribute(Extension + "outcome"), (string?)deny.Attribute("sourceRef"), (string?)deny.Attribute("targetRef")));
        Assert.Equal("endEvent", Element("approved").Name.LocalName);
        Assert.Equal("approved", (string?)Element("approved").Attribute(Extension + "result"));
        Assert.Equal("planning", (string?)Element("Flow_start").Attribute("targetRef"));
    }

    [Fact]
    public void Export_Countersign_IsAMultiInstanceUserTask()
    {
        var definition = ShippedWorkflows.Get("countersign-review");
        var step = definition.Steps.OfType<CountersignStep>().First();

        var task = BpmnExporter.Export(definition).Root!.Element(Model + "process")!.Elements(Model + "userTask")
            .Single(e => (string?)e.Attribute("id") == step.Id);

        var loop = task.Element(Model + "multiInstanceLoopCharacteristics");
        Assert.NotNull(loop);
        Assert.Equal(step.Signers.ToString(System.Globalization.CultureInfo.InvariantCulture), loop.Element(Model + "loopCardinality")?.Value);
        Assert.Equal($"${{nrOfCompletedInstances >= {step.Quorum}}}", loop.Element(Model + "completionCondition")?.Value);
        Assert.Equal(step.Quorum.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)task.Attribute(Extension + "quorum"));
    }

    [Fact]
    public void Export_StepIdsThatAreNotXmlIds_GetElementIdsAndKeepTheirOwn()
    {
        var definition = new WorkflowLoader().LoadFromJson("odd.json", """
            {
              "id": "odd ids", "version": 3, "title": "编号特殊的流程", "start": "1 受理",
              "steps": [
                { "id": "1 受理", "kind": "task", "title": "受理", "department": "$centre", "role": "Clerk", "limitDays": 0, "writes": "acceptance",
                  "outcomes": ["approve", "deny"] },
                { "id": "审批", "kind": "task", "title": "审批", "department": "$lead", "role": "DepartmentHead", "limitDays": 3, "writes": "approval",
                  "outcomes": ["approve", "deny", "return"], "distinctFrom": ["1 受理"] },
                { "id": "ok", "kind": "end", "title": "准予", "result": "approved" },
                { "id": "no", "kind": "end", "title": "不予", "result": "denied" }
              ],
              "connections": [
                { "from": "1 受理", "outcome": "approve", "to": "审批" }, { "from": "1 受理", "outcome": "deny", "to": "no" },
                { "from": "审批", "outcome": "approve", "to": "ok" }, { "from": "审批", "outcome": "deny", "to": "no" },
                { "from": "审批", "outcome": "return", "to": "1 受理" }
              ]
            }
            """).Definitions.Single();

        var text = BpmnExporter.ExportText(definition);
        var process = XDocument.Parse(text).Root!.Element(Model + "process")!;
        var result = BpmnImporter.Import(text);

        Assert.Equal("Process_1", (string?)process.Attribute("id"));
        var first = process.Elements(Model + "userTask").First();
        Assert.Equal(("Step_1", "1 受理"), ((string?)first.Attribute("id"), (string?)first.Attribute(Extension + "stepId")));
        Assert.NotNull(process.Elements(Model + "userTask").SingleOrDefault(e => (string?)e.Attribute("id") == "审批"));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(BpmnSamples.Describe(definition), BpmnSamples.Describe(result.Definition!));
    }
}
