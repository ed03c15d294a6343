using ApprovalSystem.Web.Features.Admin.FlowDesigner;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Web.Tests.Admin.FlowDesigner;

/// <summary>Issue 18: the designer's editable model, its conversion to and from definitions, its checks and its undo/redo.</summary>
public sealed class FlowModelTests
{
    private static readonly WorkflowLoadResult Shipped = new WorkflowLoader().LoadDirectory(Path.Combine(AppContext.BaseDirectory, "workflows"));

    public static TheoryData<string> ShippedIds() => [.. Shipped.Definitions.Select(d => d.Id)];

    private static WorkflowDefinition Load(string id) => Shipped.Definitions.Single(d => d.Id == id);

    private static WorkflowDefinition Reload(FlowModel model)
    {
        var result = new WorkflowLoader().LoadFromJson(model.Id + ".json", model.ToJson());
        Assert.True(result.Succeeded, result.ToString());
        return result.Definitions.Single();
    }

    [Theory]
    [MemberData(nameof(ShippedIds))]
    public void EveryShippedFlow_RoundTripsThroughTheModel_Unchanged(string id)
    {
        var original = Load(id);

        var reloaded = Reload(FlowModel.FromDefinition(original));

        // The engine's own writer gives one canonical text per definition: equal texts, equal flows.
        Assert.Equal(WorkflowWriter.ToJson(original), WorkflowWriter.ToJson(reloaded));
        Assert.Empty(FlowCheck.Run(FlowModel.FromDefinition(original)));
    }

    [Fact]
    public void ShippedFlows_AreAllCovered() => Assert.True(Shipped.Succeeded && Shipped.Definitions.Count >= 7, Shipped.ToString());

    [Fact]
    public void LooseBranch_IsPinnedToItself_InChinese_UntilAParallelStepTakesItIn()
    {
        var model = FlowModel.FromDefinition(Load("property-registration"));
        var branch = model.AddBranch(null, 0, 0);
        (branch.Title, branch.Department, branch.LimitDays) = ("房屋交易备案核验", "ZJ", 3);

        var issue = Assert.Single(FlowCheck.Run(model));
        Assert.Equal(branch.Id, issue.NodeId);
        Assert.Contains("并联分支“房屋交易备案核验”未连接", issue.Message, StringComparison.Ordinal);

        branch.ParallelId = "joint";
        Assert.Empty(FlowCheck.Run(model));
        var joint = Assert.IsType<ParallelStep>(Reload(model).GetStep("joint"));
        Assert.Equal(["registration", "deed-tax", branch.Id], joint.Branches.Select(b => b.Id));
        Assert.Equal(("ZJ", 3), (joint.Branches[2].Department, joint.Branches[2].LimitDays));
    }

    [Fact]
    public void UnconnectedOutcome_AndTheStepNobodyReaches_ArePinnedToTheirSteps_InChinese()
    {
        var model = FlowModel.FromDefinition(Load("promised-single"));
        var step = model.AddStep(StepKind.Task, 0, 0);

        var issues = FlowCheck.Run(model).Where(i => i.StepId == step.Id).Select(i => i.Message).ToList();

        Assert.Contains("结果“同意”未连接：请把它连到下一个环节", issues);
        Assert.Contains("结果“不同意”未连接：请把它连到下一个环节", issues);
        Assert.Contains("从开始环节无法到达本环节：请从前面某个环节的结果连线到这里", issues);

        model.Connect(step.Id, "approve", "approved");
        model.Connect(step.Id, "deny", "denied");
        model.Connect("handle", "approve", step.Id);
        Assert.DoesNotContain(FlowCheck.Run(model), i => i.StepId == step.Id);
    }

    [Fact]
    public void MissingDepartment_BranchLimitAboveItsStep_AndAnUnknownCode_ArePinned()
    {
        var model = FlowModel.FromDefinition(Load("property-registration"));
        model.FindStep("register")!.Department = "";
        model.FindBranch("deed-tax")!.LimitDays = 9;
        model.FindBranch("registration")!.Department = "XYZ";

        var issues = FlowCheck.Run(model, new HashSet<string>(["BDC", "SW"]));

        Assert.Contains(issues, i => i.StepId == "register" && i.Message == "请填写办理部门");
        Assert.Contains(issues, i => i.NodeId == "deed-tax" && i.Message.Contains("时限9个工作日超过了并联环节的3个工作日", StringComparison.Ordinal));
        Assert.DoesNotContain(issues, i => i.Message.Contains("XYZ", StringComparison.Ordinal)); // a department check needs a loading flow

        model.FindStep("register")!.Department = "BDC";
        model.FindBranch("deed-tax")!.LimitDays = 2;
        var unknown = Assert.Single(FlowCheck.Run(model, new HashSet<string>(["BDC", "SW"])));
        Assert.Equal(("registration", "部门“XYZ”不在部门目录中：请重新选择办理部门"), (unknown.NodeId, unknown.Message));
    }

    [Fact]
    public void ConditionThatDoesNotRead_IsReportedAtItsPosition_WithoutTheLoadersEcho()
    {
        var model = FlowModel.FromDefinition(Load("capital-construction"));
        model.FindStep("large")!.When = "floorArea >";

        var issue = Assert.Single(FlowCheck.Run(model));

        Assert.Equal(("large", 11), (issue.StepId, issue.Position));
        Assert.StartsWith("条件第12个字符处：", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UndoAndRedo_RestoreTheWholeModel_StepByStep()
    {
        var model = FlowModel.FromDefinition(Load("promised-single"));
        var history = new FlowHistory();

        history.Record(model);
        model.FindStep("handle")!.LimitDays = 7;
        history.Record(model);
        model.RemoveStep("review");

        model = history.Undo(model);
        Assert.NotNull(model.FindStep("review"));
        Assert.Equal(7, model.FindStep("handle")!.LimitDays);
        model = history.Undo(model);
        Assert.Equal(3, model.FindStep("handle")!.LimitDays);
        Assert.False(history.CanUndo);

        model = history.Redo(model);
        model = history.Redo(model);
        Assert.Null(model.FindStep("review"));
        Assert.DoesNotContain(model.Connections, c => c.To == "review" || c.From == "review");
        Assert.Equal(7, model.FindStep("handle")!.LimitDays);
        Assert.False(history.CanRedo);
    }

    [Fact]
    public void AutoLayout_PlacesEveryStepOfAShippedFlow_WithoutOverlaps()
    {
        foreach (var definition in Shipped.Definitions)
        {
            var model = FlowModel.FromDefinition(definition);
            var boxes = model.Steps.Select(s => (s.Id, s.X, s.Y, Size: FlowLayout.SizeOf(model, s))).ToList();
            foreach (var a in boxes)
            {
                Assert.DoesNotContain(boxes, b => b.Id != a.Id && a.X < b.X + b.Size.Width && b.X < a.X + a.Size.Width
                    && a.Y < b.Y + b.Size.Height && b.Y < a.Y + a.Size.Height);
            }
        }
    }
}
