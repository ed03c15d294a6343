using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Workflows;
using static ApprovalSystem.Core.Tests.Cases.CaseFixture;

namespace ApprovalSystem.Core.Tests.Cases;

/// <summary>Who may do what: roles, departments, claims and the filer.</summary>
public class CaseActorRulesTests
{
    public static TheoryData<string> NotClerks() => new() { "applicant", "agent", "officer", "head", "supervisor" };

    private static CaseActor Someone(string who) => who switch
    {
        "applicant" => Applicant,
        "agent" => Agent,
        "officer" => Officer(),
        "head" => Head(),
        "supervisor" => Supervisor,
        _ => throw new ArgumentOutOfRangeException(nameof(who)),
    };

    // ---- filing ---------------------------------------------------------------------------------

    [Fact]
    public void Draft_ByAnApplicant_RecordsTheOwnerAndTheOnlineChannel()
    {
        var c = Drafted(filer: Applicant);

        Assert.Equal(CaseChannel.Online, c.Channel);
        Assert.Equal(Applicant.UserId, c.OwnerUserId);
        Assert.Null(c.AgentUserId);
        Assert.Null(c.StationCode);
        Assert.Equal(Applicant.UserId, c.CreatedBy);
        Assert.Equal(CaseState.Draft, c.State);
    }

    [Fact]
    public void Draft_ByAnAgent_RecordsTheAgentTheStationAndTheAgentChannel()
    {
        var c = Drafted(filer: Agent);

        Assert.Equal(CaseChannel.Agent, c.Channel);
        Assert.Equal(Agent.UserId, c.AgentUserId);
        Assert.Equal(Agent.Name, c.AgentName);
        Assert.Equal("ST-XIAN", c.StationCode);
        Assert.Null(c.OwnerUserId);
        var record = Assert.Single(c.PendingRecords);
        Assert.Equal("ST-XIAN", record.Data["station"]);
        Assert.Equal("Agent", record.Data["channel"]);
    }

    [Fact]
    public void Draft_ByAClerk_IsAWindowFiling()
    {
        var c = Drafted(filer: Clerk);

        Assert.Equal(CaseChannel.Window, c.Channel);
        Assert.Null(c.OwnerUserId);
        Assert.Null(c.AgentUserId);
    }

    [Theory]
    [InlineData("officer")]
    [InlineData("head")]
    [InlineData("supervisor")]
    public void Draft_BySomeoneWhoDoesNotFile_Throws(string who)
    {
        Assert.Throws<CaseRuleException>(() => Drafted(filer: Someone(who)));
    }

    [Fact]
    public void Draft_CopiesTheMattersChecklistAndLimits()
    {
        var c = Drafted();

        Assert.Equal(["食品经营许可申请书", "营业执照复印件", "授权委托书"], c.Materials.Select(m => m.Name));
        Assert.Equal([true, true, false], c.Materials.Select(m => m.Required));
        Assert.All(c.Materials, m => Assert.False(m.Received));
        Assert.Equal((20, 10, "SCJG", "promised-single"), (c.LegalLimitDays, c.PromisedLimitDays, c.LeadDepartment, c.WorkflowId));
    }

    [Fact]
    public void Submit_ByAnotherApplicant_Throws()
    {
        var c = Drafted();

        Assert.Throws<CaseRuleException>(() => c.Submit("N", "Q", OtherApplicant, Monday, Time));
        Assert.Equal(CaseState.Draft, c.State);
    }

    [Fact]
    public void Submit_ByTheFiler_StartsTheFiveDayReviewClock()
    {
        var c = Drafted();

        c.Submit("330799-20260302-0001", "Q7K2", Applicant, Monday, Time);

        Assert.Equal(CaseState.PreAcceptance, c.State);
        Assert.Equal(("330799-20260302-0001", "Q7K2"), (c.Number, c.QueryCode));
        Assert.Equal(Monday, c.SubmittedAt);
        Assert.Equal(EndOf(3, 9), c.Review.DueAt);
    }

