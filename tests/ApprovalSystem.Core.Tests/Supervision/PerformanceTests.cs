using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Supervision;
using static ApprovalSystem.Core.Tests.Cases.CaseFixture;

namespace ApprovalSystem.Core.Tests.Supervision;

public class PerformanceTests
{
    private static readonly Period March = new(Local(3, 1, 0), Local(4, 1, 0));

    /// <summary>
    /// A: SCJG/M1/o1, received and accepted 2 Mar, concluded 10 Mar using 6 of 10 promised days (on time, early), rated 5.
    /// B: SCJG/M1/o2, received 3 Mar, concluded 20 Mar using 12 of 10 (overdue), three yellow cards and a red one,
    ///    an order answered in 2 working days, rated 2, one complaint.
    /// C: ZJ/M2/o3, received 27 Feb, accepted 2 Mar, one yellow card 30 Mar, concluded 2 Apr (outside March).
    /// D: SCJG/M2/o1, received 30 Mar, not accepted yet.
    /// </summary>
    private static readonly CaseOutcomeFacts[] Cases =
    [
        new CaseOutcomeFacts
        {
            CaseId = 1, Department = "SCJG", MatterCode = "M1", Officer = "o1", ReceivedAt = Local(3, 2), AcceptedAt = Local(3, 2),
            LegalLimitDays = 20, PromisedLimitDays = 10, Ratings = [new RatingFacts(Local(3, 11), 5)],
        }.Concluded(Local(3, 10), 6),
        new CaseOutcomeFacts
        {
            CaseId = 2, Department = "SCJG", MatterCode = "M1", Officer = "o2", ReceivedAt = Local(3, 3), AcceptedAt = Local(3, 3),
            LegalLimitDays = 20, PromisedLimitDays = 10,
            YellowCards = [Local(3, 16), Local(3, 12), Local(3, 13)], RedCards = [Local(3, 17)],
            Orders = [new OrderFacts(Local(3, 17), Local(3, 19), 2)], Ratings = [new RatingFacts(Local(3, 21), 2)], Complaints = [Local(3, 21)],
        }.Concluded(Local(3, 20), 12),
        new CaseOutcomeFacts
        {
            CaseId = 3, Department = "ZJ", MatterCode = "M2", Officer = "o3", ReceivedAt = Local(2, 27), AcceptedAt = Local(3, 2),
            LegalLimitDays = 20, PromisedLimitDays = 15, YellowCards = [Local(3, 30)],
        }.Concluded(Local(4, 2), 14),
        new CaseOutcomeFacts { CaseId = 4, Department = "SCJG", MatterCode = "M2", Officer = "o1", ReceivedAt = Local(3, 30), LegalLimitDays = 20, PromisedLimitDays = 15 },
    ];

    [Fact]
    public void Concluded_ClassifiesAgainstThePromisedLimit()
    {
        var f = Cases[3];

        Assert.True(f.Concluded(Monday, 14) is { OnTime: true, Early: true, Overdue: false });
        Assert.True(f.Concluded(Monday, 15) is { OnTime: true, Early: false, Overdue: false });
        Assert.True(f.Concluded(Monday, 16) is { OnTime: false, Early: false, Overdue: true, UsedDays: 16 });
    }

    [Fact]
    public void From_ApprovedCase_UsesThePromisedClock()
    {
        // Accepted Mon 2 Mar, approved Thu 5 Mar: Tue 3, Wed 4, Thu 5 = 3 of 10 promised working days.
        var c = ApprovedPromisedSingle();
        var yellow = new SupervisionCard(new CardSubject(0, "wi"), CardKind.Yellow, Local(3, 3));

        var f = CaseOutcomeFacts.From(c, "scjg-o1", [yellow]);

        Assert.Equal(c.SubmittedAt, f.ReceivedAt);
        Assert.Equal(Local(3, 5), f.ConcludedAt);
        Assert.True(f is { UsedDays: 3, OnTime: true, Early: true, Overdue: false, LegalLimitDays: 20, PromisedLimitDays: 10 });
        Assert.Equal([Local(3, 3)], f.YellowCards);
        Assert.Empty(f.RedCards);
    }

    [Fact]
    public void From_RefusedCase_IsReceivedButNotConcluded()
    {
        var f = CaseOutcomeFacts.From(InState(CaseState.NotAccepted), "");

        Assert.Null(f.ConcludedAt);
        Assert.Equal((1, 0, 0), (PerformanceTally.Of(f).Received, PerformanceTally.Of(f).Accepted, PerformanceTally.Of(f).Concluded));
    }

