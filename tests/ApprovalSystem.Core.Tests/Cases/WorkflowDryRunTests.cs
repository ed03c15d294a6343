using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Tests.Calendar;
using ApprovalSystem.Core.Tests.Workflows;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Tests.Cases;

public class WorkflowDryRunTests
{
    private static readonly WorkingTime Time = new(Calendar2026.Create());

    // Wednesday before National Day: 10-01…10-07 are holidays, Saturday 10-10 is a make-up working day.
    private static readonly DateOnly BeforeNationalDay = new(2026, 9, 30);

    [Fact]
    public void Run_AcrossNationalDay_GivesTheDueDaysTheCalendarGives()
    {
        var result = Run("property-registration", BeforeNationalDay, promised: 5);

        var calendar = Time.Calendar;
        var joint = result.Path[0];
        Assert.Equal(("joint", "parallel", BeforeNationalDay), (joint.StepId, joint.Kind, joint.Opened));
        Assert.Equal(calendar.AddWorkingDays(BeforeNationalDay, 3), joint.Due);
        var registration = joint.Parts.Single(p => p.BranchId == "registration");
        var deedTax = joint.Parts.Single(p => p.BranchId == "deed-tax");
        Assert.Equal(("BDC", "Officer", calendar.AddWorkingDays(BeforeNationalDay, 3)), (registration.Department, registration.Role, registration.Due));
        Assert.Equal(("SW", calendar.AddWorkingDays(BeforeNationalDay, 2)), (deedTax.Department, deedTax.Due));

        // The dates themselves: 10-08 and 10-09 count, 10-10 (make-up Saturday) counts, 10-11 (Sunday) does not.
        Assert.Equal(new DateOnly(2026, 10, 9), deedTax.Due);
        Assert.Equal(new DateOnly(2026, 10, 10), registration.Due);
        var register = result.Path[1];
        Assert.Equal(("register", new DateOnly(2026, 10, 10)), (register.StepId, register.Opened));
        Assert.Equal(calendar.AddWorkingDays(new DateOnly(2026, 10, 10), 2), register.Due);
        Assert.Equal(new DateOnly(2026, 10, 13), register.Due);
        Assert.Equal(("end", "approved"), (result.Path[2].Kind, result.Path[2].Outcome));

        Assert.Equal(WorkflowResult.Approved, result.Result);
        Assert.Equal(new DateOnly(2026, 10, 13), result.End);
        Assert.Equal(5, result.TotalWorkingDays);
        Assert.Equal(calendar.AddWorkingDays(BeforeNationalDay, 5), result.PromisedDue);
        Assert.True(result.MeetsPromised);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Run_WhenTheStepsTakeLongerThanThePromisedLimit_WarnsInChinese()
    {
        var result = Run("property-registration", BeforeNationalDay, promised: 4, legal: 30);

        Assert.False(result.MeetsPromised);
        Assert.True(result.MeetsLegal);
        Assert.Equal(
            "按各环节时限推算，本流程最长需 5 个工作日（至 2026-10-13），超过事项承诺时限 4 个工作日（承诺办结日 2026-10-12）：请缩短环节时限或调整事项的承诺时限",
            Assert.Single(result.Warnings));
    }

    [Fact]
    public void Run_BeyondTheLegalLimit_WarnsOfThatToo()
    {
        var result = Run("property-registration", BeforeNationalDay, promised: 3, legal: 4);

        Assert.Equal(2, result.Warnings.Count);
        Assert.StartsWith("按各环节时限推算，本流程最长需 5 个工作日，超过法定时限 4 个工作日（法定办结日 2026-10-12）", result.Warnings[0]);
    }

    [Theory]
    [InlineData("450", "permits-with-fire", "true")]
    [InlineData("300", "permits", "false")]
    public void Run_ACondition_ShowsTheValueReadAndTakesItsBranch(string floorArea, string branchStep, string outcome)
    {
        var result = Run("capital-construction", new DateOnly(2026, 3, 2), form: new() { ["floorArea"] = floorArea }, lead: "FG");

        var condition = result.Path.Single(s => s.Kind == "condition");
        Assert.Equal(("large", outcome, "floorArea > 300"), (condition.StepId, condition.Outcome, condition.Condition));
        Assert.Equal([("floorArea", (string?)floorArea)], condition.Values);
        Assert.Equal(["planning", "large", branchStep, "construction", "approved"], result.Path.Select(s => s.StepId));
        Assert.Equal(branchStep == "permits-with-fire", result.Path.Any(s => s.Parts.Any(p => p.Department == "ZJ" && p.BranchId == "fire")));
    }

    [Fact]
    public void Run_AConditionOnAMissingField_StopsWithAChineseReason()
    {
        var result = Run("capital-construction", new DateOnly(2026, 3, 2), lead: "FG");

        Assert.Null(result.Result);
        Assert.Equal("条件“建筑面积是否超过300平方米”需要字段“floorArea”的值，试运行数据中没有：请在样例数据中填写后再试", result.Stopped);
        Assert.Equal("planning", Assert.Single(result.Path).StepId);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Run_ADenyChosenAtAStep_EndsDeniedThere()
    {
        var result = Run("promised-single", new DateOnly(2026, 3, 2), outcomes: new() { ["review"] = Outcome.Deny });

        Assert.Equal(WorkflowResult.Denied, result.Result);
        Assert.Equal(["handle", "review", "denied"], result.Path.Select(s => s.StepId));
        Assert.Equal("deny", result.Path[1].Outcome);
        Assert.All(result.Path.Take(2), s => Assert.Equal("SCJG", Assert.Single(s.Parts).Department)); // $lead resolved
    }

    [Fact]
    public void Run_AReturn_IsSimulatedOnceAndTheStepsReopenWithFreshClocks()
    {
        var start = new DateOnly(2026, 3, 2);
        var result = Run("promised-single", start, outcomes: new() { ["review"] = Outcome.Return });

        Assert.Equal(WorkflowResult.Approved, result.Result);
        Assert.Equal(["handle", "review", "handle", "review", "approve", "approved"], result.Path.Select(s => s.StepId));
        Assert.Equal(("return", "handle"), (result.Path[1].Outcome, result.Path[1].ReturnedTo));
        Assert.Equal((2, result.Path[1].Due), (result.Path[2].Entry, result.Path[2].Opened));
        Assert.Equal(Time.Calendar.AddWorkingDays(result.Path[1].Due!.Value, 3), result.Path[2].Due);
        Assert.Contains("“审核”第2次办理时按同意推算（退回只模拟一次）", result.Warnings);
    }

    [Fact]
    public void Run_ACountersignWithAQuorum_CancelsTheSignatureNoLongerNeeded()
    {
        var result = Run("countersign-review", new DateOnly(2026, 3, 2));

        var countersign = result.Path.Single(s => s.Kind == "countersign");
        Assert.Equal(3, countersign.Parts.Count);
        Assert.Equal(["approve", "approve", "cancelled"], countersign.Parts.Select(p => p.Outcome));
    }

    private static DryRunResult Run(
        string workflow,
        DateOnly start,
        int promised = 20,
        int legal = 20,
        Dictionary<string, string>? form = null,
        Dictionary<string, Outcome>? outcomes = null,
        string lead = "SCJG") =>
        WorkflowDryRun.Run(
            new DryRunRequest(ShippedWorkflows.Get(workflow), lead, form ?? [], start, promised, legal)
            {
                Outcomes = outcomes ?? [],
            },
            Time);
}
