using ApprovalSystem.Core.Cases;
using ApprovalSystem.Workflows;
using static ApprovalSystem.Core.Tests.Cases.CaseFixture;

namespace ApprovalSystem.Core.Tests.Cases;

/// <summary>Whole cases on the shipped workflow definitions.</summary>
public class CaseJourneyTests
{
    // ---- acceptance -----------------------------------------------------------------------------

    [Fact]
    public void Accept_StartsTheWorkflowAndThePromisedAndLegalClocks()
    {
        var c = Accepted();

        Assert.Equal(CaseState.Handling, c.State);
        Assert.Equal(Monday, c.AcceptedAt);
        Assert.Equal(Clerk.Name, c.AcceptedBy);
        Assert.Equal(1, c.WorkflowVersion);
        Assert.Equal(EndOf(3, 16), c.Promised.DueAt); // 10 working days
        Assert.Equal(EndOf(3, 30), c.Legal.DueAt); // 20 working days
        Assert.False(c.Review.IsRunning);
        var handle = Assert.Single(c.Steps);
        Assert.Equal(("handle", "承办", "SCJG", "Officer"), (handle.StepId, handle.Title, handle.Department, handle.Role));
        Assert.Equal(Monday, handle.OpenedAt);
        Assert.Equal(EndOf(3, 5), handle.Deadline.DueAt); // 3 working days
        Assert.Equal("handle", c.Instance().CurrentStepId);
    }

    [Fact]
    public void Accept_WithARequiredMaterialMissing_RecordsItForSupervision()
    {
        var c = Submitted(at: Monday.AddHours(-1));
        c.ReviewMaterials(["食品经营许可申请书"], Clerk, Monday.AddMinutes(-5));

        c.Accept(Flow("promised-single"), Clerk, Monday, Time);

        Assert.Equal("营业执照复印件", c.PendingRecords[^1].Data["missingRequired"]);
    }

    [Fact]
    public void Accept_WithEveryRequiredMaterial_RecordsNothingMissing()
    {
        var c = Accepted();

        Assert.DoesNotContain("missingRequired", c.PendingRecords.Single(r => r.Action == CaseTrigger.Accept).Data.Keys);
    }

    [Theory]
    [InlineData("01", "城关镇窗口审查")]
    [InlineData("1", "乡镇窗口审查")]
    [InlineData("010", "乡镇窗口审查")]
    public void ATextCondition_ComparesTheCodeAsTyped_LeadingZerosIncluded(string township, string expectedStep)
    {
        var definition = Assert.Single(new WorkflowLoader().LoadFromJson("by-township.json", """
            {
              "id": "by-township", "version": 1, "title": "按乡镇分流", "start": "town",
              "steps": [
                { "id": "town", "kind": "condition", "title": "是否城关镇", "field": "townshipCode", "operator": "==", "value": "01" },
                { "id": "seat", "kind": "task", "title": "城关镇窗口审查", "department": "$lead", "role": "Officer", "limitDays": 3, "writes": "seat", "outcomes": ["approve", "deny"] },
                { "id": "rural", "kind": "task", "title": "乡镇窗口审查", "department": "$lead", "role": "Officer", "limitDays": 3, "writes": "rural", "outcomes": ["approve", "deny"] },
                { "id": "approved", "kind": "end", "title": "准予许可", "result": "approved" },
                { "id": "denied", "kind": "end", "title": "不予许可", "result": "denied" }
              ],
              "connections": [
                { "from": "town", "outcome": "true", "to": "seat" },
                { "from": "town", "outcome": "false", "to": "rural" },
                { "from": "seat", "outcome": "approve", "to": "approved" },
                { "from": "seat", "outcome": "deny", "to": "denied" },
                { "from": "rural", "outcome": "approve", "to": "approved" },
                { "from": "rural", "outcome": "deny", "to": "denied" }
              ]
            }
            """).Definitions);
        var m = Matter(workflow: "by-township");
        var c = Submitted(m, form: new Dictionary<string, string> { ["townshipCode"] = township });
        c.ReviewMaterials(m.Materials.Select(x => x.Name).ToList(), Clerk, Monday);

        c.Accept(definition, Clerk, Monday, Time);

        Assert.Equal(expectedStep, Assert.Single(c.OpenSteps).Title);
    }

