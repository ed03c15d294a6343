using ApprovalSystem.Core.Bundles;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Tests.Cases;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Tests.Bundles;

public class BundleCaseTests
{
    private static readonly DateTimeOffset Monday = CaseFixture.Monday;

    /// <summary>A licence (1) that three others wait for: seal (2) and tax (3) after the licence, social insurance (4) after nobody.</summary>
    private static BundleCase Accepted(BundleRefusalRule rule)
    {
        var def = new BundleData
        {
            Code = "330799-YJS-901", Name = "测试一件事", Department = "SCJG", PromisedLimitDays = 5, OnRefusal = rule,
            Situations = [new SituationQuestion { Key = "seal", Text = "是否刻章？" }],
            Materials = [new MergedMaterial { Name = "申请表" }, new MergedMaterial { Name = "印章材料", When = "seal == '是'" }],
        };
        var b = BundleCase.Draft(def, CaseFixture.Person, new Dictionary<string, string> { ["seal"] = "是" }, new Dictionary<string, string>(), CaseFixture.Applicant,
            Monday);
        b.AddMembers([Member(1, "L"), Member(2, "S", "L"), Member(3, "T", "L"), Member(4, "I")]);
        b.Submit("330799-YJS-20260302-0001", "123456", CaseFixture.Applicant, Monday);
        b.Accept(CaseFixture.Clerk, Monday, CaseFixture.Time);
        return b;
    }

    private static BundleMemberRef Member(long id, string code, params string[] after) =>
        new() { CaseId = id, MatterCode = code, MatterName = "事项" + code, Department = "D" + code, After = after };

    private static Dictionary<long, MemberOutcome> Outcomes(params (long Id, MemberOutcome Outcome)[] set)
    {
        var all = new Dictionary<long, MemberOutcome> { [1] = MemberOutcome.Open, [2] = MemberOutcome.Open, [3] = MemberOutcome.Open, [4] = MemberOutcome.Open };
        foreach (var (id, o) in set)
        {
            all[id] = o;
        }

        return all;
    }

