using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Supervision.Cards;

/// <summary>Closes the cards whose item concluded (the case or the step is done): they leave the active list.</summary>
public sealed class CardCloser(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>
    /// Cards whose item concluded leave the active list (the record stays). An item concludes only by
    /// an act on its case, and every act is journaled, so only the active cards of the cases whose
    /// journal moved since the last scan are looked at (a raised card journals its case too, so a
    /// card raised for an item that concluded meanwhile is checked on the next scan): the work
    /// follows the changes, not the number of active cards or open cases.
    /// </summary>
    public async Task<int> CloseConcludedAsync(List<long> changed, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var closed = 0;
        foreach (var changedChunk in changed.Chunk(500))
        {
            var chunk = await db.SupervisionCards.Where(c => c.ClosedAt == null && changedChunk.Contains(c.CaseId)).ToListAsync(ct);
            if (chunk.Count == 0)
            {
                continue;
            }

            var caseIds = chunk.Select(c => c.CaseId).Distinct().ToList();
            var running = (await db.Cases.AsNoTracking().IgnoreAutoIncludes().Where(c => caseIds.Contains(c.Id) && c.Promised.RunningSince != null)
                .Select(c => c.Id).ToListAsync(ct)).ToHashSet();
            var openSteps = (await db.Set<CaseStep>().AsNoTracking().Where(s => caseIds.Contains(EF.Property<long>(s, "CaseId")) && s.ClosedAt == null)
                .Select(s => new { CaseId = EF.Property<long>(s, "CaseId"), s.WorkItemId }).ToListAsync(ct)).Select(s => (s.CaseId, s.WorkItemId)).ToHashSet();
            var states = (await db.Cases.AsNoTracking().IgnoreAutoIncludes().Where(c => caseIds.Contains(c.Id)).Select(c => new { c.Id, c.State })
                .ToListAsync(ct)).ToDictionary(c => c.Id, c => c.State);

            // A verification 事中事后核查 runs after the case concluded (decision 0060): its card closes when the result is recorded.
            var verifying = (await db.Cases.AsNoTracking().IgnoreAutoIncludes()
                .Where(c => caseIds.Contains(c.Id) && c.Verification.RunningSince != null).Select(c => c.Id).ToListAsync(ct)).ToHashSet();

            // A rectification's card concludes when the rectification is resolved (its clock stops) or voided, whatever the case's state.
            // The second round's card (after a contest) when it is resolved again, or voided.
            var rectificationIds = chunk.Select(c => RectificationOf(c.WorkItemId)?.Id).Where(id => id is not null).Select(id => id!.Value).ToList();
            var rectifications = await db.Rectifications.AsNoTracking().Where(r => rectificationIds.Contains(r.Id))
                .Select(r => new { r.Id, r.ResolvedAt, r.State }).ToDictionaryAsync(r => r.Id, ct);
            bool Settled((long Id, bool Reopened) card) => !rectifications.TryGetValue(card.Id, out var r)
                || r.State == Core.Ratings.RectificationState.Voided
                || (card.Reopened ? r.State != Core.Ratings.RectificationState.Reopened : r.ResolvedAt != null);
            foreach (var card in chunk)
            {
                // A verification's or a rectification's card follows its own clock, not the case's steps: null for a step's card.
                bool? settledOwnClock = card.WorkItemId == Case.VerificationItem ? !verifying.Contains(card.CaseId)
                    : RectificationOf(card.WorkItemId) is { } rectification ? Settled(rectification)
                    : null;
                if (settledOwnClock is { } ownClockSettled)
                {
                    if (ownClockSettled)
                    {
                        card.ClosedAt = now;
                        closed++;
                    }

                    continue;
                }

                var concluded = !states.TryGetValue(card.CaseId, out var caseState) || !CaseLifecycle.IsOpen(caseState) || (card.WorkItemId is null
                    ? !running.Contains(card.CaseId) && caseState != CaseState.Suspended
                    : !openSteps.Contains((card.CaseId, card.WorkItemId)));
                if (concluded)
                {
                    card.ClosedAt = now;
                    closed++;
                }
            }
        }

        await db.SaveChangesAsync(ct);
        return closed;
    }

    /// <summary>The rectification a card's work item names ("rectification:7", or "rectification:7:reopened" for its second round).</summary>
    private static (long Id, bool Reopened)? RectificationOf(string? workItemId)
    {
        const string Prefix = Core.Ratings.Rectification.CardWorkItemPrefix;
        if (workItemId is null || !workItemId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var reopened = workItemId.EndsWith(Core.Ratings.Rectification.ReopenedSuffix, StringComparison.Ordinal);
        var digits = workItemId.AsSpan(Prefix.Length, workItemId.Length - Prefix.Length - (reopened ? Core.Ratings.Rectification.ReopenedSuffix.Length : 0));
        return long.TryParse(digits, System.Globalization.CultureInfo.InvariantCulture, out var id) ? (id, reopened) : null;
    }
}
