using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Workflows;
using ApprovalSystem.Workflows.Bpmn;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Admin.Workflows;

/// <summary>A flow's open draft as the designer and the pages see it, with what the engine finds wrong in it (per step).</summary>
public sealed record DraftView(
    string WorkflowId, string Json, int? BasedOnVersion, WorkflowOrigin Origin, string UpdatedBy, DateTimeOffset UpdatedAt, int Revision,
    IReadOnlyList<WorkflowLoadError> Errors)
{
    /// <summary>The problems pinned to one step (the designer marks the step).</summary>
    public IEnumerable<WorkflowLoadError> ErrorsOf(string stepId) => Errors.Where(e => e.StepId == stepId);
}

/// <summary>What saving a draft did: <see cref="Message"/> when it was not saved; <see cref="Errors"/> (per step) keep it from publishing.</summary>
public sealed record DraftSaveResult(bool Saved, int Revision, IReadOnlyList<WorkflowLoadError> Errors, string? Message = null)
{
    public bool CanPublish => Saved && Errors.Count == 0;
}

/// <summary>What importing a BPMN file did: the draft saved (<see cref="Saved"/>), or why nothing was (errors, or what steps lack).</summary>
public sealed record BpmnDraftImport(
    string? WorkflowId, DraftSaveResult? Saved, IReadOnlyList<BpmnImportError> Errors, IReadOnlyList<BpmnNeed> Needs);

/// <summary>What publishing did: the new version, or why not (the draft's errors, or a message).</summary>
public sealed record PublishResult(int? Version, IReadOnlyList<WorkflowLoadError> Errors, string? Message = null)
{
    public bool Published => Version is not null;
}

