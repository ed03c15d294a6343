using ApprovalSystem.Core.Bundles;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Supervision.Performance;

/// <summary>
/// The bundles' own figures 一件事统计 over a period of local days (decision 0057): received, concluded, concluded within the bundle's
/// promised limit, the average working days a concluded bundle took, and the share served in one visit. A member's timeliness is
/// not here: members are ordinary cases, counted (and late) under their own departments by <see cref="PerformanceAggregator"/>.
/// </summary>
public sealed class BundleStatistics(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>
    /// One bundle's (or the total's) figures. <see cref="Reviewed"/> are the bundles the window decided in the period (accepted or
    /// refused); <see cref="OneVisit"/> those of them accepted without a supplement notice — filed online or at one window or agent
    /// visit, the applicant never came back.
    /// </summary>
    public sealed record Row(string Code, string Name, int Received, int Concluded, int OnTime, decimal? AverageDays, int Reviewed, int OneVisit)
    {
        public decimal? OnTimeRate => Concluded == 0 ? null : (decimal)OnTime / Concluded;

        public decimal? OneVisitRate => Reviewed == 0 ? null : (decimal)OneVisit / Reviewed;
    }

    /// <summary>The figures of every bundle with something in [from, to) (local days), by code, and their total.</summary>
    public async Task<(List<Row> Bundles, Row Total)> ComputeAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var start = WorkingTime.EndOfDay(from.AddDays(-1));
        var end = WorkingTime.EndOfDay(to.AddDays(-1));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var items = await db.BundleCases.AsNoTracking()
            .Where(b => (b.SubmittedAt >= start && b.SubmittedAt < end) || (b.AcceptedAt >= start && b.AcceptedAt < end)
                || (b.ConcludedAt >= start && b.ConcludedAt < end))
            .Select(b => new Item(b.BundleCode, b.BundleName, b.State, b.SubmittedAt, b.AcceptedAt, b.ConcludedAt, b.Deadline, b.SupplementItems))
            .ToListAsync(ct);
        bool In(DateTimeOffset? t) => t >= start && t < end;
        Row Tally(string code, string name, IReadOnlyCollection<Item> list)
        {
            var concluded = list.Where(b => b.State is BundleState.Concluded or BundleState.Stopped && In(b.ConcludedAt)).ToList();
            var reviewed = list.Where(b => In(b.AcceptedAt) || (b.State == BundleState.NotAccepted && In(b.ConcludedAt))).ToList();
            return new Row(code, name,
                list.Count(b => In(b.SubmittedAt)),
                concluded.Count,
                concluded.Count(b => b.Deadline.DueAt is { } due && b.ConcludedAt <= due),
                concluded.Count == 0 ? null : Math.Round((decimal)concluded.Average(b => b.Deadline.UsedDays), 1),
                reviewed.Count,
                reviewed.Count(b => b.AcceptedAt is not null && b.SupplementItems.Count == 0));
        }

        var rows = items.GroupBy(b => b.Code).Select(g => Tally(g.Key, g.OrderByDescending(b => b.SubmittedAt).First().Name, [.. g]))
            .OrderBy(r => r.Code, StringComparer.Ordinal).ToList();
        return (rows, Tally("", "合计", items));
    }

    private sealed record Item(string Code, string Name, BundleState State, DateTimeOffset? SubmittedAt, DateTimeOffset? AcceptedAt,
        DateTimeOffset? ConcludedAt, Deadline Deadline, List<string> SupplementItems);
}
