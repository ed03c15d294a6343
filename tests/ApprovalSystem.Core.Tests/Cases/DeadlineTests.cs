using ApprovalSystem.Core.Cases;
using static ApprovalSystem.Core.Tests.Cases.CaseFixture;

namespace ApprovalSystem.Core.Tests.Cases;

public class DeadlineTests
{
    private static readonly WarningPolicy TwoDaysLeft = new(2, null);

    private static readonly WarningPolicy EightyPercent = new(null, 80);

    // ---- due moments ----------------------------------------------------------------------------

    [Fact]
    public void DueAt_SpansSpringFestival_SkipsHolidaysAndCountsMakeUpSaturday()
    {
        // Accepted Fri 13 Feb 10:00 local: Sat 14 (make-up), Tue 24, Wed 25, Thu 26, Fri 27.
        var deadline = Deadline.Start(new DateTimeOffset(2026, 2, 13, 2, 0, 0, TimeSpan.Zero), 5, TwoDaysLeft, Time);

        Assert.Equal(new DateTimeOffset(2026, 2, 27, 16, 0, 0, TimeSpan.Zero), deadline.DueAt);
    }

    [Theory]
    [InlineData(9, 30, 3, 10, 10)] // Wed 30 Sep: Oct 1-7 off, Thu 8, Fri 9, Sat 10 (make-up)
    [InlineData(9, 24, 5, 10, 9)] // Thu 24 Sep: Fri 25-Sun 27 off, Mon 28, Tue 29, Wed 30, Thu 8, Fri 9
    [InlineData(9, 18, 2, 9, 21)] // Fri 18 Sep: Sat 19 off, Sun 20 (make-up), Mon 21
    [InlineData(10, 3, 1, 10, 8)] // accepted on a holiday: the first working day after it
    public void DueAt_AroundNationalDay_SkipsHolidaysAndCountsMakeUpDays(int month, int day, int days, int dueMonth, int dueDay)
    {
        var deadline = Deadline.Start(Local(month, day), days, TwoDaysLeft, Time);

        Assert.Equal(EndOf(dueMonth, dueDay), deadline.DueAt);
    }

    [Fact]
    public void Accept_WithinTheFiveDaysForTellingWhatIsMissing_StartsTheLimitsAtAcceptance()
    {
        // Filed Mon 2 March 10:00; the window has until Mon 9 March to accept or ask for more.
        var m = Matter(promised: 10, legal: 20);
        var c = Submitted(m, at: Local(3, 2));
        c.ReviewMaterials(m.Materials.Select(x => x.Name).ToList(), Clerk, Local(3, 6));

        c.Accept(Flow(m.WorkflowId), Clerk, Local(3, 6), Time);

        Assert.Equal(Time.DueAfter(Local(3, 6), 10), c.Promised.DueAt);
        Assert.Equal(Time.DueAfter(Local(3, 6), 20), c.Legal.DueAt);
        Assert.False(c.PendingRecords.Single(r => r.Action == CaseTrigger.Accept).Data.ContainsKey("limitsFromReceipt"));
    }

    [Fact]
    public void Accept_AfterTheFiveDays_CountsTheLimitsFromReceipt_AsTheLawDeems()
    {
        // Filed Mon 2 March; not told within 5 working days (by Mon 9 March): accepted from receipt.
        var m = Matter(promised: 10, legal: 20);
        var c = Submitted(m, at: Local(3, 2));
        c.ReviewMaterials(m.Materials.Select(x => x.Name).ToList(), Clerk, Local(3, 11));

        c.Accept(Flow(m.WorkflowId), Clerk, Local(3, 11), Time);

        Assert.Equal(Time.DueAfter(Local(3, 2), 10), c.Promised.DueAt); // Mon 16 March, not Wed 25
        Assert.Equal(EndOf(3, 16), c.Promised.DueAt);
        Assert.Equal(Time.DueAfter(Local(3, 2), 20), c.Legal.DueAt);
        Assert.Equal(Local(3, 11), c.AcceptedAt);
        Assert.Equal(Local(3, 2).ToString("O", System.Globalization.CultureInfo.InvariantCulture), c.PendingRecords.Single(r => r.Action == CaseTrigger.Accept).Data["limitsFromReceipt"]);
    }

    [Fact]
    public void DueAt_ZeroDays_EndsAtTheEndOfTheSameWorkingDay()
    {
        var deadline = Deadline.Start(Local(3, 10, 10), 0, EightyPercent, Time);

        Assert.Equal(EndOf(3, 10), deadline.DueAt);
    }