    [Fact]
    public void Accept_WhenTheFlowCannotStart_ThrowsACaseRuleAndLeavesTheCaseUnaccepted()
    {
        // A flow whose first step is a condition on a field the filing lacks cannot start.
        var definition = Assert.Single(new WorkflowLoader().LoadFromJson("size-first.json", """
            {
              "id": "size-first", "version": 1, "title": "按面积分流", "start": "large",
              "steps": [
                { "id": "large", "kind": "condition", "title": "面积是否超过300平方米", "field": "floorArea", "operator": ">", "value": 300 },
                { "id": "handle", "kind": "task", "title": "承办", "department": "$lead", "role": "Officer", "limitDays": 3, "writes": "handling", "outcomes": ["approve", "deny"] },
                { "id": "approved", "kind": "end", "title": "准予许可", "result": "approved" },
                { "id": "denied", "kind": "end", "title": "不予许可", "result": "denied" }
              ],
              "connections": [
                { "from": "large", "outcome": "true", "to": "handle" },
                { "from": "large", "outcome": "false", "to": "handle" },
                { "from": "handle", "outcome": "approve", "to": "approved" },
                { "from": "handle", "outcome": "deny", "to": "denied" }
              ]
            }
            """).Definitions);
        var c = Submitted(Matter(workflow: "size-first"));

        Assert.Throws<CaseRuleException>(() => c.Accept(definition, Clerk, Monday, Time));

        Assert.Equal(CaseState.PreAcceptance, c.State);
        Assert.Null(c.AcceptedAt);
        Assert.False(c.Promised.IsRunning);
        Assert.True(c.Review.IsRunning);
    }

    // ---- promised-single ------------------------------------------------------------------------

    [Fact]
    public void PromisedSingle_ApprovedAtEveryStep_EndsApprovedWithTheDecisionAndStoppedClocks()
    {
        var c = ApprovedPromisedSingle();

        Assert.Equal(CaseState.Approved, c.State);
        Assert.Equal(Local(3, 5), c.DecidedAt);
        Assert.Equal(Local(3, 5), c.ConcludedAt);
        Assert.Equal("准予许可", c.DecisionOpinion);
        Assert.Equal(["承办", "审核", "审批"], c.Steps.Select(s => s.Title));
        Assert.All(c.Steps, s => Assert.Equal(StepOutcome.Approve, s.Outcome));
        Assert.Empty(c.OpenSteps);
        Assert.All(c.Steps, s => Assert.False(s.Deadline.IsRunning));
        Assert.Equal([1, 1, 1], c.Steps.Select(s => s.UsedDays ?? -1)); // each step acted on the working day after it opened
        foreach (var clock in new[] { c.Promised, c.Legal, c.Review })
        {
            // Stopped for good, but the due moment stays for on-time statistics.
            Assert.False(clock.IsRunning);
            Assert.NotNull(clock.DueAt);
        }

        Assert.True(c.ConcludedAt <= c.Promised.DueAt, "concluded on time");

        Assert.Equal(3, c.Promised.UsedDays);
        Assert.Equal(3, c.Legal.UsedDays);
        Assert.True(c.Instance().IsCompleted);
    }

    [Fact]
    public void PromisedSingle_StepsRecordWhoActedWithWhichOpinion()
    {
        var c = ApprovedPromisedSingle();

        var review = c.Steps.Single(s => s.Title == "审核");
        Assert.Equal(("scjg-o2", "经办人scjg-o2", "同意承办意见", Local(3, 4)), (review.ActorId, review.ActorName, review.Opinion, review.ClosedAt));
        Assert.Equal(Head().UserId, c.Steps.Single(s => s.Title == "审批").ActorId);
    }

