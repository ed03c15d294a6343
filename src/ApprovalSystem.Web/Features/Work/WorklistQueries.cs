using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Cases.Queries;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace ApprovalSystem.Web.Features.Work;

/// <summary>Which of a department's open steps a worklist tab shows.</summary>
public enum WorkFilter
{
    All,

    /// <summary>Assigned to the reader.</summary>
    Mine,

    /// <summary>Nobody has claimed it yet 待签收.</summary>
    Unassigned,

    /// <summary>Past its warning or its limit 预警/超期 (a suspended case's clock stands still: not late).</summary>
    Late,
}

/// <summary>
/// A department's worklist 待办, paged and counted in the database: one open step a row, oldest first, never the
/// steps the workflow keeps apart from one the reader acted on in the same case (separation of duties, the rule the
/// acts apply: <see cref="Case.SeparationConflict(WorkflowDefinition, CaseStep, string, bool, IEnumerable{CaseStep})"/>).
/// A page costs the same whether the department has 300 open steps or 30,000: the filtered index on
/// (Department, OpenedAt) of the open steps orders the page, and the few steps kept from the reader are found from
/// the cases where they acted, not from every open step.
/// </summary>
public sealed class WorklistQueries(IDbContextFactory<AppDbContext> dbFactory, WorkflowCatalog workflows, TimeProvider clock,
    IMemoryCache? cache = null, Supervision.Dashboard.SupervisionLive? acts = null)
{
    /// <summary>How long the steps kept from a reader are reused while no case is acted on (on this node): a page's prerender
    /// counts the tabs and its circuit reads the rows a moment later, each needing them. Any act starts afresh; an act on
    /// another node shows here within this time (the list only shows work: the act itself checks the rule again).</summary>
    public static readonly TimeSpan KeptApartReuse = TimeSpan.FromSeconds(10);

    /// <summary>A row of a department's worklist: one open step and its case.</summary>
    public sealed record Row(long CaseId, string? Number, string MatterName, string Applicant, string WorkItemId, string StepTitle, string Role,
        string? AssigneeId, string? AssigneeName, DateTimeOffset OpenedAt, DateTimeOffset? WarnAt, DateTimeOffset? DueAt, bool Suspended, int EntryCount);

    /// <summary>The size of each tab, exact, under the same search.</summary>
    public sealed record Counts(int All, int Mine, int Unassigned, int Late);

    /// <summary>One page of the tab, oldest step first, and the tab's size (<paramref name="knownTotal"/> when the caller has
    /// just counted it: a page opening counts its tabs and reads its first rows at once).</summary>
    public async Task<CaseQueries.Page<Row>> PageAsync(CaseActor actor, WorkFilter filter, int skip, int take, string? text = null,
        int? knownTotal = null, CancellationToken ct = default)
    {
        if (actor.Department is null)
        {
            return new([], 0);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Filter(await OpenStepsAsync(db, actor, text, ct), filter, actor.UserId, clock.GetUtcNow());
        var total = knownTotal ?? await query.CountAsync(ct);
        if (total <= skip)
        {
            // Past the end (a search that found nothing): the page would look through every open step again for no row.
            return new([], total);
        }

        var steps = await query.OrderBy(s => s.OpenedAt).ThenBy(s => EF.Property<long>(s, "CaseId")).ThenBy(s => s.WorkItemId)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 200))
            .Select(s => new { CaseId = EF.Property<long>(s, "CaseId"), Step = s }).ToListAsync(ct);

        // Only the page's cases are read: the steps alone decide the page, its order and the counts.
        var ids = steps.Select(s => s.CaseId).Distinct().ToList();
        var cases = await db.Cases.AsNoTracking().IgnoreAutoIncludes().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.Number, c.MatterName, Applicant = c.Applicant.Name, c.State }).ToDictionaryAsync(c => c.Id, ct);
        return new(steps.Select(r => (r.Step, Case: cases[r.CaseId])).Select(r =>
            new Row(r.Case.Id, r.Case.Number, r.Case.MatterName, r.Case.Applicant, r.Step.WorkItemId, r.Step.Title, r.Step.Role, r.Step.AssigneeId,
                r.Step.AssigneeName, r.Step.OpenedAt, r.Step.Deadline.WarnAt, r.Step.Deadline.DueAt, r.Case.State == CaseState.Suspended,
                r.Step.EntryCount)).ToList(), total);
    }

    /// <summary>How many steps each tab holds, in one pass over the department's open steps (not their cases).</summary>
    public async Task<Counts> CountsAsync(CaseActor actor, string? text = null, CancellationToken ct = default)
    {
        if (actor.Department is null)
        {
            return new(0, 0, 0, 0);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var me = actor.UserId;
        var now = clock.GetUtcNow();
        var counts = await (await OpenStepsAsync(db, actor, text, ct)).GroupBy(_ => 1).Select(g => new Counts(
            g.Count(),
            g.Count(s => s.AssigneeId == me),
            g.Count(s => s.AssigneeId == null),
            g.Count(s => (s.Deadline.DueAt != null && s.Deadline.DueAt < now) || (s.Deadline.WarnAt != null && s.Deadline.WarnAt <= now))))
            .FirstOrDefaultAsync(ct);
        return counts ?? new(0, 0, 0, 0);
    }

    // A suspended case's steps have their clocks stopped (no warning or due moment): they are never late.
    private static IQueryable<CaseStep> Filter(IQueryable<CaseStep> query, WorkFilter filter, string me, DateTimeOffset now) => filter switch
    {
        WorkFilter.Mine => query.Where(s => s.AssigneeId == me),
        WorkFilter.Unassigned => query.Where(s => s.AssigneeId == null),
        WorkFilter.Late => query.Where(s => (s.Deadline.DueAt != null && s.Deadline.DueAt < now) || (s.Deadline.WarnAt != null && s.Deadline.WarnAt <= now)),
        _ => query,
    };

    /// <summary>
    /// The department's open steps the reader may take, matching the search (case number, matter or applicant). Built on
    /// the steps alone; a case is looked at only for a search, and for a head only where the step's id is reserved in some
    /// definitions and not in others.
    /// </summary>
    private async Task<IQueryable<CaseStep>> OpenStepsAsync(AppDbContext db, CaseActor actor, string? text, CancellationToken ct)
    {
        var department = actor.Department!;
        var query = db.Set<CaseStep>().AsNoTracking().Where(s => s.Department == department && s.ClosedAt == null);
        var rules = await RulesAsync(db, ct);

        // Steps kept from the reader because they acted on an earlier step of the same case: only cases where they acted.
        var apart = await KeptApartAsync(db, actor, rules, ct);
        if (apart.Count > 0)
        {
            var cases = apart.Select(a => a.CaseId).Distinct().ToList();
            var keys = apart.Select(a => Key(a.CaseId, a.WorkItemId)).ToList();
            query = query.Where(s => !cases.Contains(EF.Property<long>(s, "CaseId"))
                || !keys.Contains(EF.Property<long>(s, "CaseId").ToString() + "/" + s.WorkItemId));
        }

        // A head's own step reserves the officers' steps it must stay apart from (审批 keeps its head from 审核). The step says
        // so since it opened (decided from its definition); for a step opened before steps said so, its case's definition.
        if (actor.Is(Roles.DepartmentHead) && rules.Reserved.Count > 0)
        {
            var head = Roles.DepartmentHead;
            var (always, sometimes, reserved) = (rules.AlwaysReserved, rules.SometimesReserved, rules.Reserved);
            query = query.Where(s => s.Role == head || s.KeptFromHead == false
                || (s.KeptFromHead == null && !always.Contains(s.StepId) && (!sometimes.Contains(s.StepId)
                    || !db.Cases.Any(c => c.Id == EF.Property<long>(s, "CaseId")
                        && reserved.Contains(c.WorkflowId + "/" + c.WorkflowVersion.ToString() + "/" + s.StepId)))));
        }

        // Number and applicant through the search index (decision 0019); the matter's name, a few hundred in the catalogue,
        // on the department's cases only when some matter's name has the text (else no case's can: it is the catalogue's).
        // Each open step's case is probed in the index (CaseId, Term): the cost follows the department's open steps, not
        // how many cases in the county carry a common surname.
        if (text?.Trim() is { Length: > 0 } t)
        {
            var (from, to, whole) = SearchTerms.Range(t, db.PrefixEnd);
            var terms = db.CaseSearchTerms.Where(x => string.Compare(x.Term, from) >= 0 && string.Compare(x.Term, to) < 0);
            if (!whole)
            {
                terms = terms.Where(x => db.Cases.Any(c => c.Id == x.CaseId && ((c.Number != null && c.Number.Contains(t)) || c.Applicant.Name.Contains(t))));
            }

            query = await db.Matters.AnyAsync(m => m.Name.Contains(t), ct)
                ? query.Where(s => terms.Any(x => x.CaseId == EF.Property<long>(s, "CaseId"))
                    || db.Cases.Any(c => c.Id == EF.Property<long>(s, "CaseId") && c.MatterName.Contains(t)))
                : query.Where(s => terms.Any(x => x.CaseId == EF.Property<long>(s, "CaseId")));
        }

        return query;
    }

    private static string Key(long caseId, string workItemId) => $"{caseId}/{workItemId}";

    /// <summary>
    /// The department's open steps, in cases where the reader closed a step, that the separation rule keeps from them.
    /// Only steps some definition keeps apart from others are looked at, and only in the cases where the reader acted.
    /// </summary>
    private async Task<List<(long CaseId, string WorkItemId)>> KeptApartAsync(AppDbContext db, CaseActor actor, Rules rules, CancellationToken ct)
    {
        if (rules.Separated.Count == 0)
        {
            return [];
        }

        if (cache is null)
        {
            return await FindKeptApartAsync(db, actor, rules, ct);
        }

        var key = ("worklist-kept-apart", actor.UserId, actor.Department, actor.Is(Roles.DepartmentHead), acts?.Revision ?? 0);
        if (cache.TryGetValue(key, out List<(long CaseId, string WorkItemId)>? found) && found is not null)
        {
            return found;
        }

        found = await FindKeptApartAsync(db, actor, rules, ct);
        cache.Set(key, found, KeptApartReuse);
        return found;
    }

    private async Task<List<(long CaseId, string WorkItemId)>> FindKeptApartAsync(AppDbContext db, CaseActor actor, Rules rules, CancellationToken ct)
    {

        var department = actor.Department!;
        var me = actor.UserId;
        var separated = rules.Separated;
        var candidates = await db.Set<CaseStep>().AsNoTracking()
            .Where(s => s.Department == department && s.ClosedAt == null && separated.Contains(s.StepId)
                && db.Set<CaseStep>().Any(x => EF.Property<long>(x, "CaseId") == EF.Property<long>(s, "CaseId") && x.ActorId == me && x.ClosedAt != null))
            .Select(s => new { CaseId = EF.Property<long>(s, "CaseId"), Step = s }).ToListAsync(ct);
        if (candidates.Count == 0)
        {
            return [];
        }

        var ids = candidates.Select(c => c.CaseId).Distinct().ToList();
        var versions = await db.Cases.AsNoTracking().IgnoreAutoIncludes().Where(c => ids.Contains(c.Id) && c.WorkflowVersion != null)
            .Select(c => new { c.Id, c.WorkflowId, Version = c.WorkflowVersion!.Value }).ToDictionaryAsync(c => c.Id, ct);
        var closed = (await (from s in db.Set<CaseStep>().AsNoTracking()
                             where s.ClosedAt != null && ids.Contains(EF.Property<long>(s, "CaseId"))
                             select new { CaseId = EF.Property<long>(s, "CaseId"), Step = s }).ToListAsync(ct))
            .ToLookup(s => s.CaseId, s => s.Step);
        var isHead = actor.Is(Roles.DepartmentHead);
        var apart = new List<(long, string)>();
        foreach (var r in candidates)
        {
            if (versions.TryGetValue(r.CaseId, out var v)
                && Case.SeparationConflict(await workflows.VersionAsync(v.WorkflowId, v.Version, ct), r.Step, me, isHead, closed[r.CaseId]) is not null)
            {
                apart.Add((r.CaseId, r.Step.WorkItemId));
            }
        }

        return apart;
    }

    /// <param name="Separated">Ids of the steps some definition keeps apart from earlier steps (审核, 审批).</param>
    /// <param name="Reserved">"workflow/version/step" of every officers' step a head's step of the same definition keeps apart.</param>
    /// <param name="AlwaysReserved">Step ids reserved so in every definition that has them (decided on the step alone).</param>
    /// <param name="SometimesReserved">Step ids reserved in some definitions only (decided on the case's definition).</param>
    private sealed record Rules(List<string> Separated, List<string> Reserved, List<string> AlwaysReserved, List<string> SometimesReserved);

    /// <summary>The separation rules of every stored definition version (a handful of definitions; their parses are cached).</summary>
    private async Task<Rules> RulesAsync(AppDbContext db, CancellationToken ct)
    {
        var versions = await db.WorkflowVersions.AsNoTracking().Select(v => new { v.WorkflowId, v.Version }).ToListAsync(ct);
        var separated = new HashSet<string>(StringComparer.Ordinal);
        var reserved = new List<string>();
        var occurs = new Dictionary<string, (int Reserved, int All)>(StringComparer.Ordinal);
        foreach (var v in versions)
        {
            var definition = await workflows.VersionAsync(v.WorkflowId, v.Version, ct);
            var human = definition.Steps.OfType<HumanStep>().ToList();
            separated.UnionWith(human.Where(h => h.DistinctFrom.Count > 0).Select(h => h.Id));
            var here = definition.Steps.OfType<TaskStep>().Where(t => t.Role == Roles.DepartmentHead).SelectMany(t => t.DistinctFrom)
                .ToHashSet(StringComparer.Ordinal);
            reserved.AddRange(here.Select(step => $"{v.WorkflowId}/{v.Version}/{step}"));
            foreach (var id in human.Select(h => h.Id))
            {
                var (r, all) = occurs.GetValueOrDefault(id);
                occurs[id] = (r + (here.Contains(id) ? 1 : 0), all + 1);
            }
        }

        return new([.. separated], reserved,
            occurs.Where(o => o.Value.Reserved == o.Value.All).Select(o => o.Key).ToList(),
            occurs.Where(o => o.Value.Reserved > 0 && o.Value.Reserved < o.Value.All).Select(o => o.Key).ToList());
    }
}
