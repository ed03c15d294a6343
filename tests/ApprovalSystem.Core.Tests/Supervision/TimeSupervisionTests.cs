using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Workflows;
using static ApprovalSystem.Core.Tests.Cases.CaseFixture;

namespace ApprovalSystem.Core.Tests.Supervision;

public class TimeSupervisionTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private static TimedItem Item(Deadline d, bool suspended = false, bool concluded = false) =>
        new(new CardSubject(42, "wi-1"), d.DueAt, d.WarnAt, suspended, concluded);

    private static CardKind[] Kinds(TimedItem item, DateTimeOffset now) => [.. TimeSupervision.CardsDue(item, now).Select(c => c.Kind)];

    [Fact]
    public void Cards_AcrossNationalDay_YellowAtTheEndOfTheThirdWorkingDay_RedAtTheEndOfTheFifth()
    {
        // Thu 24 Sep, 5 days, warn with 2 days left: Mon 28 (1), Tue 29 (2), Wed 30 (3) | Oct 1-7 off | Thu 8 (4), Fri 9 (5).
        var item = Item(Deadline.Start(Local(9, 24), 5, new WarningPolicy(2, null), Time));

        Assert.Empty(Kinds(item, EndOf(9, 30) - Tick));
        Assert.Equal([CardKind.Yellow], Kinds(item, EndOf(9, 30)));
        Assert.Equal([CardKind.Yellow], Kinds(item, Local(10, 5)));
        Assert.Equal([CardKind.Yellow], Kinds(item, EndOf(10, 9) - Tick));
        Assert.Equal([CardKind.Yellow, CardKind.Red], Kinds(item, EndOf(10, 9)));
    }

    [Fact]
    public void Cards_WithAMakeUpSaturday_RedAtTheEndOfTheSaturday()
    {
        // Wed 30 Sep, 3 days, warn with 1 day left: Thu 8 (1), Fri 9 (2), Sat 10 (3, make-up workday).
        var item = Item(Deadline.Start(Local(9, 30), 3, new WarningPolicy(1, null), Time));

        Assert.Empty(Kinds(item, EndOf(10, 9) - Tick));
        Assert.Equal([CardKind.Yellow], Kinds(item, EndOf(10, 9)));
        Assert.Equal([CardKind.Yellow], Kinds(item, EndOf(10, 10) - Tick));
        Assert.Equal([CardKind.Yellow, CardKind.Red], Kinds(item, EndOf(10, 10)));
    }

    [Fact]
    public void Cards_AcrossSpringFestival_CountTheMakeUpSaturdayAndSkipTheHoliday()
    {
        // Fri 13 Feb, 5 days, 2 days left: Sat 14 (1, make-up) | 15-23 off | Tue 24 (2), Wed 25 (3), Thu 26 (4), Fri 27 (5).
        var item = Item(Deadline.Start(Local(2, 13), 5, new WarningPolicy(2, null), Time));

        Assert.Empty(Kinds(item, Local(2, 20)));
        Assert.Empty(Kinds(item, EndOf(2, 25) - Tick));
        Assert.Equal([CardKind.Yellow], Kinds(item, EndOf(2, 25)));
        Assert.Equal([CardKind.Yellow, CardKind.Red], Kinds(item, EndOf(2, 27)));
    }

    [Fact]
    public void Cards_ShareOfTheLimitUsed_YellowWhenEightyPercentIsUsed()
    {
        // Mon 2 Mar, 10 days, 80 %: warn after 8 working days = end of Thu 12 Mar; due end of Mon 16 Mar.
        var item = Item(Deadline.Start(Monday, 10, new WarningPolicy(null, 80), Time));

        Assert.Empty(Kinds(item, EndOf(3, 12) - Tick));
        Assert.Equal([CardKind.Yellow], Kinds(item, EndOf(3, 12)));
        Assert.Equal([CardKind.Yellow, CardKind.Red], Kinds(item, EndOf(3, 16)));
    }

    [Fact]
    public void Cards_NoneWhileSuspendedOrConcludedOrWithoutAClock()
    {
        var d = Deadline.Start(Monday, 3, new WarningPolicy(1, null), Time);
        var late = EndOf(3, 31);

        Assert.Equal(2, TimeSupervision.CardsDue(Item(d), late).Count);
        Assert.Empty(TimeSupervision.CardsDue(Item(d, suspended: true), late));
        Assert.Empty(TimeSupervision.CardsDue(Item(d, concluded: true), late));
        Assert.Empty(TimeSupervision.CardsDue(Item(d.Suspend(Local(3, 3), Time)), late));
        Assert.Empty(TimeSupervision.CardsDue(Item(Deadline.None), late));
    }

    [Fact]
    public void Cards_OfASuspendedCase_NoneEvenLongAfterTheDueMoment()
    {
        var c = Accepted();
        c.StartSpecialProcedure("现场核查", "需现场核查经营场所", Officer(), Local(3, 3), Time);

        var items = TimedItem.From(c);

        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.True(i.Suspended));
        Assert.Empty(TimeSupervision.CardsDue(items, Local(6, 1)));
    }

    [Fact]
    public void Cards_OfARunningCase_CaseAndStepItemsCardedAtTheirOwnMoments()
    {
        // Accepted Mon 2 Mar: 承办 3 days (due end of Thu 5, warn end of Tue 3 with 2 days left); promised 10 days (due end of Mon 16).
        var c = Accepted();
        var items = TimedItem.From(c);

        var cards = TimeSupervision.CardsDue(items, EndOf(3, 5));

        var step = Open(c, "承办");
        Assert.Equal(
            [$"case:0/step:{step.WorkItemId}/yellow", $"case:0/step:{step.WorkItemId}/red"],
            cards.Select(x => x.Key).ToArray());
        Assert.Equal(EndOf(3, 3), cards[0].Moment);
        Assert.Contains("case:0/red", TimeSupervision.CardsDue(items, EndOf(3, 16)).Select(x => x.Key));
    }

    [Fact]
    public void Cards_ReturnedAndReEnteredStep_IsReArmedUnderANewKey()
    {
        var c = Accepted();
        var first = Open(c, "承办");
        Act(c, "承办", Officer(), Local(3, 5));
        Act(c, "审核", Officer("scjg-o2"), Local(3, 6), Outcome.Return, "请补充核查意见");
        var again = Open(c, "承办");
        var late = EndOf(3, 31);

        var keys = TimeSupervision.CardsDue(TimedItem.From(c), late).Select(x => x.Key).ToList();

        Assert.NotEqual(first.WorkItemId, again.WorkItemId);
        Assert.DoesNotContain(keys, k => k.Contains(first.WorkItemId, StringComparison.Ordinal)); // the closed instance is no longer carded
        Assert.Contains($"case:0/step:{again.WorkItemId}/yellow", keys);
        Assert.Contains($"case:0/step:{again.WorkItemId}/red", keys);
        Assert.True(again.Deadline.DueAt > first.Deadline.DueAt);
    }

    [Fact]
    public void Card_Key_IsSubjectAndKind()
    {
        var yellow = new SupervisionCard(new CardSubject(7), CardKind.Yellow, Monday);
        var red = new SupervisionCard(new CardSubject(7, "wi-3"), CardKind.Red, Monday);

        Assert.Equal("case:7/yellow", yellow.Key);
        Assert.Equal("case:7/step:wi-3/red", red.Key);
        Assert.Equal("黄牌", yellow.Name);
        Assert.Equal("N1（食品经营许可）环节“承办”已超过环节办理期限", red.Message("N1", "食品经营许可", "承办"));
        Assert.Equal("N1（食品经营许可）临近承诺办结期限", yellow.Message("N1", "食品经营许可", null));
    }

    // ---- scan plan ----------------------------------------------------------------------------------

    [Fact]
    public void ScanPlan_WindowIsLastScanMinusOverlapToNow()
    {
        var plan = ScanPlan.Create(Local(3, 2, 10, 5), Local(3, 2, 10, 0), TimeSpan.FromMinutes(2));

        Assert.Equal(Local(3, 2, 9, 58), plan.From);
        Assert.Equal(Local(3, 2, 10, 5), plan.To);
        Assert.False(plan.Covers(Local(3, 2, 9, 58)));
        Assert.True(plan.Covers(Local(3, 2, 9, 59)));
        Assert.True(plan.Covers(Local(3, 2, 10, 5)));
        Assert.False(plan.Covers(Local(3, 2, 10, 6)));
        Assert.False(plan.Covers(null));
    }

    [Fact]
    public void ScanPlan_LastScanAfterNow_ClockSkew_StartsBeforeNow()
    {
        var plan = ScanPlan.Create(Local(3, 2, 10, 0), Local(3, 2, 10, 3), TimeSpan.FromMinutes(2));

        Assert.Equal(Local(3, 2, 9, 58), plan.From);
        Assert.Throws<ArgumentOutOfRangeException>(() => ScanPlan.Create(Monday, Monday, TimeSpan.FromMinutes(-1)));
    }

    [Fact]
    public void ScanPlan_FirstScan_TakesEverythingUpToNow()
    {
        var plan = ScanPlan.Create(Monday, null);

        Assert.Null(plan.From);
        Assert.True(plan.Covers(Local(1, 1)));
        Assert.False(plan.Covers(Monday.AddTicks(1)));
    }

    [Fact]
    public void ScanPlan_ConsecutiveScans_SeeEveryCrossingOnceAtLeast_AndTheKeysDeduplicate()
    {
        var item = Item(Deadline.Start(Local(9, 24), 5, new WarningPolicy(2, null), Time));
        var stored = new HashSet<string>();
        var raised = 0;
        DateTimeOffset? last = Local(9, 24);
        for (var now = Local(9, 24).AddHours(6); now <= Local(10, 12); now = now.AddHours(6))
        {
            var plan = ScanPlan.Create(now, last);
            if (plan.Includes(item))
            {
                raised += TimeSupervision.CardsDue(item, now).Count(c => stored.Add(c.Key));
            }

            last = now;
        }

        Assert.Equal(2, raised);
        Assert.Equal(["case:42/step:wi-1/yellow", "case:42/step:wi-1/red"], stored.ToArray());
    }

    [Fact]
    public void ScanPlan_ItemNotCrossingInTheWindow_IsNotIncluded()
    {
        var item = Item(Deadline.Start(Local(9, 24), 5, new WarningPolicy(2, null), Time));

        Assert.False(ScanPlan.Create(Local(10, 5), Local(10, 4)).Includes(item));
        Assert.True(ScanPlan.Create(EndOf(10, 9), Local(10, 9)).Includes(item));
    }
}
