using ApprovalSystem.Core.AutoApproval;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Core.Tests.Catalogue;
using static ApprovalSystem.Core.Tests.Cases.CaseFixture;

namespace ApprovalSystem.Core.Tests.Cases;

/// <summary>
/// The automatic approver 秒批系统 on the aggregate: it accepts and approves only with a published version of the case's own matter,
/// nobody else may use its verb, it cannot act as a person does, and the process rule flags a decision on an unpublished version.
/// </summary>
public sealed class AutoApprovalCaseTests
{
    private static readonly MatterSnapshot Licence = Matter(certificate: "food-business-licence");

    private static AutoApprovalGrant Grant(bool published = true, string? matter = null) => new(matter ?? Licence.Code, 3, published);

    [Fact]
    public void ApproveAutomatically_WithPublishedRulesOfItsMatter_AcceptsAndApprovesAtOnceAndAllowsTheCertificate()
    {
        var c = Submitted(Licence);
        c.ClearPendingRecords();

        c.ApproveAutomatically(Flow(c.WorkflowId), Grant(), CaseActor.AutoApprover, Monday, Time);
        c.IssueCertificate("SCJG-2026-0001", CaseActor.AutoApprover, Monday, "code");

        Assert.Equal(CaseState.CertificateIssued, c.State);
        Assert.True(c.AutoApproved);
        Assert.Equal(Monday, c.DecidedAt);
        Assert.Empty(c.Steps);
        Assert.Equal([CaseTrigger.Accept, CaseTrigger.AutoApprove, CaseTrigger.IssueCertificate], c.PendingRecords.Select(r => r.Action));
        Assert.All(c.PendingRecords, r => Assert.Equal(CaseActor.AutoApproverName, r.Actor.Name));
        Assert.Equal("3", c.PendingRecords[1].Data["ruleVersion"]);
        Assert.Equal(ApprovalSystem.Workflows.WorkflowResult.Approved, c.Instance().Result);
    }

    [Fact]
    public void ApproveAutomatically_WithUnpublishedVersion_OrAnotherMattersRules_OrByAPerson_Throws()
    {
        var c = Submitted(Licence);

        Assert.Contains("尚未发布", Assert.Throws<CaseRuleException>(() =>
            c.ApproveAutomatically(Flow(c.WorkflowId), Grant(published: false), CaseActor.AutoApprover, Monday, Time)).Message, StringComparison.Ordinal);
        Assert.Contains("未配置秒批规则", Assert.Throws<CaseRuleException>(() =>
            c.ApproveAutomatically(Flow(c.WorkflowId), Grant(matter: "330799-SCJG-023"), CaseActor.AutoApprover, Monday, Time)).Message, StringComparison.Ordinal);
        Assert.Throws<CaseRuleException>(() => c.ApproveAutomatically(Flow(c.WorkflowId), Grant(), Clerk, Monday, Time));
        Assert.Equal(CaseState.PreAcceptance, c.State);
    }

    [Fact]
    public void TheAutomaticApprover_CannotAcceptActOrCertifyAsAPersonDoes()
    {
        var submitted = Submitted(Licence);
        Assert.Throws<CaseRuleException>(() => submitted.Accept(Flow(submitted.WorkflowId), CaseActor.AutoApprover, Monday, Time));

        var accepted = Accepted(Licence);
        var step = accepted.OpenSteps.First();
        Assert.Throws<CaseRuleException>(() =>
            accepted.Act(Flow(accepted.WorkflowId), step.WorkItemId, ApprovalSystem.Workflows.Outcome.Approve, "同意", null, CaseActor.AutoApprover, Monday, Time));
        // Nor decide a case a clerk accepted, even with a published grant of its own matter: its steps are people's.
        Assert.Contains("已由工作人员受理", Assert.Throws<CaseRuleException>(() =>
            accepted.DecideAutomatically(Flow(accepted.WorkflowId), Grant(), CaseActor.AutoApprover, Monday, Time)).Message, StringComparison.Ordinal);
        Assert.Equal(CaseState.Handling, accepted.State);

        // A case people approved is certified by people: the approver issues only for its own decisions.
        var approved = ApprovedPromisedSingle(Licence);
        Assert.Throws<CaseRuleException>(() => approved.IssueCertificate("SCJG-2026-0002", CaseActor.AutoApprover, Monday, "code"));
    }

