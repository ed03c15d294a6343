using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Workflows;
using static ApprovalSystem.Core.Tests.Cases.CaseFixture;

namespace ApprovalSystem.Core.Tests.Supervision;

public class ProcessRulesTests
{
    private static readonly ProcessSupervision Rules = new(Time, new ProcessRuleOptions { ArchiveWithinDays = 10 });

    private static readonly WorkflowDefinition PromisedSingle = Flow("promised-single");

    private static CaseFacts Facts(CaseState state = CaseState.Handling) => new()
    {
        CaseId = 9,
        Number = "330799-20260302-0009",
        Department = "SCJG",
        MatterCode = "330799-SCJG-002",
        State = state,
    };

    private static List<SupervisionAlert> Alerts(CaseFacts facts, AlertKind kind, DateTimeOffset? now = null) =>
        [.. Rules.Check(facts, now ?? Local(3, 20)).Where(a => a.Kind == kind)];

    private static StepFacts Step(string id, string stepId, int openDay, int? closeDay, StepOutcome? outcome = StepOutcome.Approve, DateTimeOffset? due = null) =>
        new(id, stepId, stepId, "SCJG", Local(3, openDay), closeDay is { } d ? Local(3, d, 11) : null, outcome, due);

    [Fact]
    public void EveryRule_IsQuietOnAnOrdinaryApprovedCase()
    {
        var facts = CaseFacts.From(ApprovedPromisedSingle(), PromisedSingle);

        Assert.Empty(Rules.Check(facts, Local(3, 6)));
    }

    [Fact]
    public void RefusalWithoutReason_FiresOnABlankReason_NotOnAStatedOne()
    {
        var pushed = Facts(CaseState.NotAccepted) with { Refused = true, RefusalReason = "  " };
        var stated = CaseFacts.From(InState(CaseState.NotAccepted), null);

        var alert = Assert.Single(Alerts(pushed, AlertKind.RefusalWithoutReason));
        Assert.Equal("case:9/refusal-without-reason/refusal", alert.Key);
        Assert.Equal("办件330799-20260302-0009不予受理但未说明理由", alert.Message);
        Assert.True(stated.Refused);
        Assert.Empty(Alerts(stated, AlertKind.RefusalWithoutReason));
    }

    [Fact]
    public void DenialWithoutReason_FiresWithoutReasons_NotWithThem()
    {
        var pushed = Facts(CaseState.Denied) with { Denied = true, DecidedAt = Local(3, 3) };
        var stated = CaseFacts.From(InState(CaseState.Denied), PromisedSingle);

        var alert = Assert.Single(Alerts(pushed, AlertKind.DenialWithoutReason));
        Assert.Equal("2026-03-03T02:00:00Z", alert.Evidence["decidedAt"]);
        Assert.True(stated.Denied);
        Assert.Equal("经营场所不符合要求", stated.DenialReason);
        Assert.Empty(Alerts(stated, AlertKind.DenialWithoutReason));
    }

    [Fact]
    public void LateAcceptance_FiresAfterTheFifthWorkingDay_NotOnIt()
    {
        // Filed Fri 27 Feb: Sat 28 Feb (make-up workday), Mon 2 … Thu 5 Mar are the five working days; accepted Fri 6 is late, Thu 5 is not.
        static Case AcceptedOn(DateTimeOffset at)
        {
            var c = Submitted(at: Local(2, 27));
            c.ReviewMaterials(Matter().Materials.Select(m => m.Name).ToList(), Clerk, at.AddMinutes(-5));
            c.Accept(Flow("promised-single"), Clerk, at, Time);
            return c;
        }

        var late = CaseFacts.From(AcceptedOn(Local(3, 6)), PromisedSingle);
        var onTime = CaseFacts.From(AcceptedOn(Local(3, 5, 17)), PromisedSingle);

        var alert = Assert.Single(Alerts(late, AlertKind.LateAcceptance, Local(3, 9, 12)));
        Assert.Equal("case:0/late-acceptance/round-0", alert.Key);
        Assert.Equal("2026-03-05T16:00:00Z", alert.Evidence["dueAt"]);
        Assert.Equal("办件330799-20260302-0001超过5个工作日才受理", alert.Message);
        Assert.Empty(Alerts(onTime, AlertKind.LateAcceptance, Local(3, 9, 12)));
    }

