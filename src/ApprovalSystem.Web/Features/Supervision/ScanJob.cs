using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

using ApprovalSystem.Web.Features.Supervision.Alerts;
using ApprovalSystem.Web.Features.Supervision.Cards;
using ApprovalSystem.Web.Features.Supervision.Orders;
using ApprovalSystem.Web.Features.Supervision.Dashboard;

namespace ApprovalSystem.Web.Features.Supervision;

/// <summary>
/// The recurring supervision scan (a Hangfire job, every Supervision:ScanIntervalMinutes): cards on the clocks the
/// window since the last scan crossed (<see cref="CardRaiser"/>), process alerts (<see cref="AlertRunner"/>), late
/// orders escalated (<see cref="OrderEscalation"/>), cards of concluded items closed (<see cref="CardCloser"/>), then
/// where it got to. Deadlines are data and the clock is a query; a second scan, a late one or two nodes at once
/// raise nothing twice. A suspended clock has no moments; a re-entered step is a new work item with a new clock.
/// </summary>
public sealed class ScanJob(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, SupervisionOptions options, SupervisionLive live,
    CardRaiser cards, AlertRunner alerts, OrderEscalation orders, CardCloser closer, ILogger<ScanJob> logger,
    Infrastructure.Observability.AppMetrics? metrics = null, Bundles.BundleProgress? bundles = null)
{
    public sealed record ScanResult(int Yellow, int Red, int Closed, int Alerts, int Escalated)
    {
        /// <summary>Cards, alerts or escalations another scan wrote first, found under the once-only lock and skipped.</summary>
        public int Races { get; init; }
    }

    /// <summary>The Hangfire entry point.</summary>
    public async Task RunAsync()
    {
        await ScanAsync();

        // The bundles' sweep (decision 0054): a waiting member whose start was lost between two saves starts here.
        if (bundles is not null)
        {
            await bundles.SweepAsync();
        }
    }

    public async Task<ScanResult> ScanAsync(CancellationToken ct = default)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var now = clock.GetUtcNow();
        var races = OnceOnly.StartTally();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var state = await db.SupervisionScanStates.AsNoTracking().FirstOrDefaultAsync(s => s.Id == 1, ct);

        // The first scan looks at everything up to now; the journal is read up to here, and the next scan goes on from here.
        var journalHead = await db.JournalHeads.AsNoTracking().Where(h => h.Id == CaseJournal.HeadId).Select(h => h.LastSequence).FirstOrDefaultAsync(ct);
        var plan = ScanPlan.Create(now, state?.ScannedUntil, TimeSpan.FromMinutes(options.OverlapMinutes));
        var raised = await cards.RaiseDueAsync(plan, now, ct);

        // The cases whose journal moved since the last scan: the process rules run on them, and their active cards are checked.
        var afterSequence = state?.JournalSequence ?? 0;
        var changed = await db.Journal.AsNoTracking().Where(e => e.Sequence > afterSequence && e.Sequence <= journalHead && e.CaseId != 0)
            .Select(e => e.CaseId).Distinct().ToListAsync(ct);
        var alerted = await alerts.StepOverdueAlertsAsync(raised, now, ct) + await alerts.RunRulesAsync(changed, now, ct);
        var escalated = await orders.EscalateOrdersAsync(now, ct);
        var closed = await closer.CloseConcludedAsync(changed, now, ct);
        await SaveStateAsync(now, journalHead, ct);

        var result = new ScanResult(raised.Count(c => c.Kind == CardKind.Yellow), raised.Count(c => c.Kind == CardKind.Red), closed, alerted, escalated)
        {
            Races = races.Value,
        };
        metrics?.ScanFinished(System.Diagnostics.Stopwatch.GetElapsedTime(started), result.Yellow, result.Red);
        if (raised.Count + closed + alerted + escalated > 0)
        {
            live.Publish();
        }

        if (races.Value > 0)
        {
            logger.LogDebug("The supervision scan found {Races} cards, alerts or escalations raised by another scan at the same moment, and skipped them",
                races.Value);
        }

        return result;
    }

    private async Task SaveStateAsync(DateTimeOffset now, long lastSequence, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var once = await OnceOnly.BeginAsync(db, ct); // two nodes saving the first position at once: one inserts, one updates
        var state = await db.SupervisionScanStates.FirstOrDefaultAsync(s => s.Id == 1, ct);
        if (state is null)
        {
            db.SupervisionScanStates.Add(new SupervisionScanState { Id = 1, ScannedUntil = now, JournalSequence = lastSequence });
        }
        else if (state.ScannedUntil is null || state.ScannedUntil < now)
        {
            state.ScannedUntil = now;
            state.JournalSequence = Math.Max(state.JournalSequence, lastSequence);
            state.Version++;
        }

        await db.SaveChangesAsync(ct);
        await once.CommitAsync(ct);
    }
}
