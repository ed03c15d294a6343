using System.Collections.Concurrent;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>
/// Workflow definitions as cases use them: every distinct content of a definition file is stored as
/// a numbered version; new cases start on the newest, a running case finishes on the one it started on.
/// </summary>
public sealed class WorkflowCatalog(IDbContextFactory<AppDbContext> dbFactory, WorkflowRegistry registry, TimeProvider clock,
    Cluster.IClusterEvents? events = null)
{
    private readonly ConcurrentDictionary<(string Id, int Version), WorkflowDefinition> _byVersion = new();
    private readonly ConcurrentDictionary<string, WorkflowDefinition> _current = new();

    /// <summary>
    /// Stores a new version for each loaded definition whose content changed, after setting aside those
    /// that name a department the catalogue lacks. Safe to run on every start.
    /// </summary>
    public async Task SyncAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        registry.CheckDepartments(await db.Departments.Select(d => d.Code).ToHashSetAsync(StringComparer.Ordinal, ct));
        var stored = await db.WorkflowVersions.AsNoTracking().ToListAsync(ct);
        foreach (var definition in registry.Definitions)
        {
            var latest = stored.Where(v => v.WorkflowId == definition.Id).MaxBy(v => v.Version);
            if (latest is not null && latest.ContentHash == definition.ContentHash)
            {
                continue;
            }

            db.WorkflowVersions.Add(new WorkflowVersion
            {
                WorkflowId = definition.Id,
                Version = (latest?.Version ?? 0) + 1,
                Title = definition.Title,
                ContentHash = definition.ContentHash,
                Json = definition.SourceJson,
                RegisteredAt = clock.GetUtcNow(),
            });
        }

        var added = db.ChangeTracker.HasChanges();
        await db.SaveChangesAsync(ct);
        _current.Clear();
        if (added && events is not null)
        {
            await events.PublishAsync(Cluster.ClusterTopics.Workflows, "", ct); // the other nodes start new cases on the new versions
        }
    }

    /// <summary>Another node stored new versions: new cases start on them.</summary>
    public void ForgetCurrent() => _current.Clear();

    /// <summary>The newest stored version number of each definition and when it was stored (what new cases start on).</summary>
    public async Task<Dictionary<string, (int Version, DateTimeOffset RegisteredAt)>> LatestVersionsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var versions = await db.WorkflowVersions.AsNoTracking().Select(v => new { v.WorkflowId, v.Version, v.RegisteredAt }).ToListAsync(ct);
        return versions.GroupBy(v => v.WorkflowId)
            .ToDictionary(g => g.Key, g => g.MaxBy(v => v.Version) is var latest ? (latest!.Version, latest.RegisteredAt) : default);
    }

    /// <summary>The newest stored version of a definition, for starting a case.</summary>
    public async Task<WorkflowDefinition> CurrentAsync(string id, CancellationToken ct = default)
    {
        if (_current.TryGetValue(id, out var cached))
        {
            return cached;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var latest = await db.WorkflowVersions.AsNoTracking().Where(v => v.WorkflowId == id).OrderByDescending(v => v.Version).FirstOrDefaultAsync(ct)
            ?? throw new Core.Cases.CaseRuleException($"流程定义“{id}”不存在或未能加载，请联系系统管理员");
        var definition = Parse(latest);
        _current[id] = definition;
        return definition;
    }

    /// <summary>The version a case runs on, or null before it is accepted (it has none yet).</summary>
    public async Task<WorkflowDefinition?> OfCaseAsync(Core.Cases.Case c, CancellationToken ct = default) =>
        c.WorkflowVersion is { } version ? await VersionAsync(c.WorkflowId, version, ct) : null;

    /// <summary>The exact version a running case started on.</summary>
    public async Task<WorkflowDefinition> VersionAsync(string id, int version, CancellationToken ct = default)
    {
        if (_byVersion.TryGetValue((id, version), out var cached))
        {
            return cached;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.WorkflowVersions.AsNoTracking().FirstOrDefaultAsync(v => v.WorkflowId == id && v.Version == version, ct)
            ?? throw new Core.Cases.CaseRuleException($"流程定义“{id}”第{version}版不存在，请联系系统管理员");
        return Parse(stored);
    }

    private WorkflowDefinition Parse(WorkflowVersion stored)
    {
        var result = new WorkflowLoader().LoadFromJson($"{stored.WorkflowId}.json (v{stored.Version})", stored.Json);
        var definition = result.Definitions.SingleOrDefault()
            ?? throw new InvalidOperationException(
                $"Stored workflow {stored.WorkflowId} v{stored.Version} no longer loads: {string.Join("; ", result.Errors)}");
        definition = definition with { Version = stored.Version };
        _byVersion[(stored.WorkflowId, stored.Version)] = definition;
        return definition;
    }
}