    [Fact]
    public void PromisedSingle_DeniedAtReview_EndsDenied()
    {
        var c = Accepted();
        Act(c, "承办", Officer(), Local(3, 3));

        Act(c, "审核", Officer("scjg-o2"), Local(3, 4), Outcome.Deny, "经营场所与申请不符");

        Assert.Equal(CaseState.Denied, c.State);
        Assert.Equal(Local(3, 4), c.DecidedAt);
        Assert.Equal("经营场所与申请不符", c.DecisionOpinion);
        Assert.Equal(StepOutcome.Deny, c.Steps.Single(s => s.Title == "审核").Outcome);
        Assert.DoesNotContain(c.Steps, s => s.Title == "审批");
        Assert.False(c.Promised.IsRunning);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void PromisedSingle_DenyWithoutAnOpinion_ThrowsAndLeavesTheStepOpen(string? opinion)
    {
        var c = Accepted();
        Act(c, "承办", Officer(), Local(3, 3));

        var e = Assert.Throws<CaseRuleException>(() => Act(c, "审核", Officer("scjg-o2"), Local(3, 4), Outcome.Deny, opinion));

        Assert.Equal("不同意必须填写理由", e.Message);
        Assert.Equal(CaseState.Handling, c.State);
        Assert.True(Open(c, "审核").IsOpen);
    }

    [Fact]
    public void PromisedSingle_OutcomeTheStepDoesNotOffer_ThrowsACaseRule()
    {
        var c = Accepted();

        var e = Assert.Throws<CaseRuleException>(() => Act(c, "承办", Officer(), Local(3, 3), Outcome.Return, "退回"));

        Assert.StartsWith("无法办理：", e.Message, StringComparison.Ordinal);
        Assert.True(Open(c, "承办").IsOpen);
    }

    [Fact]
    public void Act_WithAnotherWorkflowDefinition_Throws()
    {
        var c = Accepted();

        Assert.Throws<CaseRuleException>(() => c.Act(Flow("reported"), Open(c, "承办").WorkItemId, Outcome.Approve, "同意", null, Officer(), Local(3, 3), Time));
    }

    [Fact]
    public void Act_WritesTheSectionDataForLaterSteps()
    {
        var c = Accepted();

        c.Act(Flow("promised-single"), Open(c, "承办").WorkItemId, Outcome.Approve, "同意", new Dictionary<string, string> { ["checkResult"] = "符合法定条件" }, Officer(), Local(3, 3), Time);

        Assert.Equal("符合法定条件", c.Instance().Sections["handling"]["checkResult"]);
    }

    // ---- joint market entry -----------------------------------------------------------------------

    [Fact]
    public void JointMarketEntry_ParallelBranchesEachApprovedByTheirDepartment_ConcludeApproved()
    {
        var c = Accepted(Joint());
        Act(c, "受理审查", Officer(), Local(3, 2, 14));

        Assert.Equal(["GA", "GJJ", "RS", "SW"], c.OpenSteps.Select(s => s.Department).Order(StringComparer.Ordinal));
        Assert.All(c.OpenSteps, s => Assert.Equal("joint", s.StepId));
        Assert.Equal(EndOf(3, 4), Open(c, "住房公积金缴存登记").Deadline.DueAt); // branch limit 2 days
        Assert.Equal(EndOf(3, 3), Open(c, "印章刻制备案").Deadline.DueAt); // branch limit 1 day

        // A tax officer may not act on the police branch.
        Assert.Throws<CaseRuleException>(() => Act(c, "印章刻制备案", Officer("sw-o1", "SW"), Local(3, 3)));

        Act(c, "税务登记及发票申领", Officer("sw-o1", "SW"), Local(3, 3));
        Act(c, "印章刻制备案", Officer("ga-o1", "GA"), Local(3, 3));
        Act(c, "社保登记", Officer("rs-o1", "RS"), Local(3, 3));
        Assert.DoesNotContain(c.Steps, s => s.Title == "办结");
        Act(c, "住房公积金缴存登记", Officer("gjj-o1", "GJJ"), Local(3, 4));

        var conclude = Open(c, "办结");
        Assert.Equal("SCJG", conclude.Department);
        Act(c, "办结", Officer(), Local(3, 4), opinion: "企业开办完成");

        Assert.Equal(CaseState.Approved, c.State);
        Assert.Equal("企业开办完成", c.DecisionOpinion);
        Assert.Equal(6, c.Steps.Count);
        Assert.All(c.Steps, s => Assert.Equal(StepOutcome.Approve, s.Outcome));
    }

    [Fact]
    public void JointMarketEntry_OneBranchDenies_CancelsTheOtherBranchesAndEndsDenied()
    {
        var c = Accepted(Joint());
        Act(c, "受理审查", Officer(), Local(3, 2, 14));
        Act(c, "税务登记及发票申领", Officer("sw-o1", "SW"), Local(3, 3));

        Act(c, "印章刻制备案", Officer("ga-o1", "GA"), Local(3, 3, 15), Outcome.Deny, "印章样式不符合规定");

        Assert.Equal(CaseState.Denied, c.State);
        Assert.Empty(c.OpenSteps);
        Assert.Equal([StepOutcome.Cancelled, StepOutcome.Cancelled], c.Steps.Where(s => s.Department is "RS" or "GJJ").Select(s => s.Outcome));
        Assert.All(c.Steps.Where(s => s.Outcome == StepOutcome.Cancelled), s => Assert.Equal(Local(3, 3, 15), s.ClosedAt));
        Assert.All(c.Steps.Where(s => s.Outcome == StepOutcome.Cancelled), s => Assert.Equal(1, s.UsedDays));
    }

    // ---- capital construction ---------------------------------------------------------------------

    [Theory]
    [InlineData("500", new[] { "QX", "RF", "ZJ" }, "permits-with-fire")]
    [InlineData("100", new[] { "QX", "RF" }, "permits")]
    [InlineData("300", new[] { "QX", "RF" }, "permits")]
    public void CapitalConstruction_FloorArea_ChoosesThePermitBranchAndItsDepartments(string floorArea, string[] departments, string permitStep)
    {
        var c = Accepted(CapitalConstruction(), new Dictionary<string, string> { ["floorArea"] = floorArea, ["projectName"] = "云溪县综合楼" });
        Assert.Equal(["FG", "ZRZY"], c.OpenSteps.Select(s => s.Department).Order(StringComparer.Ordinal));

        Act(c, "项目审批（核准、备案）", Officer("fg-o1", "FG"), Local(3, 3));
        Act(c, "用地预审与选址意见、建设用地规划许可", Officer("zrzy-o1", "ZRZY"), Local(3, 4));

        Assert.Equal(departments, c.OpenSteps.Select(s => s.Department).Order(StringComparer.Ordinal));
        Assert.All(c.OpenSteps, s => Assert.Equal(permitStep, s.StepId));
    }

    [Fact]
    public void CapitalConstruction_SmallProject_ApprovedEndToEndWithoutFireReview()
    {
        var c = Accepted(CapitalConstruction(), new Dictionary<string, string> { ["floorArea"] = "100" });
        Act(c, "项目审批（核准、备案）", Officer("fg-o1", "FG"), Local(3, 3));
        Act(c, "用地预审与选址意见、建设用地规划许可", Officer("zrzy-o1", "ZRZY"), Local(3, 4));
        Act(c, "人防工程设计审查", Officer("rf-o1", "RF"), Local(3, 5));
        Act(c, "防雷装置设计审核", Officer("qx-o1", "QX"), Local(3, 5));

        Act(c, "施工许可", Head("ZJ"), Local(3, 6), opinion: "核发施工许可证");

        Assert.Equal(CaseState.Approved, c.State);
        Assert.DoesNotContain(c.Steps, s => s.Title == "消防设计审查");
        Assert.Equal(["FG", "ZRZY", "RF", "QX", "ZJ"], c.Steps.Select(s => s.Department));
    }

    // ---- immediate and reported -------------------------------------------------------------------

    [Fact]
    public void Immediate_AcceptedThenTheClerkActs_ApprovedTheSameDay()
    {
        var c = Accepted(Immediate(), at: Local(3, 10, 9));
        Assert.Equal(EndOf(3, 10), c.Promised.DueAt); // 0 days: the end of the acceptance day
        var window = Open(c, "窗口即办");
        Assert.Equal(("FWZX", "Clerk"), (window.Department, window.Role));
        Assert.Equal(EndOf(3, 10), window.Deadline.DueAt); // the window's step is due when its case is, not the next working day

        Act(c, "窗口即办", Clerk, Local(3, 10, 9, 20), opinion: "当场办结");

        Assert.Equal(CaseState.Approved, c.State);
        Assert.Equal(WorkingTime.LocalDate(c.AcceptedAt!.Value), WorkingTime.LocalDate(c.DecidedAt!.Value));
        Assert.Equal(0, c.Promised.UsedDays);
        Assert.Equal(0, window.UsedDays);
    }

    [Fact]
    public void Immediate_ClerkOfAnotherUnit_CannotAct()
    {
        var c = Accepted(Immediate(), at: Local(3, 10, 9));
        var townClerk = Clerk with { UserId = "clerk-9", Department = "XZ" };

        Assert.Throws<CaseRuleException>(() => Act(c, "窗口即办", townClerk, Local(3, 10, 9, 20)));
    }

    [Fact]
    public void Reported_ReviewedAndReportedUp_EndsReported()
    {
        var c = InState(CaseState.Reported);

        Assert.Equal(CaseState.Reported, c.State);
        Assert.Equal(Local(3, 4), c.ConcludedAt);
        Assert.False(c.Legal.IsRunning);

        c.Deliver("短信告知", Clerk, Local(3, 5));
        Assert.Equal(CaseState.Delivered, c.State);
    }

    // ---- countersign ------------------------------------------------------------------------------

    [Fact]
    public void Countersign_TwoOfThreeApprove_MovesOnAndCancelsTheThirdSignature()
    {
        var c = Accepted(Countersign());
        Act(c, "承办", Officer(), Local(3, 3));
        var signatures = c.OpenSteps.ToList();
        Assert.Equal(3, signatures.Count);
        Assert.All(signatures, s => Assert.Equal("countersign", s.StepId));

        c.Act(Flow("countersign-review"), signatures[0].WorkItemId, Outcome.Approve, "同意", null, Officer("scjg-o2"), Local(3, 4), Time);
        c.Act(Flow("countersign-review"), signatures[1].WorkItemId, Outcome.Approve, "同意", null, Officer("scjg-o3"), Local(3, 4), Time);

        Assert.Equal(StepOutcome.Cancelled, signatures[2].Outcome);
        Assert.Equal("审批", Assert.Single(c.OpenSteps).Title);
        Act(c, "审批", Head(), Local(3, 5), opinion: "准予");
        Assert.Equal(CaseState.Approved, c.State);
    }

    [Fact]
    public void Countersign_TheSameOfficerSigningTwice_Throws()
    {
        var c = Accepted(Countersign());
        Act(c, "承办", Officer(), Local(3, 3));
        var signatures = c.OpenSteps.ToList();
        c.Act(Flow("countersign-review"), signatures[0].WorkItemId, Outcome.Approve, "同意", null, Officer("scjg-o2"), Local(3, 4), Time);

        Assert.Throws<CaseRuleException>(() =>
            c.Act(Flow("countersign-review"), signatures[1].WorkItemId, Outcome.Approve, "同意", null, Officer("scjg-o2"), Local(3, 4), Time));
        Assert.True(signatures[1].IsOpen);
    }

    [Fact]
    public void Countersign_TwoOfThreeDeny_EndsDenied()
    {
        var c = Accepted(Countersign());
        Act(c, "承办", Officer(), Local(3, 3));
        var signatures = c.OpenSteps.ToList();

        c.Act(Flow("countersign-review"), signatures[0].WorkItemId, Outcome.Deny, "不符合条件", null, Officer("scjg-o2"), Local(3, 4), Time);
        Assert.Equal(CaseState.Handling, c.State);
        c.Act(Flow("countersign-review"), signatures[1].WorkItemId, Outcome.Deny, "不符合条件", null, Officer("scjg-o3"), Local(3, 4), Time);

        Assert.Equal(CaseState.Denied, c.State);
        Assert.Equal(StepOutcome.Cancelled, signatures[2].Outcome);
    }

    // ---- return and re-entry ----------------------------------------------------------------------

    [Fact]
    public void Return_AtReview_ClosesItAndReopensHandleWithAReArmedDeadline()
    {
        var c = Accepted();
        Act(c, "承办", Officer(), Local(3, 3, 9), opinion: "材料真实");
        var firstHandle = c.Steps[0];
        var review = Open(c, "审核");
        var returnedAt = Local(3, 6, 11);

        Act(c, "审核", Officer("scjg-o2"), returnedAt, Outcome.Return, "现场照片不清晰，请补拍");

        Assert.False(review.IsOpen);
        Assert.Equal(StepOutcome.Return, review.Outcome);
        var again = Open(c, "承办");
        Assert.Equal(2, again.EntryCount);
        Assert.NotEqual(firstHandle.WorkItemId, again.WorkItemId);
        Assert.Equal(returnedAt, again.OpenedAt);
        Assert.Equal(returnedAt, again.Deadline.RunningSince);
        Assert.Equal(0, again.Deadline.UsedDays);
        Assert.Equal(EndOf(3, 11), again.Deadline.DueAt); // 3 working days after Fri 6 Mar: Mon 9, Tue 10, Wed 11
        Assert.Equal(CaseState.Handling, c.State);
    }

    [Fact]
    public void Return_KeepsTheFirstHandleStepsClosedRecord()
    {
        var c = Accepted();
        Act(c, "承办", Officer(), Local(3, 3, 9), opinion: "材料真实");

        Act(c, "审核", Officer("scjg-o2"), Local(3, 6, 11), Outcome.Return, "现场照片不清晰，请补拍");

        var first = c.Steps[0];
        Assert.Equal(("承办", 1, (StepOutcome?)StepOutcome.Approve, "材料真实", "scjg-o1", (DateTimeOffset?)Local(3, 3, 9), (int?)1),
            (first.Title, first.EntryCount, first.Outcome, first.Opinion, first.ActorId, first.ClosedAt, first.UsedDays));
        Assert.Equal(3, c.Steps.Count);
        Assert.Equal(["承办", "审核", "承办"], c.Steps.Select(s => s.Title));
    }

    [Fact]
    public void Return_WithoutAReason_Throws()
    {
        var c = Accepted();
        Act(c, "承办", Officer(), Local(3, 3));

        var e = Assert.Throws<CaseRuleException>(() => Act(c, "审核", Officer("scjg-o2"), Local(3, 4), Outcome.Return, " "));

        Assert.Equal("退回必须说明原因", e.Message);
    }

    [Fact]
    public void Return_ThenApprovedAgain_GoesOnToReviewAndApproval()
    {
        var c = Accepted();
        Act(c, "承办", Officer(), Local(3, 3));
        Act(c, "审核", Officer("scjg-o2"), Local(3, 4), Outcome.Return, "请补拍照片");

        Act(c, "承办", Officer(), Local(3, 5), opinion: "已补拍");
        var secondReview = Open(c, "审核");
        Assert.Equal(2, secondReview.EntryCount);
        Act(c, "审核", Officer("scjg-o2"), Local(3, 5));
        Act(c, "审批", Head(), Local(3, 6), opinion: "准予许可");

        Assert.Equal(CaseState.Approved, c.State);
        Assert.Equal(["承办", "审核", "承办", "审核", "审批"], c.Steps.Select(s => s.Title));
    }

    [Fact]
    public void Return_AtApproval_ReopensReview()
    {
        var c = Accepted();
        Act(c, "承办", Officer(), Local(3, 3));
        Act(c, "审核", Officer("scjg-o2"), Local(3, 4));

        Act(c, "审批", Head(), Local(3, 5), Outcome.Return, "请核实经营面积");

        Assert.Equal("审核", Assert.Single(c.OpenSteps).Title);
        Assert.Equal(2, Open(c, "审核").EntryCount);
    }
}