    [Theory]
    [InlineData(2, 16, 2, 24)] // Mon, Spring Festival → Tue 24
    [InlineData(3, 8, 3, 9)] // ordinary Sunday → Monday
    [InlineData(10, 1, 10, 8)] // National Day → Thu 8 Oct
    public void DueAt_ZeroDaysTriggeredOnADayOff_EndsAtTheEndOfTheNextWorkingDay(int month, int day, int dueMonth, int dueDay)
    {
        var deadline = Deadline.Start(Local(month, day), 0, EightyPercent, Time);

        Assert.Equal(EndOf(dueMonth, dueDay), deadline.DueAt);
    }

    [Fact]
    public void DueAt_CountsFromTheLocalDateOfTheTrigger_NotTheUtcDate()
    {
        // Thu 5 Mar 23:30 local is still Thursday (15:30Z); Fri 6 Mar 00:30 local is Friday although it is Thursday in UTC.
        var lateThursday = Deadline.Start(new DateTimeOffset(2026, 3, 5, 15, 30, 0, TimeSpan.Zero), 1, TwoDaysLeft, Time);
        var earlyFriday = Deadline.Start(new DateTimeOffset(2026, 3, 5, 16, 30, 0, TimeSpan.Zero), 1, TwoDaysLeft, Time);

        Assert.Equal(EndOf(3, 6), lateThursday.DueAt);
        Assert.Equal(EndOf(3, 9), earlyFriday.DueAt);
    }

    [Fact]
    public void Start_RunsFromTheTrigger_WithNoDaysUsed()
    {
        var deadline = Deadline.Start(Monday, 20, TwoDaysLeft, Time);

        Assert.True(deadline.IsRunning);
        Assert.Equal(Monday, deadline.RunningSince);
        Assert.Equal(0, deadline.UsedDays);
        Assert.Equal(20, deadline.LimitDays);
        Assert.Equal(EndOf(3, 30), deadline.DueAt);
    }

    [Fact]
    public void None_HasNoClock()
    {
        Assert.False(Deadline.None.IsRunning);
        Assert.Null(Deadline.None.DueAt);
        Assert.Null(Deadline.None.WarnAt);
    }

    // ---- suspension and resumption --------------------------------------------------------------

    [Fact]
    public void Suspend_KeepsTheWorkingDaysUsedAndClearsTheMoments()
    {
        var running = Deadline.Start(Monday, 20, TwoDaysLeft, Time);

        // Tue 3, Wed 4, Thu 5 used.
        var suspended = running.Suspend(Local(3, 5, 15), Time);

        Assert.Equal(3, suspended.UsedDays);
        Assert.False(suspended.IsRunning);
        Assert.Null(suspended.RunningSince);
        Assert.Null(suspended.DueAt);
        Assert.Null(suspended.WarnAt);
        Assert.Equal(20, suspended.LimitDays);
    }

    [Fact]
    public void Resume_AfterAWeekSuspended_CountsTheRemainingDaysFromTheResumeDate()
    {
        var suspended = Deadline.Start(Monday, 20, TwoDaysLeft, Time).Suspend(Local(3, 5, 15), Time);

        var resumed = suspended.Resume(Local(3, 12, 9), Time);

        // 17 working days after Thu 12 Mar: Fri 13 … Fri 3 Apr (16), Qingming 4-6 Apr off, Tue 7 Apr (17).
        Assert.Equal(EndOf(4, 7), resumed.DueAt);
        Assert.Equal(Time.DueAfter(Local(3, 12, 9), 17), resumed.DueAt);
        Assert.Equal(3, resumed.UsedDays);
        Assert.Equal(Local(3, 12, 9), resumed.RunningSince);
    }

    [Fact]
    public void Resume_SameDayAsSuspension_GivesTheOriginalDueMoment()
    {
        var running = Deadline.Start(Monday, 20, TwoDaysLeft, Time);

        var resumed = running.Suspend(Local(3, 5, 10), Time).Resume(Local(3, 5, 16), Time);

        Assert.Equal(running.DueAt, resumed.DueAt);
    }

    [Fact]
    public void Suspend_WhenAlreadyStopped_ChangesNothing()
    {
        var suspended = Deadline.Start(Monday, 20, TwoDaysLeft, Time).Suspend(Local(3, 5), Time);

        Assert.Equal(suspended, suspended.Suspend(Local(3, 20), Time));
    }