/// <summary>
/// Drafts 草稿 and publishing 发布 of flows stored in the database (issue 18). One open draft per flow, JSON text as the currency
/// (what the designer, the files and the import speak); a draft with errors may be saved but not published; publishing makes the
/// next version, journalled, and tells every node to start new cases on it. Administrators only.
/// </summary>
public sealed class WorkflowDrafts(IDbContextFactory<AppDbContext> dbFactory, WorkflowCatalog catalog, TimeProvider clock,
    Infrastructure.Cluster.IClusterEvents? events = null, Microsoft.AspNetCore.OutputCaching.IOutputCacheStore? cache = null)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The open draft, or null.</summary>
    public async Task<DraftView?> LoadAsync(string workflowId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var draft = await db.WorkflowDrafts.AsNoTracking().FirstOrDefaultAsync(d => d.WorkflowId == workflowId, ct);
        return draft is null ? null : await ViewAsync(db, draft, ct);
    }

    /// <summary>The open draft, or a new one started from the current version.</summary>
    /// <exception cref="CaseRuleException">The flow has no version and no draft.</exception>
    public async Task<DraftView> OpenAsync(string workflowId, CaseActor actor, CancellationToken ct = default)
    {
        RequireAdministrator(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var draft = await db.WorkflowDrafts.FirstOrDefaultAsync(d => d.WorkflowId == workflowId, ct);
        if (draft is null)
        {
            var current = await db.WorkflowVersions.AsNoTracking().Where(v => v.WorkflowId == workflowId).OrderByDescending(v => v.Version)
                .FirstOrDefaultAsync(ct) ?? throw new CaseRuleException($"流程“{workflowId}”不存在");
            var now = clock.GetUtcNow();
            draft = new WorkflowDraft
            {
                WorkflowId = workflowId, Json = current.Json, BasedOnVersion = current.Version, Origin = WorkflowOrigin.Edited,
                CreatedBy = actor.Name, CreatedAt = now, UpdatedBy = actor.Name, UpdatedAt = now,
            };
            db.WorkflowDrafts.Add(draft);
            await db.SaveChangesAsync(ct);
        }

        return await ViewAsync(db, draft, ct);
    }

    /// <summary>
    /// Saves the draft's JSON (starting the draft when none is open). Errors do not stop the save; they come back per step.
    /// </summary>
    /// <param name="revision">The revision the editor loaded: when another administrator saved since, nothing is saved.</param>
    public Task<DraftSaveResult> SaveAsync(string workflowId, string json, CaseActor actor, int? revision = null, CancellationToken ct = default) =>
        WriteAsync(workflowId, json, actor, WorkflowOrigin.Edited, revision, replace: true, ct);

    /// <summary>What the engine and the catalogue find wrong in a definition's JSON for this flow, per step where there is one.</summary>
    public async Task<IReadOnlyList<WorkflowLoadError>> ValidateAsync(string workflowId, string json, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ValidateAsync(db, workflowId, json, ct);
    }

    /// <summary>Discards the open draft (the current version stays what new cases start on).</summary>
    public async Task<bool> DiscardAsync(string workflowId, CaseActor actor, CancellationToken ct = default)
    {
        RequireAdministrator(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var removed = await db.WorkflowDrafts.Where(d => d.WorkflowId == workflowId).ExecuteDeleteAsync(ct) > 0;
        return removed;
    }

    /// <summary>Publishes the open draft as the next version with the administrator's reason; journalled; every node hears of it.</summary>
    public async Task<PublishResult> PublishAsync(string workflowId, string reason, CaseActor actor, CancellationToken ct = default)
    {
        RequireAdministrator(actor);
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new(null, [], "请填写发布原因（将记入版本历史）");
        }

        if (reason.Trim().Length > 500)
        {
            return new(null, [], "发布原因不能超过500字");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var draft = await db.WorkflowDrafts.FirstOrDefaultAsync(d => d.WorkflowId == workflowId, ct);
        if (draft is null)
        {
            return new(null, [], "该流程没有待发布的草稿");
        }

        var errors = await ValidateAsync(db, workflowId, draft.Json, ct);
        if (errors.Count > 0)
        {
            return new(null, errors, $"草稿有{errors.Count}处错误，改正后才能发布");
        }

        var latest = await db.WorkflowVersions.Where(v => v.WorkflowId == workflowId).MaxAsync(v => (int?)v.Version, ct) ?? 0;
        var version = latest + 1;
        var json = WithVersion(draft.Json, version);
        var definition = new WorkflowLoader().LoadFromJson($"{workflowId}.json", json).Definitions.Single();
        var now = clock.GetUtcNow();
        db.WorkflowVersions.Add(new WorkflowVersion
        {
            WorkflowId = workflowId, Version = version, Title = definition.Title, ContentHash = definition.ContentHash, Json = json,
            RegisteredAt = now, PublishedBy = actor.Name, Reason = reason.Trim(), Origin = draft.Origin,
        });
        db.WorkflowDrafts.Remove(draft);
        await CaseJournal.AppendEventAsync(db, 0, null, now, actor, "发布流程", "", reason.Trim(), new Dictionary<string, string>
        {
            ["workflow"] = workflowId,
            ["version"] = version.ToString(CultureInfo.InvariantCulture),
            ["basedOn"] = draft.BasedOnVersion?.ToString(CultureInfo.InvariantCulture) ?? "",
            ["contentHash"] = definition.ContentHash,
        }, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return new(null, [], "其他管理员刚刚发布或修改了该流程，请刷新后重试");
        }

        catalog.ForgetCurrent();
        if (events is not null)
        {
            await events.PublishAsync(Infrastructure.Cluster.ClusterTopics.Workflows, workflowId, ct); // every node starts new cases on it
        }

        await Infrastructure.Http.CatalogueCache.EvictAsync(cache, ct); // the guide shows a matter's flow: visitors see the new one
        return new(version, []);
    }

    /// <summary>A version (or, with <paramref name="version"/> null, the open draft) as a <c>.json</c> file: its name and text.</summary>
    public async Task<(string FileName, string Json)?> ExportAsync(string workflowId, int? version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (version is { } number)
        {
            var stored = await db.WorkflowVersions.AsNoTracking().FirstOrDefaultAsync(v => v.WorkflowId == workflowId && v.Version == number, ct);
            return stored is null ? null : ($"{workflowId}-v{number}.json", stored.Json);
        }

        var draft = await db.WorkflowDrafts.AsNoTracking().FirstOrDefaultAsync(d => d.WorkflowId == workflowId, ct);
        return draft is null ? null : ($"{workflowId}-draft.json", draft.Json);
    }

    /// <summary>
    /// Imports a definition file as the draft of the flow its <c>"id"</c> names (a new flow when none has it). An open draft is
    /// replaced only when <paramref name="replaceDraft"/> says so.
    /// </summary>
    public async Task<(string? WorkflowId, DraftSaveResult Result)> ImportAsync(string json, CaseActor actor, bool replaceDraft = false,
        CancellationToken ct = default)
    {
        RequireAdministrator(actor);
        string? id;
        try
        {
            using var document = JsonDocument.Parse(json);
            id = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out var value)
                && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (JsonException)
        {
            return (null, new(false, 0, [], "文件不是有效的 JSON 流程定义，请检查后重新导入"));
        }

        if (string.IsNullOrWhiteSpace(id) || id.Length > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return (null, new(false, 0, [], "文件缺少有效的流程标识（\"id\"：字母、数字、连字符，不超过64位）"));
        }

        return (id, await WriteAsync(id, json, actor, WorkflowOrigin.Imported, null, replaceDraft, ct));
    }

    /// <summary>
    /// Imports a BPMN 2.0 file drawn in another modeler (bpmn.io, Camunda Modeler) as the draft of the flow its process id names.
    /// Nothing is saved while the file has an element the engine does not support (<see cref="BpmnDraftImport.Errors"/>) or lacks
    /// what a step needs (<see cref="BpmnDraftImport.Needs"/>): the administrator supplies <paramref name="answers"/> per element and
    /// imports again.
    /// </summary>
    public async Task<BpmnDraftImport> ImportBpmnAsync(string xml, IReadOnlyDictionary<string, BpmnAnswer>? answers,
        CaseActor actor, bool replaceDraft = false, CancellationToken ct = default)
    {
        RequireAdministrator(actor);
        var read = BpmnImporter.Import(xml, answers);
        if (read.Definition is null)
        {
            return new(null, null, read.Errors, read.Needs);
        }

        var (id, saved) = await ImportAsync(WorkflowWriter.ToJson(read.Definition), actor, replaceDraft, ct);
        return new(id, saved, [], []);
    }

    /// <summary>Replaces the open draft with the shipped update the list offers (the administrator chose to take it).</summary>
    public async Task<DraftSaveResult> TakeShippedUpdateAsync(string workflowId, CaseActor actor, CancellationToken ct = default)
    {
        RequireAdministrator(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var shipment = await db.WorkflowShipments.FirstOrDefaultAsync(s => s.WorkflowId == workflowId && s.UpdatePending, ct);
        if (shipment is null)
        {
            return new(false, 0, [], "没有待处理的升级版本");
        }

        shipment.UpdatePending = false;
        await db.SaveChangesAsync(ct);
        return await WriteAsync(workflowId, shipment.Json, actor, WorkflowOrigin.Shipped, null, replace: true, ct);
    }

    /// <summary>Keeps the administrator's draft and dismisses the shipped update's notice.</summary>
    public async Task DismissShippedUpdateAsync(string workflowId, CaseActor actor, CancellationToken ct = default)
    {
        RequireAdministrator(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.WorkflowShipments.Where(s => s.WorkflowId == workflowId).ExecuteUpdateAsync(u => u.SetProperty(s => s.UpdatePending, false), ct);
    }

    private async Task<DraftSaveResult> WriteAsync(string workflowId, string json, CaseActor actor, WorkflowOrigin origin, int? revision, bool replace,
        CancellationToken ct)
    {
        RequireAdministrator(actor);
        if (string.IsNullOrWhiteSpace(json))
        {
            return new(false, 0, [], "流程定义内容为空");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var errors = await ValidateAsync(db, workflowId, json, ct);
        var now = clock.GetUtcNow();
        var draft = await db.WorkflowDrafts.FirstOrDefaultAsync(d => d.WorkflowId == workflowId, ct);
        if (draft is null)
        {
            draft = new WorkflowDraft
            {
                WorkflowId = workflowId, Origin = origin, CreatedBy = actor.Name, CreatedAt = now,
                BasedOnVersion = await db.WorkflowVersions.Where(v => v.WorkflowId == workflowId).MaxAsync(v => (int?)v.Version, ct),
            };
            db.WorkflowDrafts.Add(draft);
        }
        else if (!replace)
        {
            return new(false, draft.Revision, errors, $"流程“{workflowId}”已有未发布的草稿（{draft.UpdatedBy}编辑），请先发布或放弃该草稿，或选择替换草稿");
        }
        else if (revision is { } seen && seen != draft.Revision)
        {
            return new(false, draft.Revision, errors, $"{draft.UpdatedBy}于{Local(draft.UpdatedAt)}已保存了该草稿，请刷新后再修改");
        }
        else if (origin != WorkflowOrigin.Edited)
        {
            draft.Origin = origin;
        }

        draft.Json = json;
        draft.UpdatedBy = actor.Name;
        draft.UpdatedAt = now;
        draft.Revision++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return new(false, draft.Revision, errors, "其他管理员同时保存了该草稿，请刷新后再修改");
        }

        return new(true, draft.Revision, errors);
    }

    private static async Task<IReadOnlyList<WorkflowLoadError>> ValidateAsync(AppDbContext db, string workflowId, string json, CancellationToken ct)
    {
        var file = $"{workflowId}.json";
        var result = new WorkflowLoader().LoadFromJson(file, json);
        var errors = result.Errors.ToList();
        if (result.Definitions.SingleOrDefault() is { } definition)
        {
            if (definition.Id != workflowId)
            {
                errors.Add(new(file, null, $"流程标识“{definition.Id}”与所编辑的流程“{workflowId}”不一致"));
            }

            var departments = await db.Departments.Select(d => d.Code).ToHashSetAsync(StringComparer.Ordinal, ct);
            errors.AddRange(definition.DepartmentCodes().Where(d => !departments.Contains(d.Department)).Select(d => new WorkflowLoadError(
                file, d.StepId, $"{(d.BranchId is null ? "" : $"分支“{d.BranchId}”：")}部门“{d.Department}”不在部门目录中，请选择目录中的部门")));
        }

        return errors;
    }

    private static async Task<DraftView> ViewAsync(AppDbContext db, WorkflowDraft d, CancellationToken ct) =>
        new(d.WorkflowId, d.Json, d.BasedOnVersion, d.Origin, d.UpdatedBy, d.UpdatedAt, d.Revision, await ValidateAsync(db, d.WorkflowId, d.Json, ct));

    /// <summary>The JSON with its "version" set to the number it is published as (what an export of the version says).</summary>
    private static string WithVersion(string json, int version)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        root["version"] = version;
        return root.ToJsonString(Indented);
    }

    private static string Local(DateTimeOffset at) => at.ToOffset(WorkingTime.ChinaOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static void RequireAdministrator(CaseActor actor)
    {
        if (!actor.Is(Roles.Administrator))
        {
            throw new CaseRuleException("只有系统管理员可以修改流程定义");
        }
    }
}
