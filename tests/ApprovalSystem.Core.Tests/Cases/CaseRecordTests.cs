using ApprovalSystem.Core.Cases;
using ApprovalSystem.Workflows;
using static ApprovalSystem.Core.Tests.Cases.CaseFixture;

namespace ApprovalSystem.Core.Tests.Cases;

/// <summary>Every act leaves a record 全程留痕 for the journal.</summary>
public class CaseRecordTests
{
    [Fact]
    public void PendingRecords_SmallApprovedJourney_OneRecordPerActInOrder()
    {
        var c = ApprovedPromisedSingle();

        Assert.Collection(
            c.PendingRecords,
            r => Assert.Equal((CaseTrigger.SaveDraft, CaseState.Draft, CaseState.Draft, Applicant), (r.Action, r.From, r.To, r.Actor)),
            r => Assert.Equal((CaseTrigger.Submit, CaseState.Draft, CaseState.PreAcceptance, Applicant), (r.Action, r.From, r.To, r.Actor)),
            r => Assert.Equal((CaseTrigger.Review, CaseState.PreAcceptance, CaseState.PreAcceptance, Clerk), (r.Action, r.From, r.To, r.Actor)),
            r => Assert.Equal((CaseTrigger.Accept, CaseState.PreAcceptance, CaseState.Handling, Clerk), (r.Action, r.From, r.To, r.Actor)),
            r => Assert.Equal((CaseTrigger.ActOnTask, CaseState.Handling, CaseState.Handling, "材料真实，符合条件"), (r.Action, r.From, r.To, r.Opinion)),
            r => Assert.Equal((CaseTrigger.ActOnTask, CaseState.Handling, CaseState.Handling, "同意承办意见"), (r.Action, r.From, r.To, r.Opinion)),
            r => Assert.Equal((CaseTrigger.ActOnTask, CaseState.Handling, CaseState.Handling, "准予许可"), (r.Action, r.From, r.To, r.Opinion)),
            r => Assert.Equal((CaseTrigger.ActOnTask, CaseState.Handling, CaseState.Approved, "准予许可"), (r.Action, r.From, r.To, r.Opinion)));
        Assert.Equal(c.PendingRecords.Count, c.Version);
    }

    [Fact]
    public void PendingRecords_ActOnAStep_RecordsTheActorTimeStepAndOutcome()
    {
        var c = Accepted();
        c.ClearPendingRecords();

        c.Act(Flow("promised-single"), Open(c, "承办").WorkItemId, Outcome.Approve, "材料真实", new Dictionary<string, string> { ["checkResult"] = "符合法定条件" },
            Officer(), Local(3, 3, 15), Time);

        var r = Assert.Single(c.PendingRecords);
        Assert.Equal(Officer().UserId, r.Actor.UserId);
        Assert.Equal(Local(3, 3, 15), r.At);
        Assert.Equal("材料真实", r.Opinion);
        Assert.Equal("承办", r.Data["step"]);
        Assert.Equal("wi-1", r.Data["workItem"]);
        Assert.Equal("approve", r.Data["outcome"]);
        Assert.Contains("checkResult", r.Data["data"], StringComparison.Ordinal);
    }

    [Fact]
    public void PendingRecords_Conclusion_RecordsTheResultAndThePromisedDaysUsed()
    {
        var c = ApprovedPromisedSingle();

        var last = c.PendingRecords[^1];
        Assert.Equal(Head().UserId, last.Actor.UserId);
        Assert.Equal("approved", last.Data["result"]);
        Assert.Equal("3", last.Data["promisedUsedDays"]);
    }

    [Fact]
    public void PendingRecords_ConclusionAfterThePromisedLimit_RecordsEveryWorkingDayUsed()
    {
        // Promised 3 days from Mon 2 Mar; decided Tue 10 Mar after 6 working days: the record must show 6, not 3.
        var c = Accepted(Matter(promised: 3));
        Act(c, "承办", Officer(), Local(3, 3));
        Act(c, "审核", Officer("scjg-o2"), Local(3, 4));

        Act(c, "审批", Head(), Local(3, 10), opinion: "准予许可");

        Assert.Equal("6", c.PendingRecords[^1].Data["promisedUsedDays"]);
        Assert.Equal(6, c.Promised.UsedDays);
    }