    [Fact]
    public void Tally_March_CountsEachEventInThePeriodItHappenedIn()
    {
        var t = Performance.Tally(Cases, March);

        Assert.Equal(3, t.Received); // A, B, D (C was received in February)
        Assert.Equal(3, t.Accepted); // A, B, C
        Assert.Equal(2, t.Concluded); // A, B (C concluded in April)
        Assert.Equal((1, 1, 1), (t.OnTime, t.Early, t.Overdue));
        Assert.Equal((18L, 40L, 20L), (t.UsedDays, t.LegalDays, t.PromisedDays));
        Assert.Equal((4, 1, 1), (t.YellowCards, t.RedCards, t.RepeatedWarnings));
        Assert.Equal((1, 1, 2L), (t.Orders, t.OrdersResponded, t.ResponseDays));
        Assert.Equal((2, 1, 1), (t.Ratings, t.GoodRatings, t.Complaints));
    }

    [Fact]
    public void Tally_March_Indicators()
    {
        var t = Performance.Tally(Cases, March);

        Assert.Equal(0.5m, t.OnTimeRate);
        Assert.Equal(0.5m, t.EarlyRate);
        Assert.Equal(9m, t.AverageUsedDays);
        Assert.Equal(0.55m, t.SpeedUpRate); // (40 − 18) / 40
        Assert.Equal(0.5m, t.PromisedShortening); // (40 − 20) / 40
        Assert.Equal(2m, t.AverageResponseDays);
        Assert.Equal(0.5m, t.SatisfactionRate);
    }

    [Fact]
    public void Tally_Empty_RatesAreNull()
    {
        var t = Performance.Tally([], March);

        Assert.Equal(PerformanceTally.Empty, t);
        Assert.Null(t.OnTimeRate);
        Assert.Null(t.SpeedUpRate);
        Assert.Null(t.AverageResponseDays);
        Assert.Null(t.SatisfactionRate);
    }

    [Fact]
    public void Tally_WithoutPeriod_CountsEverything()
    {
        var t = Performance.Tally(Cases);

        Assert.Equal((4, 3, 3), (t.Received, t.Accepted, t.Concluded));
        Assert.Equal(32L, t.UsedDays);
    }

    [Fact]
    public void Tally_PerDayTalliesSum_ExactlyToTheMonth()
    {
        var days = Enumerable.Range(1, 31).Select(d => new Period(Local(3, d, 0), d == 31 ? Local(4, 1, 0) : Local(3, d + 1, 0)));

        var summed = PerformanceTally.Sum(days.Select(p => Performance.Tally(Cases, p)));

        Assert.Equal(Performance.Tally(Cases, March), summed);
    }

    [Fact]
    public void Tally_RepeatedWarnings_EveryThirdYellowCardOfACase_InThePeriodOfThatCard()
    {
        var f = Cases[3] with { YellowCards = [Local(2, 26), Local(2, 27), Local(3, 2), Local(3, 3), Local(3, 4), Local(3, 5), Local(3, 6)] };

        Assert.Equal(1, PerformanceTally.Of(f, new Period(Local(3, 1, 0), Local(3, 3, 0))).RepeatedWarnings); // the 3rd (2 Mar)
        Assert.Equal(1, PerformanceTally.Of(f, new Period(Local(3, 3, 0), Local(4, 1, 0))).RepeatedWarnings); // the 6th (5 Mar)
        Assert.Equal(2, PerformanceTally.Of(f).RepeatedWarnings);
    }

    [Fact]
    public void GroupBy_Department()
    {
        var g = Performance.GroupBy(Cases, PerformanceDimension.Department, March);

        Assert.Equal(["SCJG", "ZJ"], g.Keys);
        Assert.Equal((3, 2, 2, 3, 1), (g["SCJG"].Received, g["SCJG"].Accepted, g["SCJG"].Concluded, g["SCJG"].YellowCards, g["SCJG"].RedCards));
        Assert.Equal((0, 1, 0, 1), (g["ZJ"].Received, g["ZJ"].Accepted, g["ZJ"].Concluded, g["ZJ"].YellowCards));
        Assert.Equal(Performance.Tally(Cases, March), PerformanceTally.Sum(g.Values));
    }

    [Fact]
    public void GroupBy_MatterAndOfficer()
    {
        var byMatter = Performance.GroupBy(Cases, PerformanceDimension.Matter, March);
        var byOfficer = Performance.GroupBy(Cases, PerformanceDimension.Officer, March);

        Assert.Equal((2, 2), (byMatter["M1"].Received, byMatter["M1"].Concluded));
        Assert.Equal((1, 0), (byMatter["M2"].Received, byMatter["M2"].Concluded));
        Assert.Equal(["o1", "o2", "o3"], byOfficer.Keys);
        Assert.Equal((2, 1, 1m), (byOfficer["o1"].Received, byOfficer["o1"].Concluded, byOfficer["o1"].OnTimeRate));
        Assert.Equal(0m, byOfficer["o2"].OnTimeRate);
    }