    [Fact]
    public void LateSupplementNotice_FiresPerLateRound()
    {
        // Filed Wed 30 Sep: Thu 8, Fri 9, Sat 10 (make-up), Mon 12, Tue 13 Oct; a notice on Wed 14 is late.
        var facts = Facts(CaseState.Handling) with
        {
            ReviewRounds =
            [
                ReviewRound.For(Local(9, 30), ReviewAct.SupplementRequested, Local(10, 14), Time),
                ReviewRound.For(Local(10, 15), ReviewAct.Accepted, Local(10, 16), Time),
            ],
        };
        var inTime = Facts() with { ReviewRounds = [ReviewRound.For(Local(9, 30), ReviewAct.SupplementRequested, Local(10, 13, 18), Time)] };

        var alert = Assert.Single(Alerts(facts, AlertKind.LateAcceptance));
        Assert.Equal("case:9/late-acceptance/round-0", alert.Key);
        Assert.Contains("告知补正", alert.Message, StringComparison.Ordinal);
        Assert.Empty(Alerts(inTime, AlertKind.LateAcceptance));
    }

    [Fact]
    public void MissingMaterial_FiresWhenAcceptedWithARequiredMaterialMissing()
    {
        var c = Submitted();
        c.ReviewMaterials(["食品经营许可申请书"], Clerk, Monday.AddMinutes(-5));
        c.Accept(PromisedSingle, Clerk, Monday, Time);

        var alert = Assert.Single(Alerts(CaseFacts.From(c, PromisedSingle), AlertKind.AcceptedWithMissingMaterial));
        Assert.Equal("营业执照复印件", alert.Evidence["missing"]);
        Assert.Empty(Alerts(CaseFacts.From(Accepted(), PromisedSingle), AlertKind.AcceptedWithMissingMaterial));
    }

    [Fact]
    public void Fee_FiresWhenTheChargedAmountDiffersFromTheLegalFee()
    {
        Case Charged(decimal fee)
        {
            var c = Submitted();
            c.ReviewMaterials(Matter().Materials.Select(m => m.Name).ToList(), Clerk, Monday.AddMinutes(-5));
            c.Accept(PromisedSingle, Clerk, Monday, Time, feeCharged: fee);
            return c;
        }

        var alert = Assert.Single(Alerts(CaseFacts.From(Charged(50m), PromisedSingle), AlertKind.FeeMismatch));
        Assert.Equal("case:0/fee-mismatch/fee", alert.Key);
        Assert.Equal("50", alert.Evidence["charged"]);
        Assert.Equal("0", alert.Evidence["legalFee"]);
        Assert.Equal("办件330799-20260302-0001实收费用50元，与法定收费标准0元不符", alert.Message);
        Assert.Empty(Alerts(CaseFacts.From(Charged(0m), PromisedSingle), AlertKind.FeeMismatch));
        Assert.Empty(Alerts(CaseFacts.From(Accepted(), PromisedSingle), AlertKind.FeeMismatch)); // nothing recorded
    }

    [Fact]
    public void NotArchived_FiresAfterTheConfiguredWorkingDays()
    {
        // Decided Thu 5 Mar; 10 working days: Fri 6, 9-13, 16-19 → due end of Thu 19 Mar.
        var decided = CaseFacts.From(ApprovedPromisedSingle(), PromisedSingle);
        var archived = CaseFacts.From(InState(CaseState.Archived), PromisedSingle);

        Assert.Empty(Alerts(decided, AlertKind.NotArchived, EndOf(3, 19)));
        var alert = Assert.Single(Alerts(decided, AlertKind.NotArchived, EndOf(3, 19).AddTicks(1)));
        Assert.Equal("2026-03-19T16:00:00Z", alert.Evidence["archiveDueAt"]);
        Assert.Empty(Alerts(archived, AlertKind.NotArchived, Local(6, 1)));
        Assert.Single(new ProcessSupervision(Time, new ProcessRuleOptions { ArchiveWithinDays = 3 }).Check(decided, Local(3, 11)), a => a.Kind == AlertKind.NotArchived);
    }

    [Fact]
    public void OutsideSystem_FiresWhenALineSystemConcludedACaseNotHandledHere()
    {
        var outside = Facts() with { LineSystem = "省市场监管一体化平台", LineConcludedAt = Local(3, 4), HandledInSystem = false };
        var inside = outside with { HandledInSystem = true };

        var alert = Assert.Single(Alerts(outside, AlertKind.HandledOutsideSystem));
        Assert.Equal("省市场监管一体化平台", alert.Evidence["lineSystem"]);
        Assert.Empty(Alerts(inside, AlertKind.HandledOutsideSystem));
    }

