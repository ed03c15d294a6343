using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Ratings;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Ratings;

/// <summary>
/// 好差评 figures for the performance page and the provincial system: satisfaction by indicator, 差评 rectified on time, call-back rate,
/// per department or matter, and the ratings of a period in the standard's fields. A rating voided by an upheld appeal does not count.
/// </summary>
public sealed class RatingFigures(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>
    /// One unit's figures. Satisfaction 满意率 = ratings 基本满意 or better / ratings; per indicator the same over the ratings that scored
    /// it. Rectifications are those opened in the period (voided ones left out): on time = fixed or explained by the due moment.
    /// </summary>
    public sealed record Row(string Key, string Name, int Ratings, int Satisfied, int Bad, IReadOnlyDictionary<string, (int Satisfied, int Scored)> Indicators,
        int Rectifications, int OnTime, int CalledBack, int AppealsUpheld)
    {
        public decimal? SatisfactionRate => Ratio(Satisfied, Ratings);

        public decimal? OnTimeRate => Ratio(OnTime, Rectifications);

        public decimal? CallBackRate => Ratio(CalledBack, Rectifications);

        public decimal? IndicatorRate(string indicator) => Indicators.TryGetValue(indicator, out var i) ? Ratio(i.Satisfied, i.Scored) : null;

        private static decimal? Ratio(int part, int whole) => whole == 0 ? null : Math.Round((decimal)part / whole, 4);
    }

    /// <summary>One rating as exported, with its case's matter and department and its rectification, if any.</summary>
    public sealed record Export(CaseRating Rating, string? CaseNumber, string MatterCode, string MatterName, string Department, Rectification? Rectification);

    /// <summary>The figures of the local days [from, to) per department (or matter), ordered by key.</summary>
    public async Task<List<Row>> ComputeAsync(DateOnly from, DateOnly to, PerformanceDimension dimension, CancellationToken ct = default)
    {
        var (start, end) = (WorkingTime.EndOfDay(from.AddDays(-1)), WorkingTime.EndOfDay(to.AddDays(-1)));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ratings = await (from r in db.Ratings.AsNoTracking()
                             join c in db.Cases.AsNoTracking().IgnoreAutoIncludes() on r.CaseId equals c.Id
                             where r.RatedAt >= start && r.RatedAt < end
                             select new { r.Level, r.Indicators, r.Excluded, c.LeadDepartment, c.MatterCode }).ToListAsync(ct);
        var rectifications = await db.Rectifications.AsNoTracking().Where(r => r.OpenedAt >= start && r.OpenedAt < end).ToListAsync(ct);
        bool byDepartment = dimension != PerformanceDimension.Matter;
        var names = byDepartment
            ? await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.ShortName, ct)
            : await db.Matters.AsNoTracking().ToDictionaryAsync(m => m.Code, m => m.Name, ct);

        var counted = ratings.Where(r => !r.Excluded).ToList();
        var keys = counted.Select(r => byDepartment ? r.LeadDepartment : r.MatterCode)
            .Concat(rectifications.Select(r => byDepartment ? r.Department : r.MatterCode)).Distinct().Order(StringComparer.Ordinal);
        return [.. keys.Select(key =>
        {
            var mine = counted.Where(r => (byDepartment ? r.LeadDepartment : r.MatterCode) == key).ToList();
            var scores = mine.SelectMany(r => ServiceRatings.Parse(r.Indicators)).ToList();
            var indicators = ServiceRatings.AllIndicators.Where(i => scores.Any(s => s.Key == i))
                .ToDictionary(i => i, i => (scores.Count(s => s.Key == i && s.Value >= 3), scores.Count(s => s.Key == i)));
            var fixes = rectifications.Where(r => (byDepartment ? r.Department : r.MatterCode) == key).ToList();
            var live = fixes.Where(r => r.State != RectificationState.Voided).ToList();
            return new Row(key, names.GetValueOrDefault(key, key), mine.Count, mine.Count(r => r.Level >= 3), mine.Count(r => ServiceRatings.IsBad(r.Level)),
                indicators, live.Count, live.Count(r => r.OnTime), live.Count(r => r.CalledBackAt is not null),
                fixes.Count(r => r.Appeal == AppealState.Upheld));
        })];
    }

    /// <summary>The ratings given in the local days [from, to), oldest first, with what the export needs.</summary>
    public async Task<List<Export>> RatingsAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var (start, end) = (WorkingTime.EndOfDay(from.AddDays(-1)), WorkingTime.EndOfDay(to.AddDays(-1)));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await (from r in db.Ratings.AsNoTracking()
                          join c in db.Cases.AsNoTracking().IgnoreAutoIncludes() on r.CaseId equals c.Id
                          where r.RatedAt >= start && r.RatedAt < end
                          orderby r.RatedAt, r.CaseId
                          select new { Rating = r, c.Number, c.MatterCode, c.MatterName, c.LeadDepartment }).ToListAsync(ct);
        var ids = rows.Select(r => r.Rating.CaseId).Distinct().ToList();
        var fixes = new List<Rectification>();
        foreach (var chunk in ids.Chunk(500))
        {
            fixes.AddRange(await db.Rectifications.AsNoTracking().Where(r => chunk.Contains(r.CaseId)).ToListAsync(ct));
        }

        var byKey = fixes.ToDictionary(r => (r.CaseId, r.Point));
        var departments = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        return [.. rows.Select(r => new Export(r.Rating, r.Number, r.MatterCode, r.MatterName,
            departments.GetValueOrDefault(r.LeadDepartment, r.LeadDepartment),
            byKey.GetValueOrDefault((r.Rating.CaseId, r.Rating.Point))))];
    }

    /// <summary>
    /// The export's columns, named as GB/T 39734-2020 and the national 好差评 data exchange name them: the overall level 整体满意度, then each
    /// second-level indicator 二级指标 by its name (blank where the channel does not have it), the text, and how a 差评 was disposed of.
    /// </summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "评价编号", "办件编号", "事项编码", "事项名称", "实施主体", "评价渠道", "评价节点", "整体满意度", .. ServiceRatings.AllIndicators, "文字评价", "评价时间",
        "差评整改状态", "回访时间", "整改结果", "整改说明", "是否计入统计",
    ];

    /// <summary>The ratings as an Excel workbook in <see cref="Columns"/>, one row each (the header row alone when there are none).</summary>
    public static byte[] Workbook(string title, IReadOnlyList<Export> rows)
    {
        using var table = new System.Data.DataTable(title) { Locale = System.Globalization.CultureInfo.InvariantCulture };
        foreach (var column in Columns)
        {
            table.Columns.Add(column, typeof(string));
        }

        foreach (var e in rows)
        {
            var indicators = ServiceRatings.Parse(e.Rating.Indicators);
            var r = e.Rectification;
            var row = table.NewRow();
            row["评价编号"] = $"{e.CaseNumber}-{(e.Rating.Point == RatingPoint.Acceptance ? "SL" : "BJ")}";
            row["办件编号"] = e.CaseNumber ?? "";
            row["事项编码"] = e.MatterCode;
            row["事项名称"] = e.MatterName;
            row["实施主体"] = e.Department;
            row["评价渠道"] = e.Rating.Channel;
            row["评价节点"] = ServiceRatings.PointName(e.Rating.Point);
            row["整体满意度"] = ServiceRatings.LevelName(e.Rating.Level);
            foreach (var i in ServiceRatings.AllIndicators)
            {
                row[i] = indicators.TryGetValue(i, out var level) ? ServiceRatings.LevelName(level) : "";
            }

            row["文字评价"] = e.Rating.Comment ?? "";
            row["评价时间"] = Local(e.Rating.RatedAt, "yyyy-MM-dd HH:mm:ss");
            row["差评整改状态"] = r is null ? "" : Rectification.Name(r.State);
            row["回访时间"] = r?.CalledBackAt is { } called ? Local(called, "yyyy-MM-dd HH:mm") : "";
            row["整改结果"] = r?.Resolution is { } res ? Rectification.Name(res) : "";
            row["整改说明"] = r?.ResolutionText ?? "";
            row["是否计入统计"] = e.Rating.Excluded ? "否（申诉成立）" : "是";
            table.Rows.Add(row);
        }

        using var stream = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(stream, table, sheetName: title);
        return stream.ToArray();
    }

    private static string Local(DateTimeOffset at, string format) =>
        at.ToOffset(WorkingTime.ChinaOffset).ToString(format, System.Globalization.CultureInfo.InvariantCulture);
}
