using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using CoreCard = ApprovalSystem.Core.Supervision.SupervisionCard;

namespace ApprovalSystem.Web.Features.Supervision.Performance;

/// <summary>
/// Keeps <see cref="PerformanceDay"/> exact: a day's rows are recomputed from the facts of every
/// case with an event that day (received, accepted, concluded, a card raised, an order issued or
/// answered, a rating, a complaint) with Core's <see cref="PerformanceTally.Of"/>. Events are
/// recorded when they happen, so only today's and yesterday's rows change in normal running; the
/// recurring job refreshes those, and <see cref="RebuildAsync"/> recomputes any range after a
/// backfill (demo data, a line system's late pushes).
/// </summary>
public sealed class PerformanceAggregator(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, WorkingTimeProvider workingTime)
{
    /// <summary>
    /// The Hangfire entry point: yesterday and today, and back to the day of any line-system event received since
    /// yesterday that happened earlier (a late push changes the facts of a day already tallied).
    /// </summary>
    public async Task RunAsync()
    {
        var today = WorkingTime.LocalDate(clock.GetUtcNow());
        var from = today.AddDays(-1);
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var since = WorkingTime.EndOfDay(from.AddDays(-1));
            var earliest = await db.InboundEvents.AsNoTracking().Where(e => e.ReceivedAt >= since).OrderBy(e => e.OccurredAt)
                .Select(e => (DateTimeOffset?)e.OccurredAt).FirstOrDefaultAsync();
            if (earliest is { } occurred && WorkingTime.LocalDate(occurred) < from)
            {
                from = WorkingTime.LocalDate(occurred);
            }
        }

