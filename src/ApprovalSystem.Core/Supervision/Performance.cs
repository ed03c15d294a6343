using ApprovalSystem.Core.Cases;

namespace ApprovalSystem.Core.Supervision;

/// <summary>A supervision order on a case, for the indicators.</summary>
/// <param name="ResponseWorkingDays">Working days from issue to response (<see cref="SupervisionOrder.ResponseWorkingDays"/>).</param>
public sealed record OrderFacts(DateTimeOffset IssuedAt, DateTimeOffset? RespondedAt, int? ResponseWorkingDays);

/// <summary>A satisfaction rating 好差评 from 1 (非常不满意) to 5 (非常满意); 3 and above is good 好评.</summary>
public sealed record RatingFacts(DateTimeOffset At, int Score)
{
    public const int GoodFrom = 3;

    public bool IsGood => Score >= GoodFrom;
}

/// <summary>
/// What performance evaluation 绩效评估 needs of one case. Every event carries its moment, so a
/// tally for a period counts each event in the period it happened in: receipt by
/// <see cref="ReceivedAt"/>, acceptance by <see cref="AcceptedAt"/>, conclusion (on time, early,
/// overdue, days used, limits) by <see cref="ConcludedAt"/>, cards, orders, ratings and complaints by
/// their own moments.
/// </summary>
public sealed record CaseOutcomeFacts
{
    public required long CaseId { get; init; }

    public required string Department { get; init; }

    public required string MatterCode { get; init; }

    /// <summary>The officer responsible (who handled the main step); "" when none.</summary>
    public string Officer { get; init; } = "";

    public required DateTimeOffset ReceivedAt { get; init; }

    public DateTimeOffset? AcceptedAt { get; init; }

    public DateTimeOffset? ConcludedAt { get; init; }

    public int LegalLimitDays { get; init; }

    public int PromisedLimitDays { get; init; }

    /// <summary>Working days used on the promised clock when concluded.</summary>
    public int? UsedDays { get; init; }

    /// <summary>Concluded within the promised limit (按时办结).</summary>
    public bool OnTime { get; init; }

    /// <summary>Concluded before the promised limit was used up (提前办结).</summary>
    public bool Early { get; init; }

    /// <summary>Concluded after the promised limit (超期).</summary>
    public bool Overdue { get; init; }

    /// <summary>The moments of the case's yellow cards (case and steps).</summary>
    public IReadOnlyList<DateTimeOffset> YellowCards { get; init; } = [];

    public IReadOnlyList<DateTimeOffset> RedCards { get; init; } = [];

    public IReadOnlyList<OrderFacts> Orders { get; init; } = [];

    public IReadOnlyList<RatingFacts> Ratings { get; init; } = [];

    /// <summary>The moments of complaints 投诉 about the case.</summary>
    public IReadOnlyList<DateTimeOffset> Complaints { get; init; } = [];

    /// <summary>
    /// The facts of a case aggregate: received when filed, accepted, and — when an accepted case
    /// concluded — classified on its promised clock (<see cref="Concluded"/>). A case refused or
    /// withdrawn before acceptance is received but never concluded for these indicators. Cards,
    /// orders, ratings and complaints live outside the aggregate; the host passes them in.
    /// </summary>
    public static CaseOutcomeFacts From(
        Case c,
        string officer,
        IReadOnlyList<SupervisionCard>? cards = null,
        IReadOnlyList<OrderFacts>? orders = null,
        IReadOnlyList<RatingFacts>? ratings = null,
        IReadOnlyList<DateTimeOffset>? complaints = null)
    {
        var facts = new CaseOutcomeFacts
        {
            CaseId = c.Id,
            Department = c.LeadDepartment,
            MatterCode = c.MatterCode,
            Officer = officer,
            ReceivedAt = c.SubmittedAt ?? c.CreatedAt,
            AcceptedAt = c.AcceptedAt,
            LegalLimitDays = c.LegalLimitDays,
            PromisedLimitDays = c.PromisedLimitDays,
            YellowCards = [.. (cards ?? []).Where(x => x.Kind == CardKind.Yellow).Select(x => x.Moment)],
            RedCards = [.. (cards ?? []).Where(x => x.Kind == CardKind.Red).Select(x => x.Moment)],
            Orders = orders ?? [],
            Ratings = ratings ?? [],
            Complaints = complaints ?? [],
        };
        return c.AcceptedAt is not null && c.ConcludedAt is { } concluded ? facts.Concluded(concluded, c.Promised.UsedDays) : facts;
    }

