using ApprovalSystem.Core.Calendar;

namespace ApprovalSystem.Core.Tests.Calendar;

public class WorkingCalendarTests
{
    private readonly WorkingCalendar _calendar = Calendar2026.Create();

    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    [Theory]
    [InlineData(2026, 3, 10)] // Tue
    [InlineData(2026, 2, 13)] // Fri before the Spring Festival
    [InlineData(2026, 2, 24)] // Tue, first day back
    [InlineData(2026, 9, 30)] // Wed before National Day
    [InlineData(2025, 12, 31)] // outside the rows: plain weekday rule
    public void IsWorkingDay_OrdinaryWeekday_IsWorked(int year, int month, int day)
    {
        Assert.True(_calendar.IsWorkingDay(D(year, month, day)));
    }

    [Theory]
    [InlineData(2026, 3, 14)] // Sat
    [InlineData(2026, 3, 15)] // Sun
    [InlineData(2026, 10, 11)] // Sun between the make-up Saturday and Monday
    [InlineData(2026, 3, 1)] // Sun after the make-up Saturday 28 Feb
    public void IsWorkingDay_OrdinaryWeekend_IsOff(int year, int month, int day)
    {
        Assert.False(_calendar.IsWorkingDay(D(year, month, day)));
    }

    [Theory]
    [InlineData(2026, 1, 2)] // Fri, New Year
    [InlineData(2026, 2, 16)] // Mon, Spring Festival
    [InlineData(2026, 2, 23)] // Mon, last day of the Spring Festival
    [InlineData(2026, 4, 6)] // Mon, Qingming
    [InlineData(2026, 5, 5)] // Tue, Labour Day
    [InlineData(2026, 6, 19)] // Fri, Dragon Boat
    [InlineData(2026, 9, 25)] // Fri, Mid-Autumn
    [InlineData(2026, 10, 5)] // Mon, National Day
    [InlineData(2026, 10, 7)] // Wed, last day of National Day
    public void IsWorkingDay_HolidayOnAWeekday_IsOff(int year, int month, int day)
    {
        Assert.False(_calendar.IsWorkingDay(D(year, month, day)));
    }

    [Theory]
    [InlineData(2026, 1, 4)] // Sun
    [InlineData(2026, 2, 14)] // Sat
    [InlineData(2026, 2, 28)] // Sat
    [InlineData(2026, 5, 9)] // Sat
    [InlineData(2026, 9, 20)] // Sun
    [InlineData(2026, 10, 10)] // Sat
    public void IsWorkingDay_MakeUpWeekendDay_IsWorked(int year, int month, int day)
    {
        Assert.True(_calendar.IsWorkingDay(D(year, month, day)));
    }

    [Fact]
    public void IsWorkingDay_WithoutRows_FollowsTheWeekOnly()
    {
        var plain = new WorkingCalendar([]);

        Assert.True(plain.IsWorkingDay(D(2026, 10, 1))); // Thu
        Assert.False(plain.IsWorkingDay(D(2026, 2, 14))); // Sat
    }

    [Theory]
    [InlineData(1, 2026, 2, 14)] // Sat 14 Feb is a make-up working day
    [InlineData(2, 2026, 2, 24)] // 15-23 Feb are the holiday
    [InlineData(5, 2026, 2, 27)]
    [InlineData(6, 2026, 2, 28)] // Sat 28 Feb is a make-up working day
    [InlineData(7, 2026, 3, 2)] // Sun 1 Mar is off
    [InlineData(20, 2026, 3, 19)]
    public void AddWorkingDays_FromFridayBeforeSpringFestival_SkipsHolidaysAndCountsMakeUpSaturdays(int days, int year, int month, int day)
    {
        Assert.Equal(D(year, month, day), _calendar.AddWorkingDays(D(2026, 2, 13), days));
    }

