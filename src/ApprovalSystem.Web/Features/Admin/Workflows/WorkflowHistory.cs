using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Admin.Workflows;

/// <summary>One flow on the list: its current version, its draft, a shipped update waiting, and the running cases.</summary>
public sealed record FlowRow(string Id, string Title, int? CurrentVersion, DateTimeOffset? PublishedAt, bool HasDraft, bool UpdatePending, int RunningCases);

/// <summary>One published version in the history.</summary>
public sealed record VersionRow(int Version, string Title, string PublishedBy, DateTimeOffset PublishedAt, string? Reason, WorkflowOrigin Origin,
    int RunningCases);

/// <summary>The flows, their versions and the difference between two of them (or the draft against one).</summary>
public sealed class WorkflowHistory(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>The cases that run on a flow now: accepted and not concluded.</summary>
    internal static readonly CaseState[] Running = [CaseState.Handling, CaseState.Suspended];

    /// <summary>Every flow the database has (a published version or a draft), by title.</summary>
    public async Task<List<FlowRow>> FlowsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var versions = await db.WorkflowVersions.AsNoTracking().Select(v => new { v.WorkflowId, v.Version, v.Title, v.RegisteredAt }).ToListAsync(ct);
        var drafts = await db.WorkflowDrafts.AsNoTracking().Select(d => new { d.WorkflowId, d.Json }).ToListAsync(ct);
        var pending = await db.WorkflowShipments.AsNoTracking().Where(s => s.UpdatePending).Select(s => s.WorkflowId).ToHashSetAsync(ct);
        var running = await db.Cases.AsNoTracking().Where(c => Running.Contains(c.State)).GroupBy(c => c.WorkflowId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var latest = versions.GroupBy(v => v.WorkflowId).ToDictionary(g => g.Key, g => g.MaxBy(v => v.Version)!);
        var ids = latest.Keys.Union(drafts.Select(d => d.WorkflowId)).ToList();
        return ids.Select(id =>
            {
                var current = latest.GetValueOrDefault(id);
                var title = current?.Title ?? TitleOf(drafts.First(d => d.WorkflowId == id).Json) ?? id;
                return new FlowRow(id, title, current?.Version, current?.RegisteredAt, drafts.Any(d => d.WorkflowId == id), pending.Contains(id),
                    running.GetValueOrDefault(id));
            })
            .OrderBy(f => f.Title, StringComparer.Ordinal).ToList();
    }

    /// <summary>The versions of a flow, newest first, with how many running cases are on each.</summary>
    public async Task<List<VersionRow>> VersionsAsync(string workflowId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var running = await db.Cases.AsNoTracking().Where(c => c.WorkflowId == workflowId && Running.Contains(c.State) && c.WorkflowVersion != null)
            .GroupBy(c => c.WorkflowVersion).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key!.Value, x => x.Count, ct);
        var rows = await db.WorkflowVersions.AsNoTracking().Where(v => v.WorkflowId == workflowId)
            .Select(v => new { v.Version, v.Title, v.PublishedBy, v.RegisteredAt, v.Reason, v.Origin }).ToListAsync(ct);
        return rows.OrderByDescending(v => v.Version)
            .Select(v => new VersionRow(v.Version, v.Title, v.PublishedBy, v.RegisteredAt, v.Reason, v.Origin, running.GetValueOrDefault(v.Version)))
            .ToList();
    }

    /// <summary>
    /// The difference from version <paramref name="from"/> to version <paramref name="to"/> (null: the open draft), or a message
    /// saying why there is none (a version missing, or a draft that does not load yet).
    /// </summary>
    public async Task<(IReadOnlyList<WorkflowDifference>? Differences, string? Message)> CompareAsync(string workflowId, int from, int? to,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var before = await LoadAsync(db, workflowId, from, ct);
        var after = await LoadAsync(db, workflowId, to, ct);
        if (before is null || after is null)
        {
            return (null, to is null && after is null ? "草稿不存在或有错误，改正后才能比较" : "所选版本不存在");
        }

        return (WorkflowDiff.Compare(before, after), null);
    }

    /// <summary>
    /// The titles of the steps and branches of two versions (the newer one's where both have it), so a difference names
    /// "登簿", not "register".
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> TitlesAsync(string workflowId, int from, int? to, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var definition in new[] { await LoadAsync(db, workflowId, from, ct), await LoadAsync(db, workflowId, to, ct) })
        {
            foreach (var step in definition?.Steps ?? [])
            {
                titles[step.Id] = step.Title;
                foreach (var branch in (step as ParallelStep)?.Branches ?? [])
                {
                    titles[branch.Id] = branch.Title;
                }
            }
        }

        return titles;
    }

    private static async Task<WorkflowDefinition?> LoadAsync(AppDbContext db, string workflowId, int? version, CancellationToken ct)
    {
        var json = version is { } number
            ? await db.WorkflowVersions.AsNoTracking().Where(v => v.WorkflowId == workflowId && v.Version == number).Select(v => v.Json)
                .FirstOrDefaultAsync(ct)
            : await db.WorkflowDrafts.AsNoTracking().Where(d => d.WorkflowId == workflowId).Select(d => d.Json).FirstOrDefaultAsync(ct);
        return json is null ? null : new WorkflowLoader().LoadFromJson($"{workflowId}.json", json).Definitions.SingleOrDefault();
    }

    private static string? TitleOf(string json)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("title", out var title) && title.ValueKind == System.Text.Json.JsonValueKind.String
                ? title.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
