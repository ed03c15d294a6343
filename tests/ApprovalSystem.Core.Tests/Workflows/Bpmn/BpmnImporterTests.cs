using ApprovalSystem.Workflows;
using ApprovalSystem.Workflows.Bpmn;

namespace ApprovalSystem.Core.Tests.Workflows.Bpmn;

public class BpmnImporterTests
{
    private const string Head = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          xmlns:as="https://approvalsystem.example/bpmn" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
        """;

    [Fact]
    public void Import_DrawnInBpmnIo_ListsWhatEachElementLacks()
    {
        var result = BpmnImporter.Import(BpmnSamples.Read("drawn-in-bpmn-io.bpmn"));

        Assert.Null(result.Definition);
        Assert.Empty(result.Errors);
        Assert.Equal(
            [
                ("Activity_1p9rz3t", "现场核查", "Gateway_0pz1ql6", (string?)"Activity_1p9rz3t", "“现场核查”缺少：办理部门、岗位角色、办理时限（工作日）"),
                ("Gateway_0pz1ql6", "现场核查与消防检查", "Gateway_0pz1ql6", null, "“现场核查与消防检查”缺少：办理时限（工作日）"),
                ("Activity_0c4v8bn", "审批", "Activity_0c4v8bn", null, "“审批”缺少：办理时限（工作日）"),
                ("Event_1n6t2wd", "不予许可", "Event_1n6t2wd", null, "“不予许可”缺少：办结结果（准予、不予或上报）"),
            ],
            result.Needs.Select(n => (n.ElementId, n.ElementName!, n.StepId, n.BranchId, n.Message)));
    }

    [Fact]
    public void Import_DrawnInBpmnIo_WithTheAnswers_GivesTheFlowAsDrawn()
    {
        var answers = new Dictionary<string, BpmnAnswer>
        {
            ["Activity_1p9rz3t"] = new() { Department = "SCJG", Role = "Officer", LimitDays = 3 },
            ["Gateway_0pz1ql6"] = new() { LimitDays = 5 },
            ["Activity_0c4v8bn"] = new() { LimitDays = 2 },
            ["Event_1n6t2wd"] = new() { Result = WorkflowResult.Denied },
        };

        var result = BpmnImporter.Import(BpmnSamples.Read("drawn-in-bpmn-io.bpmn"), answers);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Empty(result.Needs);
        var definition = result.Definition!;
        Assert.Equal(("Process_1q8v4zn", "餐饮服务许可（新办）", "Activity_0x7kq1m"), (definition.Id, definition.Title, definition.Start));
        var accept = Assert.IsType<TaskStep>(definition.GetStep("Activity_0x7kq1m"));
        Assert.Equal(("窗口受理", WorkflowDepartments.Centre, "Clerk", 1), (accept.Title, accept.Department, accept.Role, accept.LimitDays));
        var condition = Assert.IsType<ConditionStep>(definition.GetStep("Gateway_1h5d0ps"));
        Assert.Equal("businessArea > 150", condition.When.ToText());
        var joint = Assert.IsType<ParallelStep>(definition.GetStep("Gateway_0pz1ql6"));
        Assert.Equal((5, 2), (joint.LimitDays, joint.Quorum));
        Assert.Equal(
            [("Activity_1p9rz3t", "现场核查", "SCJG", "Officer", 3), ("Activity_05u2mhx", "消防安全检查", "ZJ", "Officer", 5)],
            joint.Branches.Select(b => (b.Id, b.Title, b.Department, b.Role, b.LimitDays)));
        var approve = Assert.IsType<TaskStep>(definition.GetStep("Activity_0c4v8bn"));
        Assert.Equal([Outcome.Approve, Outcome.Deny, Outcome.Return], approve.Outcomes);
        Assert.Equal(WorkflowResult.Denied, Assert.IsType<EndStep>(definition.GetStep("Event_1n6t2wd")).Result);
        Assert.Equal(
            [
                "Activity_0x7kq1m -approve-> Gateway_1h5d0ps", "Gateway_1h5d0ps -true-> Gateway_0pz1ql6", "Gateway_1h5d0ps -false-> Activity_0c4v8bn",
                "Gateway_0pz1ql6 -approve-> Activity_0c4v8bn", "Gateway_0pz1ql6 -deny-> Event_1n6t2wd", "Activity_0c4v8bn -approve-> Event_0fz3k1q",
                "Activity_0c4v8bn -deny-> Event_1n6t2wd", "Activity_0c4v8bn -return-> Activity_0x7kq1m", "Activity_0x7kq1m -deny-> Event_1n6t2wd",
            ],
            definition.Connections.Select(c => $"{c.From} -{c.Outcome}-> {c.To}"));
    }

    [Theory]
    [InlineData("""<bpmn:serviceTask id="Activity_1sms" name="发送短信" />""", "Activity_1sms", "发送短信", "服务任务")]
    [InlineData("""<bpmn:subProcess id="Activity_0sub" name="内部会审" />""", "Activity_0sub", "内部会审", "子流程")]
    [InlineData("""<bpmn:inclusiveGateway id="Gateway_0inc" name="按需征求意见" />""", "Gateway_0inc", "按需征求意见", "包容网关")]
    [InlineData("""<bpmn:intermediateCatchEvent id="Event_0wait" name="等待三天"><bpmn:timerEventDefinition /></bpmn:intermediateCatchEvent>""",
        "Event_0wait", "等待三天", "中间捕获事件")]
    [InlineData("""<bpmn:boundaryEvent id="Event_0late" name="超期" attachedToRef="Activity_a"><bpmn:timerEventDefinition /></bpmn:boundaryEvent>""",
        "Event_0late", "超期", "边界事件")]
    public void Import_UnsupportedElement_IsRefusedWithItsIdAndName(string element, string id, string name, string kind)
    {
        var result = BpmnImporter.Import(Simple(element));

        Assert.Null(result.Definition);
        var error = Assert.Single(result.Errors, e => e.ElementId == id);
        Assert.Equal(name, error.ElementName);
        Assert.Contains(kind, error.Message, StringComparison.Ordinal);
        Assert.Contains(id, error.Message, StringComparison.Ordinal);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_TimerStartEvent_IsRefused()
    {
        var result = BpmnImporter.Import(Simple("").Replace(
            """<bpmn:startEvent id="StartEvent_1" name="申请" />""",
            """<bpmn:startEvent id="StartEvent_1" name="每月一日"><bpmn:timerEventDefinition id="TimerEventDefinition_1" /></bpmn:startEvent>""",
            StringComparison.Ordinal));

        var error = Assert.Single(result.Errors);
        Assert.Equal(("StartEvent_1", "每月一日"), (error.ElementId, error.ElementName));
        Assert.Contains("定时事件", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_MessageFlowBetweenPools_IsRefused()
    {
        var xml = Simple("").Replace(
            "<bpmn:process",
            """<bpmn:collaboration id="Collaboration_1"><bpmn:participant id="Participant_1" processRef="Process_1" /><bpmn:messageFlow id="Flow_msg" name="通知" sourceRef="Participant_1" targetRef="Participant_1" /></bpmn:collaboration><bpmn:process""",
            StringComparison.Ordinal);

        var result = BpmnImporter.Import(xml);

        var error = Assert.Single(result.Errors);
        Assert.Equal(("Flow_msg", "通知"), (error.ElementId, error.ElementName));
        Assert.Contains("消息流", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_SimpleFlow_WithExtensionAttributes_Succeeds()
    {
        var result = BpmnImporter.Import(Simple(""));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var task = Assert.IsType<TaskStep>(result.Definition!.GetStep("Activity_a"));
        Assert.Equal(("FG", "Officer", 4, "activityA"), (task.Department, task.Role, task.LimitDays, task.Writes));
    }

    [Fact]
    public void Import_DepartmentAndRoleFromCandidateGroups()
    {
        var xml = Simple("").Replace("""as:department="FG" as:role="Officer" """, """camunda:candidateGroups="ZJ:DepartmentHead" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" """,
            StringComparison.Ordinal);

        var task = Assert.IsType<TaskStep>(BpmnImporter.Import(xml).Definition!.GetStep("Activity_a"));

        Assert.Equal(("ZJ", "DepartmentHead"), (task.Department, task.Role));
    }

    [Fact]
    public void Import_TwoFlowsWithoutOutcomeNames_AsksForTheNames()
    {
        var xml = Simple("").Replace("""name="不同意" """, "", StringComparison.Ordinal).Replace("""name="同意" """, "", StringComparison.Ordinal);

        var result = BpmnImporter.Import(xml);

        Assert.Contains(result.Errors, e => e.ElementId == "Flow_ok" && e.Message.Contains("“同意”“不同意”或“退回”", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_ExclusiveGatewayWithoutDefaultFlow_SaysHowToDrawIt()
    {
        var xml = Head + """
            <bpmn:process id="Process_1" name="条件">
              <bpmn:startEvent id="StartEvent_1" />
              <bpmn:exclusiveGateway id="Gateway_x" name="金额较大？" />
              <bpmn:endEvent id="Event_a" name="甲" as:result="approved" />
              <bpmn:endEvent id="Event_b" name="乙" as:result="denied" />
              <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Gateway_x" />
              <bpmn:sequenceFlow id="Flow_2" sourceRef="Gateway_x" targetRef="Event_a"><bpmn:conditionExpression>amount &gt; 10</bpmn:conditionExpression></bpmn:sequenceFlow>
              <bpmn:sequenceFlow id="Flow_3" sourceRef="Gateway_x" targetRef="Event_b"><bpmn:conditionExpression>amount &lt;= 10</bpmn:conditionExpression></bpmn:sequenceFlow>
            </bpmn:process>
            </bpmn:definitions>
            """;

        var result = BpmnImporter.Import(xml);

        Assert.Contains(result.Errors, e => e.ElementId == "Gateway_x" && e.Message.Contains("默认流", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_UnreachableTask_IsPinnedToItsElement()
    {
        var xml = Simple("""<bpmn:userTask id="Activity_lost" name="孤立环节" as:department="FG" as:role="Officer" as:limitDays="1" />""")
            .Replace("</bpmn:process>", """<bpmn:sequenceFlow id="Flow_lost" sourceRef="Activity_lost" targetRef="Event_ok" /></bpmn:process>""", StringComparison.Ordinal);

        var result = BpmnImporter.Import(xml);

        Assert.Null(result.Definition);
        Assert.Contains(result.Errors, e => e.ElementId == "Activity_lost" && e.ElementName == "孤立环节" && e.Message.StartsWith("流程校验未通过", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not xml at all", "不是有效的 XML")]
    [InlineData("<definitions/>", "不是 BPMN 2.0 文件")]
    [InlineData("""<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>""", "不是有效的 XML")]
    public void Import_NotABpmnFile_SaysSo(string xml, string expected)
    {
        var error = Assert.Single(BpmnImporter.Import(xml).Errors);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    /// <summary>start → task a (approve → ok, deny → no), plus <paramref name="extra"/> in the process.</summary>
    private static string Simple(string extra) => Head + $"""
        <bpmn:process id="Process_1" name="简单流程" isExecutable="false">
          <bpmn:startEvent id="StartEvent_1" name="申请" />
          <bpmn:userTask id="Activity_a" name="审核" as:department="FG" as:role="Officer" as:limitDays="4" />
          <bpmn:endEvent id="Event_ok" name="准予" as:result="approved" />
          <bpmn:endEvent id="Event_no" name="不予" as:result="denied" />
          <bpmn:sequenceFlow id="Flow_start" sourceRef="StartEvent_1" targetRef="Activity_a" />
          <bpmn:sequenceFlow id="Flow_ok" name="同意" sourceRef="Activity_a" targetRef="Event_ok" />
          <bpmn:sequenceFlow id="Flow_no" name="不同意" sourceRef="Activity_a" targetRef="Event_no" />
          {extra}
        </bpmn:process>
        </bpmn:definitions>
        """;
}