    [Fact]
    public void AddWorkingDays_FiveFromEveOfNationalDay_CountsOct8_9_10_12_13()
    {
        Assert.Equal(D(2026, 10, 13), _calendar.AddWorkingDays(D(2026, 9, 30), 5));
        Assert.Equal(D(2026, 10, 10), _calendar.AddWorkingDays(D(2026, 9, 30), 3));
        Assert.Equal(D(2026, 10, 12), _calendar.AddWorkingDays(D(2026, 9, 30), 4));
    }

    [Fact]
    public void AddWorkingDays_FromFridayBeforeMidAutumn_CountsTheMakeUpSunday()
    {
        // Sun 20 Sep, Mon 21, Tue 22, Wed 23, Thu 24.
        Assert.Equal(D(2026, 9, 24), _calendar.AddWorkingDays(D(2026, 9, 18), 5));
    }

    [Fact]
    public void AddWorkingDays_AcrossLabourDay_LandsOnTheMakeUpSaturday()
    {
        Assert.Equal(D(2026, 5, 6), _calendar.AddWorkingDays(D(2026, 4, 30), 1));
        Assert.Equal(D(2026, 5, 9), _calendar.AddWorkingDays(D(2026, 4, 30), 4));
    }

    [Fact]
    public void AddWorkingDays_FromNewYearsEve_FirstDayIsTheMakeUpSunday()
    {
        Assert.Equal(D(2026, 1, 4), _calendar.AddWorkingDays(D(2025, 12, 31), 1));
    }

    [Fact]
    public void AddWorkingDays_TriggeredOnAHoliday_CountsFromTheNextWorkingDay()
    {
        Assert.Equal(D(2026, 10, 8), _calendar.AddWorkingDays(D(2026, 10, 3), 1));
        Assert.Equal(D(2026, 6, 22), _calendar.AddWorkingDays(D(2026, 6, 18), 1));
    }

    [Theory]
    [InlineData(2026, 10, 1, 2026, 10, 8)] // National Day rolls to Thu 8 Oct
    [InlineData(2026, 2, 15, 2026, 2, 24)]
    [InlineData(2026, 3, 14, 2026, 3, 16)] // Sat rolls to Mon
    [InlineData(2026, 3, 10, 2026, 3, 10)] // a working day is its own answer
    [InlineData(2026, 2, 14, 2026, 2, 14)] // so is a make-up Saturday
    public void AddWorkingDays_Zero_IsTheTriggerOrTheNextWorkingDay(int y, int m, int d, int ey, int em, int ed)
    {
        Assert.Equal(D(ey, em, ed), _calendar.AddWorkingDays(D(y, m, d), 0));
    }

    [Fact]
    public void AddWorkingDays_NegativeDays_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _calendar.AddWorkingDays(D(2026, 3, 10), -1));
    }

    [Theory]
    [InlineData(2026, 9, 30, 2026, 10, 13, 5)]
    [InlineData(2026, 2, 13, 2026, 3, 2, 7)]
    [InlineData(2026, 2, 13, 2026, 3, 19, 20)]
    [InlineData(2026, 2, 14, 2026, 2, 23, 0)] // the whole Spring Festival
    [InlineData(2026, 3, 10, 2026, 3, 10, 0)] // same day
    [InlineData(2026, 3, 10, 2026, 3, 9, 0)] // backwards
    [InlineData(2025, 12, 31, 2026, 12, 31, 248)] // the whole year 2026
    public void WorkingDaysBetween_CountsWorkingDaysAfterFromUpToAndIncludingTo(int fy, int fm, int fd, int ty, int tm, int td, int expected)
    {
        Assert.Equal(expected, _calendar.WorkingDaysBetween(D(fy, fm, fd), D(ty, tm, td)));
    }

    [Fact]
    public void WorkingDaysBetween_IsTheInverseOfAddWorkingDays()
    {
        var trigger = D(2026, 9, 17);
        for (var n = 1; n <= 30; n++)
        {
            Assert.Equal(n, _calendar.WorkingDaysBetween(trigger, _calendar.AddWorkingDays(trigger, n)));
        }
    }
}
