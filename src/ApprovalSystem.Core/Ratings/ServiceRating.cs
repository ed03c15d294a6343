using System.Globalization;
using ApprovalSystem.Core.Cases;

namespace ApprovalSystem.Core.Ratings;

/// <summary>
/// The points of a case at which the applicant may rate the service 一事多评 (GB/T 39734-2020): once after acceptance, once after
/// conclusion. One rating per point per case.
/// </summary>
/// <remarks>
/// The conclusion point is the default (0): the single rating of earlier versions was a rating after conclusion, and its rows take
/// that point without a data step.
/// </remarks>
public enum RatingPoint
{
    /// <summary>办结后: the whole handling, once the case is concluded.</summary>
    Conclusion = 0,

    /// <summary>受理后: how the filing was received and accepted.</summary>
    Acceptance = 1,
}

/// <summary>The five rating levels 评价等级, the standard's indicators by channel, and which points of a case are open.</summary>
public static class ServiceRatings
{
    /// <summary>The online indicators 线上评价二级指标.</summary>
    public static readonly IReadOnlyList<string> OnlineIndicators = ["办事效率", "办事指南精确度", "办事便捷度", "平台操作性"];

    /// <summary>The indicators at the window 线下（现场）评价二级指标.</summary>
    public static readonly IReadOnlyList<string> WindowIndicators = ["服务效率", "服务水平", "服务态度"];

    /// <summary>Every indicator, online first (the export's column order).</summary>
    public static readonly IReadOnlyList<string> AllIndicators = [.. OnlineIndicators, .. WindowIndicators];

    /// <summary>非常满意 (5) … 非常不满意 (1).</summary>
    public static string LevelName(int level) => level switch
    {
        5 => "非常满意",
        4 => "满意",
        3 => "基本满意",
        2 => "不满意",
        1 => "非常不满意",
        _ => "",
    };

    /// <summary>A 差评: the two lowest levels. Each one opens a rectification 整改.</summary>
    public static bool IsBad(int level) => level is 1 or 2;

    /// <summary>受理后 / 办结后.</summary>
    public static string PointName(RatingPoint point) => point switch
    {
        RatingPoint.Acceptance => "受理后",
        RatingPoint.Conclusion => "办结后",
        _ => "",
    };

    /// <summary>线上 for a case filed online (by the applicant or an agent), 线下 for one filed at the window.</summary>
    public static string ChannelName(CaseChannel channel) => channel == CaseChannel.Window ? "线下" : "线上";

    /// <summary>The indicators the standard asks for on the case's channel.</summary>
    public static IReadOnlyList<string> IndicatorsFor(CaseChannel channel) => channel == CaseChannel.Window ? WindowIndicators : OnlineIndicators;

    /// <summary>
    /// The points the applicant may rate now, the latest first: after acceptance once the case was accepted, after conclusion once it concluded (a
    /// refusal concludes too; a withdrawal offers nothing more), less the points already rated.
    /// </summary>
    public static IReadOnlyList<RatingPoint> OpenPoints(Case c, IEnumerable<RatingPoint> rated)
    {
        ArgumentNullException.ThrowIfNull(c);
        var done = rated.ToHashSet();
        var open = new List<RatingPoint>(2);
        if (c.ConcludedAt is not null && c.State != CaseState.Withdrawn && !done.Contains(RatingPoint.Conclusion))
        {
            open.Add(RatingPoint.Conclusion);
        }

        if (c.AcceptedAt is not null && c.State != CaseState.Withdrawn && !done.Contains(RatingPoint.Acceptance))
        {
            open.Add(RatingPoint.Acceptance);
        }

        return open;
    }

    /// <summary>Whether the point may be rated on the case at all (rated or not).</summary>
    public static bool Reached(Case c, RatingPoint point) => OpenPoints(c, []).Contains(point);

    /// <summary>
    /// Checks indicator levels against the channel: only the channel's indicators, each 1–5. Returns a message a person can act on,
    /// or null when they are fine. An empty set is allowed (the overall level is what counts; a bundle's one-click rating has none).
    /// </summary>
    public static string? CheckIndicators(CaseChannel channel, IReadOnlyDictionary<string, int>? indicators)
    {
        if (indicators is null)
        {
            return null;
        }

        var allowed = IndicatorsFor(channel);
        var foreign = indicators.Keys.FirstOrDefault(k => !allowed.Contains(k));
        if (foreign is not null)
        {
            return $"“{foreign}”不是{ChannelName(channel)}评价的指标；请评价：{string.Join("、", allowed)}";
        }

        var wrong = indicators.FirstOrDefault(i => i.Value is < 1 or > 5);
        return wrong.Key is null ? null : $"“{wrong.Key}”请选择非常满意至非常不满意之一";
    }

    /// <summary>Indicator levels as stored: "办事效率=5;办事便捷度=4" in the standard's order.</summary>
    public static string Format(IReadOnlyDictionary<string, int>? indicators) => indicators is null
        ? ""
        : string.Join(';', AllIndicators.Where(indicators.ContainsKey).Select(k => k + "=" + indicators[k].ToString(CultureInfo.InvariantCulture)));

    /// <summary>The stored text back as indicator levels.</summary>
    public static IReadOnlyDictionary<string, int> Parse(string? stored)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var part in (stored ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split('=', 2);
            if (pair.Length == 2 && int.TryParse(pair[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var level))
            {
                result[pair[0]] = level;
            }
        }

        return result;
    }
}
