using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Ratings;
using ApprovalSystem.Core.Tests.Cases;

namespace ApprovalSystem.Core.Tests.Ratings;

public sealed class RectificationTests
{
    private static readonly DateTimeOffset Monday = CaseFixture.Monday; // Mon 2 Mar 2026, 10:00 China time

    private static Rectification Open(int level = 1, int days = 5) => Rectification.Open(1, "3307992026030200001", "M-1", "事项", "SCJG",
        RatingPoint.Conclusion, level, "慢", CaseFixture.Applicant.UserId, Monday, days, CaseFixture.Time);

    [Fact]
    public void Open_DueAtTheEndOfTheFifthWorkingDay_YellowOneWorkingDayBefore_AndSichuansFifteenFromConfiguration()
    {
        var r = Open();
        Assert.Equal(CaseFixture.EndOf(3, 9), r.DueAt); // Tue 3 … Mon 9 Mar
        Assert.Equal(CaseFixture.EndOf(3, 6), r.WarnAt);
        Assert.Equal(CaseFixture.EndOf(3, 23), Open(days: 15).DueAt);
        Assert.Throws<RectificationException>(() => Open(level: 3));
    }

    [Fact]
    public void OnlyTheDepartmentActs_OnlyTheRaterConfirms_AndTheClockStopsAtTheFirstResolution()
    {
        var r = Open();
        Assert.Throws<RectificationException>(() => r.RecordCallBack(Monday, "张三", "回访", CaseFixture.Officer(department: "GTZY"), Monday));
        Assert.Throws<RectificationException>(() => r.RecordCallBack(Monday.AddHours(2), "张三", "回访", CaseFixture.Officer(), Monday.AddHours(1)));
        r.RecordCallBack(Monday.AddHours(1), "张三", "回访", CaseFixture.Officer(), Monday.AddHours(2));
        r.Resolve(RectificationResolution.Explained, "依《行政许可法》第三十一条，该材料必须提交", CaseFixture.Officer(), CaseFixture.EndOf(3, 10));
        Assert.False(r.OnTime);
        Assert.False(r.IsOverdue(CaseFixture.EndOf(3, 9).AddSeconds(1))); // resolved: no longer overdue
        Assert.Throws<RectificationException>(() => r.Confirm(CaseFixture.OtherApplicant, Monday));
        // Contested on Wed 11 Mar 10:00: a second round of five working days (Thu 12 … Wed 18 Mar), supervised like the first.
        r.Contest("解释不清", CaseFixture.Applicant, CaseFixture.EndOf(3, 10).AddHours(10), CaseFixture.Time);
        Assert.Equal(CaseFixture.EndOf(3, 18), r.ReopenedDueAt);
        Assert.Equal(CaseFixture.EndOf(3, 17), r.ReopenedWarnAt);
        Assert.Equal(r.ReopenedDueAt, r.CurrentDueAt);
        Assert.False(r.IsOverdue(CaseFixture.EndOf(3, 18)));
        Assert.True(r.IsOverdue(CaseFixture.EndOf(3, 18).AddSeconds(1))); // a contested rectification does not wait forever
        Assert.Equal("rectification:0:reopened", r.ReopenedCardWorkItem);
        r.Resolve(RectificationResolution.Fixed, "已改为容缺受理", CaseFixture.Officer(), CaseFixture.EndOf(3, 12));
        Assert.Equal(CaseFixture.EndOf(3, 10), r.ResolvedAt); // "on time" is still the first resolution's
        Assert.False(r.IsOverdue(CaseFixture.EndOf(3, 20)));
        Assert.Equal(r.DueAt, r.CurrentDueAt);
        Assert.Throws<RectificationException>(() => r.Contest("还不行", CaseFixture.Applicant, Monday, CaseFixture.Time));
        r.Confirm(CaseFixture.Applicant, Monday);
        Assert.True(r.IsClosed);
        Assert.Throws<RectificationException>(() => r.AppealRating(AppealGround.Wrong, "错评", CaseFixture.Officer(), Monday));
    }

    [Fact]
    public void AnAppealIsDecidedBySupervisorsOnly_Once_AndUpheldVoidsIt()
    {
        var r = Open();
        r.AppealRating(AppealGround.Wrong, "评价的是另一件办件", CaseFixture.Head(), Monday);
        Assert.Throws<RectificationException>(() => r.DecideAppeal(true, "成立", CaseFixture.Officer(), Monday));
        r.DecideAppeal(false, "证据不足", CaseFixture.Supervisor, Monday);
        Assert.Equal(AppealState.Rejected, r.Appeal);
        Assert.Equal(RectificationState.Open, r.State);
        Assert.Throws<RectificationException>(() => r.AppealRating(AppealGround.Malicious, "再申诉", CaseFixture.Head(), Monday));

        var other = Open();
        other.AppealRating(AppealGround.Malicious, "辱骂工作人员", CaseFixture.Head(), Monday);
        other.DecideAppeal(true, "属恶意差评", CaseFixture.Supervisor, Monday);
        Assert.Equal(RectificationState.Voided, other.State);
        Assert.False(other.IsOverdue(CaseFixture.EndOf(3, 20)));
    }

    [Fact]
    public void Indicators_AreTheChannelsOwn_AndRoundTrip()
    {
        Assert.Equal(["办事效率", "办事指南精确度", "办事便捷度", "平台操作性"], ServiceRatings.IndicatorsFor(CaseChannel.Online));
        Assert.Equal(["服务效率", "服务水平", "服务态度"], ServiceRatings.IndicatorsFor(CaseChannel.Window));
        Assert.NotNull(ServiceRatings.CheckIndicators(CaseChannel.Window, new Dictionary<string, int> { ["平台操作性"] = 5 }));
        Assert.NotNull(ServiceRatings.CheckIndicators(CaseChannel.Online, new Dictionary<string, int> { ["办事效率"] = 0 }));
        Assert.Null(ServiceRatings.CheckIndicators(CaseChannel.Agent, new Dictionary<string, int> { ["办事效率"] = 1 }));
        var stored = ServiceRatings.Format(new Dictionary<string, int> { ["服务态度"] = 2, ["服务效率"] = 5 });
        Assert.Equal("服务效率=5;服务态度=2", stored);
        Assert.Equal(2, ServiceRatings.Parse(stored)["服务态度"]);
        Assert.True(ServiceRatings.IsBad(2) && ServiceRatings.IsBad(1) && !ServiceRatings.IsBad(3));
    }
}
