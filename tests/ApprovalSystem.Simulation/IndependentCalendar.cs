namespace ApprovalSystem.Simulation;

/// <summary>
/// The 2026 working-day calendar written out from the State Council notice (DOMAIN.md), and the due-moment rule
/// computed here without the app's arithmetic: N working days count from the working day after the trigger, and
/// the due moment is the end of the N-th working day (the next midnight, China time); N = 0 is the end of the
/// trigger's own working day.
/// </summary>
public static class IndependentCalendar
{
    public static readonly TimeSpan China = TimeSpan.FromHours(8);

    private static readonly HashSet<DateOnly> Holidays = Days(
        (1, 1, 3), (2, 15, 23), (4, 4, 6), (5, 1, 5), (6, 19, 21), (9, 25, 27), (10, 1, 7));

    private static readonly HashSet<DateOnly> MakeUpDays =
        [new(2026, 1, 4), new(2026, 2, 14), new(2026, 2, 28), new(2026, 5, 9), new(2026, 9, 20), new(2026, 10, 10)];

    /// <summary>Only 2026 is known; a due moment past it is not checked.</summary>
    public static bool Covers(DateOnly day) => day.Year == 2026;

    public static bool IsWorkingDay(DateOnly day) =>
        MakeUpDays.Contains(day) || (!Holidays.Contains(day) && day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));

    public static DateOnly LocalDay(DateTimeOffset t) => DateOnly.FromDateTime(t.ToOffset(China).DateTime);

    /// <summary>The end of a day: the next midnight, China time.</summary>
    public static DateTimeOffset EndOf(DateOnly day) => new(day.AddDays(1).ToDateTime(TimeOnly.MinValue), China);

    /// <summary>The due moment of <paramref name="days"/> working days from <paramref name="trigger"/>, or null past 2026.</summary>
    public static DateTimeOffset? Due(DateTimeOffset trigger, int days)
    {
        var day = LocalDay(trigger);
        if (days == 0)
        {
            while (!IsWorkingDay(day))
            {
                day = day.AddDays(1);
            }

            return Covers(day) ? EndOf(day) : null;
        }

        for (var counted = 0; counted < days;)
        {
            day = day.AddDays(1);
            if (!Covers(day))
            {
                return null;
            }

            if (IsWorkingDay(day))
            {
                counted++;
            }
        }

        return EndOf(day);
    }

    private static HashSet<DateOnly> Days(params (int Month, int From, int To)[] ranges) =>
        ranges.SelectMany(r => Enumerable.Range(r.From, r.To - r.From + 1).Select(d => new DateOnly(2026, r.Month, d))).ToHashSet();
}
