using ApprovalSystem.Core.Cases;
using static ApprovalSystem.Core.Tests.Cases.CaseFixture;

namespace ApprovalSystem.Core.Tests.Cases;

/// <summary>Special procedures 特别程序 and extensions 延期: how they move the case's clocks.</summary>
public class CaseClockTests
{
    // Accepted Mon 2 Mar 10:00: promised 10 days → Mon 16 Mar, legal 20 → Mon 30 Mar, 承办 3 → Thu 5 Mar.

    [Fact]
    public void StartSpecialProcedure_StopsEveryClock()
    {
        var c = Accepted();

        c.StartSpecialProcedure("专家评审", "需组织专家评审", Officer(), Local(3, 4), Time);

        Assert.Equal(CaseState.Suspended, c.State);
        Assert.Null(c.Promised.DueAt);
        Assert.Null(c.Legal.DueAt);
        Assert.Null(c.Promised.WarnAt);
        Assert.False(c.Promised.IsRunning);
        Assert.False(c.Legal.IsRunning);
        Assert.Equal(2, c.Promised.UsedDays);
        Assert.Equal(2, c.Legal.UsedDays);
        var handle = Open(c, "承办");
        Assert.False(handle.Deadline.IsRunning);
        Assert.Null(handle.Deadline.DueAt);
        Assert.Equal(2, handle.Deadline.UsedDays);
        Assert.Equal(new SpecialProcedure("专家评审", "需组织专家评审", Local(3, 4), Officer().Name), c.CurrentSpecialProcedure);
    }

    [Fact]
    public void EndSpecialProcedure_AfterFiveWorkingDays_MovesEveryDueMomentByFiveWorkingDays()
    {
        var c = Accepted();
        c.StartSpecialProcedure("专家评审", "需组织专家评审", Officer(), Local(3, 4), Time);

        c.EndSpecialProcedure("评审通过", Officer(), Local(3, 11), Time);

        Assert.Equal(CaseState.Handling, c.State);
        Assert.Equal(EndOf(3, 23), c.Promised.DueAt); // 8 left after Wed 11 Mar
        Assert.Equal(EndOf(4, 7), c.Legal.DueAt); // 18 left, across Qingming
        Assert.Equal(EndOf(3, 12), Open(c, "承办").Deadline.DueAt); // 1 left
        Assert.True(c.Promised.IsRunning);
        Assert.Null(c.CurrentSpecialProcedure);
        var done = Assert.Single(c.SpecialProcedures);
        Assert.Equal((Local(3, 11), Officer().Name, "评审通过"), (done.EndedAt, done.EndedBy, done.Result));
    }

    [Fact]
    public void SpecialProcedure_Twice_KeepsAddingTheDaysUsedBetweenThem()
    {
        var c = Accepted();
        c.StartSpecialProcedure("现场核查", "核查经营场所", Officer(), Local(3, 4), Time);
        c.EndSpecialProcedure("核查完毕", Officer(), Local(3, 11), Time);

        c.StartSpecialProcedure("检测", "抽样检测", Officer(), Local(3, 13), Time); // Thu 12, Fri 13 used
        c.EndSpecialProcedure("检测合格", Officer(), Local(3, 20), Time);

        Assert.Equal(4, c.Legal.UsedDays);
        Assert.Equal(Time.DueAfter(Local(3, 20), 16), c.Legal.DueAt);
        Assert.Equal(2, c.SpecialProcedures.Count);
    }

    [Fact]
    public void StartSpecialProcedure_WithoutKindOrReason_Throws()
    {
        var c = Accepted();

        Assert.Throws<CaseRuleException>(() => c.StartSpecialProcedure("", "理由", Officer(), Local(3, 4), Time));
        Assert.Throws<CaseRuleException>(() => c.StartSpecialProcedure("专家评审", " ", Officer(), Local(3, 4), Time));
        Assert.Equal(CaseState.Handling, c.State);
        Assert.True(c.Legal.IsRunning);
    }