    [Fact]
    public void StepOverdue_FiresWhenAStepIsLateButTheCaseIsNot()
    {
        // 承办 (3 days from Mon 2 Mar) is due at the end of Thu 5; done on Fri 6. The case (10 days) is due Mon 16.
        var c = Accepted();
        var handle = Open(c, "承办");
        Act(c, "承办", Officer(), Local(3, 6));
        Act(c, "审核", Officer("scjg-o2"), Local(3, 9));
        Act(c, "审批", Head(), Local(3, 10));

        var alert = Assert.Single(Alerts(CaseFacts.From(c, PromisedSingle), AlertKind.StepOverdue));
        Assert.Equal($"case:0/step-overdue/{handle.WorkItemId}", alert.Key);
        Assert.Equal(handle.WorkItemId, alert.WorkItemId);
        Assert.Equal("2026-03-05T16:00:00Z", alert.Evidence["dueAt"]);
        Assert.Empty(Alerts(CaseFacts.From(ApprovedPromisedSingle(), PromisedSingle), AlertKind.StepOverdue));
    }

    [Fact]
    public void StepOverdue_IsQuietWhenTheCaseItselfIsOverdue()
    {
        var facts = Facts() with
        {
            PromisedDueAt = EndOf(3, 4),
            Steps = [Step("w1", "handle", 2, null, null, EndOf(3, 3))],
        };

        Assert.Single(Alerts(facts with { PromisedDueAt = EndOf(3, 31) }, AlertKind.StepOverdue, Local(3, 4)));
        Assert.Empty(Alerts(facts, AlertKind.StepOverdue, Local(3, 5)));
    }

    [Fact]
    public void StepOrder_SkippedStep_Fires()
    {
        var facts = Facts() with
        {
            Workflow = PromisedSingle,
            Steps = [Step("w1", "handle", 2, 3), Step("w2", "approve", 3, null, null)],
        };

        var alert = Assert.Single(Alerts(facts, AlertKind.StepOutOfOrder));
        Assert.Equal("case:9/step-out-of-order/w2", alert.Key);
        Assert.Equal("handle", alert.Evidence["previous"]);
    }

    [Fact]
    public void StepOrder_FirstStepNotTheStart_Fires()
    {
        var facts = Facts() with { Workflow = PromisedSingle, Steps = [Step("w1", "review", 2, null, null)] };

        Assert.Equal("w1", Assert.Single(Alerts(facts, AlertKind.StepOutOfOrder)).WorkItemId);
    }

    [Fact]
    public void StepOrder_StepStartedBeforeThePreviousClosed_Fires()
    {
        var facts = Facts() with { Workflow = PromisedSingle, Steps = [Step("w1", "handle", 2, 4), Step("w2", "review", 3, null, null)] };
        var stillOpen = facts with { Steps = [Step("w1", "handle", 2, null, null), Step("w2", "review", 3, null, null)] };
        var inOrder = facts with { Steps = [Step("w1", "handle", 2, 3), Step("w2", "review", 4, null, null)] };

        var alert = Assert.Single(Alerts(facts, AlertKind.StepOutOfOrder));
        Assert.Contains("颠倒程序", alert.Message, StringComparison.Ordinal);
        Assert.Equal("w2", Assert.Single(Alerts(stillOpen, AlertKind.StepOutOfOrder)).Item);
        Assert.Empty(Alerts(inOrder, AlertKind.StepOutOfOrder));
    }

    [Fact]
    public void StepOrder_DecidedBeforeTheLastStep_Fires_DenialAtTheFirstStepDoesNot()
    {
        var approvedEarly = Facts() with { Workflow = PromisedSingle, DecidedAt = Local(3, 3, 11), Steps = [Step("w1", "handle", 2, 3)] };
        var deniedEarly = approvedEarly with { Steps = [Step("w1", "handle", 2, 3, StepOutcome.Deny)] };

        Assert.Equal("case:9/step-out-of-order/end", Assert.Single(Alerts(approvedEarly, AlertKind.StepOutOfOrder)).Key);
        Assert.Empty(Alerts(deniedEarly, AlertKind.StepOutOfOrder));
    }

    [Fact]
    public void StepOrder_NextStepAfterADenial_Fires()
    {
        var facts = Facts() with { Workflow = PromisedSingle, Steps = [Step("w1", "handle", 2, 3, StepOutcome.Deny), Step("w2", "review", 3, null, null)] };

        Assert.Equal("w2", Assert.Single(Alerts(facts, AlertKind.StepOutOfOrder)).Item);
    }

    [Fact]
    public void StepOrder_ReturnAndReEntry_FollowsTheFlow()
    {
        var c = Accepted();
        Act(c, "承办", Officer(), Local(3, 3));
        Act(c, "审核", Officer("scjg-o2"), Local(3, 4), Outcome.Return, "请补充核查意见");
        Act(c, "承办", Officer(), Local(3, 5));
        Act(c, "审核", Officer("scjg-o2"), Local(3, 6));
        Act(c, "审批", Head(), Local(3, 9));

        Assert.Equal(CaseState.Approved, c.State);
        Assert.Empty(Alerts(CaseFacts.From(c, PromisedSingle), AlertKind.StepOutOfOrder, Local(3, 10)));
    }