    [Fact]
    public void UnpublishedAutoApprovalRule_FlagsADecisionOutsideTheVersionsPublication()
    {
        var rule = new UnpublishedAutoApprovalRule();
        var decided = Monday;
        CaseFacts Facts(AutoApprovalFacts? a) => new() { CaseId = 9, Number = "N9", Department = "SCJG", MatterCode = "M", State = CaseState.Approved,
            DecidedAt = decided, AutoApproval = a };

        Assert.Empty(rule.Check(Facts(null), decided));
        Assert.Empty(rule.Check(Facts(new(1, decided.AddDays(-1), null)), decided));
        Assert.Empty(rule.Check(Facts(new(1, decided.AddDays(-9), decided.AddDays(1))), decided)); // retired later: was published then
        Assert.Single(rule.Check(Facts(new(1, null, null)), decided));
        Assert.Single(rule.Check(Facts(new(1, decided.AddMinutes(1), null)), decided));
        var retired = Assert.Single(rule.Check(Facts(new(2, decided.AddDays(-9), decided.AddMinutes(-1))), decided));
        Assert.Equal("case:9/auto-approval-unpublished-rules/auto-approval", retired.Key);
    }

    [Fact]
    public void TheShippedCatalogue_ConfiguresAtLeastFiveMattersWhoseRulesCheckSharedData()
    {
        var configured = ShippedCatalogue.Data.Matters.Where(m => m.AutoApproval is not null).ToList();
        Assert.True(configured.Count >= 5);
        foreach (var m in configured)
        {
            Assert.Empty(m.AutoApproval!.Problems([.. m.FormFields.Select(f => f.Key)]));
            // What the shared data proves is not asked for again (免于提交); the signed application stays required.
            Assert.Contains(m.Materials, x => !x.Required && x.Condition!.Contains("免于提交", StringComparison.Ordinal));
            Assert.Contains(m.Materials, x => x.Required);
        }
    }

    [Fact]
    public void Evaluate_RecordsEachConditionsInputs_AndAMissingRecordFailsWhatReadsIt()
    {
        var rules = new AutoApprovalRuleSet(
            [new RuleSource("register", "SCJG-ZTZT", "form.creditCode", new Dictionary<string, string> { ["status"] = "登记状态", ["name"] = "名称" })],
            [new RuleCondition("存续", "register.status == '存续'"), new RuleCondition("名称一致", "register.name == form.unitName")]);
        var form = new Dictionary<string, string> { ["creditCode"] = "91330799MA2K3L4N5T", ["unitName"] = "云溪县绿源食品有限公司" };
        var record = new Dictionary<string, string> { ["登记状态"] = "存续", ["名称"] = "云溪县绿源食品有限公司" };

        var passed = AutoApprovalEvaluator.Evaluate(rules, form, Person, new Dictionary<string, IReadOnlyDictionary<string, string>?> { ["register"] = record }, []);
        Assert.True(passed.Passed);
        Assert.Equal("存续", passed.Conditions[0].Inputs["register.status"]);

        var none = AutoApprovalEvaluator.Evaluate(rules, form, Person, new Dictionary<string, IReadOnlyDictionary<string, string>?> { ["register"] = null }, []);
        Assert.False(none.Passed);
        Assert.Null(none.Conditions[0].Inputs["register.status"]);

        var missing = AutoApprovalEvaluator.Evaluate(rules, form, Person, new Dictionary<string, IReadOnlyDictionary<string, string>?> { ["register"] = record },
            ["股东会决议"]);
        Assert.Equal([AutoApprovalEvaluator.MaterialsCheck], missing.Failed.Select(f => f.Name));
    }
}
