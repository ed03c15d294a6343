using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Admin.Workflows;

/// <summary>An open step of the source version where running cases wait, and how many.</summary>
public sealed record OpenStepRow(string StepId, string Title, string Kind, int Cases);

/// <summary>What a case's open work item becomes: the step, department and clock before and after.</summary>
public sealed record StepChange(string? FromTitle, string? FromDepartment, DateTimeOffset? FromDueAt, string ToTitle, string ToDepartment,
    DateTimeOffset? ToDueAt);

/// <summary>One affected case and what the migration would change for it, or why it would be refused.</summary>
public sealed record CaseMigrationPreview(long CaseId, string? Number, string MatterName, CaseState State, IReadOnlyList<StepChange> Changes,
    string? Refusal);

/// <summary>What applying did to one case.</summary>
public sealed record CaseMigrationOutcome(long CaseId, string? Number, bool Migrated, string Message);

/// <summary>
/// Migrating running cases 在办件迁移 from one version of a flow to another (issue 18 item 5): explicit, never automatic. The
/// administrator maps the source version's open steps to steps of the target, previews what changes per case, and applies it per
/// case or in bulk; each case's migration is one journalled act of the case (<see cref="Case.MigrateWorkflow"/>).
/// </summary>
public sealed class WorkflowMigrations(IDbContextFactory<AppDbContext> dbFactory, WorkflowCatalog catalog, CaseStore store,
    WorkingTimeProvider workingTime, TimeProvider clock)
{
    /// <summary>The open steps of <paramref name="version"/> where running cases wait.</summary>
    public async Task<List<OpenStepRow>> OpenStepsAsync(string workflowId, int version, CancellationToken ct = default)
    {
        var definition = await catalog.VersionAsync(workflowId, version, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var waiting = await Affected(db, workflowId, version).SelectMany(c => c.Steps).Where(s => s.ClosedAt == null)
            .Select(s => new { s.StepId, CaseId = EF.Property<long>(s, "CaseId") }).Distinct().ToListAsync(ct);
        return waiting.GroupBy(w => w.StepId)
            .Select(g => definition.FindStep(g.Key) is { } step
                ? new OpenStepRow(step.Id, step.Title, Kind(step), g.Select(w => w.CaseId).Distinct().Count())
                : new OpenStepRow(g.Key, g.Key, "", g.Count()))
            .OrderBy(r => definition.Steps.ToList().FindIndex(s => s.Id == r.StepId)).ToList();
    }

    /// <summary>The affected cases and, for each, what the mapping would change — computed on the case without saving it.</summary>
    public async Task<List<CaseMigrationPreview>> PreviewAsync(string workflowId, int from, int to, IReadOnlyDictionary<string, string> mapping,
        CaseActor actor, CancellationToken ct = default)
    {
        var (source, target) = (await catalog.VersionAsync(workflowId, from, ct), await catalog.VersionAsync(workflowId, to, ct));
        var time = await workingTime.GetAsync(ct);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cases = await Affected(db, workflowId, from).AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct);
        var previews = new List<CaseMigrationPreview>(cases.Count);
        foreach (var c in cases)
        {
            try
            {
                var changes = c.MigrateWorkflow(source, target, mapping, null, actor, now, time)
                    .Select(m => new StepChange(m.From?.Title, m.From?.Department, m.From?.Deadline.DueAt, m.To.Title, m.To.Department, m.To.Deadline.DueAt))
                    .ToList();
                previews.Add(new(c.Id, c.Number, c.MatterName, c.State, changes, null));
            }
            catch (CaseRuleException e)
            {
                previews.Add(new(c.Id, c.Number, c.MatterName, c.State, [], e.Message));
            }
        }

        return previews;
    }

    /// <summary>Applies the mapping to each case (one act each); a refused case is reported and the others go on.</summary>
    public async Task<List<CaseMigrationOutcome>> ApplyAsync(string workflowId, int from, int to, IReadOnlyDictionary<string, string> mapping,
        IReadOnlyCollection<long> caseIds, string? reason, CaseActor actor, CancellationToken ct = default)
    {
        if (!actor.Is(Roles.Administrator))
        {
            throw new CaseRuleException("只有系统管理员可以迁移在办件的流程");
        }

        var (source, target) = (await catalog.VersionAsync(workflowId, from, ct), await catalog.VersionAsync(workflowId, to, ct));
        var outcomes = new List<CaseMigrationOutcome>(caseIds.Count);
        foreach (var id in caseIds)
        {
            try
            {
                var c = await store.ExecuteAsync(id, actor, (c, ctx) =>
                {
                    c.MigrateWorkflow(source, target, mapping, reason, actor, ctx.Now, ctx.Time);
                    return Task.CompletedTask;
                }, ct);
                outcomes.Add(new(id, c.Number, true, $"已迁移到第{to}版"));
            }
            catch (Exception e) when (e is CaseRuleException or CaseNotFoundException)
            {
                outcomes.Add(new(id, await NumberAsync(id, ct), false, e.Message));
            }
        }

        return outcomes;
    }

    private static IQueryable<Case> Affected(AppDbContext db, string workflowId, int version) =>
        db.Cases.Where(c => c.WorkflowId == workflowId && c.WorkflowVersion == version && WorkflowHistory.Running.Contains(c.State));

    private async Task<string?> NumberAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Cases.AsNoTracking().Where(c => c.Id == id).Select(c => c.Number).FirstOrDefaultAsync(ct);
    }

    private static string Kind(WorkflowStep step) => step switch
    {
        TaskStep => "任务",
        ParallelStep => "并联",
        CountersignStep => "会签",
        _ => "",
    };
}
