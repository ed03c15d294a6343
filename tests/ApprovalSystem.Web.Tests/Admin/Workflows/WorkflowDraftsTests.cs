using System.Net;
using System.Text.Json.Nodes;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Admin.Workflows;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using ApprovalSystem.Workflows;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Admin.Workflows;

/// <summary>
/// Flows in the database (issue 18 items 1 and 3): seeded from the shipped files, a shipped change arriving as a draft (never published
/// over the administrator's version), drafts saved with their errors pinned to steps, publishing as the next version while a running case
/// finishes on its own, export and import, and only administrators.
/// </summary>
public sealed class WorkflowDraftsTests : IDisposable
{
    internal static readonly CaseActor Admin = new("admin-test", "系统管理员", [Roles.Administrator]);

    private readonly string _workflows = Path.Combine(Path.GetTempPath(), "approval-wf-" + Guid.NewGuid().ToString("N"));
    private readonly ShippedFolderFactory _factory;

    public WorkflowDraftsTests()
    {
        Directory.CreateDirectory(_workflows);
        foreach (var f in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "workflows"), "*.json"))
        {
            File.Copy(f, Path.Combine(_workflows, Path.GetFileName(f)));
        }

        _factory = new ShippedFolderFactory(_workflows);
    }

    public void Dispose()
    {
        _factory.Dispose();
        Directory.Delete(_workflows, recursive: true);
    }

    private WorkflowDrafts Drafts => _factory.Get<WorkflowDrafts>();

    /// <summary>The system restarts on the folder as it is now (what an upgrade does).</summary>
    private Task RestartSyncAsync() =>
        new WorkflowCatalog(_factory.Get<IDbContextFactory<AppDbContext>>(), new WorkflowRegistry(_workflows), TimeProvider.System).SyncAsync();

    private async Task ShipAsync(string id, string from, string to)
    {
        var file = Path.Combine(_workflows, id + ".json");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace(from, to, StringComparison.Ordinal));
        await RestartSyncAsync();
    }

    [Fact]
    public async Task ABpmnFileDrawnElsewhere_AsksForWhatItsStepsLack_ThenBecomesADraft_ThatPublishesAsANewFlow()
    {
        _factory.CreateClient().Dispose();
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "ApprovalSystem.sln")))
        {
            root = root.Parent!;
        }

        var xml = await File.ReadAllTextAsync(Path.Combine(root.FullName, "tests", "bpmn-samples", "drawn-in-bpmn-io.bpmn"));

        var asked = await Drafts.ImportBpmnAsync(xml, null, Admin);
        Assert.Null(asked.Saved);
        Assert.Equal(["Activity_1p9rz3t", "Gateway_0pz1ql6", "Activity_0c4v8bn", "Event_1n6t2wd"], asked.Needs.Select(n => n.ElementId));
        Assert.Null(await Drafts.LoadAsync("Process_1q8v4zn"));

        var answers = new Dictionary<string, ApprovalSystem.Workflows.Bpmn.BpmnAnswer>
        {
            ["Activity_1p9rz3t"] = new() { Department = "SCJG", Role = "Officer", LimitDays = 3 },
            ["Gateway_0pz1ql6"] = new() { LimitDays = 5 },
            ["Activity_0c4v8bn"] = new() { LimitDays = 2 },
            ["Event_1n6t2wd"] = new() { Result = WorkflowResult.Denied },
        };
        var imported = await Drafts.ImportBpmnAsync(xml, answers, Admin);
        Assert.Equal("Process_1q8v4zn", imported.WorkflowId);
        Assert.True(imported.Saved!.CanPublish, string.Join("; ", imported.Saved.Errors));
        var draft = await Drafts.LoadAsync("Process_1q8v4zn");
        Assert.Equal(WorkflowOrigin.Imported, draft!.Origin);

        // A matter cannot run on a flow that is only a draft; once published it can, though no file in workflows/ has it.
        var matters = _factory.Get<ApprovalSystem.Web.Features.Admin.EditMatter.Handler>();
        var matter = (await matters.LoadAsync("330799-SCJG-001"))!;
        matter.Workflow = "Process_1q8v4zn";
        Assert.Contains(await matters.SaveAsync(matter.Code, matter), p => p.Property == nameof(matter.Workflow));

        var published = await Drafts.PublishAsync("Process_1q8v4zn", "按建模工具绘制的流程导入", Admin);
        Assert.Equal(1, published.Version);
        var definition = await _factory.Get<WorkflowCatalog>().CurrentAsync("Process_1q8v4zn");
        Assert.Equal("businessArea > 150", Assert.IsType<ConditionStep>(definition.GetStep("Gateway_1h5d0ps")).When.ToText());
        Assert.Empty(await matters.SaveAsync(matter.Code, matter));
        await using (var db = _factory.CreateDbContext())
        {
            Assert.Equal("Process_1q8v4zn", (await db.Matters.SingleAsync(m => m.Code == matter.Code)).WorkflowId);
        }

        var clerk = new CaseActor("clerk-test", "李晓梅", [Roles.Clerk]);
        await Assert.ThrowsAsync<CaseRuleException>(() => Drafts.ImportBpmnAsync(xml, answers, clerk));
    }

    [Fact]
    public async Task AnEmptyDatabase_IsSeededWithEveryShippedFlowAsVersion1_AndEveryShippedFlowRoundTripsUnchanged()
    {
        _factory.CreateClient().Dispose();
        await using var db = _factory.CreateDbContext();
        var shipped = new WorkflowLoader().LoadDirectory(_workflows).Definitions;
        var versions = await db.WorkflowVersions.AsNoTracking().ToListAsync();
        Assert.Equal(shipped.Select(d => d.Id).Order(), versions.Select(v => v.WorkflowId).Order());
        Assert.All(versions, v => Assert.Equal((1, WorkflowOrigin.Shipped, WorkflowCatalog.SystemName), (v.Version, v.Origin, v.PublishedBy)));
        Assert.Empty(await db.WorkflowDrafts.ToListAsync());

        foreach (var definition in shipped)
        {
            var (name, json) = (await Drafts.ExportAsync(definition.Id, 1))!.Value;
            Assert.Equal($"{definition.Id}-v1.json", name);
            Assert.Equal(definition.ContentHash, Assert.Single(new WorkflowLoader().LoadFromJson(name, json).Definitions).ContentHash);
        }

        // Starting again changes nothing.
        await RestartSyncAsync();
        Assert.Equal(versions.Count, await db.WorkflowVersions.CountAsync());
        Assert.Empty(await db.WorkflowDrafts.ToListAsync());
    }

    [Fact]
    public async Task AShippedChange_ArrivesAsADraft_PublishingMakesVersion2_ARunningCaseFinishesOn1_WhileANewCaseStartsOn2()
    {
        var citizen = await ApiSession.SignInAsync(_factory, "enterprise");
        var clerk = await ApiSession.SignInAsync(_factory, "clerk");
        var before = await FileAndAcceptAsync(_factory, citizen, clerk);

        await ShipAsync("promised-single", "\"审核\"", "\"复核\"");

        await using var db = _factory.CreateDbContext();
        Assert.Equal([1], await db.WorkflowVersions.Where(v => v.WorkflowId == "promised-single").Select(v => v.Version).ToListAsync());
        var draft = (await Drafts.LoadAsync("promised-single"))!;
        Assert.Equal((WorkflowOrigin.Shipped, (int?)1), (draft.Origin, draft.BasedOnVersion));
        Assert.Empty(draft.Errors);
        var catalog = _factory.Get<WorkflowCatalog>();
        Assert.Contains("审核", (await catalog.CurrentAsync("promised-single")).Steps.Select(s => s.Title)); // not published over
        var (differences, _) = await _factory.Get<WorkflowHistory>().CompareAsync("promised-single", 1, null);
        var renamed = Assert.Single(differences!);
        Assert.Equal((DiffAspect.Title, "审核", "复核"), (renamed.Aspect, renamed.Before, renamed.After));

        Assert.Equal("请填写发布原因（将记入版本历史）", (await Drafts.PublishAsync("promised-single", " ", Admin)).Message);
        var published = await Drafts.PublishAsync("promised-single", "采用升级提供的环节名称", Admin);

        Assert.Equal(2, published.Version);
        var v2 = await db.WorkflowVersions.AsNoTracking().SingleAsync(v => v.WorkflowId == "promised-single" && v.Version == 2);
        Assert.Equal(("系统管理员", "采用升级提供的环节名称", WorkflowOrigin.Shipped), (v2.PublishedBy, v2.Reason, v2.Origin));
        Assert.Contains("\"version\": 2", v2.Json, StringComparison.Ordinal);
        Assert.Null(await Drafts.LoadAsync("promised-single"));
        var journal = await db.Journal.AsNoTracking().SingleAsync(j => j.Action == "发布流程");
        Assert.Equal((0L, "采用升级提供的环节名称"), (journal.CaseId, journal.Opinion));
        Assert.Contains("\"version\":\"2\"", journal.Data, StringComparison.Ordinal);

        // The running case moves to its second step as in version 1; a case filed now starts on version 2.
        var officer = await ApiSession.SignInAsync(_factory, "officer.scjg");
        var running = await officer.GetOkAsync($"/api/cases/{before}");
        var first = running.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("open").GetBoolean()).GetProperty("workItemId").GetString();
        var next = await officer.PostOkAsync($"/api/cases/{before}/tasks/{first}/act", new { outcome = "approve", opinion = "同意" });
        Assert.Contains(next.GetProperty("steps").EnumerateArray(), s => s.GetProperty("open").GetBoolean() && s.GetProperty("title").GetString() == "审核");
        var after = await FileAndAcceptAsync(_factory, citizen, clerk);
        var versions = await db.Cases.AsNoTracking().Where(c => c.Id == before || c.Id == after).ToDictionaryAsync(c => c.Id, c => c.WorkflowVersion);
        Assert.Equal(((int?)1, (int?)2), (versions[before], versions[after]));
        Assert.Equal(1, (await _factory.Get<WorkflowHistory>().VersionsAsync("promised-single")).Single(v => v.Version == 1).RunningCases);

        // An upgrade with the same content again brings nothing new.
        await RestartSyncAsync();
        Assert.Null(await Drafts.LoadAsync("promised-single"));
    }

    [Fact]
    public async Task AShippedChange_WhileTheAdministratorHasADraftOpen_IsANoticeThatNeverOverwritesTheirDraft()
    {
        _factory.CreateClient().Dispose();
        var mine = (await Drafts.OpenAsync("immediate", Admin)).Json.Replace("\"窗口即办\"", "\"当场办结\"", StringComparison.Ordinal);
        Assert.True((await Drafts.SaveAsync("immediate", mine, Admin)).Saved);

        await ShipAsync("immediate", "当场审查、当场办结。", "当场审查、当场办结，一次办好。");

        var draft = (await Drafts.LoadAsync("immediate"))!;
        Assert.Equal((mine, WorkflowOrigin.Edited), (draft.Json, draft.Origin));
        var row = (await _factory.Get<WorkflowHistory>().FlowsAsync()).Single(f => f.Id == "immediate");
        Assert.True(row.UpdatePending);
        Assert.True(row.HasDraft);

        var taken = await Drafts.TakeShippedUpdateAsync("immediate", Admin);
        Assert.True(taken.Saved);
        draft = (await Drafts.LoadAsync("immediate"))!;
        Assert.Equal(WorkflowOrigin.Shipped, draft.Origin);
        Assert.Contains("一次办好", draft.Json, StringComparison.Ordinal);
        Assert.False((await _factory.Get<WorkflowHistory>().FlowsAsync()).Single(f => f.Id == "immediate").UpdatePending);
    }

    [Fact]
    public async Task ADraftWithErrors_IsSavedWithTheErrorsPinnedToTheirSteps_ButNotPublished()
    {
        _factory.CreateClient().Dispose();
        var root = JsonNode.Parse((await Drafts.OpenAsync("promised-single", Admin)).Json)!.AsObject();
        var steps = root["steps"]!.AsArray().Select(s => s!.AsObject()).ToList();
        steps.Single(s => (string?)s["id"] == "review")["department"] = "NOPE";
        steps.Single(s => (string?)s["id"] == "approve")["limitDays"] = -1;

        var saved = await Drafts.SaveAsync("promised-single", root.ToJsonString(), Admin);

        Assert.True(saved.Saved);
        Assert.False(saved.CanPublish);
        Assert.Contains(saved.Errors, e => e.StepId == "approve");
        var draft = (await Drafts.LoadAsync("promised-single"))!;
        Assert.Equal(root.ToJsonString(), draft.Json);
        Assert.NotEmpty(draft.ErrorsOf("approve"));

        // Once the limit is right, the department is the one error left, pinned to its step.
        steps.Single(s => (string?)s["id"] == "approve")["limitDays"] = 2;
        saved = await Drafts.SaveAsync("promised-single", root.ToJsonString(), Admin, saved.Revision);
        var error = Assert.Single(saved.Errors);
        Assert.Equal(("review", "部门“NOPE”不在部门目录中，请选择目录中的部门"), (error.StepId, error.Message));

        var refused = await Drafts.PublishAsync("promised-single", "试发布", Admin);
        Assert.False(refused.Published);
        Assert.Equal("草稿有1处错误，改正后才能发布", refused.Message);
        await using var db = _factory.CreateDbContext();
        Assert.Equal(1, await db.WorkflowVersions.CountAsync(v => v.WorkflowId == "promised-single"));

        // Another administrator's older copy does not overwrite the newer save.
        var stale = await Drafts.SaveAsync("promised-single", "{}", Admin, saved.Revision - 1);
        Assert.False(stale.Saved);
        Assert.Equal(root.ToJsonString(), (await Drafts.LoadAsync("promised-single"))!.Json);
    }

    [Fact]
    public async Task ExportAndImport_RoundTripAFlowAsADraft_AndANewFlowCanBeImported()
    {
        _factory.CreateClient().Dispose();
        var (_, json) = (await Drafts.ExportAsync("countersign-review", 1))!.Value;

        var (id, imported) = await Drafts.ImportAsync(json, Admin);

        Assert.Equal("countersign-review", id);
        Assert.True(imported.CanPublish);
        var draft = (await Drafts.LoadAsync("countersign-review"))!;
        Assert.Equal((json, WorkflowOrigin.Imported, (int?)1), (draft.Json, draft.Origin, draft.BasedOnVersion));
        Assert.Empty((await _factory.Get<WorkflowHistory>().CompareAsync("countersign-review", 1, null)).Differences!);

        // A second import does not replace the open draft unless asked to.
        var again = await Drafts.ImportAsync(json.Replace("\"会签\"", "\"集体会签\"", StringComparison.Ordinal), Admin);
        Assert.False(again.Result.Saved);
        Assert.Contains("已有未发布的草稿", again.Result.Message, StringComparison.Ordinal);
        Assert.True((await Drafts.ImportAsync(json.Replace("\"会签\"", "\"集体会签\"", StringComparison.Ordinal), Admin, replaceDraft: true)).Result.Saved);

        // A new flow: a draft with no version, published as version 1.
        var fresh = JsonNode.Parse(json)!.AsObject();
        fresh["id"] = "countersign-copy";
        fresh["title"] = "会签审查件（副本）";
        Assert.Equal("countersign-copy", (await Drafts.ImportAsync(fresh.ToJsonString(), Admin)).WorkflowId);
        Assert.Contains((await _factory.Get<WorkflowHistory>().FlowsAsync()), f => f is { Id: "countersign-copy", CurrentVersion: null, HasDraft: true });
        Assert.Equal(1, (await Drafts.PublishAsync("countersign-copy", "新增流程", Admin)).Version);

        Assert.Equal("文件不是有效的 JSON 流程定义，请检查后重新导入", (await Drafts.ImportAsync("{ \"id\": ", Admin)).Result.Message);
    }

    [Fact]
    public async Task OnlyAdministrators_ReachTheFlowPages_TheExport_OrTheDraftActs()
    {
        var officer = await ApiSession.SignInAsync(_factory, "officer.scjg");
        foreach (var url in new[] { "/admin/workflows", "/admin/workflows/promised-single/versions", "/admin/workflows/promised-single/migrate",
                     "/admin/api/workflows/promised-single.json?version=1" })
        {
            using var response = await officer.Client.GetAsync(url);
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        }

        var supervisor = new CaseActor("sup", "周监察", [Roles.Supervisor]);
        Assert.Equal("只有系统管理员可以修改流程定义",
            (await Assert.ThrowsAsync<CaseRuleException>(() => Drafts.SaveAsync("promised-single", "{}", supervisor))).Message);
        await Assert.ThrowsAsync<CaseRuleException>(() => Drafts.PublishAsync("promised-single", "原因", supervisor));
        await Assert.ThrowsAsync<CaseRuleException>(() => Drafts.ImportAsync("{}", supervisor));
        Assert.Null(await Drafts.LoadAsync("promised-single"));

        var admin = await ApiSession.SignInAsync(_factory, "admin");
        using var export = await admin.Client.GetAsync("/admin/api/workflows/promised-single.json?version=1");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Contains("\"promised-single\"", await export.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var versions = await admin.Client.GetStringAsync("/admin/workflows/promised-single/versions");
        Assert.Contains("第1版", versions, StringComparison.Ordinal);
        Assert.Contains("随升级提供", versions, StringComparison.Ordinal);
    }

    internal static async Task<long> FileAndAcceptAsync(AppFactory factory, ApiSession citizen, ApiSession clerk)
    {
        await using var db = factory.CreateDbContext();
        var matter = (await db.Matters.AsNoTracking().Where(m => m.WorkflowId == "promised-single" && m.Department!.Code == "SCJG").ToListAsync()).First();
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = matter.Code, submit = true, formData = TestForms.For(matter) });
        var id = filed.GetProperty("id").GetInt64();
        await clerk.PostOkAsync($"/api/cases/{id}/accept", new { });
        return id;
    }

    private sealed class ShippedFolderFactory(string workflows) : AppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Workflows:Path", workflows);
        }
    }
}
