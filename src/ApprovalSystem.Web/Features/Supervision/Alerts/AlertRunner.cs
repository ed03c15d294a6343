using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Supervision.Alerts;

/// <summary>Process alerts 过程监察: a step overdue within its case's limit, and the rule sets on the cases that changed.</summary>
public sealed class AlertRunner(IDbContextFactory<AppDbContext> dbFactory, WorkingTimeProvider workingTime, IEnumerable<ISupervisionRuleSet> ruleSets)
{
    /// <summary>A step overdue while its case is still within its promised limit 环节超时而办件未超时: checked when the step's red card is raised.</summary>
    public async Task<int> StepOverdueAlertsAsync(List<CardRecord> raised, DateTimeOffset now, CancellationToken ct)
    {
        var count = 0;
        foreach (var caseId in raised.Where(c => c.Kind == CardKind.Red && c.WorkItemId is not null).Select(c => c.CaseId).Distinct())
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (await db.Cases.AsNoTracking().FirstOrDefaultAsync(c => c.Id == caseId, ct) is { } c)
            {
                foreach (var alert in ProcessRuleSet.StepOverdue(c, now))
                {
                    count += await AlertStore.RaiseAsync(db, alert, now, ct) ? 1 : 0;
                }
            }
        }

        return count;
    }

    /// <summary>Runs the process rules on every case whose journal moved since the last scan.</summary>
    public async Task<int> RunRulesAsync(List<long> changed, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var count = 0;
        if (changed.Count > 0)
        {
            var time = await workingTime.GetAsync(ct);
            foreach (var chunk in changed.Chunk(200))
            {
                var cases = await db.Cases.AsNoTracking().Where(c => chunk.Contains(c.Id)).ToListAsync(ct);
                foreach (var c in cases)
                {
                    foreach (var set in ruleSets)
                    {
                        foreach (var alert in await set.EvaluateAsync(db, c, time, now, ct))
                        {
                            count += await AlertStore.RaiseAsync(db, alert, now, ct) ? 1 : 0;
                        }
                    }
                }
            }
        }

        foreach (var set in ruleSets)
        {
            foreach (var alert in await set.EvaluateDueAsync(db, await workingTime.GetAsync(ct), now, ct))
            {
                count += await AlertStore.RaiseAsync(db, alert, now, ct) ? 1 : 0;
            }
        }

        return count;
    }
}
