using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Cases.Queries;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;

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
public sealed class WorklistQueries(IDbContextFactory<AppDbContext> dbFactory, WorkflowCatalog workflows, TimeProvider clock)
{
    /// <summary>A row of a department's worklist: one open step and its case.</summary>
    public sealed record Row(long CaseId, string? Number, string MatterName, string Applicant, string WorkItemId, string StepTitle, string Role,
        string? AssigneeId, string? AssigneeName, DateTimeOffset OpenedAt, DateTimeOffset? WarnAt, DateTimeOffset? DueAt, bool Suspended, int EntryCount);

    /// <summary>The size of each tab, exact, under the same search.</summary>
    public sealed record Counts(int All, int Mine, int Unassigned, int Late);

    /// <summary>One page of the tab, oldest step first, and the tab's size.</summary>
    public async Task<CaseQueries.Page<Row>> PageAsync(CaseActor actor, WorkFilter filter, int skip, int take, string? text = null,
        CancellationToken ct = default)
    {
        if (actor.Department is null)
        {
            return new([], 0);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Filter(await OpenStepsAsync(db, actor, text, ct), filter, actor.UserId, clock.GetUtcNow());
        var total = await query.CountAsync(ct);
        var rows = await query.OrderBy(x => x.Step.OpenedAt).ThenBy(x => x.CaseId).ThenBy(x => x.Step.WorkItemId)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 200)).ToListAsync(ct);
        return new(rows.Select(r => new Row(r.CaseId, r.Number, r.MatterName, r.Applicant, r.Step.WorkItemId, r.Step.Title, r.Step.Role,
            r.Step.AssigneeId, r.Step.AssigneeName, r.Step.OpenedAt, r.Step.Deadline.WarnAt, r.Step.Deadline.DueAt, r.State == CaseState.Suspended,
            r.Step.EntryCount)).ToList(), total);
    }

    /// <summary>How many steps each tab holds, in one pass over the department's open steps.</summary>
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
            g.Count(x => x.Step.AssigneeId == me),
            g.Count(x => x.Step.AssigneeId == null),
            g.Count(x => x.State != CaseState.Suspended
                && ((x.Step.Deadline.DueAt != null && x.Step.Deadline.DueAt < now) || (x.Step.Deadline.WarnAt != null && x.Step.Deadline.WarnAt <= now)))))
            .FirstOrDefaultAsync(ct);
        return counts ?? new(0, 0, 0, 0);
    }

    /// <summary>An open step of the department with what the worklist shows of its case.</summary>
    private sealed class Item
    {
        public required CaseStep Step { get; init; }

        public long CaseId { get; init; }

        public string? Number { get; init; }

        public string MatterName { get; init; } = "";

        public string Applicant { get; init; } = "";

        public CaseState State { get; init; }

        public string WorkflowId { get; init; } = "";

        public int? WorkflowVersion { get; init; }
    }

    private static IQueryable<Item> Filter(IQueryable<Item> query, WorkFilter filter, string me, DateTimeOffset now) => filter switch
    {
        WorkFilter.Mine => query.Where(x => x.Step.AssigneeId == me),
        WorkFilter.Unassigned => query.Where(x => x.Step.AssigneeId == null),
        WorkFilter.Late => query.Where(x => x.State != CaseState.Suspended
            && ((x.Step.Deadline.DueAt != null && x.Step.Deadline.DueAt < now) || (x.Step.Deadline.WarnAt != null && x.Step.Deadline.WarnAt <= now))),
        _ => query,
    };

    /// <summary>The department's open steps the reader may take, matching the search (case number, matter or applicant).</summary>
    private async Task<IQueryable<Item>> OpenStepsAsync(AppDbContext db, CaseActor actor, string? text, CancellationToken ct)
    {
        var department = actor.Department!;
        var query = from s in db.Set<CaseStep>().AsNoTracking()
                    join c in db.Cases.IgnoreAutoIncludes() on EF.Property<long>(s, "CaseId") equals c.Id
                    where s.Department == department && s.ClosedAt == null
                    select new Item
                    {
                        Step = s, CaseId = c.Id, Number = c.Number, MatterName = c.MatterName, Applicant = c.Applicant.Name, State = c.State,
                        WorkflowId = c.WorkflowId, WorkflowVersion = c.WorkflowVersion,
                    };

        // Steps kept from the reader because they acted on an earlier step of the same case: only cases where they acted.
        var apart = await KeptApartAsync(db, actor, ct);
        if (apart.Count > 0)
        {
            var cases = apart.Select(a => a.CaseId).Distinct().ToList();
            var keys = apart.Select(a => Key(a.CaseId, a.WorkItemId)).ToList();
            query = query.Where(x => !cases.Contains(x.CaseId) || !keys.Contains(x.CaseId.ToString() + "/" + x.Step.WorkItemId));
        }

        // A head's own step reserves the officers' steps it must stay apart from (审批 keeps its head from 审核).
        if (actor.Is(Roles.DepartmentHead) && await HeadReservedAsync(db, ct) is { Count: > 0 } reserved)
        {
            var head = Roles.DepartmentHead;
            query = query.Where(x => x.Step.Role == head
                || !reserved.Contains(x.WorkflowId + "/" + x.WorkflowVersion.ToString() + "/" + x.Step.StepId));
        }

        if (text?.Trim() is { Length: > 0 } t)
        {
            query = query.Where(x => (x.Number != null && x.Number.Contains(t)) || x.MatterName.Contains(t) || x.Applicant.Contains(t));
        }

        return query;
    }

    private static string Key(long caseId, string workItemId) => $"{caseId}/{workItemId}";

    /// <summary>
    /// The department's open steps, in cases where the reader closed a step, that the separation rule keeps from them:
    /// as many as the cases in progress the reader has acted on, whatever the department's size.
    /// </summary>
    private async Task<List<(long CaseId, string WorkItemId)>> KeptApartAsync(AppDbContext db, CaseActor actor, CancellationToken ct)
    {
        var department = actor.Department!;
        var me = actor.UserId;
        var candidates = await (from s in db.Set<CaseStep>().AsNoTracking()
                                join c in db.Cases.IgnoreAutoIncludes() on EF.Property<long>(s, "CaseId") equals c.Id
                                where s.Department == department && s.ClosedAt == null && c.WorkflowVersion != null
                                    && db.Set<CaseStep>().Any(x => EF.Property<long>(x, "CaseId") == c.Id && x.ActorId == me && x.ClosedAt != null)
                                select new { CaseId = c.Id, c.WorkflowId, Version = c.WorkflowVersion!.Value, Step = s }).ToListAsync(ct);
        if (candidates.Count == 0)
        {
            return [];
        }

        var ids = candidates.Select(c => c.CaseId).Distinct().ToList();
        var closed = (await (from s in db.Set<CaseStep>().AsNoTracking()
                             where s.ClosedAt != null && ids.Contains(EF.Property<long>(s, "CaseId"))
                             select new { CaseId = EF.Property<long>(s, "CaseId"), Step = s }).ToListAsync(ct))
            .ToLookup(s => s.CaseId, s => s.Step);
        var isHead = actor.Is(Roles.DepartmentHead);
        var apart = new List<(long, string)>();
        foreach (var r in candidates)
        {
            var definition = await workflows.VersionAsync(r.WorkflowId, r.Version, ct);
            if (Case.SeparationConflict(definition, r.Step, me, isHead, closed[r.CaseId]) is not null)
            {
                apart.Add((r.CaseId, r.Step.WorkItemId));
            }
        }

        return apart;
    }

    /// <summary>"workflow/version/step" of every officers' step a head's step of the same definition keeps apart from it.</summary>
    private async Task<List<string>> HeadReservedAsync(AppDbContext db, CancellationToken ct)
    {
        var versions = await db.WorkflowVersions.AsNoTracking().Select(v => new { v.WorkflowId, v.Version }).ToListAsync(ct);
        var reserved = new List<string>();
        foreach (var v in versions)
        {
            var definition = await workflows.VersionAsync(v.WorkflowId, v.Version, ct);
            reserved.AddRange(definition.Steps.OfType<TaskStep>().Where(t => t.Role == Roles.DepartmentHead).SelectMany(t => t.DistinctFrom)
                .Distinct().Select(step => $"{v.WorkflowId}/{v.Version}/{step}"));
        }

        return reserved;
    }
}
