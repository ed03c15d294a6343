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

    /// <summary>Who published the versions seeded from the shipped files.</summary>
    public const string SystemName = "系统";

    /// <summary>
    /// Brings in the shipped <c>workflows/</c> files, after setting aside those that name a department the catalogue lacks: a flow
    /// the database does not have yet becomes version 1; a file whose content changed since it last shipped (an upgrade) arrives as a
    /// draft for the administrator — or, where they already have a draft open, as a notice on the list — and is never published over
    /// their version. Safe to run on every start.
    /// </summary>
    public async Task SyncAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        registry.CheckDepartments(await db.Departments.Select(d => d.Code).ToHashSetAsync(StringComparer.Ordinal, ct));
        var latest = (await db.WorkflowVersions.AsNoTracking().Select(v => new { v.WorkflowId, v.Version, v.ContentHash }).ToListAsync(ct))
            .GroupBy(v => v.WorkflowId).ToDictionary(g => g.Key, g => g.MaxBy(v => v.Version)!);
        var shipments = await db.WorkflowShipments.ToDictionaryAsync(s => s.WorkflowId, ct);
        var drafts = await db.WorkflowDrafts.Select(d => d.WorkflowId).ToHashSetAsync(ct);
        var now = clock.GetUtcNow();
        var published = false;
        foreach (var definition in registry.Definitions)
        {
            var current = latest.GetValueOrDefault(definition.Id);
            shipments.TryGetValue(definition.Id, out var shipment);

            // A database from before drafts existed: its newest version is what last shipped.
            var baseline = shipment?.ContentHash ?? current?.ContentHash;
            if (current is not null && baseline == definition.ContentHash)
            {
                if (shipment is null)
                {
                    db.WorkflowShipments.Add(Shipment(definition, now));
                }

                continue;
            }

            if (current is null && !drafts.Contains(definition.Id))
            {
                db.WorkflowVersions.Add(new WorkflowVersion
                {
                    WorkflowId = definition.Id,
                    Version = 1,
                    Title = definition.Title,
                    ContentHash = definition.ContentHash,
                    Json = definition.SourceJson,
                    RegisteredAt = now,
                    PublishedBy = SystemName,
                    Reason = "随系统提供的流程",
                    Origin = WorkflowOrigin.Shipped,
                });
                published = true;
            }
            else if (!drafts.Contains(definition.Id))
            {
                db.WorkflowDrafts.Add(new WorkflowDraft
                {
                    WorkflowId = definition.Id,
                    Json = definition.SourceJson,
                    BasedOnVersion = current?.Version,
                    Origin = WorkflowOrigin.Shipped,
                    CreatedBy = SystemName,
                    CreatedAt = now,
                    UpdatedBy = SystemName,
                    UpdatedAt = now,
                });
            }

            var pending = drafts.Contains(definition.Id); // their draft stays; the list offers the shipped content
            if (shipment is null)
            {
                var arrived = Shipment(definition, now);
                arrived.UpdatePending = pending;
                db.WorkflowShipments.Add(arrived);
            }
            else
            {
                (shipment.ContentHash, shipment.Json) = (definition.ContentHash, definition.SourceJson);
                (shipment.ArrivedAt, shipment.UpdatePending) = (now, pending);
            }
        }

        await db.SaveChangesAsync(ct);
        _current.Clear();
        if (published && events is not null)
        {
            await events.PublishAsync(Cluster.ClusterTopics.Workflows, "", ct); // the other nodes start new cases on the new versions
        }
    }

    private static WorkflowShipment Shipment(WorkflowDefinition definition, DateTimeOffset now) => new()
    {
        WorkflowId = definition.Id,
        ContentHash = definition.ContentHash,
        Json = definition.SourceJson,
        ArrivedAt = now,
    };

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

    /// <summary>
    /// The ids of every stored flow (shipped, drawn in the designer or imported): what a matter may run on. The shipped folder alone is not
    /// enough once an administrator has imported a flow.
    /// </summary>
    public async Task<IReadOnlySet<string>> IdsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.WorkflowVersions.AsNoTracking().Select(v => v.WorkflowId).Distinct().ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The newest stored version of every flow (what new cases start on), ordered by id.</summary>
    public async Task<IReadOnlyList<WorkflowDefinition>> CurrentAllAsync(CancellationToken ct = default)
    {
        var list = new List<WorkflowDefinition>();
        foreach (var id in (await IdsAsync(ct)).Order(StringComparer.Ordinal))
        {
            list.Add(await CurrentAsync(id, ct));
        }

        return list;
    }

    /// <summary>The newest stored version of a definition, for starting a case.</summary>
    public async Task<WorkflowDefinition> CurrentAsync(string id, CancellationToken ct = default) =>
        await FindCurrentAsync(id, ct) ?? throw new Core.Cases.CaseRuleException($"流程定义“{id}”不存在或未能加载，请联系系统管理员");

    /// <summary>The newest stored version of a flow, or null when none is stored under that id.</summary>
    public async Task<WorkflowDefinition?> FindCurrentAsync(string id, CancellationToken ct = default)
    {
        if (_current.TryGetValue(id, out var cached))
        {
            return cached;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var latest = await db.WorkflowVersions.AsNoTracking().Where(v => v.WorkflowId == id).OrderByDescending(v => v.Version).FirstOrDefaultAsync(ct);
        if (latest is null)
        {
            return null;
        }

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
