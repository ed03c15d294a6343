using System.Text.Json.Nodes;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Core.Tests.Workflows;
using ApprovalSystem.Workflows;
using static ApprovalSystem.Core.Tests.Cases.CaseFixture;

namespace ApprovalSystem.Core.Tests.Cases;

/// <summary>
/// Migrating a running case to another version of its flow (issue 18 item 5): the mapped open step continues with its clock re-armed on
/// the working-day calendar; an unsafe mapping is refused with its reason and changes nothing.
/// </summary>
public sealed class CaseMigrationTests
{
    private static readonly CaseActor Admin = new("admin-1", "系统管理员", [Roles.Administrator]);

    private static readonly Dictionary<string, string> Same = new() { ["handle"] = "handle", ["joint"] = "joint", ["countersign"] = "countersign" };

    /// <summary>promised-single v2: 承办 renamed 核查 (id "check"), 5 working days instead of 3.</summary>
    private static WorkflowDefinition CheckInsteadOfHandle() => FlowVariants.Edit("promised-single", 2, root =>
    {
        var handle = FlowVariants.Step(root, "handle");
        handle["id"] = "check";
        handle["title"] = "核查";
        handle["limitDays"] = 5;
        root["start"] = "check";
        foreach (var c in FlowVariants.Connections(root).Select(c => c!.AsObject()).Where(c => (string?)c["from"] == "handle"))
        {
            c["from"] = "check";
        }

        foreach (var s in root["steps"]!.AsArray().Select(s => s!.AsObject()).Where(s => s["distinctFrom"] is not null))
        {
            s["distinctFrom"] = new JsonArray(s["distinctFrom"]!.AsArray().Select(x => (JsonNode?)((string?)x == "handle" ? "check" : (string?)x)).ToArray());
        }
    });

    [Fact]
    public void MappedOpenStep_ContinuesOnTheNewStep_WithItsClockReArmedOnTheCalendar_AndTheCaseActsOnTheNewVersion()
    {
        var c = Accepted();
        var handle = Open(c, "承办");
        c.Claim(handle.WorkItemId, Officer(), Local(3, 3));
        c.ClearPendingRecords();
        var target = CheckInsteadOfHandle();

        var moved = c.MigrateWorkflow(Flow("promised-single"), target, new Dictionary<string, string> { ["handle"] = "check" }, "流程再造", Admin,
            Local(3, 4), Time);

        var step = Assert.Single(c.OpenSteps);
        Assert.Equal(("check", "核查", "SCJG"), (step.StepId, step.Title, step.Department));
        Assert.Equal(Time.DueAfter(handle.OpenedAt, 5), step.Deadline.DueAt); // from when the step opened, with the new limit
        Assert.NotEqual(handle.Deadline.DueAt, step.Deadline.DueAt);
        Assert.Equal("scjg-o1", step.AssigneeId); // same department and role: the officer who took it keeps it
        Assert.Equal(StepOutcome.Cancelled, handle.Outcome);
        Assert.Same(handle, Assert.Single(moved).From);
        Assert.Equal(2, c.WorkflowVersion);
        Assert.Equal(2, c.Instance().DefinitionVersion);
        var record = Assert.Single(c.PendingRecords);
        Assert.Equal(CaseTrigger.MigrateWorkflow, record.Action);
        Assert.Equal(("1", "2", "流程再造"), (record.Data["fromVersion"], record.Data["toVersion"], record.Opinion));
        Assert.Contains("核查", record.Data["steps"], StringComparison.Ordinal);

        // The case goes on on version 2.
        c.Act(target, step.WorkItemId, Outcome.Approve, "符合", null, Officer(), Local(3, 5), Time);
        Assert.Equal("审核", Assert.Single(c.OpenSteps).Title);
    }

    [Fact]
    public void OpenStepWithoutCounterpart_IsRefused_AndNothingChanges()
    {
        var c = Accepted();
        c.ClearPendingRecords();
        var (state, steps, version) = (c.WorkflowState, c.Steps.Count, c.Version);

        var e = Assert.Throws<CaseRuleException>(() => c.MigrateWorkflow(Flow("promised-single"), CheckInsteadOfHandle(), Same, null, Admin, Local(3, 4), Time));

        Assert.Equal("不能迁移：环节“承办”对应的“handle”在第2版中不存在", e.Message);
        Assert.Equal((state, steps, version, (int?)1), (c.WorkflowState, c.Steps.Count, c.Version, c.WorkflowVersion));
        Assert.Empty(c.PendingRecords);
        Assert.True(Open(c, "承办").IsOpen);
    }

