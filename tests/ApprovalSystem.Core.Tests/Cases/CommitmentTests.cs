using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Workflows;
using static ApprovalSystem.Core.Tests.Cases.CaseFixture;

namespace ApprovalSystem.Core.Tests.Cases;

/// <summary>告知承诺制 on the aggregate (decision 0060): who signs, what it waives, the verification clock and its result.</summary>
public class CommitmentTests
{
    private static readonly CommitmentTerms Terms = new()
    {
        Duty = "具有食品安全管理制度", Proof = "制度已建立", Liability = "撤销许可", Replaces = ["营业执照复印件"], VerificationDays = 5,
    };

    private static MatterSnapshot WithCommitment() => Matter() with { Commitment = Terms };

    [Fact]
    public void Sign_ByTheApplicant_WaivesTheReplacedMaterials_AndRunsOnTheWindowsFlow()
    {
        var c = Drafted(WithCommitment());

        c.SignCommitment(Terms, Applicant, Monday);

        Assert.Equal(Case.CommitmentWorkflowId, c.WorkflowId);
        var replaced = c.Materials.Single(m => m.Name == "营业执照复印件");
        Assert.False(replaced.Required);
        Assert.True(replaced.ReplacedByCommitment);
        Assert.Equal(["食品经营许可申请书"], c.MissingRequiredMaterials);
        Assert.Equal("张三", c.Commitment!.SignedBy);
        Assert.Throws<CaseRuleException>(() => c.SignCommitment(Terms, Applicant, Monday)); // once
    }

    [Fact]
    public void Sign_ByAnAgentForAResident_IsRefused()
    {
        var c = Drafted(WithCommitment(), filer: Agent);

        var e = Assert.Throws<CaseRuleException>(() => c.SignCommitment(Terms, Agent, Monday));

        Assert.Contains("申请人本人", e.Message, StringComparison.Ordinal);
        Assert.Null(c.Commitment);
    }

    [Fact]
    public void ApprovalOnCommitment_StartsTheVerificationClock_AndAnUntrueResultRevokesTheCertificate()
    {
        var c = Drafted(WithCommitment());
        c.SignCommitment(Terms, Applicant, Monday);
        c.Submit("330799-20260302-0001", "123456", Applicant, Monday, Time);
        var flow = Flow(Case.CommitmentWorkflowId);
        c.Accept(flow, Clerk, Monday, Time);
        c.Act(flow, c.OpenSteps.Single().WorkItemId, Outcome.Approve, "准予", null, Clerk, Monday, Time);

        // Monday 2 March + 5 working days: due at the end of Monday 9 March.
        Assert.Equal(CaseState.Approved, c.State);
        Assert.True(c.Verification.IsRunning);
        Assert.Equal(WorkingTime.EndOfDay(new DateOnly(2026, 3, 9)), c.Verification.DueAt);
        c.IssueCertificate("JY13307990000001", Clerk, Monday);

        Assert.Throws<CaseRuleException>(() => c.RecordVerification(false, "  ", Officer(), Local(3, 5), Time)); // findings needed
        Assert.Throws<CaseRuleException>(() => c.RecordVerification(false, "不实", Officer("wj-1", "WJ"), Local(3, 5), Time)); // lead department only
        c.ClearPendingRecords();
        c.RecordVerification(false, "现场未见管理制度", Officer(), Local(3, 5), Time);

        Assert.False(c.Verification.IsRunning);
        Assert.False(c.VerificationResult!.Truthful);
        Assert.Equal([CaseTrigger.Verify, CaseTrigger.RevokeCertificate], c.PendingRecords.Select(r => r.Action));
        Assert.Equal("falseCommitment", c.PendingRecords[^1].Data["reason"]);
        Assert.Throws<CaseRuleException>(() => c.RecordVerification(true, null, Officer(), Local(3, 6), Time)); // recorded once
    }

    [Fact]
    public void Terms_ThatReplaceEveryRequiredMaterialOrNameAnUnknownOne_AreRefused()
    {
        var data = MatterData.From(new Matter
        {
            Code = "X", Name = "X", Materials = [new MaterialRequirement { Name = "申请书", Required = true }],
            Commitment = new CommitmentTerms { Duty = "d", Proof = "p", Liability = "l", Replaces = ["申请书", "不存在的材料"], VerificationDays = 0 },
        }, "SCJG");

        var problems = MatterValidator.CommitmentProblems(data).ToList();

        Assert.Contains(problems, p => p.Contains("1至60", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("不存在的材料", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("全部必需材料", StringComparison.Ordinal));
    }
}
