using System.Text.Json.Nodes;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Tests.Workflows;

/// <summary>The difference between two versions of a flow (issue 18 item 3): what the version history shows side by side.</summary>
public sealed class WorkflowDiffTests
{
    [Fact]
    public void TheSameFlow_HasNoDifference()
    {
        var flow = ShippedWorkflows.Get("property-registration");
        Assert.Empty(WorkflowDiff.Compare(flow, flow));
    }

    [Fact]
    public void JointStep_BranchAddedRemovedAndChanged_QuorumAndDepartmentAndFieldChanges_AreEachListed()
    {
        var before = ShippedWorkflows.Get("joint-market-entry");
        var after = FlowVariants.Edit("joint-market-entry", 2, root =>
        {
            var joint = FlowVariants.Step(root, "joint");
            var branches = joint["branches"]!.AsArray();
            branches.Remove(branches.Single(b => (string?)b!["id"] == "housing-fund"));
            branches.Single(b => (string?)b!["id"] == "tax")!["limitDays"] = 2;
            branches.Add(new JsonObject
            {
                ["id"] = "fire", ["title"] = "消防安全检查", ["department"] = "ZJ", ["role"] = "Officer", ["limitDays"] = 2, ["writes"] = "fire",
            });
            joint["quorum"] = 3;
            var conclude = FlowVariants.Step(root, "conclude");
            conclude["department"] = "SW";
            conclude["fields"]!.AsArray().Add(new JsonObject { ["key"] = "remark", ["label"] = "备注", ["type"] = "text" });
        });

        var changes = WorkflowDiff.Compare(before, after);

        Assert.Contains(changes, d => d is { Kind: DiffKind.Removed, StepId: "joint", Aspect: DiffAspect.Branch, BranchId: "housing-fund" });
        Assert.Contains(changes, d => d is { Kind: DiffKind.Added, StepId: "joint", Aspect: DiffAspect.Branch, BranchId: "fire" }
            && d.After!.Contains("消防安全检查", StringComparison.Ordinal) && d.After.Contains("2个工作日", StringComparison.Ordinal));
        Assert.Contains(changes, d => d is { Kind: DiffKind.Changed, StepId: "joint", Aspect: DiffAspect.Limit, BranchId: "tax", Before: "1", After: "2" });
        Assert.Contains(changes, d => d is { Kind: DiffKind.Changed, StepId: "joint", Aspect: DiffAspect.Quorum, BranchId: null, After: "3" });
        Assert.Contains(changes, d => d is { Kind: DiffKind.Changed, StepId: "conclude", Aspect: DiffAspect.Department, Before: "SCJG", After: "SW" });
        Assert.Contains(changes, d => d is { Kind: DiffKind.Added, StepId: "conclude", Aspect: DiffAspect.Field } && d.After!.StartsWith("remark：备注", StringComparison.Ordinal));
        Assert.Equal(6, changes.Count); // nothing else: the other steps, branches and connections are the same
    }

    [Fact]
    public void StepAddedAndRemoved_RoleLimitConditionAndConnections_AreListed()
    {
        var before = ShippedWorkflows.Get("promised-single");
        var after = FlowVariants.Edit("promised-single", 2, root =>
        {
            var steps = root["steps"]!.AsArray();
            steps.Remove(FlowVariants.Step(root, "review"));
            FlowVariants.Step(root, "handle")["limitDays"] = 5;
            FlowVariants.Step(root, "approve")["distinctFrom"] = new JsonArray("handle");
            steps.Add(new JsonObject
            {
                ["id"] = "big", ["kind"] = "condition", ["title"] = "金额较大", ["field"] = "amount", ["operator"] = ">", ["value"] = 100,
            });
            var connections = FlowVariants.Connections(root);
            foreach (var c in connections.Where(c => (string?)c!["from"] == "review" || (string?)c!["to"] == "review").ToList())
            {
                connections.Remove(c);
            }

            connections.Add(new JsonObject { ["from"] = "handle", ["outcome"] = "approve", ["to"] = "big" });
            connections.Add(new JsonObject { ["from"] = "big", ["outcome"] = "true", ["to"] = "approve" });
            connections.Add(new JsonObject { ["from"] = "big", ["outcome"] = "false", ["to"] = "approve" });
        });

        var changes = WorkflowDiff.Compare(before, after);

        Assert.Contains(changes, d => d is { Kind: DiffKind.Removed, StepId: "review", Aspect: DiffAspect.Step } && d.Before!.Contains("审核", StringComparison.Ordinal));
        Assert.Contains(changes, d => d is { Kind: DiffKind.Added, StepId: "big", Aspect: DiffAspect.Step, After: "条件“金额较大”（amount > 100）" });
        Assert.Contains(changes, d => d is { Kind: DiffKind.Changed, StepId: "handle", Aspect: DiffAspect.Limit, Before: "3", After: "5" });
        Assert.Contains(changes, d => d is { Kind: DiffKind.Changed, StepId: "approve", Aspect: DiffAspect.DistinctFrom, Before: "handle、review", After: "handle" });
        Assert.Contains(changes, d => d is { Kind: DiffKind.Changed, StepId: "handle", Aspect: DiffAspect.Connection, Before: "approve → review", After: "approve → big" });
        Assert.Contains(changes, d => d is { Kind: DiffKind.Removed, StepId: "review", Aspect: DiffAspect.Connection });
        Assert.Contains(changes, d => d is { Kind: DiffKind.Added, StepId: "big", Aspect: DiffAspect.Connection, After: "true → approve" });
        Assert.Equal("连线", DiffAspect.Connection.Chinese());
        Assert.Equal("新增", DiffKind.Added.Chinese());
    }
}