    [Fact]
    public void StartSpecialProcedure_ByAnOfficerOfAnUninvolvedDepartment_Throws()
    {
        var c = Accepted();

        Assert.Throws<CaseRuleException>(() => c.StartSpecialProcedure("专家评审", "理由", Officer("sw-o1", "SW"), Local(3, 4), Time));
    }

    [Fact]
    public void Claim_WhileSuspended_IsAllowed()
    {
        var c = InState(CaseState.Suspended);

        c.Claim(Open(c, "承办").WorkItemId, Officer(), Local(3, 4));

        Assert.Equal("scjg-o1", Open(c, "承办").AssigneeId);
    }

    [Fact]
    public void Withdraw_WhileSuspended_ConcludesWithTheClocksStopped()
    {
        var c = InState(CaseState.Suspended);

        c.Withdraw("不再需要", Applicant, Local(3, 9), Time);

        Assert.Equal(CaseState.Withdrawn, c.State);
        Assert.False(c.Legal.IsRunning);
        Assert.Empty(c.OpenSteps);
    }

    // ---- extension ----------------------------------------------------------------------------------

    [Fact]
    public void ApproveExtension_PromisedMatter_MovesPromisedAndLegalDueByTenWorkingDays()
    {
        var c = Accepted();
        var matter = Matter();
        c.RequestExtension("需补充调查", Officer(), Local(3, 4), matter.ExtensionDays);

        c.AnswerExtension(true, "同意延期", Head(), Local(3, 5), Time);

        Assert.Equal(10, matter.ExtensionDays);
        Assert.Equal(EndOf(3, 30), c.Promised.DueAt); // from Mon 16 Mar
        Assert.Equal(EndOf(4, 14), c.Legal.DueAt); // from Mon 30 Mar, across Qingming
        Assert.Equal((20, 30), (c.Promised.LimitDays, c.Legal.LimitDays));
        Assert.Equal(EndOf(3, 19), Open(c, "承办").Deadline.DueAt); // the open step moves too: Thu 5 Mar + 10 working days
        Assert.Equal(13, Open(c, "承办").Deadline.LimitDays);
        Assert.True(Assert.Single(c.Extensions).Approved);
        Assert.Equal(CaseState.Handling, c.State);
    }

    [Fact]
    public void ApproveExtension_JointMatter_MovesPromisedAndLegalDueByFifteenWorkingDays()
    {
        var matter = Joint();
        var c = Accepted(matter);
        Assert.Equal(EndOf(5, 8), c.Legal.DueAt); // 45 days, across Qingming and Labour Day
        c.RequestExtension("多部门联合踏勘", Officer(), Local(3, 4), matter.ExtensionDays);

        c.AnswerExtension(true, "同意延期", Head(), Local(3, 5), Time);

        Assert.Equal(15, matter.ExtensionDays);
        Assert.Equal(EndOf(4, 7), c.Promised.DueAt); // from Mon 16 Mar
        Assert.Equal(EndOf(5, 28), c.Legal.DueAt); // from Fri 8 May; Sat 9 May is a make-up day
    }