        await RefreshAsync(from, today);
    }

    /// <summary>Everything from the first case to today.</summary>
    public async Task RebuildAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var first = await db.Cases.IgnoreAutoIncludes().Where(c => c.SubmittedAt != null).MinAsync(c => c.SubmittedAt, ct);
        var today = WorkingTime.LocalDate(clock.GetUtcNow());
        for (var from = first is { } f ? WorkingTime.LocalDate(f) : today; from <= today; from = from.AddDays(31))
        {
            var to = from.AddDays(30) < today ? from.AddDays(30) : today;
            await RefreshAsync(from, to, ct);
        }
    }

    /// <summary>Recomputes the rows of the days <paramref name="from"/> … <paramref name="to"/> (China time, inclusive).</summary>
    public async Task RefreshAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var start = WorkingTime.EndOfDay(from.AddDays(-1));
        var end = WorkingTime.EndOfDay(to);
        var time = await workingTime.GetAsync(ct);
        var facts = await FactsAsync(start, end, time, ct);
        var rows = new Dictionary<(DateOnly, string, string, string), PerformanceTally>();
        Aggregate(facts, from, to, rows);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.PerformanceDays.Where(p => p.Day >= from && p.Day <= to).ExecuteDeleteAsync(ct);
        db.PerformanceDays.AddRange(rows.Where(r => r.Value != PerformanceTally.Empty)
            .Select(r => PerformanceDay.From(r.Key.Item1, r.Key.Item2, r.Key.Item3, r.Key.Item4, r.Value)));
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another node refreshed the same days at the same moment, from the same facts.
            await tx.RollbackAsync(ct);
        }
    }

    /// <summary>
    /// Adds the facts' events of the days <paramref name="from"/> … <paramref name="to"/> (China time,
    /// inclusive) to <paramref name="rows"/>, one tally per day, department, matter and officer with
    /// <see cref="PerformanceTally.Of"/>. Tallies add exactly, so facts may be fed in batches.
    /// </summary>
    public static void Aggregate(IEnumerable<CaseOutcomeFacts> facts, DateOnly from, DateOnly to,
        Dictionary<(DateOnly Day, string Department, string Matter, string Officer), PerformanceTally> rows)
    {
        foreach (var f in facts)
        {
            foreach (var day in EventDays(f).Where(d => d >= from && d <= to).Distinct())
            {
                var tally = PerformanceTally.Of(f, new Period(WorkingTime.EndOfDay(day.AddDays(-1)), WorkingTime.EndOfDay(day)));
                var key = (day, f.Department, f.MatterCode, f.Officer);
                rows[key] = rows.TryGetValue(key, out var sum) ? sum + tally : tally;
            }
        }
    }

    private static IEnumerable<DateOnly> EventDays(CaseOutcomeFacts f)
    {
        IEnumerable<DateTimeOffset?> moments =
        [
            f.ReceivedAt, f.AcceptedAt, f.ConcludedAt,
            .. f.YellowCards.Select(m => (DateTimeOffset?)m), .. f.RedCards.Select(m => (DateTimeOffset?)m),
            .. f.Orders.SelectMany(o => new[] { (DateTimeOffset?)o.IssuedAt, o.RespondedAt }),
            .. f.Ratings.Select(r => (DateTimeOffset?)r.At), .. f.Complaints.Select(m => (DateTimeOffset?)m),
        ];
        return moments.Where(m => m is not null).Select(m => WorkingTime.LocalDate(m!.Value));
    }

    /// <summary>The facts of every filed case with at least one event in [start, end).</summary>
    private async Task<List<CaseOutcomeFacts>> FactsAsync(DateTimeOffset start, DateTimeOffset end, WorkingTime time, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = new HashSet<long>(await db.Cases.IgnoreAutoIncludes()
            .Where(c => c.SubmittedAt != null
                && ((c.SubmittedAt >= start && c.SubmittedAt < end) || (c.AcceptedAt >= start && c.AcceptedAt < end)
                || (c.ConcludedAt >= start && c.ConcludedAt < end)))
            .Select(c => c.Id).ToListAsync(ct));
        ids.UnionWith(await db.SupervisionCards.Where(c => c.RaisedAt >= start && c.RaisedAt < end).Select(c => c.CaseId).ToListAsync(ct));
        ids.UnionWith(await db.SupervisionOrders.Where(o => o.CaseId != null
            && ((o.IssuedAt >= start && o.IssuedAt < end) || (o.RespondedAt >= start && o.RespondedAt < end))).Select(o => o.CaseId!.Value).ToListAsync(ct));
        ids.UnionWith(await db.Ratings.Where(r => r.RatedAt >= start && r.RatedAt < end).Select(r => r.CaseId).ToListAsync(ct));
        // A rating voided by an upheld appeal 申诉成立 no longer counts; the decision refreshes the day it counted on.
        ids.UnionWith(await db.Complaints.Where(c => c.CreatedAt >= start && c.CreatedAt < end).Select(c => c.CaseId).ToListAsync(ct));

        var facts = new List<CaseOutcomeFacts>(ids.Count);
        foreach (var chunk in ids.Chunk(500))
        {
            var cases = await db.Cases.AsNoTracking().Where(c => chunk.Contains(c.Id) && c.SubmittedAt != null).ToListAsync(ct);
            var cards = (await db.SupervisionCards.AsNoTracking().Where(c => chunk.Contains(c.CaseId))
                .Select(c => new { c.CaseId, c.SubjectKey, c.Kind, c.RaisedAt }).ToListAsync(ct)).ToLookup(c => c.CaseId);
            var orders = (await db.SupervisionOrders.AsNoTracking().Where(o => o.CaseId != null && chunk.Contains(o.CaseId.Value)).ToListAsync(ct))
                .ToLookup(o => o.CaseId!.Value);
            var ratings = (await db.Ratings.AsNoTracking().Where(r => chunk.Contains(r.CaseId) && !r.Excluded).ToListAsync(ct)).ToLookup(r => r.CaseId);
            var complaints = (await db.Complaints.AsNoTracking().Where(c => chunk.Contains(c.CaseId)).Select(c => new { c.CaseId, c.CreatedAt })
                .ToListAsync(ct)).ToLookup(c => c.CaseId);
            foreach (var c in cases)
            {
                facts.Add(CaseOutcomeFacts.From(
                    c,
                    OfficerOf(c),
                    // A card counts on the day it was raised.
                    [.. cards[c.Id].Select(x => new CoreCard(new CardSubject(c.Id), x.Kind, x.RaisedAt))],
                    [.. orders[c.Id].Select(o => new OrderFacts(o.IssuedAt, o.RespondedAt, o.ResponseWorkingDays(time)))],
                    [.. ratings[c.Id].Select(r => new RatingFacts(r.RatedAt, r.Level))],
                    [.. complaints[c.Id].Select(x => x.CreatedAt)]));
            }
        }

        return facts;
    }

    /// <summary>The case's handling officer 承办人: who acted on its first step, else who holds it.</summary>
    public static string OfficerOf(Case c)
    {
        var first = c.Steps.OrderBy(s => s.OpenedAt).FirstOrDefault();
        return first?.ActorName ?? first?.AssigneeName ?? "";
    }
}
