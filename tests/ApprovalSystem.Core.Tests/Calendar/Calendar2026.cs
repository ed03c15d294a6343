using ApprovalSystem.Core.Calendar;

namespace ApprovalSystem.Core.Tests.Calendar;

/// <summary>The 2026 rows from the State Council notice of 2025-11-04, as DOMAIN.md lists them.</summary>
internal static class Calendar2026
{
    public static IReadOnlyList<CalendarDay> Days { get; } =
    [
        .. Holiday(1, 1, 1, 3, "元旦"),
        .. Holiday(2, 15, 2, 23, "春节"),
        .. Holiday(4, 4, 4, 6, "清明节"),
        .. Holiday(5, 1, 5, 5, "劳动节"),
        .. Holiday(6, 19, 6, 21, "端午节"),
        .. Holiday(9, 25, 9, 27, "中秋节"),
        .. Holiday(10, 1, 10, 7, "国庆节"),
        MakeUp(1, 4, "元旦调休上班"),
        MakeUp(2, 14, "春节调休上班"),
        MakeUp(2, 28, "春节调休上班"),
        MakeUp(5, 9, "劳动节调休上班"),
        MakeUp(9, 20, "国庆节调休上班"),
        MakeUp(10, 10, "国庆节调休上班"),
    ];

    public static WorkingCalendar Create() => new(Days);

    private static IEnumerable<CalendarDay> Holiday(int fromMonth, int fromDay, int toMonth, int toDay, string name)
    {
        for (var d = new DateOnly(2026, fromMonth, fromDay); d <= new DateOnly(2026, toMonth, toDay); d = d.AddDays(1))
        {
            yield return new CalendarDay { Date = d, Kind = CalendarDayKind.Holiday, Name = name };
        }
    }

    private static CalendarDay MakeUp(int month, int day, string name) =>
        new() { Date = new DateOnly(2026, month, day), Kind = CalendarDayKind.MakeUpWorkday, Name = name };
}
