using ApprovalSystem.Core.Calendar;

namespace ApprovalSystem.Core.Cases;

/// <summary>When a yellow card 黄牌 is due: with so many working days left, or when a share of the limit is used.</summary>
public sealed record WarningPolicy(int? DaysLeft, int? PercentUsed)
{
    public static readonly WarningPolicy Default = new(null, 80);
}

/// <summary>
/// Turns working days into instants on the working-day calendar, in China Standard Time (UTC+8,
/// no daylight saving). A limit of N working days counts from the working day after the triggering
/// act and ends at the end (24:00) of the N-th working day; 0 days ends at the end of the trigger's
/// working day (immediate matters).
/// </summary>
public sealed class WorkingTime(WorkingCalendar calendar)
{
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public WorkingCalendar Calendar { get; } = calendar;

    public static DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(ChinaOffset).DateTime);

    /// <summary>The end of a local day (the next midnight), as a UTC instant.</summary>
    public static DateTimeOffset EndOfDay(DateOnly date) =>
        new DateTimeOffset(date.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaOffset).ToUniversalTime();

    /// <summary>End of the N-th working day after the local date of <paramref name="trigger"/>.</summary>
    public DateTimeOffset DueAfter(DateTimeOffset trigger, int workingDays) => EndOfDay(Calendar.AddWorkingDays(LocalDate(trigger), workingDays));

    /// <summary>Working days used from a trigger up to an instant: the days after the trigger's date up to and including the instant's date.</summary>
    public int UsedBetween(DateTimeOffset trigger, DateTimeOffset until) =>
        until <= trigger ? 0 : Calendar.WorkingDaysBetween(LocalDate(trigger), LocalDate(until));
}

/// <summary>
/// A deadline clock 时限 for a case or a step: the limit, the working days already used in
/// earlier running periods, and — while running — when the current period started and the due and
/// warning moments it gives. Suspension stops the clock; resumption re-computes both moments;
/// an extension moves them. Immutable: every change returns a new value.
/// </summary>
public sealed record Deadline
{
    /// <summary>The limit in working days, extensions included.</summary>
    public required int LimitDays { get; init; }

    /// <summary>Working days used in periods that ended (before a suspension).</summary>
    public int UsedDays { get; init; }

    /// <summary>Start of the current running period; null while stopped.</summary>
    public DateTimeOffset? RunningSince { get; init; }

    public DateTimeOffset? DueAt { get; init; }

    public DateTimeOffset? WarnAt { get; init; }

    public required WarningPolicy Warning { get; init; }

    public bool IsRunning => RunningSince is not null;

    /// <summary>No clock yet (before acceptance).</summary>
    public static Deadline None { get; } = new() { LimitDays = 0, Warning = WarningPolicy.Default };

    public static Deadline Start(DateTimeOffset trigger, int limitDays, WarningPolicy warning, WorkingTime time) =>
        new Deadline { LimitDays = limitDays, Warning = warning }.RunFrom(trigger, time);

    /// <summary>Stops the clock: the working days used so far are kept and the moments cleared.</summary>
    public Deadline Suspend(DateTimeOffset at, WorkingTime time) => RunningSince is not { } since
        ? this
        : this with { UsedDays = UsedDays + time.UsedBetween(since, at), RunningSince = null, DueAt = null, WarnAt = null };

    /// <summary>
    /// Stops the clock for good (the item concluded): the days used are kept and so are the due and
    /// warning moments, for on-time statistics. A stopped clock is no longer <see cref="IsRunning"/>.
    /// </summary>
    public Deadline Stop(DateTimeOffset at, WorkingTime time) => RunningSince is not { } since
        ? this
        : this with { UsedDays = UsedDays + time.UsedBetween(since, at), RunningSince = null };

    /// <summary>Restarts the clock: the remaining days count from the working day after <paramref name="at"/>.</summary>
    public Deadline Resume(DateTimeOffset at, WorkingTime time) => IsRunning ? this : RunFrom(at, time);

    /// <summary>Adds working days to the limit (extension 延期) and moves the moments.</summary>
    public Deadline Extend(int days, WorkingTime time)
    {
        var extended = this with { LimitDays = LimitDays + days };
        return RunningSince is { } since ? extended.RunFrom(since, time) : extended;
    }

    /// <summary>
    /// Gives the clock another limit (the step it runs for became another step of a new flow version): the days used so far still
    /// count, and a running clock's moments are computed again on the calendar from when it started running.
    /// </summary>
    public Deadline Relimit(int limitDays, WorkingTime time)
    {
        var changed = this with { LimitDays = limitDays };
        return RunningSince is { } since ? changed.RunFrom(since, time) : changed;
    }

    /// <summary>Working days used up to <paramref name="now"/>.</summary>
    public int UsedAt(DateTimeOffset now, WorkingTime time) =>
        UsedDays + (RunningSince is { } since ? time.UsedBetween(since, now) : 0);

    private Deadline RunFrom(DateTimeOffset start, WorkingTime time)
    {
        var remaining = Math.Max(0, LimitDays - UsedDays);
        var due = time.DueAfter(start, remaining);
        return this with { RunningSince = start, DueAt = due, WarnAt = WarnMoment(start, remaining, due, time) };
    }

    private DateTimeOffset WarnMoment(DateTimeOffset start, int remaining, DateTimeOffset due, WorkingTime time)
    {
        int warnAfterDays;
        if (Warning.DaysLeft is { } left)
        {
            warnAfterDays = LimitDays - left - UsedDays;
        }
        else
        {
            var percent = Warning.PercentUsed ?? 80;
            warnAfterDays = (int)Math.Ceiling(LimitDays * percent / 100.0) - UsedDays;
        }

        if (remaining == 0 || warnAfterDays <= 0 || warnAfterDays >= remaining)
        {
            // Too short to count in days (same-day limits, one-day steps, little left after a
            // suspension): warn when the share of the remaining time is used.
            var share = (Warning.PercentUsed ?? 80) / 100.0;
            return start + TimeSpan.FromTicks((long)((due - start).Ticks * share));
        }

        // The end of the day after which only the threshold is left.
        return time.DueAfter(start, warnAfterDays);
    }
}