    [Fact]
    public void PendingRecords_RefuseAndSupplement_KeepTheReasonAsTheOpinion()
    {
        var refused = Submitted();
        refused.Refuse("不属于本部门职权范围", Clerk, Monday, Time);
        var supplement = Submitted();
        supplement.RequestSupplement(["营业执照复印件", "申请书未签字"], Clerk, Monday, Time);

        var r = refused.PendingRecords[^1];
        Assert.Equal((CaseTrigger.Refuse, CaseState.PreAcceptance, CaseState.NotAccepted, "不属于本部门职权范围"), (r.Action, r.From, r.To, r.Opinion));
        var s = supplement.PendingRecords[^1];
        Assert.Equal((CaseTrigger.RequestSupplement, CaseState.SupplementRequested, "营业执照复印件；申请书未签字"), (s.Action, s.To, s.Opinion));
        Assert.Equal("营业执照复印件；申请书未签字", s.Data["items"]);
    }

    [Fact]
    public void RequestSupplement_WithinFiveWorkingDays_IsNotMarkedLate()
    {
        var c = Submitted(at: Monday); // Mon 2 Mar

        c.RequestSupplement(["营业执照复印件"], Clerk, Local(3, 9), Time); // 5 working days later

        Assert.DoesNotContain("late", c.PendingRecords[^1].Data.Keys);
    }

    [Fact]
    public void RequestSupplement_AfterFiveWorkingDays_IsMarkedLate()
    {
        var c = Submitted(at: Monday); // Mon 2 Mar

        c.RequestSupplement(["营业执照复印件"], Clerk, Local(3, 10), Time); // 6 working days later: too late (行政许可法 §32)

        Assert.Equal("true", c.PendingRecords[^1].Data["late"]);
    }

    [Fact]
    public void PendingRecords_Draft_MasksTheApplicantsName()
    {
        var c = Drafted();

        var r = Assert.Single(c.PendingRecords);
        Assert.NotEqual("张三", r.Data["applicant"]);
        Assert.Equal("330799-SCJG-002", r.Data["matter"]);
        Assert.Equal("Online", r.Data["channel"]);
        Assert.DoesNotContain("agent", r.Data.Keys);
    }

    [Fact]
    public void ClearPendingRecords_EmptiesThemAndTheNextActStartsAFreshList()
    {
        var c = Accepted();

        c.ClearPendingRecords();
        Assert.Empty(c.PendingRecords);
        c.Claim(Open(c, "承办").WorkItemId, Officer(), Local(3, 3));

        var r = Assert.Single(c.PendingRecords);
        Assert.Equal((CaseTrigger.Claim, CaseState.Handling, CaseState.Handling), (r.Action, r.From, r.To));
    }

    [Fact]
    public void PendingRecords_Return_RecordsTheReasonAndTheOutcome()
    {
        var c = Accepted();
        Act(c, "承办", Officer(), Local(3, 3));
        c.ClearPendingRecords();

        Act(c, "审核", Officer("scjg-o2"), Local(3, 4), Outcome.Return, "照片不清晰");

        var r = Assert.Single(c.PendingRecords);
        Assert.Equal(("return", "照片不清晰", "审核"), (r.Data["outcome"], r.Opinion, r.Data["step"]));
    }

    [Fact]
    public void PendingRecords_SpecialProcedureAndExtension_RecordTheirStatesAndReasons()
    {
        var c = Accepted();
        c.ClearPendingRecords();

        c.StartSpecialProcedure("专家评审", "需组织专家评审", Officer(), Local(3, 4), Time);
        c.RequestExtension("评审复杂", Officer(), Local(3, 5), 10);
        c.AnswerExtension(true, "同意", Head(), Local(3, 6), Time);
        c.EndSpecialProcedure("评审通过", Officer(), Local(3, 11), Time);

        Assert.Equal(
            [
                (CaseTrigger.StartSpecialProcedure, CaseState.Handling, CaseState.Suspended, "需组织专家评审"),
                (CaseTrigger.RequestExtension, CaseState.Suspended, CaseState.Suspended, "评审复杂"),
                (CaseTrigger.ApproveExtension, CaseState.Suspended, CaseState.Suspended, "同意"),
                (CaseTrigger.EndSpecialProcedure, CaseState.Suspended, CaseState.Handling, "评审通过"),
            ],
            c.PendingRecords.Select(r => (r.Action, r.From, r.To, r.Opinion)));
        Assert.Equal("10", c.PendingRecords[2].Data["days"]);
    }
}