    // ---- scoring ----------------------------------------------------------------------------------

    [Fact]
    public void Score_March_DefaultRules()
    {
        // 100 − 4×5 − 1×10 − 1×3 + early 50 % (1 + 4) + promised 50 % shorter (3 + 2) = 77.
        var sheet = ScoringRules.Default.Score(Performance.Tally(Cases, March));

        Assert.Equal(new ScoreSheet(100, 20, 10, 3, 5, 5, 77), sheet);
    }

    [Theory]
    [InlineData(100, 9, 0)]
    [InlineData(10, 1, 1)]
    [InlineData(100, 19, 1)]
    [InlineData(10, 2, 2)]
    [InlineData(3, 1, 3)] // 33.3 %
    public void Score_EarlyConclusionBonus_OnePointAtTenPercent_PlusOnePerFurtherTen(int concluded, int early, int bonus)
    {
        var sheet = ScoringRules.Default.Score(new PerformanceTally { Concluded = concluded, OnTime = concluded, Early = early });

        Assert.Equal(bonus, sheet.EarlyBonus);
        Assert.Equal(100 + bonus, sheet.Total);
    }

    [Theory]
    [InlineData(100, 71, 0)]
    [InlineData(100, 70, 3)]
    [InlineData(100, 61, 3)]
    [InlineData(100, 60, 4)]
    [InlineData(20, 0, 10)] // 100 % shorter: 3 + 7
    public void Score_PromisedLimitBonus_ThreeAtThirtyPercentShorter_PlusOnePerFurtherTen(int legal, int promised, int bonus)
    {
        var sheet = ScoringRules.Default.Score(new PerformanceTally { Concluded = 1, LegalDays = legal, PromisedDays = promised });

        Assert.Equal(bonus, sheet.PromisedBonus);
    }

    [Fact]
    public void Score_NoConclusions_NoBonuses()
    {
        var sheet = ScoringRules.Default.Score(new PerformanceTally { Received = 5, YellowCards = 1 });

        Assert.Equal(new ScoreSheet(100, 5, 0, 0, 0, 0, 95), sheet);
    }

    [Fact]
    public void Score_ConfiguredRules()
    {
        var rules = new ScoringRules { Base = 50, YellowCard = 1, RedCard = 2, RepeatedWarnings = 0, EarlyBonusFromPercent = 50, PromisedBonusFromPercent = 60 };

        Assert.Equal(50 - 4 - 2 + 1 + 0, rules.Score(Performance.Tally(Cases, March)).Total);
    }

    [Theory]
    [InlineData(100, Grade.Excellent)]
    [InlineData(95, Grade.Excellent)]
    [InlineData(94.99, Grade.Good)]
    [InlineData(85, Grade.Good)]
    [InlineData(84.5, Grade.Pass)]
    [InlineData(70, Grade.Pass)]
    [InlineData(69.99, Grade.Fail)]
    public void Grade_DefaultThresholds(decimal score, Grade grade)
    {
        Assert.Equal(grade, ScoringRules.Default.GradeOf(score));
    }

    [Fact]
    public void Grade_ConfiguredThresholds_AndNames()
    {
        var rules = new ScoringRules { ExcellentFrom = 90, GoodFrom = 80, PassFrom = 60 };

        Assert.Equal(Grade.Excellent, rules.GradeOf(90));
        Assert.Equal(Grade.Pass, rules.GradeOf(60));
        Assert.Equal(Grade.Fail, rules.GradeOf(59));
        Assert.Equal(["优秀", "良好", "合格", "不合格"], Enum.GetValues<Grade>().Select(ScoringRules.Name));
    }

    [Fact]
    public void QuarterScore_IsTheAverageOfTheMonths()
    {
        Assert.Equal(90m, ScoringRules.QuarterScore([100m, 90m, 80m]));
        Assert.Equal(Grade.Good, ScoringRules.Default.GradeOf(ScoringRules.QuarterScore([100m, 90m, 80m])));
        Assert.Throws<ArgumentException>(() => ScoringRules.QuarterScore([]));
    }

    [Fact]
    public void Rank_HighestFirst_TiesShareARank()
    {
        var ranked = Ranking.Rank(new Dictionary<string, decimal> { ["SCJG"] = 90, ["ZJ"] = 95, ["GA"] = 90, ["SW"] = 80 });

        Assert.Equal(
            [new Ranked("ZJ", 95, 1), new Ranked("GA", 90, 2), new Ranked("SCJG", 90, 2), new Ranked("SW", 80, 4)],
            ranked);
    }
}
