namespace ApprovalSystem.Core.Supervision;

/// <summary>Quarterly grades 季度考核等次.</summary>
public enum Grade
{
    /// <summary>优秀.</summary>
    Excellent,

    /// <summary>良好.</summary>
    Good,

    /// <summary>合格.</summary>
    Pass,

    /// <summary>不合格: the unit receives a supervision recommendation 监察建议书.</summary>
    Fail,
}

/// <summary>
/// The scoring rules 评分规则 of the municipal e-supervision rules, as configuration (section
/// "Supervision:Scoring" on the Web side). Percentages are whole percent.
/// </summary>
public sealed record ScoringRules
{
    /// <summary>Monthly base score.</summary>
    public decimal Base { get; init; } = 100;

    /// <summary>Deducted per yellow card 黄牌.</summary>
    public decimal YellowCard { get; init; } = 5;

    /// <summary>Deducted per red card 红牌.</summary>
    public decimal RedCard { get; init; } = 10;

    /// <summary>Deducted per three consecutive warnings on one case (see <see cref="PerformanceTally.RepeatedWarnings"/>).</summary>
    public decimal RepeatedWarnings { get; init; } = 3;

    /// <summary>The early-conclusion share (percent of the period's conclusions) that earns the bonus.</summary>
    public decimal EarlyBonusFromPercent { get; init; } = 10;

    public decimal EarlyBonus { get; init; } = 1;

    /// <summary>Every further step of this many percent adds <see cref="EarlyBonusPerStep"/>.</summary>
    public decimal EarlyBonusStepPercent { get; init; } = 10;

    public decimal EarlyBonusPerStep { get; init; } = 1;

    /// <summary>How much shorter (percent) the promised limits must be than the legal ones to earn the bonus.</summary>
    public decimal PromisedBonusFromPercent { get; init; } = 30;

    public decimal PromisedBonus { get; init; } = 3;

    public decimal PromisedBonusStepPercent { get; init; } = 10;

    public decimal PromisedBonusPerStep { get; init; } = 1;

    /// <summary>Lowest quarterly score graded 优秀.</summary>
    public decimal ExcellentFrom { get; init; } = 95;

    /// <summary>Lowest quarterly score graded 良好.</summary>
    public decimal GoodFrom { get; init; } = 85;

    /// <summary>Lowest quarterly score graded 合格; below it 不合格.</summary>
    public decimal PassFrom { get; init; } = 70;

    public static readonly ScoringRules Default = new();

    /// <summary>The month's score sheet of a unit from its tally for the month.</summary>
    public ScoreSheet Score(PerformanceTally t)
    {
        var yellow = t.YellowCards * YellowCard;
        var red = t.RedCards * RedCard;
        var repeated = t.RepeatedWarnings * RepeatedWarnings;
        var early = t.EarlyRate is { } e ? StepBonus(e * 100, EarlyBonusFromPercent, EarlyBonus, EarlyBonusStepPercent, EarlyBonusPerStep) : 0;
        var promised = t.PromisedShortening is { } p
            ? StepBonus(p * 100, PromisedBonusFromPercent, PromisedBonus, PromisedBonusStepPercent, PromisedBonusPerStep) : 0;
        return new ScoreSheet(Base, yellow, red, repeated, early, promised, Base - yellow - red - repeated + early + promised);
    }

    /// <summary>The quarter's score: the average of its monthly scores.</summary>
    public static decimal QuarterScore(IReadOnlyCollection<decimal> monthlyScores) =>
        monthlyScores.Count == 0 ? throw new ArgumentException("A quarter needs at least one monthly score.", nameof(monthlyScores)) : monthlyScores.Average();

    /// <summary>The quarterly grade of a score.</summary>
    public Grade GradeOf(decimal quarterScore) =>
        quarterScore >= ExcellentFrom ? Grade.Excellent : quarterScore >= GoodFrom ? Grade.Good : quarterScore >= PassFrom ? Grade.Pass : Grade.Fail;

    public static string Name(Grade grade) => grade switch
    {
        Grade.Excellent => "优秀",
        Grade.Good => "良好",
        Grade.Pass => "合格",
        Grade.Fail => "不合格",
    };

    private static decimal StepBonus(decimal percent, decimal from, decimal bonus, decimal step, decimal perStep) =>
        percent < from ? 0 : bonus + (step <= 0 ? 0 : Math.Floor((percent - from) / step) * perStep);
}

/// <summary>A month's score and how it was reached.</summary>
public sealed record ScoreSheet(decimal Base, decimal YellowPenalty, decimal RedPenalty, decimal RepeatedWarningPenalty, decimal EarlyBonus,
    decimal PromisedBonus, decimal Total);

/// <summary>A unit's place in a ranking.</summary>
public sealed record Ranked(string Key, decimal Score, int Rank);

public static class Ranking
{
    /// <summary>
    /// Ranks by score, highest first; equal scores share a rank and the next rank skips
    /// (competition ranking 1, 1, 3); ties are listed by key.
    /// </summary>
    public static IReadOnlyList<Ranked> Rank(IEnumerable<KeyValuePair<string, decimal>> scores)
    {
        var ordered = scores.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).ToList();
        var result = new List<Ranked>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var rank = i > 0 && ordered[i].Value == ordered[i - 1].Value ? result[i - 1].Rank : i + 1;
            result.Add(new Ranked(ordered[i].Key, ordered[i].Value, rank));
        }

        return result;
    }
}
