using ApprovalSystem.Core.Bundles;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Bundles;

/// <summary>
/// Moves a bundle on when a member moved (decision 0054): a member that concluded approved starts those that wait for it (submitted
/// and accepted in the name of the bundle's filer and accepting clerk); a refused or denied member applies the bundle's rule; the
/// bundle concludes with its members. Crash-safe: the bundle's decision and the members' acts are one transaction, the observer
/// runs after every saved case act, and the supervision scan sweeps accepted bundles — a start lost between two saves is made by
/// the next act or the next sweep, and deciding again decides the same (<see cref="BundleCase.Advance"/>).
/// </summary>
public sealed class BundleProgress(BundleStore bundles, WorkflowCatalog workflows, WorkingTimeProvider workingTime, TimeProvider clock,
    IDbContextFactory<AppDbContext> dbFactory, ILogger<BundleProgress> logger)
{
    /// <summary>Advances the bundle if what its members did asks for it; true when it changed.</summary>
    public async Task<bool> AdvanceAsync(long bundleId, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // A look without writing first: most acts of a member change nothing for its bundle.
            var b = await db.BundleCases.AsNoTracking().FirstOrDefaultAsync(x => x.Id == bundleId, ct);
            if (b is null || b.State != BundleState.Accepted || !Changes(b, await OutcomesAsync(db, b, ct), await workingTime.GetAsync(ct)))
            {
                return false;
            }
        }

        await bundles.ExecuteAsync(bundleId, new CaseActor("system", "一件事", [Core.Identity.Roles.Administrator]), async (b, members, ctx) =>
        {
            var plan = b.Advance(members.ToDictionary(c => c.Id, BundleCase.OutcomeOf), ctx.Now, ctx.Time);
            var clerk = b.AcceptingClerk() ?? throw new CaseRuleException("一件事尚未受理");
            var starting = members.Where(c => plan.Start.Contains(c.Id) && c.State == CaseState.Draft).ToList();
            var codes = starting.Select(c => c.MatterCode).Distinct().ToList();
            Dictionary<string, List<string>> fieldsOf = codes.Count == 0 ? [] : (await ctx.Db.Matters.AsNoTracking().Where(m => codes.Contains(m.Code))
                .Select(m => new { m.Code, m.FormFields }).ToListAsync(ct)).ToDictionary(m => m.Code, m => m.FormFields.Select(f => f.Key).ToList());
            foreach (var c in starting)
            {
                // What the members it waited for recorded fills its empty fields (decision 0072: the new company's credit code).
                var before = b.Members.Single(m => m.CaseId == c.Id).After;
                var earlier = members.Where(m => before.Contains(m.MatterCode) && BundleCase.OutcomeOf(m) == MemberOutcome.Approved).ToList();
                if (earlier.Count > 0)
                {
                    c.TakeFromEarlierMembers(RecordedBy(earlier), fieldsOf.GetValueOrDefault(c.MatterCode) ?? [],
                        string.Join("、", earlier.Select(m => m.MatterName)), b.FilerActor(), ctx.Now);
                }

                c.Submit(c.Number!, c.QueryCode!, b.FilerActor(), ctx.Now, ctx.Time);

                // What the members it waited for produced (their licence) is received; so is what was uploaded once for the bundle.
                var shared = b.Definition.Materials
                    .Where(x => x.From.Any(from => b.Members.Any(m => m.Outcome == MemberOutcome.Approved && BundleData.Names(from, m.MatterCode))))
                    .SelectMany(x => BundleData.MemberMaterials(x, c.MatterCode));
                c.ReviewMaterials([.. shared.Concat(c.Materials.Where(m => m.Received).Select(m => m.Name)).Distinct()], clerk, ctx.Now);
                c.Accept(await workflows.CurrentAsync(c.WorkflowId, ct), clerk, ctx.Now, ctx.Time, $"“{b.BundleName}”的前序事项已办结，本事项自动受理");
            }

            foreach (var c in members.Where(c => plan.Withdraw.Contains(c.Id) && CaseLifecycle.IsOpen(c.State)))
            {
                c.Withdraw(plan.WithdrawReason, b.FilerActor(), ctx.Now, ctx.Time);
            }
        }, ct);
        return true;
    }

    /// <summary>After a case act: when the case is a bundle member, the bundle may move on. Never throws (the sweep tries again).</summary>
    public async Task MemberSavedAsync(long caseId, CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var link = await db.BundleMemberLinks.AsNoTracking().FirstOrDefaultAsync(l => l.CaseId == caseId, ct);
            if (link is not null)
            {
                await AdvanceAsync(link.BundleCaseId, ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Bundle progress after case {CaseId} failed; the supervision scan will try again", caseId);
        }
    }

    /// <summary>The sweep (in the supervision scan): every accepted bundle advanced as far as its members allow; the count moved.</summary>
    public async Task<int> SweepAsync(CancellationToken ct = default)
    {
        List<long> ids;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            ids = await db.BundleCases.AsNoTracking().Where(b => b.State == BundleState.Accepted).OrderBy(b => b.AcceptedAt).Select(b => b.Id).ToListAsync(ct);
        }

        var moved = 0;
        foreach (var id in ids)
        {
            try
            {
                moved += await AdvanceAsync(id, ct) ? 1 : 0;
            }
            catch (CaseRuleException e)
            {
                logger.LogWarning(e, "Bundle {BundleId} could not move on", id);
            }
        }

        return moved;
    }

    /// <summary>What the members' steps recorded, key by key (<see cref="Case.StepValues"/>), in the members' order.</summary>
    private static Dictionary<string, string> RecordedBy(IEnumerable<Case> members)
    {
        var recorded = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in members.SelectMany(m => m.StepValues()))
        {
            recorded[key] = value;
        }

        return recorded;
    }

    private static async Task<Dictionary<long, MemberOutcome>> OutcomesAsync(AppDbContext db, BundleCase b, CancellationToken ct)
    {
        var ids = b.Members.Select(m => m.CaseId).ToList();
        var cases = await db.Cases.AsNoTracking().IgnoreAutoIncludes().Where(c => ids.Contains(c.Id)).ToListAsync(ct);
        return cases.ToDictionary(c => c.Id, BundleCase.OutcomeOf);
    }

    /// <summary>Whether advancing would change the bundle (decided on a copy that is thrown away).</summary>
    private bool Changes(BundleCase b, Dictionary<long, MemberOutcome> outcomes, WorkingTime time)
    {
        var seen = b.Members.Any(m => outcomes.TryGetValue(m.CaseId, out var o) && o != m.Outcome);
        var version = b.Version;
        var plan = b.Advance(outcomes, clock.GetUtcNow(), time);
        return seen || plan.Start.Count > 0 || plan.Withdraw.Count > 0 || b.Version != version;
    }
}

/// <summary>Hears every saved case act and lets the member's bundle move on (<see cref="BundleProgress.MemberSavedAsync"/>).</summary>
public sealed class BundleMemberObserver(IServiceScopeFactory scopes) : ICaseActObserver
{
    public async Task SavedAsync(long caseId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BundleProgress>().MemberSavedAsync(caseId, ct);
    }
}