    // ---- the window -------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(NotClerks))]
    public void Accept_BySomeoneOtherThanAClerk_Throws(string who)
    {
        var c = Submitted();

        Assert.Throws<CaseRuleException>(() => c.Accept(Flow("promised-single"), Someone(who), Monday, Time));
        Assert.Equal(CaseState.PreAcceptance, c.State);
    }

    [Theory]
    [MemberData(nameof(NotClerks))]
    public void Refuse_BySomeoneOtherThanAClerk_Throws(string who)
    {
        var c = Submitted();

        Assert.Throws<CaseRuleException>(() => c.Refuse("不符合条件", Someone(who), Monday, Time));
        Assert.Equal(CaseState.PreAcceptance, c.State);
    }

    [Theory]
    [MemberData(nameof(NotClerks))]
    public void RequestSupplement_BySomeoneOtherThanAClerk_Throws(string who)
    {
        var c = Submitted();

        Assert.Throws<CaseRuleException>(() => c.RequestSupplement(["营业执照复印件"], Someone(who), Monday, Time));
        Assert.Equal(CaseState.PreAcceptance, c.State);
    }

    [Theory]
    [MemberData(nameof(NotClerks))]
    public void ReviewMaterials_BySomeoneOtherThanAClerk_Throws(string who)
    {
        var c = Submitted();

        Assert.Throws<CaseRuleException>(() => c.ReviewMaterials(["营业执照复印件"], Someone(who), Monday));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Refuse_WithoutAReason_Throws(string reason)
    {
        var c = Submitted();

        var e = Assert.Throws<CaseRuleException>(() => c.Refuse(reason, Clerk, Monday, Time));

        Assert.Equal("不予受理必须说明理由", e.Message);
        Assert.Equal(CaseState.PreAcceptance, c.State);
    }

    [Fact]
    public void Refuse_WithAReason_ConcludesNotAcceptedAndKeepsTheTrimmedReason()
    {
        var c = Submitted();

        c.Refuse("  不属于本部门职权范围 ", Clerk, Monday, Time);

        Assert.Equal(CaseState.NotAccepted, c.State);
        Assert.Equal("不属于本部门职权范围", c.RefusalReason);
        Assert.Equal(Monday, c.ConcludedAt);
        Assert.False(c.Review.IsRunning);
    }

    [Fact]
    public void RequestSupplement_WithAnEmptyList_Throws()
    {
        var c = Submitted();

        Assert.Throws<CaseRuleException>(() => c.RequestSupplement([], Clerk, Monday, Time));
        Assert.Throws<CaseRuleException>(() => c.RequestSupplement(["", "  "], Clerk, Monday, Time));
        Assert.Equal(CaseState.PreAcceptance, c.State);
    }

    [Fact]
    public void RequestSupplement_ListsEveryItemOnceTrimmed()
    {
        var c = Submitted();

        c.RequestSupplement([" 营业执照复印件", "营业执照复印件 ", "申请书未签字"], Clerk, Monday, Time);

        Assert.Equal(["营业执照复印件", "申请书未签字"], c.SupplementItems);
        Assert.Equal(CaseState.SupplementRequested, c.State);
        Assert.Equal(Monday, c.SupplementRequestedAt);
    }

    [Fact]
    public void Accept_WithAnotherMattersWorkflow_Throws()
    {
        var c = Submitted();

        Assert.Throws<CaseRuleException>(() => c.Accept(Flow("immediate"), Clerk, Monday, Time));
        Assert.Equal(CaseState.PreAcceptance, c.State);
    }

    // ---- departments and claims -------------------------------------------------------------------

    [Fact]
    public void Claim_ByAnOfficerOfAnotherDepartment_Throws()
    {
        var c = Accepted();
        var item = Open(c, "承办");

        Assert.Throws<CaseRuleException>(() => c.Claim(item.WorkItemId, Officer("sw-o1", "SW"), Local(3, 3)));
        Assert.Null(item.AssigneeId);
    }

    [Fact]
    public void Act_ByAnOfficerOfAnotherDepartment_Throws()
    {
        var c = Accepted();

        Assert.Throws<CaseRuleException>(() => Act(c, "承办", Officer("sw-o1", "SW"), Local(3, 3)));
        Assert.True(Open(c, "承办").IsOpen);
    }

    [Fact]
    public void Act_ByAnOfficerOnTheHeadsStep_Throws()
    {
        var c = Accepted();
        Act(c, "承办", Officer(), Local(3, 3));
        Act(c, "审核", Officer("scjg-o2"), Local(3, 3));

        Assert.Throws<CaseRuleException>(() => Act(c, "审批", Officer("scjg-o3"), Local(3, 4)));
        Assert.Equal(CaseState.Handling, c.State);
    }

    [Fact]
    public void Claim_ByAnOfficerOfTheDepartment_SetsTheAssignee()
    {
        var c = Accepted();
        var item = Open(c, "承办");

        c.Claim(item.WorkItemId, Officer(), Local(3, 3));

        Assert.Equal(("scjg-o1", "经办人scjg-o1"), (item.AssigneeId, item.AssigneeName));
    }

    [Fact]
    public void Claim_AStepAnotherOfficerClaimed_Throws()
    {
        var c = Accepted();
        var item = Open(c, "承办");
        c.Claim(item.WorkItemId, Officer(), Local(3, 3));

        Assert.Throws<CaseRuleException>(() => c.Claim(item.WorkItemId, Officer("scjg-o2"), Local(3, 3)));
        Assert.Equal("scjg-o1", item.AssigneeId);
    }

    [Fact]
    public void Act_OnAStepClaimedByAnotherOfficer_Throws()
    {
        var c = Accepted();
        var item = Open(c, "承办");
        c.Claim(item.WorkItemId, Officer(), Local(3, 3));

        Assert.Throws<CaseRuleException>(() => Act(c, "承办", Officer("scjg-o2"), Local(3, 3)));
        Assert.True(item.IsOpen);
    }

    [Fact]
    public void Act_OnAClosedStep_ThrowsNamingWhoActed()
    {
        var c = Accepted();
        var handle = Open(c, "承办");
        Act(c, "承办", Officer(), Local(3, 3, 9));

        var e = Assert.Throws<CaseRuleException>(() =>
            c.Act(Flow("promised-single"), handle.WorkItemId, Outcome.Approve, "同意", null, Officer("scjg-o2"), Local(3, 3), Time));

        Assert.Contains("经办人scjg-o1", e.Message, StringComparison.Ordinal);
        Assert.Contains("2026-03-03 09:00", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assign_ByTheHeadOfTheItemsDepartment_SetsTheAssignee()
    {
        var c = Accepted();
        var item = Open(c, "承办");
        c.Claim(item.WorkItemId, Officer(), Local(3, 3));

        c.Assign(item.WorkItemId, "scjg-o2", "经办人scjg-o2", "SCJG", Head(), Local(3, 3));

        Assert.Equal(("scjg-o2", "经办人scjg-o2"), (item.AssigneeId, item.AssigneeName));
        Assert.Equal("经办人scjg-o1", c.PendingRecords[^1].Data["from"]);
    }

    [Fact]
    public void Assign_ThenOnlyTheAssigneeActs()
    {
        var c = Accepted();
        var item = Open(c, "承办");
        c.Assign(item.WorkItemId, "scjg-o2", "经办人scjg-o2", "SCJG", Head(), Local(3, 3));

        Assert.Throws<CaseRuleException>(() => Act(c, "承办", Officer(), Local(3, 3)));
        Act(c, "承办", Officer("scjg-o2"), Local(3, 3));

        Assert.Equal("scjg-o2", item.ActorId);
    }

    [Fact]
    public void Assign_ByTheHeadOfAnotherDepartment_Throws()
    {
        var c = Accepted();
        var item = Open(c, "承办");

        Assert.Throws<CaseRuleException>(() => c.Assign(item.WorkItemId, "sw-o1", "经办人sw-o1", "SW", Head("SW"), Local(3, 3)));
        Assert.Null(item.AssigneeId);
    }

    [Fact]
    public void Assign_ByAnOfficer_Throws()
    {
        var c = Accepted();
        var item = Open(c, "承办");

        Assert.Throws<CaseRuleException>(() => c.Assign(item.WorkItemId, "scjg-o2", "经办人scjg-o2", "SCJG", Officer(), Local(3, 3)));
    }

    [Fact]
    public void Assign_ToAnOfficerOfAnotherDepartment_Throws()
    {
        var c = Accepted();
        var item = Open(c, "承办");

        Assert.Throws<CaseRuleException>(() => c.Assign(item.WorkItemId, "sw-o1", "经办人sw-o1", "SW", Head(), Local(3, 3)));
        Assert.Null(item.AssigneeId);
    }

    [Fact]
    public void DepartmentHead_WhoClaimsAnOfficerStep_CanActOnIt()
    {
        // The aggregate lets a head take an officer's step that no head's step is kept apart from (Claim passes); having
        // claimed it, the head must be able to act, otherwise the step is stuck: nobody else may act on a claimed step.
        var c = Accepted(Joint());
        var item = Open(c, "受理审查");
        c.Claim(item.WorkItemId, Head(), Local(3, 3), Flow(c.WorkflowId));

        Act(c, "受理审查", Head(), Local(3, 3));

        Assert.Equal(StepOutcome.Approve, item.Outcome);
        Assert.Contains(c.OpenSteps, s => s.Department == "SW");
    }

    // ---- extension and withdrawal -----------------------------------------------------------------

    [Fact]
    public void AnswerExtension_ByTheHeadOfAnotherDepartment_Throws()
    {
        var c = Accepted();
        c.RequestExtension("需补充调查", Officer(), Local(3, 3), 10);

        Assert.Throws<CaseRuleException>(() => c.AnswerExtension(true, "同意", Head("SW"), Local(3, 4), Time));
        Assert.Null(Assert.Single(c.Extensions).Approved);
    }

    [Fact]
    public void AnswerExtension_ByAnOfficerOfTheLeadDepartment_Throws()
    {
        var c = Accepted();
        c.RequestExtension("需补充调查", Officer(), Local(3, 3), 10);

        var e = Assert.Throws<CaseRuleException>(() => c.AnswerExtension(true, "同意", Officer("scjg-o2"), Local(3, 4), Time));

        Assert.Equal("延期须由主办部门负责人批准", e.Message);
    }

    [Fact]
    public void AnswerExtension_ByTheHeadOfTheLeadDepartment_RecordsTheAnswer()
    {
        var c = Accepted();
        c.RequestExtension("需补充调查", Officer(), Local(3, 3), 10);

        c.AnswerExtension(false, "理由不充分", Head(), Local(3, 4), Time);

        var answered = Assert.Single(c.Extensions);
        Assert.Equal((false, Local(3, 4), Head().Name), (answered.Approved, answered.AnsweredAt, answered.AnsweredBy));
    }

    [Fact]
    public void RequestExtension_BySomeoneOutsideTheHandlingDepartments_Throws()
    {
        var c = Accepted();

        Assert.Throws<CaseRuleException>(() => c.RequestExtension("需补充调查", Officer("sw-o1", "SW"), Local(3, 3), 10));
        Assert.Throws<CaseRuleException>(() => c.RequestExtension("需补充调查", Clerk, Local(3, 3), 10));
        Assert.Empty(c.Extensions);
    }

    [Fact]
    public void RequestExtension_WithoutAReason_Throws()
    {
        var c = Accepted();

        Assert.Throws<CaseRuleException>(() => c.RequestExtension(" ", Officer(), Local(3, 3), 10));
    }

    [Theory]
    [InlineData("applicant-other")]
    [InlineData("clerk")]
    [InlineData("agent")]
    [InlineData("officer")]
    public void Withdraw_BySomeoneOtherThanTheFiler_Throws(string who)
    {
        var c = Accepted();
        var actor = who switch
        {
            "applicant-other" => OtherApplicant,
            "clerk" => Clerk,
            "agent" => Agent,
            _ => Officer(),
        };

        Assert.Throws<CaseRuleException>(() => c.Withdraw("不要了", actor, Local(3, 3), Time));
        Assert.Equal(CaseState.Handling, c.State);
    }

    [Fact]
    public void Withdraw_ByTheFilerWhileHandling_CancelsOpenStepsAndStopsTheClocks()
    {
        var c = Accepted();

        c.Withdraw("不再需要", Applicant, Local(3, 4), Time);

        Assert.Equal(CaseState.Withdrawn, c.State);
        Assert.Equal(Local(3, 4), c.ConcludedAt);
        Assert.Empty(c.OpenSteps);
        var step = Assert.Single(c.Steps);
        Assert.Equal(StepOutcome.Cancelled, step.Outcome);
        Assert.Equal(2, step.UsedDays); // opened Monday 2 March; Tuesday and Wednesday counted
        Assert.False(step.Deadline.IsRunning);
        Assert.False(c.Promised.IsRunning);
        Assert.False(c.Legal.IsRunning);
        Assert.NotNull(c.Legal.DueAt);
    }

    [Fact]
    public void Withdraw_ByAnAgentOfTheFilingStation_Withdraws()
    {
        var c = Submitted(filer: Agent);
        var colleague = new CaseActor("agent-2", "刘代办", [Roles.Agent], Station: "ST-XIAN");

        c.Withdraw("居民放弃申请", colleague, Monday, Time);

        Assert.Equal(CaseState.Withdrawn, c.State);
    }

    [Fact]
    public void Withdraw_ByAnAgentOfAnotherStation_Throws()
    {
        var c = Submitted(filer: Agent);
        var stranger = new CaseActor("agent-9", "外站代办", [Roles.Agent], Station: "ST-OTHER");

        Assert.Throws<CaseRuleException>(() => c.Withdraw("放弃", stranger, Monday, Time));
    }

    [Fact]
    public void Withdraw_WalkInFiling_ByAClerk_Withdraws()
    {
        var c = Submitted(filer: Clerk);

        c.Withdraw("申请人当场撤回", Clerk, Monday, Time);

        Assert.Equal(CaseState.Withdrawn, c.State);
    }

    // ---- visibility -------------------------------------------------------------------------------

    [Fact]
    public void IsVisibleTo_OwnerWindowSupervisionAndDepartmentsWithASteps_NotOthers()
    {
        var c = Accepted(Joint());
        Act(c, "受理审查", Officer(), Local(3, 3));

        Assert.True(c.IsVisibleTo(Applicant));
        Assert.True(c.IsVisibleTo(Clerk));
        Assert.True(c.IsVisibleTo(Supervisor));
        Assert.True(c.IsVisibleTo(Officer("sw-o1", "SW")));
        Assert.False(c.IsVisibleTo(OtherApplicant));
        Assert.False(c.IsVisibleTo(Officer("zj-o1", "ZJ")));
        Assert.False(c.IsVisibleTo(Agent));
    }

    // ---- separation of duties 不相容岗位分离 -------------------------------------------------------

    [Fact]
    public void Review_ByTheOfficerWhoHandledTheCase_IsRefused_AnotherOfficerReviews()
    {
        var c = Accepted();
        Act(c, "承办", Officer(), Local(3, 3));

        var e = Assert.Throws<CaseRuleException>(() => Act(c, "审核", Officer(), Local(3, 4)));

        Assert.Equal("不相容岗位分离：您已办理本件的“承办”环节，“审核”须由其他工作人员办理", e.Message);
        Assert.True(Open(c, "审核").IsOpen);
        Act(c, "审核", Officer("scjg-o2"), Local(3, 4));
        Assert.Equal(StepOutcome.Approve, c.Steps.Single(s => s.Title == "审核").Outcome);
    }

    [Fact]
    public void AHead_DoesNotTakeTheReviewThatTheirOwnApprovalIsKeptApartFrom_ByClaimActOrAssignment()
    {
        // The head who did the 审核 could not do the 审批, and the case would wait for ever (found by the county-year simulation).
        var c = Accepted();
        var flow = Flow(c.WorkflowId);
        Act(c, "承办", Officer(), Local(3, 3));
        var review = Open(c, "审核");

        Assert.Equal("审批", c.SeparationConflict(flow, review, Head().UserId, isHead: true));
        var claim = Assert.Throws<CaseRuleException>(() => c.Claim(review.WorkItemId, Head(), Local(3, 4), flow));
        Assert.Equal("不相容岗位分离：“审批”由部门负责人办理并须与“审核”分离，“审核”须由经办人员办理", claim.Message);
        Assert.Throws<CaseRuleException>(() => c.Assign(review.WorkItemId, Head().UserId, Head().Name, "SCJG", Head(), Local(3, 4), flow, assigneeIsHead: true));
        Assert.Throws<CaseRuleException>(() => Act(c, "审核", Head(), Local(3, 4)));
        Assert.Null(review.AssigneeId);

        // An officer reviews; the head then approves, and may not assign the approval to the handler.
        Act(c, "审核", Officer("scjg-o2"), Local(3, 4));
        var approval = Open(c, "审批");
        Assert.Null(c.SeparationConflict(flow, approval, Head().UserId, isHead: true));
        var assign = Assert.Throws<CaseRuleException>(() => c.Assign(approval.WorkItemId, Officer().UserId, Officer().Name, "SCJG", Head(), Local(3, 4), flow));
        Assert.Contains("经办人scjg-o1已办理本件的“承办”环节", assign.Message, StringComparison.Ordinal);
        Act(c, "审批", Head(), Local(3, 5));
    }

    [Fact]
    public void AfterAReturn_TheStandingPassCounts_SoTwoOfficersAndAHeadCanFinishTheCase()
    {
        // The strict rule (every earlier pass counts) left a department of two officers with nobody for the 审核 after
        // one return: found by the county-year simulation.
        var c = Accepted();
        var flow = Flow(c.WorkflowId);
        Act(c, "承办", Officer(), Local(3, 3));
        Act(c, "审核", Officer("scjg-o2"), Local(3, 4), Outcome.Return, "核查情况不清，请补充");
        Act(c, "承办", Officer("scjg-o2"), Local(3, 5)); // re-entered: the reviewer handles it this time

        // The second handler may not review their own 承办; the first handler, whose pass was superseded, may.
        var refused = Assert.Throws<CaseRuleException>(() => Act(c, "审核", Officer("scjg-o2"), Local(3, 6)));
        Assert.Contains("已办理本件的“承办”环节", refused.Message, StringComparison.Ordinal);
        Assert.Null(c.SeparationConflict(flow, Open(c, "审核"), Officer().UserId));
        Act(c, "审核", Officer(), Local(3, 6));
        Act(c, "审批", Head(), Local(3, 7));
        Assert.Equal(CaseState.Approved, c.State);
    }

    [Fact]
    public void AStepWithoutDistinctFrom_MayBeTakenByAnyone()
    {
        var c = Accepted(Countersign());
        var flow = Flow(c.WorkflowId);
        var handle = Open(c, "承办");

        Assert.Null(c.SeparationConflict(flow, handle, Officer().UserId));
        c.Claim(handle.WorkItemId, Officer(), Local(3, 3), flow);
        Assert.Equal(Officer().UserId, handle.AssigneeId);
    }

    // ---- the journal of a draft -----------------------------------------------------------------

    [Fact]
    public void SavingADraft_JournalsWhatChanged_ValueByValue_WithIdentityNumbersMasked()
    {
        var c = Drafted(filer: Applicant, form: new Dictionary<string, string> { ["unitName"] = "云溪县䶮记小吃店", ["legalRepId"] = "330799198503120016" });
        var created = c.PendingRecords[^1].Data["form"]!;
        Assert.Contains("云溪县䶮记小吃店", created, StringComparison.Ordinal);
        Assert.Contains("3307**********0016", created, StringComparison.Ordinal);
        Assert.DoesNotContain("330799198503120016", created, StringComparison.Ordinal);

        c.UpdateDraft(new Dictionary<string, string> { ["unitName"] = "云溪县䶮记餐饮店", ["contactPhone"] = "13812345678" }, c.Applicant, Applicant, Local(3, 3));

        var saved = c.PendingRecords[^1];
        Assert.Equal(CaseTrigger.SaveDraft, saved.Action);
        var changed = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(saved.Data["changed"]!)!;
        Assert.Equal(new Dictionary<string, string> { ["unitName"] = "云溪县䶮记餐饮店", ["contactPhone"] = "138****5678" }, changed);
        Assert.Equal("legalRepId", saved.Data["removed"]);
        Assert.Equal("2", saved.Data["fields"]);
    }
}