    [Fact]
    public void ApproveExtension_MovesEveryOpenBranchOfAJointStep_ButNotTheClosedOnes()
    {
        var matter = Joint();
        var c = Accepted(matter);
        Act(c, "受理审查", Officer(), Local(3, 3));
        var branches = c.OpenSteps.ToList();
        Assert.True(branches.Count >= 2);
        var before = branches.ToDictionary(s => s.WorkItemId, s => s.Deadline.DueAt!.Value);
        var closed = c.Steps.Single(s => s.Title == "受理审查");
        var closedDue = closed.Deadline.DueAt;
        c.RequestExtension("多部门联合踏勘", Officer(), Local(3, 4), 15);

        c.AnswerExtension(true, "同意延期", Head(), Local(3, 5), Time);

        foreach (var s in branches)
        {
            // 15 working days later, independently of the step's own limit (March–April 2026: Qingming 4–6 Apr).
            // A due moment is the end of a day (the next midnight in China): count the days that end there.
            var day = DateOnly.FromDateTime(before[s.WorkItemId].ToOffset(TimeSpan.FromHours(8)).AddTicks(-1).DateTime);
            for (var added = 0; added < 15;)
            {
                day = day.AddDays(1);
                if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && day != new DateOnly(2026, 4, 6))
                {
                    added++;
                }
            }

            Assert.Equal(new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)), s.Deadline.DueAt);
        }

        Assert.Equal(closedDue, closed.Deadline.DueAt);
    }

    [Fact]
    public void RejectExtension_LeavesTheDueMoments()
    {
        var c = Accepted();
        c.RequestExtension("需补充调查", Officer(), Local(3, 4), 10);

        c.AnswerExtension(false, "理由不充分", Head(), Local(3, 5), Time);

        Assert.Equal(EndOf(3, 16), c.Promised.DueAt);
        Assert.Equal(EndOf(3, 30), c.Legal.DueAt);
        Assert.False(Assert.Single(c.Extensions).Approved);
    }

    [Fact]
    public void ApproveExtension_WhileSuspended_KeepsTheClocksStoppedAndEndSpecialProcedureIncludesTheDays()
    {
        var c = Accepted();
        c.StartSpecialProcedure("专家评审", "需组织专家评审", Officer(), Local(3, 4), Time);
        c.RequestExtension("评审意见分歧较大", Officer(), Local(3, 5), 10);

        c.AnswerExtension(true, "同意", Head(), Local(3, 6), Time);
        Assert.Null(c.Legal.DueAt);
        Assert.Equal(CaseState.Suspended, c.State);

        c.EndSpecialProcedure("评审通过", Officer(), Local(3, 11), Time);
        Assert.Equal(Time.DueAfter(Local(3, 11), 28), c.Legal.DueAt); // 30 − 2 used
        Assert.Equal(Time.DueAfter(Local(3, 11), 18), c.Promised.DueAt);
    }

    [Fact]
    public void RequestExtension_AfterAnApprovedOne_Throws()
    {
        var c = Accepted();
        c.RequestExtension("需补充调查", Officer(), Local(3, 4), 10);
        c.AnswerExtension(true, "同意", Head(), Local(3, 5), Time);

        var e = Assert.Throws<CaseRuleException>(() => c.RequestExtension("仍需调查", Officer(), Local(3, 20), 10));

        Assert.Equal("办理期限只能延长一次", e.Message);
        Assert.Single(c.Extensions);
    }

    [Fact]
    public void RequestExtension_WhileOneIsPending_Throws()
    {
        var c = Accepted();
        c.RequestExtension("需补充调查", Officer(), Local(3, 4), 10);

        Assert.Throws<CaseRuleException>(() => c.RequestExtension("再申请", Officer("scjg-o2"), Local(3, 4), 10));
        Assert.Single(c.Extensions);
    }

    [Fact]
    public void RequestExtension_AfterARejectedOne_IsAllowed()
    {
        var c = Accepted();
        c.RequestExtension("需补充调查", Officer(), Local(3, 4), 10);
        c.AnswerExtension(false, "理由不充分", Head(), Local(3, 5), Time);

        c.RequestExtension("补充说明：需现场踏勘", Officer(), Local(3, 6), 10);

        Assert.Equal(2, c.Extensions.Count);
        Assert.Null(c.Extensions[^1].Approved);
    }

    [Fact]
    public void AnswerExtension_WithNothingPending_Throws()
    {
        var c = Accepted();

        Assert.Throws<CaseRuleException>(() => c.AnswerExtension(true, "同意", Head(), Local(3, 5), Time));
    }

    [Theory]
    [InlineData(false, 11)]
    [InlineData(false, 30)]
    [InlineData(false, 0)]
    [InlineData(false, -10)]
    [InlineData(true, 16)]
    public void RequestExtension_OutsideWhatTheLawAllows_Throws(bool joint, int days)
    {
        // 行政许可法 §42: 10 working days, 15 for joint handling (MatterSnapshot.ExtensionDays); never shorter.
        var c = Accepted(joint ? Joint() : Matter());

        Assert.Throws<CaseRuleException>(() => c.RequestExtension("需补充调查", Officer(), Local(3, 4), days));
        Assert.Empty(c.Extensions);
    }
}