    /// <summary>
    /// The facts of a concluded case from its working days used and its promised limit: on time when
    /// used ≤ promised, early when used &lt; promised, overdue when used &gt; promised.
    /// </summary>
    public CaseOutcomeFacts Concluded(DateTimeOffset at, int usedDays) => this with
    {
        ConcludedAt = at,
        UsedDays = usedDays,
        OnTime = usedDays <= PromisedLimitDays,
        Early = usedDays < PromisedLimitDays,
        Overdue = usedDays > PromisedLimitDays,
    };
}

/// <summary>A half-open period [From, To) of instants; the store's days are [00:00, 24:00) China time.</summary>
public sealed record Period(DateTimeOffset From, DateTimeOffset To)
{
    public bool Contains(DateTimeOffset? moment) => moment is { } m && m >= From && m < To;
}

/// <summary>How indicators are grouped.</summary>
public enum PerformanceDimension
{
    Department,
    Matter,
    Officer,
}

/// <summary>
/// The indicators 绩效指标 of a group of cases in a period, as sums and counts only, so tallies
/// merge exactly (<see cref="op_Addition"/>): the host may pre-aggregate one tally per day and
/// department / matter / officer and add them up for any period. Rates and averages are computed
/// from the sums and are null when their denominator is 0.
/// </summary>
public sealed record PerformanceTally
{
    public static readonly PerformanceTally Empty = new();

    /// <summary>收件: cases received (filed).</summary>
    public int Received { get; init; }

    /// <summary>受理.</summary>
    public int Accepted { get; init; }

    /// <summary>办结.</summary>
    public int Concluded { get; init; }

    public int OnTime { get; init; }

    public int Early { get; init; }

    /// <summary>超期办结.</summary>
    public int Overdue { get; init; }

    /// <summary>Working days used by the concluded cases.</summary>
    public long UsedDays { get; init; }

    /// <summary>Legal limits of the concluded cases, in working days.</summary>
    public long LegalDays { get; init; }

    /// <summary>Promised limits of the concluded cases, in working days.</summary>
    public long PromisedDays { get; init; }

    public int YellowCards { get; init; }

    public int RedCards { get; init; }

    /// <summary>
    /// 连续三次预警: every third yellow card on one case counts once (the 3rd, 6th… card, in the
    /// period of that card).
    /// </summary>
    public int RepeatedWarnings { get; init; }

    /// <summary>督办 orders issued.</summary>
    public int Orders { get; init; }

    /// <summary>Orders answered (counted when answered).</summary>
    public int OrdersResponded { get; init; }

    /// <summary>Working days from issue to response, summed over the answered orders.</summary>
    public long ResponseDays { get; init; }

    public int Ratings { get; init; }

    public int GoodRatings { get; init; }

    public int Complaints { get; init; }

    /// <summary>按时办结率 = on time / concluded.</summary>
    public decimal? OnTimeRate => Ratio(OnTime, Concluded);

    /// <summary>提前办结率 = early / concluded.</summary>
    public decimal? EarlyRate => Ratio(Early, Concluded);

    /// <summary>Average working days used per concluded case.</summary>
    public decimal? AverageUsedDays => Ratio(UsedDays, Concluded);

    /// <summary>提速率 = (legal limit − days used) / legal limit, over the concluded cases' sums (weighted by the legal limit).</summary>
    public decimal? SpeedUpRate => Ratio(LegalDays - UsedDays, LegalDays);

    /// <summary>How much shorter the promised limits are than the legal ones: (legal − promised) / legal.</summary>
    public decimal? PromisedShortening => Ratio(LegalDays - PromisedDays, LegalDays);

    /// <summary>Average response time of answered orders, in working days (0 = answered the day of issue).</summary>
    public decimal? AverageResponseDays => Ratio(ResponseDays, OrdersResponded);

    /// <summary>满意率 = good ratings / ratings.</summary>
    public decimal? SatisfactionRate => Ratio(GoodRatings, Ratings);

