using System.Collections.Concurrent;
using ApprovalSystem.Web.Infrastructure;

namespace ApprovalSystem.Web.Features.Admin.FlowDesigner;

/// <summary>
/// Where the designer loads a flow's draft from and saves it to 草稿 — the seam to the stored definitions and their versions.
/// </summary>
public interface IWorkflowDraftStore
{
    /// <summary>The draft's JSON, else the newest published version's; null when the flow does not exist.</summary>
    Task<string?> LoadAsync(string workflowId, CancellationToken ct = default);

    /// <summary>Keeps <paramref name="json"/> as the flow's draft (publishing makes it a version; the designer only saves).</summary>
    Task SaveAsync(string workflowId, string json, CancellationToken ct = default);
}

/// <summary>
/// Stand-in until drafts are stored in the database: reads the version new cases start on from <see cref="WorkflowCatalog"/> and
/// keeps saved drafts in this node's memory. Replace the registration with the database-backed store.
/// </summary>
public sealed class CatalogDraftStore(WorkflowCatalog catalog, WorkflowRegistry registry) : IWorkflowDraftStore
{
    private readonly ConcurrentDictionary<string, string> Drafts = new(StringComparer.Ordinal);

    public async Task<string?> LoadAsync(string workflowId, CancellationToken ct = default)
    {
        if (Drafts.TryGetValue(workflowId, out var draft))
        {
            return draft;
        }

        if (!registry.Ids.Contains(workflowId))
        {
            return null;
        }

        return (await catalog.CurrentAsync(workflowId, ct)).SourceJson;
    }

    public Task SaveAsync(string workflowId, string json, CancellationToken ct = default)
    {
        Drafts[workflowId] = json;
        return Task.CompletedTask;
    }
}