    [Fact]
    public void JointStep_WhoseDoneBranchTheTargetLacks_IsRefused()
    {
        var c = Accepted(Joint());
        Act(c, "受理审查", Officer(), Local(3, 2, 14));
        Act(c, "税务登记及发票申领", Officer("sw-o1", "SW"), Local(3, 3));
        var target = FlowVariants.Edit("joint-market-entry", 2, root =>
        {
            var branches = FlowVariants.Step(root, "joint")["branches"]!.AsArray();
            branches.Remove(branches.Single(b => (string?)b!["id"] == "tax"));
        });

        var e = Assert.Throws<CaseRuleException>(() => c.MigrateWorkflow(Flow("joint-market-entry"), target, Same, null, Admin, Local(3, 4), Time));

        Assert.Contains("分支“税务登记及发票申领”已办理", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, c.OpenSteps.Count());
        Assert.Equal(1, c.WorkflowVersion);
    }

    [Fact]
    public void JointStep_WithAnOpenBranchRemovedAndOneAdded_KeepsTheDoneBranch_ClosesTheRemovedOne_AndOpensTheNewOne()
    {
        var c = Accepted(Joint());
        Act(c, "受理审查", Officer(), Local(3, 2, 14));
        Act(c, "税务登记及发票申领", Officer("sw-o1", "SW"), Local(3, 3));
        var target = FlowVariants.Edit("joint-market-entry", 2, root =>
        {
            var branches = FlowVariants.Step(root, "joint")["branches"]!.AsArray();
            branches.Remove(branches.Single(b => (string?)b!["id"] == "housing-fund"));
            branches.Add(new JsonObject
            {
                ["id"] = "fire", ["title"] = "消防安全检查", ["department"] = "ZJ", ["role"] = "Officer", ["limitDays"] = 2, ["writes"] = "fire",
            });
        });

        var moved = c.MigrateWorkflow(Flow("joint-market-entry"), target, Same, null, Admin, Local(3, 4), Time);

        Assert.Equal(["GA", "RS", "ZJ"], c.OpenSteps.Select(s => s.Department).Order());
        var fire = Assert.Single(moved, m => m.From is null).To;
        Assert.Equal(Time.DueAfter(Local(3, 4), 2), fire.Deadline.DueAt);
        Assert.Equal(StepOutcome.Cancelled, Assert.Single(c.Steps, s => s.Department == "GJJ").Outcome);

        // The three open branches decide the step with the tax branch's earlier approval (quorum: all four).
        c.Act(target, Open(c, "印章刻制备案").WorkItemId, Outcome.Approve, "同意", null, Officer("ga-o1", "GA"), Local(3, 5), Time);
        c.Act(target, Open(c, "社保登记").WorkItemId, Outcome.Approve, "同意", null, Officer("rs-o1", "RS"), Local(3, 5), Time);
        c.Act(target, Open(c, "消防安全检查").WorkItemId, Outcome.Approve, "同意", null, Officer("zj-o1", "ZJ"), Local(3, 5), Time);
        Assert.Equal("办结", Assert.Single(c.OpenSteps).Title);
    }

    [Fact]
    public void Countersign_WhoseSignaturesWouldNotFitTheNewQuorum_IsRefused()
    {
        var c = Accepted(Countersign());
        Act(c, "承办", Officer(), Local(3, 3));
        var signers = c.OpenSteps.ToList();
        c.Act(Flow("countersign-review"), signers[0].WorkItemId, Outcome.Approve, "同意", null, Officer("scjg-o2"), Local(3, 4), Time);
        c.Act(Flow("countersign-review"), signers[1].WorkItemId, Outcome.Deny, "不同意", null, Officer("scjg-o3"), Local(3, 4), Time);
        var target = FlowVariants.Edit("countersign-review", 2, root =>
        {
            var step = FlowVariants.Step(root, "countersign");
            step["quorum"] = 3;
        });

        var e = Assert.Throws<CaseRuleException>(() => c.MigrateWorkflow(Flow("countersign-review"), target, Same, null, Admin, Local(3, 5), Time));

        Assert.Equal("不能迁移：“会签”迁移后最多只能得到2份同意，达不到新版本要求的3份，迁移会直接否决该环节", e.Message);
        Assert.Single(c.OpenSteps);
    }

    [Fact]
    public void OnlyAnAdministratorMigrates()
    {
        var c = Accepted();
        var e = Assert.Throws<CaseRuleException>(() =>
            c.MigrateWorkflow(Flow("promised-single"), CheckInsteadOfHandle(), new Dictionary<string, string> { ["handle"] = "check" }, null, Supervisor,
                Local(3, 4), Time));
        Assert.Equal("只有系统管理员可以迁移在办件的流程", e.Message);
    }
}