    public static PerformanceTally operator +(PerformanceTally a, PerformanceTally b) => new()
    {
        Received = a.Received + b.Received,
        Accepted = a.Accepted + b.Accepted,
        Concluded = a.Concluded + b.Concluded,
        OnTime = a.OnTime + b.OnTime,
        Early = a.Early + b.Early,
        Overdue = a.Overdue + b.Overdue,
        UsedDays = a.UsedDays + b.UsedDays,
        LegalDays = a.LegalDays + b.LegalDays,
        PromisedDays = a.PromisedDays + b.PromisedDays,
        YellowCards = a.YellowCards + b.YellowCards,
        RedCards = a.RedCards + b.RedCards,
        RepeatedWarnings = a.RepeatedWarnings + b.RepeatedWarnings,
        Orders = a.Orders + b.Orders,
        OrdersResponded = a.OrdersResponded + b.OrdersResponded,
        ResponseDays = a.ResponseDays + b.ResponseDays,
        Ratings = a.Ratings + b.Ratings,
        GoodRatings = a.GoodRatings + b.GoodRatings,
        Complaints = a.Complaints + b.Complaints,
    };

    public static PerformanceTally Add(PerformanceTally a, PerformanceTally b) => a + b;

    public static PerformanceTally Sum(IEnumerable<PerformanceTally> tallies) => tallies.Aggregate(Empty, (a, b) => a + b);

    /// <summary>The events of one case that fall in <paramref name="period"/> (every event when null).</summary>
    public static PerformanceTally Of(CaseOutcomeFacts f, Period? period = null)
    {
        bool In(DateTimeOffset? m) => m is not null && (period is null || period.Contains(m));
        var concluded = In(f.ConcludedAt);
        var yellow = f.YellowCards.Order().ToList();
        var answered = f.Orders.Where(o => In(o.RespondedAt)).ToList();
        return new PerformanceTally
        {
            Received = In(f.ReceivedAt) ? 1 : 0,
            Accepted = In(f.AcceptedAt) ? 1 : 0,
            Concluded = concluded ? 1 : 0,
            OnTime = concluded && f.OnTime ? 1 : 0,
            Early = concluded && f.Early ? 1 : 0,
            Overdue = concluded && f.Overdue ? 1 : 0,
            UsedDays = concluded ? f.UsedDays ?? 0 : 0,
            LegalDays = concluded ? f.LegalLimitDays : 0,
            PromisedDays = concluded ? f.PromisedLimitDays : 0,
            YellowCards = yellow.Count(m => In(m)),
            RedCards = f.RedCards.Count(m => In(m)),
            RepeatedWarnings = yellow.Where((m, i) => (i + 1) % 3 == 0 && In(m)).Count(),
            Orders = f.Orders.Count(o => In(o.IssuedAt)),
            OrdersResponded = answered.Count,
            ResponseDays = answered.Sum(o => (long)(o.ResponseWorkingDays ?? 0)),
            Ratings = f.Ratings.Count(r => In(r.At)),
            GoodRatings = f.Ratings.Count(r => r.IsGood && In(r.At)),
            Complaints = f.Complaints.Count(m => In(m)),
        };
    }

    private static decimal? Ratio(long numerator, long denominator) => denominator == 0 ? null : (decimal)numerator / denominator;
}

/// <summary>Indicator formulas over per-case facts, grouped.</summary>
public static class Performance
{
    /// <summary>The tally of all the cases' events in the period.</summary>
    public static PerformanceTally Tally(IEnumerable<CaseOutcomeFacts> facts, Period? period = null) =>
        PerformanceTally.Sum(facts.Select(f => PerformanceTally.Of(f, period)));

    /// <summary>One tally per department, matter or officer, ordered by key.</summary>
    public static IReadOnlyDictionary<string, PerformanceTally> GroupBy(IEnumerable<CaseOutcomeFacts> facts, PerformanceDimension dimension,
        Period? period = null) =>
        new SortedDictionary<string, PerformanceTally>(
            facts.GroupBy(f => KeyOf(f, dimension)).ToDictionary(g => g.Key, g => Tally(g, period)),
            StringComparer.Ordinal);

    public static string KeyOf(CaseOutcomeFacts f, PerformanceDimension dimension) => dimension switch
    {
        PerformanceDimension.Department => f.Department,
        PerformanceDimension.Matter => f.MatterCode,
        PerformanceDimension.Officer => f.Officer,
    };
}