    [Fact]
    public void Resume_WhenRunning_ChangesNothing()
    {
        var running = Deadline.Start(Monday, 20, TwoDaysLeft, Time);

        Assert.Equal(running, running.Resume(Local(3, 10), Time));
    }

    [Fact]
    public void Suspend_AfterTheDueMoment_KeepsEveryWorkingDayUsed()
    {
        // 3-day limit from Mon 2 Mar, stopped Tue 10 Mar: Tue 3 … Tue 10 are 6 working days, 3 over the limit.
        // Supervision needs the real count (days used, overdue, the 5-day review rule); the clamp hides it.
        var stopped = Deadline.Start(Monday, 3, TwoDaysLeft, Time).Suspend(Local(3, 10), Time);

        Assert.Equal(6, stopped.UsedDays);
    }

    [Fact]
    public void Resume_AfterTheLimitIsUsedUp_IsDueAtTheEndOfTheResumeDay()
    {
        var stopped = Deadline.Start(Monday, 3, TwoDaysLeft, Time).Suspend(Local(3, 6), Time);

        var resumed = stopped.Resume(Local(3, 11), Time);

        Assert.Equal(EndOf(3, 11), resumed.DueAt);
        Assert.True(resumed.WarnAt < resumed.DueAt);
    }

    // ---- extension ------------------------------------------------------------------------------

    [Fact]
    public void Extend_ByTenDays_MovesTheDueMomentByTenWorkingDays()
    {
        var running = Deadline.Start(Monday, 20, TwoDaysLeft, Time);

        var extended = running.Extend(10, Time);

        // Due Mon 30 Mar → 31 Mar, 1-3 Apr, (Qingming), 7-10 Apr, 13, 14 Apr.
        Assert.Equal(EndOf(3, 30), running.DueAt);
        Assert.Equal(EndOf(4, 14), extended.DueAt);
        Assert.Equal(30, extended.LimitDays);
        Assert.Equal(Monday, extended.RunningSince);
    }

    [Fact]
    public void Extend_WhileSuspended_AddsTheDaysAndTheResumedDueMomentIncludesThem()
    {
        var suspended = Deadline.Start(Monday, 20, TwoDaysLeft, Time).Suspend(Local(3, 5, 15), Time);

        var extended = suspended.Extend(10, Time);
        var resumed = extended.Resume(Local(3, 12, 9), Time);

        Assert.Null(extended.DueAt);
        Assert.Equal(30, extended.LimitDays);
        Assert.Equal(Time.DueAfter(Local(3, 12, 9), 27), resumed.DueAt);
    }

    // ---- days used ------------------------------------------------------------------------------

    [Theory]
    [InlineData(3, 2, 16, 0)] // same day as the trigger
    [InlineData(3, 3, 9, 1)]
    [InlineData(3, 5, 18, 3)]
    [InlineData(3, 8, 12, 4)] // Sunday: nothing added since Friday
    [InlineData(3, 9, 9, 5)]
    public void UsedAt_CountsWorkingDaysAfterTheTriggerUpToTheInstantsDate(int month, int day, int hour, int expected)
    {
        var running = Deadline.Start(Monday, 20, TwoDaysLeft, Time);

        Assert.Equal(expected, running.UsedAt(Local(month, day, hour), Time));
    }

    [Fact]
    public void UsedAt_BeforeTheTrigger_IsZero()
    {
        Assert.Equal(0, Deadline.Start(Monday, 20, TwoDaysLeft, Time).UsedAt(Monday.AddDays(-3), Time));
    }

    [Fact]
    public void UsedAt_AfterSuspensionAndResumption_AddsTheNewPeriodToTheKeptDays()
    {
        var resumed = Deadline.Start(Monday, 20, TwoDaysLeft, Time).Suspend(Local(3, 5, 15), Time).Resume(Local(3, 12, 9), Time);

        Assert.Equal(3, resumed.UsedAt(Local(3, 12, 17), Time));
        Assert.Equal(5, resumed.UsedAt(Local(3, 16, 9), Time)); // Fri 13 and Mon 16
    }

    [Fact]
    public void UsedAt_WhileSuspended_IsTheKeptDays()
    {
        var suspended = Deadline.Start(Monday, 20, TwoDaysLeft, Time).Suspend(Local(3, 5, 15), Time);

        Assert.Equal(3, suspended.UsedAt(Local(3, 31), Time));
    }