    [Fact]
    public void Accept_StartsTheMembersThatWaitForNobody_AndTheBundlesClock()
    {
        var b = Accepted(BundleRefusalRule.Continue);

        Assert.Equal(BundleState.Accepted, b.State);
        Assert.Equal([1L, 4L], b.MembersToAcceptNow);
        Assert.Equal([false, true, true, false], b.Members.Select(m => !m.Started));
        Assert.Equal(CaseFixture.EndOf(3, 9), b.Deadline.DueAt);
        Assert.Contains("将在前序事项办结后自动启动", b.Notices.Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Draft_SituationDecidesTheMergedMaterials()
    {
        var b = Accepted(BundleRefusalRule.Continue);

        Assert.Equal(["申请表", "印章材料"], b.Materials.Select(m => m.Name));
    }

    [Fact]
    public void Advance_WaitingMember_StartsOnlyWhenWhatItWaitsForIsApproved()
    {
        var b = Accepted(BundleRefusalRule.Continue);

        var before = b.Advance(Outcomes(), Monday.AddHours(1), CaseFixture.Time);
        var after = b.Advance(Outcomes((1, MemberOutcome.Approved)), Monday.AddHours(2), CaseFixture.Time);

        Assert.Empty(before.Start);
        Assert.Equal([2L, 3L], after.Start);
        Assert.All(b.Members, m => Assert.True(m.Started));
        Assert.Equal(BundleState.Accepted, b.State);
    }

    [Fact]
    public void Advance_AgainWithTheSameOutcomes_DecidesNothingNew()
    {
        var b = Accepted(BundleRefusalRule.Continue);
        b.Advance(Outcomes((1, MemberOutcome.Approved)), Monday.AddHours(2), CaseFixture.Time);
        b.ClearPendingRecords();

        var again = b.Advance(Outcomes((1, MemberOutcome.Approved)), Monday.AddHours(3), CaseFixture.Time);

        Assert.Empty(again.Start);
        Assert.Empty(again.Withdraw);
        Assert.Empty(b.PendingRecords);
    }

    [Fact]
    public void Advance_MemberDenied_UnderStop_WithdrawsEveryOpenMemberAndStops_WithOneNotice()
    {
        var b = Accepted(BundleRefusalRule.Stop);

        var plan = b.Advance(Outcomes((1, MemberOutcome.Failed)), Monday.AddHours(2), CaseFixture.Time);

        Assert.Equal([2L, 3L, 4L], plan.Withdraw);
        Assert.Empty(plan.Start);
        Assert.Equal(BundleState.Stopped, b.State);
        Assert.Contains("整件终止", b.Reason, StringComparison.Ordinal);
        Assert.Equal(["受理通知", "终止通知"], b.Notices.Select(n => n.Kind));
        Assert.Contains("未获准予：事项L", b.Notices[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Advance_MemberDenied_UnderContinue_WithdrawsOnlyThoseWaitingForIt_OthersRun()
    {
        var b = Accepted(BundleRefusalRule.Continue);

        var plan = b.Advance(Outcomes((1, MemberOutcome.Failed)), Monday.AddHours(2), CaseFixture.Time);

        Assert.Equal([2L, 3L], plan.Withdraw);
        Assert.Equal(BundleState.Accepted, b.State);

        var last = b.Advance(Outcomes((1, MemberOutcome.Failed), (2, MemberOutcome.Withdrawn), (3, MemberOutcome.Withdrawn), (4, MemberOutcome.Approved)),
            Monday.AddHours(5), CaseFixture.Time);

        Assert.Empty(last.Start);
        Assert.Equal(BundleState.Concluded, b.State);
        Assert.Equal(["受理通知", "办结通知"], b.Notices.Select(n => n.Kind));
        Assert.Contains("准予办理：事项I", b.Notices[^1].Text, StringComparison.Ordinal);
        Assert.False(b.Deadline.IsRunning);
    }

    /// <summary>
    /// A denied member of a matter without a certificate is decided (DecidedAt) like an approved one: once delivered or archived it
    /// read as approved, and the bundle's 办结通知 listed it under 准予办理.
    /// </summary>
    [Fact]
    public void OutcomeOf_ADeniedMemberWithoutACertificate_StaysFailedOnceDeliveredAndArchived()
    {
        var matter = CaseFixture.Matter(certificate: null);
        var denied = CaseFixture.Accepted(matter);
        CaseFixture.Act(denied, "承办", CaseFixture.Officer(), CaseFixture.Local(3, 3), Outcome.Deny, "经营场所不符合要求");
        var approved = CaseFixture.Accepted(matter);
        CaseFixture.Act(approved, "承办", CaseFixture.Officer(), CaseFixture.Local(3, 3));
        CaseFixture.Act(approved, "审核", CaseFixture.Officer("scjg-o2"), CaseFixture.Local(3, 4));
        CaseFixture.Act(approved, "审批", CaseFixture.Head(), CaseFixture.Local(3, 5), opinion: "准予许可");

        Assert.Equal(MemberOutcome.Failed, BundleCase.OutcomeOf(denied));
        denied.Deliver("窗口领取", CaseFixture.Clerk, CaseFixture.Local(3, 6));
        approved.Deliver("窗口领取", CaseFixture.Clerk, CaseFixture.Local(3, 6));
        Assert.Equal(MemberOutcome.Failed, BundleCase.OutcomeOf(denied));
        Assert.Equal(MemberOutcome.Approved, BundleCase.OutcomeOf(approved));
        denied.ArchiveCase(["不予许可决定书.pdf"], 30, "档案室A-01", CaseFixture.Clerk, CaseFixture.Local(3, 9));
        Assert.Equal(MemberOutcome.Failed, BundleCase.OutcomeOf(denied));
    }

    /// <summary>A member withdrawn while handled (by its bundle's stop rule, or its applicant), then archived, still reads as withdrawn.</summary>
    [Fact]
    public void OutcomeOf_AWithdrawnMember_StaysWithdrawnOnceArchived()
    {
        var withdrawn = CaseFixture.Accepted(CaseFixture.Matter(certificate: null));
        withdrawn.Withdraw("前序事项未获准予，本事项不再办理", CaseFixture.Applicant, CaseFixture.Local(3, 3), CaseFixture.Time);
        Assert.Equal(MemberOutcome.Withdrawn, BundleCase.OutcomeOf(withdrawn));

        withdrawn.ArchiveCase(["撤回申请.pdf"], 30, "档案室A-01", CaseFixture.Clerk, CaseFixture.Local(3, 9));
        Assert.Equal(CaseState.Archived, withdrawn.State);
        Assert.Equal(MemberOutcome.Withdrawn, BundleCase.OutcomeOf(withdrawn));
    }

    /// <summary>A member's outcome is decided once: what its case reads later (a delivery, an archive) does not change it.</summary>
    [Fact]
    public void Advance_AFailedMember_StaysFailed_AndTheNoticeSaysSo()
    {
        var b = Accepted(BundleRefusalRule.Continue);
        b.Advance(Outcomes((4, MemberOutcome.Failed)), Monday.AddHours(2), CaseFixture.Time);

        b.Advance(Outcomes((1, MemberOutcome.Approved), (2, MemberOutcome.Approved), (3, MemberOutcome.Approved), (4, MemberOutcome.Approved)),
            Monday.AddHours(5), CaseFixture.Time);

        Assert.Equal(BundleState.Concluded, b.State);
        Assert.Equal(MemberOutcome.Failed, b.Members.Single(m => m.CaseId == 4).Outcome);
        Assert.Contains("未获准予：事项I", b.Notices[^1].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("事项I", b.Notices[^1].Text.Split("未获准予")[0], StringComparison.Ordinal);
    }

    [Fact]
    public void RequestSupplement_TellsEverythingOnce_ASecondRequestIsRefused()
    {
        var def = new BundleData { Code = "330799-YJS-901", Name = "测试一件事", Department = "SCJG", PromisedLimitDays = 5 };
        var b = BundleCase.Draft(def, CaseFixture.Person, new Dictionary<string, string>(), new Dictionary<string, string>(), CaseFixture.Applicant, Monday);
        b.AddMembers([Member(1, "L"), Member(2, "S")]);
        b.Submit("330799-YJS-20260302-0001", "123456", CaseFixture.Applicant, Monday);

        b.RequestSupplement(["公司章程未签字", "公司章程未签字", "缺少住所证明"], CaseFixture.Clerk, Monday.AddHours(1));
        b.Resubmit(CaseFixture.Applicant, Monday.AddHours(2));

        Assert.Equal(["公司章程未签字", "缺少住所证明"], b.SupplementItems);
        Assert.Single(b.Notices, n => n.Kind == "补正通知");
        Assert.Throws<CaseRuleException>(() => b.RequestSupplement(["还缺一项"], CaseFixture.Clerk, Monday.AddHours(3)));
    }

    [Fact]
    public void Acts_CheckTheActor()
    {
        var def = new BundleData { Code = "330799-YJS-901", Name = "测试一件事", Department = "SCJG", PromisedLimitDays = 5 };
        var b = BundleCase.Draft(def, CaseFixture.Person, new Dictionary<string, string>(), new Dictionary<string, string>(), CaseFixture.Applicant, Monday);

        Assert.Throws<CaseRuleException>(() => b.Submit("n", "q", CaseFixture.OtherApplicant, Monday));
        b.Submit("330799-YJS-20260302-0001", "123456", CaseFixture.Applicant, Monday);
        Assert.Throws<CaseRuleException>(() => b.Accept(CaseFixture.Applicant, Monday, CaseFixture.Time));
        Assert.False(b.IsVisibleTo(CaseFixture.OtherApplicant));
        Assert.True(b.IsVisibleTo(CaseFixture.Applicant));
    }
}
