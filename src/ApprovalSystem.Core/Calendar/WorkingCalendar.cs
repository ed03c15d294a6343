namespace ApprovalSystem.Core.Calendar;

/// <summary>What an exceptional calendar day is.</summary>
public enum CalendarDayKind
{
    /// <summary>Statutory holiday 法定节假日 (a weekday that is not worked).</summary>
    Holiday,

    /// <summary>Make-up working day 调休上班日 (a weekend day that is worked).</summary>
    MakeUpWorkday,
}

/// <summary>A row of the working-day calendar: holidays and make-up workdays are data, not code.</summary>
public class CalendarDay
{
    public int Id { get; set; }

    public DateOnly Date { get; set; }

    public CalendarDayKind Kind { get; set; }

    /// <summary>e.g. 春节, 国庆节调休.</summary>
    public string Name { get; set; } = "";
}

/// <summary>
/// Working-day arithmetic 工作日 on the calendar: weekends and statutory holidays are off,
/// official make-up working days count.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly Dictionary<DateOnly, CalendarDayKind> _exceptions;

    public WorkingCalendar(IEnumerable<CalendarDay> days)
    {
        _exceptions = [];
        foreach (var d in days)
        {
            _exceptions[d.Date] = d.Kind;
        }
    }

    public bool IsWorkingDay(DateOnly date)
    {
        if (_exceptions.TryGetValue(date, out var kind))
        {
            return kind == CalendarDayKind.MakeUpWorkday;
        }

        return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>
    /// The N-th working day after <paramref name="trigger"/> (the count starts on the working day
    /// after the triggering act). N = 0 is the trigger day itself, or the next working day when
    /// the act happened on a day off.
    /// </summary>
    public DateOnly AddWorkingDays(DateOnly trigger, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var d = trigger;
        if (days == 0)
        {
            while (!IsWorkingDay(d))
            {
                d = d.AddDays(1);
            }

            return d;
        }

        var counted = 0;
        while (counted < days)
        {
            d = d.AddDays(1);
            if (IsWorkingDay(d))
            {
                counted++;
            }
        }

        return d;
    }

    /// <summary>Working days strictly after <paramref name="from"/> up to and including <paramref name="to"/>.</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        var n = 0;
        for (var d = from.AddDays(1); d <= to; d = d.AddDays(1))
        {
            if (IsWorkingDay(d))
            {
                n++;
            }
        }

        return n;
    }
}
