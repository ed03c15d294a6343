using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Supervision.Performance;

/// <summary>
/// Performance evaluation 绩效评估 from the pre-aggregated days: the indicators of any period are
/// sums over its days, the monthly score sheets follow <see cref="ScoringRules"/> (configurable in
/// "Supervision:Scoring"), a quarter's score is the average of its months, graded and ranked.
/// </summary>
public sealed class PerformanceQueries(IDbContextFactory<AppDbContext> dbFactory, ScoringRules rules, TimeProvider clock)
{
    /// <summary>A unit's line in the table: its indicators, score, grade (quarters) and rank.</summary>
    public sealed record Row(string Key, string Name, PerformanceTally Tally, decimal Score, Grade? Grade, int Rank);

    /// <summary>A period of whole months: one month, or a quarter.</summary>
    public sealed record Months(int Year, int FirstMonth, int Count)
    {
        public DateOnly From => new(Year, FirstMonth, 1);

        public DateOnly To => From.AddMonths(Count);

        public string Title => Count == 3 ? $"{Year}年第{(FirstMonth + 2) / 3}季度" : $"{Year}年{FirstMonth}月";

        public IEnumerable<DateOnly> MonthStarts => Enumerable.Range(0, Count).Select(i => From.AddMonths(i));
    }

    /// <summary>One tally per unit for the days [from, to): a grouped sum in the database.</summary>
    public async Task<Dictionary<string, PerformanceTally>> TalliesAsync(DateOnly from, DateOnly to, PerformanceDimension dimension,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var days = db.PerformanceDays.AsNoTracking().Where(p => p.Day >= from && p.Day < to);
        var grouped = dimension switch
        {
            PerformanceDimension.Department => days.GroupBy(p => p.Department),
            PerformanceDimension.Matter => days.GroupBy(p => p.MatterCode),
            _ => days.GroupBy(p => p.Officer),
        };
        var rows = await grouped.Select(g => new PerformanceDay
        {
            Department = g.Key,
            Received = g.Sum(p => p.Received), Accepted = g.Sum(p => p.Accepted), Concluded = g.Sum(p => p.Concluded),
            OnTime = g.Sum(p => p.OnTime), Early = g.Sum(p => p.Early), Overdue = g.Sum(p => p.Overdue),
            UsedDays = g.Sum(p => p.UsedDays), LegalDays = g.Sum(p => p.LegalDays), PromisedDays = g.Sum(p => p.PromisedDays),
            YellowCards = g.Sum(p => p.YellowCards), RedCards = g.Sum(p => p.RedCards), RepeatedWarnings = g.Sum(p => p.RepeatedWarnings),
            Orders = g.Sum(p => p.Orders), OrdersResponded = g.Sum(p => p.OrdersResponded), ResponseDays = g.Sum(p => p.ResponseDays),
            Ratings = g.Sum(p => p.Ratings), GoodRatings = g.Sum(p => p.GoodRatings), Complaints = g.Sum(p => p.Complaints),
        }).ToListAsync(ct);
        return rows.ToDictionary(r => r.Department, r => r.ToTally());
    }

    /// <summary>The table for a period: indicators summed, each month scored, the period's score the average of its months.</summary>
    public async Task<List<Row>> EvaluateAsync(Months period, PerformanceDimension dimension, CancellationToken ct = default)
    {
        var today = WorkingTime.LocalDate(clock.GetUtcNow());
        // The period's indicators are the exact sum of its months' (one grouped query per month, not
        // one more over the whole period); only the months begun so far are scored.
        var months = new List<(DateOnly Start, Dictionary<string, PerformanceTally> Tallies)>();
        foreach (var month in period.MonthStarts)
        {
            months.Add((month, await TalliesAsync(month, month.AddMonths(1), dimension, ct)));
        }

        var total = months.SelectMany(m => m.Tallies).GroupBy(t => t.Key).ToDictionary(g => g.Key, g => PerformanceTally.Sum(g.Select(t => t.Value)));
        var monthly = months.Where(m => m.Start <= today).Select(m => m.Tallies).ToList();

        var names = await NamesAsync(dimension, ct);
        var scores = total.Keys.ToDictionary(k => k, k => monthly.Count == 0
            ? rules.Base
            : ScoringRules.QuarterScore([.. monthly.Select(m => rules.Score(m.GetValueOrDefault(k) ?? PerformanceTally.Empty).Total)]));
        var ranks = Ranking.Rank(scores).ToDictionary(r => r.Key, r => r.Rank);
        return [.. total.Select(t => new Row(t.Key, names.GetValueOrDefault(t.Key, t.Key == "" ? "（未分派）" : t.Key), t.Value, Math.Round(scores[t.Key], 2),
                period.Count == 3 ? rules.GradeOf(scores[t.Key]) : null, ranks[t.Key]))
            .OrderBy(r => r.Rank).ThenBy(r => r.Key, StringComparer.Ordinal)];
    }

    /// <summary>The month-by-month totals of a year, for the trend chart.</summary>
    public async Task<List<(int Month, PerformanceTally Tally)>> TrendAsync(int year, CancellationToken ct = default)
    {
        var result = new List<(int, PerformanceTally)>();
        for (var m = 1; m <= 12; m++)
        {
            var from = new DateOnly(year, m, 1);
            var tallies = await TalliesAsync(from, from.AddMonths(1), PerformanceDimension.Department, ct);
            result.Add((m, PerformanceTally.Sum(tallies.Values)));
        }

        return result;
    }

    private async Task<Dictionary<string, string>> NamesAsync(PerformanceDimension dimension, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return dimension switch
        {
            PerformanceDimension.Department => await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.ShortName, ct),
            PerformanceDimension.Matter => await db.Matters.AsNoTracking().ToDictionaryAsync(m => m.Code, m => m.Name, ct),
            _ => [],
        };
    }

    public static string Percent(decimal? rate) => rate is { } r ? (r * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%" : "—";

    public static string Number(decimal? value) => value is { } v ? v.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) : "—";

    /// <summary>The table as an Excel workbook (one sheet).</summary>
    public static byte[] Workbook(Months period, PerformanceDimension dimension, IReadOnlyList<Row> rows)
    {
        var sheet = rows.Select(r => new Dictionary<string, object?>
        {
            ["排名"] = r.Rank,
            [dimension switch { PerformanceDimension.Department => "部门", PerformanceDimension.Matter => "事项", _ => "承办人" }] = r.Name,
            ["收件"] = r.Tally.Received,
            ["受理"] = r.Tally.Accepted,
            ["办结"] = r.Tally.Concluded,
            ["按时办结率"] = Percent(r.Tally.OnTimeRate),
            ["提前办结率"] = Percent(r.Tally.EarlyRate),
            ["平均用时（工作日）"] = Number(r.Tally.AverageUsedDays),
            ["提速率"] = Percent(r.Tally.SpeedUpRate),
            ["超期件"] = r.Tally.Overdue,
            ["黄牌"] = r.Tally.YellowCards,
            ["红牌"] = r.Tally.RedCards,
            ["督办"] = r.Tally.Orders,
            ["督办平均反馈（工作日）"] = Number(r.Tally.AverageResponseDays),
            ["满意率"] = Percent(r.Tally.SatisfactionRate),
            ["投诉"] = r.Tally.Complaints,
            ["得分"] = r.Score,
            ["等次"] = r.Grade is { } g ? ScoringRules.Name(g) : "",
        }).ToList();
        using var stream = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(stream, new Dictionary<string, object> { [period.Title + "绩效"] = sheet });
        return stream.ToArray();
    }
}