    // ---- warning moments ------------------------------------------------------------------------

    [Fact]
    public void WarnAt_TwoDaysLeftOnTenDays_IsTheEndOfTheEighthWorkingDay()
    {
        var deadline = Deadline.Start(Monday, 10, TwoDaysLeft, Time);

        // Tue 3 … Fri 6 (4), Mon 9 … Thu 12 (8).
        Assert.Equal(EndOf(3, 12), deadline.WarnAt);
        Assert.Equal(EndOf(3, 16), deadline.DueAt);
    }

    [Fact]
    public void WarnAt_EightyPercentOfTwentyDays_IsTheEndOfTheSixteenthWorkingDay()
    {
        var deadline = Deadline.Start(Monday, 20, EightyPercent, Time);

        // Tue 3 … Fri 20 (14), Mon 23 (15), Tue 24 (16).
        Assert.Equal(EndOf(3, 24), deadline.WarnAt);
    }

    [Fact]
    public void WarnAt_PercentOfAnUnevenLimit_RoundsTheUsedShareUp()
    {
        // 80% of 7 days is 5.6: the warning comes at the end of the 6th working day.
        var deadline = Deadline.Start(Monday, 7, EightyPercent, Time);

        Assert.Equal(Time.DueAfter(Monday, 6), deadline.WarnAt);
    }

    [Fact]
    public void WarnAt_AfterResume_LeavesTheThresholdBeforeTheNewDueMoment()
    {
        var resumed = Deadline.Start(Monday, 10, TwoDaysLeft, Time).Suspend(Local(3, 5, 15), Time).Resume(Local(3, 12, 9), Time);

        // 3 used, 7 left from Thu 12 Mar: warn after 5 more, due after 7.
        Assert.Equal(Time.DueAfter(Local(3, 12, 9), 5), resumed.WarnAt);
        Assert.Equal(Time.DueAfter(Local(3, 12, 9), 7), resumed.DueAt);
    }

    [Fact]
    public void WarnAt_OneDayStep_IsBeforeItsDueMoment()
    {
        var step = Deadline.Start(Monday, 1, TwoDaysLeft, Time);

        Assert.Equal(EndOf(3, 3), step.DueAt);
        Assert.True(step.WarnAt > Monday);
        Assert.True(step.WarnAt < step.DueAt);
    }

    [Fact]
    public void WarnAt_ZeroDayLimit_IsWithinTheSameDay()
    {
        var sameDay = Deadline.Start(Monday, 0, EightyPercent, Time);

        Assert.True(sameDay.WarnAt > Monday);
        Assert.True(sameDay.WarnAt < sameDay.DueAt);
    }

    public static TheoryData<int, int?, int?> Limits()
    {
        var data = new TheoryData<int, int?, int?>();
        foreach (var days in new[] { 0, 1, 2, 3, 5, 10, 20, 45 })
        {
            data.Add(days, 1, null);
            data.Add(days, 2, null);
            data.Add(days, 3, null);
            data.Add(days, null, 50);
            data.Add(days, null, 80);
            data.Add(days, null, 99);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Limits))]
    public void WarnAt_AnyLimitAndPolicy_IsAfterTheTriggerAndBeforeTheDueMoment(int days, int? daysLeft, int? percentUsed)
    {
        var policy = new WarningPolicy(daysLeft, percentUsed);
        foreach (var trigger in new[] { Monday, Local(2, 13, 17), Local(2, 16), Local(9, 30, 23) })
        {
            var deadline = Deadline.Start(trigger, days, policy, Time);

            Assert.True(deadline.WarnAt > trigger, $"{trigger:O}: warn {deadline.WarnAt:O}");
            Assert.True(deadline.WarnAt < deadline.DueAt, $"{trigger:O}: warn {deadline.WarnAt:O} due {deadline.DueAt:O}");
        }
    }

    [Theory]
    [MemberData(nameof(Limits))]
    public void WarnAt_AfterSuspensionAndResumption_StaysBeforeTheDueMoment(int days, int? daysLeft, int? percentUsed)
    {
        var resumed = Deadline.Start(Monday, days, new WarningPolicy(daysLeft, percentUsed), Time)
            .Suspend(Local(3, 4), Time)
            .Resume(Local(3, 11), Time);

        Assert.True(resumed.WarnAt < resumed.DueAt);
        Assert.True(resumed.WarnAt > Local(3, 11));
    }
}