    [Fact]
    public void StepOrder_JointCase_ParallelBranchesAndABranchDenial_FollowTheFlow()
    {
        var m = Joint();
        var approved = Accepted(m);
        Act(approved, "受理审查", Officer(), Local(3, 2, 14));
        Act(approved, "税务登记及发票申领", Officer("sw-o1", "SW"), Local(3, 3));
        Act(approved, "印章刻制备案", Officer("ga-o1", "GA"), Local(3, 3));
        Act(approved, "社保登记", Officer("rs-o1", "RS"), Local(3, 3));
        Act(approved, "住房公积金缴存登记", Officer("gjj-o1", "GJJ"), Local(3, 4));
        Act(approved, "办结", Officer(), Local(3, 4), opinion: "企业开办完成");
        var denied = Accepted(m);
        Act(denied, "受理审查", Officer(), Local(3, 2, 14));
        Act(denied, "税务登记及发票申领", Officer("sw-o1", "SW"), Local(3, 3));
        Act(denied, "印章刻制备案", Officer("ga-o1", "GA"), Local(3, 3, 15), Outcome.Deny, "印章样式不符合规定");

        Assert.Equal(CaseState.Approved, approved.State);
        Assert.Equal(CaseState.Denied, denied.State);
        Assert.Empty(Alerts(CaseFacts.From(approved, Flow(m.WorkflowId)), AlertKind.StepOutOfOrder, Local(3, 5)));
        Assert.Empty(Alerts(CaseFacts.From(denied, Flow(m.WorkflowId)), AlertKind.StepOutOfOrder, Local(3, 5)));

        // The same steps with the joint step left out: 办结 right after 受理审查 skips it.
        var skipped = CaseFacts.From(approved, Flow(m.WorkflowId));
        skipped = skipped with { Steps = [.. skipped.Steps.Where(s => s.StepId != "joint")] };
        Assert.Equal(skipped.Steps[1].WorkItemId, Assert.Single(Alerts(skipped, AlertKind.StepOutOfOrder, Local(3, 5))).WorkItemId);
    }

    [Fact]
    public void StepOrder_ShippedFlowsWalkedThroughTheAggregate_NeverFire()
    {
        var capital = Accepted(CapitalConstruction(), new Dictionary<string, string> { ["floorArea"] = "100" });
        Act(capital, "项目审批（核准、备案）", Officer("fg-o1", "FG"), Local(3, 3));
        Act(capital, "用地预审与选址意见、建设用地规划许可", Officer("zrzy-o1", "ZRZY"), Local(3, 4));
        Act(capital, "人防工程设计审查", Officer("rf-o1", "RF"), Local(3, 5));
        Act(capital, "防雷装置设计审核", Officer("qx-o1", "QX"), Local(3, 5));
        Act(capital, "施工许可", Head("ZJ"), Local(3, 6), opinion: "核发施工许可证");

        var countersign = Accepted(Countersign());
        Act(countersign, "承办", Officer(), Local(3, 3));
        var signatures = countersign.OpenSteps.ToList();
        countersign.Act(Flow("countersign-review"), signatures[0].WorkItemId, Outcome.Approve, "同意", null, Officer("scjg-o2"), Local(3, 4), Time);
        countersign.Act(Flow("countersign-review"), signatures[1].WorkItemId, Outcome.Approve, "同意", null, Officer("scjg-o3"), Local(3, 4), Time);
        Act(countersign, "审批", Head(), Local(3, 5), opinion: "准予");

        var immediate = Accepted(Immediate(), at: Local(3, 10, 9));
        Act(immediate, "窗口即办", Clerk, Local(3, 10, 9, 20), opinion: "当场办结");

        Case[] cases = [capital, countersign, immediate, InState(CaseState.Reported)];
        Assert.All(cases, c => Assert.NotNull(c.DecidedAt));
        Assert.All(cases, c => Assert.Empty(Alerts(CaseFacts.From(c, Flow(c.WorkflowId)), AlertKind.StepOutOfOrder, Local(3, 11))));
    }

    [Fact]
    public void Check_TwiceGivesTheSameKeys()
    {
        var facts = Facts(CaseState.NotAccepted) with { Refused = true, FeeCharged = 10m, LegalFee = 20m };

        var first = Rules.Check(facts, Local(3, 20)).Select(a => a.Key).ToList();
        var second = Rules.Check(facts, Local(3, 21)).Select(a => a.Key).ToList();

        Assert.Equal(["case:9/refusal-without-reason/refusal", "case:9/fee-mismatch/fee"], first);
        Assert.Equal(first, second);
    }
}
