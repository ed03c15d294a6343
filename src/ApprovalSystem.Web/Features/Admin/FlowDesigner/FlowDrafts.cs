using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;

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
/// The designer's drafts in the database (<see cref="Workflows.WorkflowDrafts"/>): the open draft, else the version new cases start
/// on; saving keeps the draft for whoever is signed in, and the engine's errors stay with it until they are fixed.
/// </summary>
public sealed class DatabaseDraftStore(Workflows.WorkflowDrafts drafts, WorkflowCatalog catalog, AuthenticationStateProvider auth)
    : IWorkflowDraftStore
{
    public async Task<string?> LoadAsync(string workflowId, CancellationToken ct = default)
    {
        if (await drafts.LoadAsync(workflowId, ct) is { } draft)
        {
            return draft.Json;
        }

        return (await catalog.FindCurrentAsync(workflowId, ct))?.SourceJson; // null: no such flow
    }

    public async Task SaveAsync(string workflowId, string json, CancellationToken ct = default)
    {
        var actor = (await auth.GetAuthenticationStateAsync()).User.ToActor();
        var saved = await drafts.SaveAsync(workflowId, json, actor, ct: ct);
        if (!saved.Saved)
        {
            throw new CaseRuleException(saved.Message ?? "草稿未能保存，请重试");
        }
    }
}
