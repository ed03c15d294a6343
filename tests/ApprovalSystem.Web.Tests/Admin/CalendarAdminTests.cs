using ApprovalSystem.Core.Calendar;
using ApprovalSystem.Web.Features.Admin;
using ApprovalSystem.Web.Tests.Infrastructure;

namespace ApprovalSystem.Web.Tests.Admin;

public sealed class CalendarAdminTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private CalendarAdmin.Handler Handler
    {
        get
        {
            factory.CreateClient().Dispose();
            return factory.Get<CalendarAdmin.Handler>();
        }
    }

    [Fact]
    public async Task ImportYear_AllValid_ReplacesTheYear()
    {
        var result = await Handler.ImportYearAsync(2027, "2027-01-01 休 元旦\n2027-02-06 班 春节调休上班\n2027-02-08 休 春节");

        Assert.Empty(result.Errors);
        var days = await Handler.YearAsync(2027);
        Assert.Equal(3, days.Count);
        var calendar = await Handler.CalendarAsync();
        Assert.True(calendar.IsWorkingDay(new DateOnly(2027, 2, 6)), "make-up Saturday counts");
        Assert.False(calendar.IsWorkingDay(new DateOnly(2027, 2, 8)), "holiday Monday does not");
    }

    [Fact]
    public async Task ImportYear_WithABadLine_ImportsNothingAndNamesTheLine()
    {
        var result = await Handler.ImportYearAsync(2028, "2028-01-01 休 元旦\n2028-13-01 休 不存在\n2028-01-03 班 周一不需要调休");

        Assert.Contains(result.Errors, e => e.StartsWith("第2行", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("第3行", StringComparison.Ordinal) && e.Contains("是工作日", StringComparison.Ordinal));
        Assert.Empty(await Handler.YearAsync(2028));
    }

    [Fact]
    public async Task SetDay_AddsAHolidayThatTheCalendarHonours()
    {
        var date = new DateOnly(2026, 12, 28);
        Assert.True((await Handler.CalendarAsync()).IsWorkingDay(date));

        Assert.Null(await Handler.SetDayAsync(date, CalendarDayKind.Holiday, "测试假日"));

        Assert.False((await Handler.CalendarAsync()).IsWorkingDay(date));
        await Handler.RemoveDayAsync(date);
        Assert.True((await Handler.CalendarAsync()).IsWorkingDay(date));
    }
}
