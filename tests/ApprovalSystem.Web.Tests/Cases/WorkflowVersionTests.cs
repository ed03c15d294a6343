using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Bunit;
using MudBlazor.Services;

namespace ApprovalSystem.Web.Tests.Cases;

/// <summary>
/// A changed shipped definition arrives as a draft and becomes a new version once an administrator publishes it; a running case finishes
/// on the version it started with.
/// </summary>
public sealed class WorkflowVersionTests : IDisposable
{
    private readonly string _workflows = Path.Combine(Path.GetTempPath(), "approval-wf-" + Guid.NewGuid().ToString("N"));
    private readonly VersionedFactory _factory;

    public WorkflowVersionTests()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "workflows");
        Directory.CreateDirectory(_workflows);
        foreach (var f in Directory.GetFiles(source, "*.json"))
        {
            File.Copy(f, Path.Combine(_workflows, Path.GetFileName(f)));
        }

        _factory = new VersionedFactory(_workflows);
    }

    public void Dispose()
    {
        _factory.Dispose();
        Directory.Delete(_workflows, recursive: true);
    }

    [Fact]
    public async Task ChangedDefinition_ArrivesAsADraft_PublishedItBecomesVersion2_WhileARunningCaseFinishesOnVersion1()
    {
        var citizen = await ApiSession.SignInAsync(_factory, "enterprise");
        var clerk = await ApiSession.SignInAsync(_factory, "clerk");
        await using var db = _factory.CreateDbContext();
        var matter = (await db.Matters.AsNoTracking().Where(m => m.WorkflowId == "promised-single" && m.Department!.Code == "SCJG").ToListAsync()).First();
        var form = TestForms.For(matter);
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = matter.Code, submit = true, formData = form });
        var id = filed.GetProperty("id").GetInt64();
        await clerk.PostOkAsync($"/api/cases/{id}/accept", new { });

        // An upgrade ships the definition changed (a step renamed) and the system restarts: the change waits as a draft.
        var file = Path.Combine(_workflows, "promised-single.json");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("\"审核\"", "\"复核\"", StringComparison.Ordinal));
        var catalog = new WorkflowCatalog(_factory.Get<IDbContextFactory<AppDbContext>>(), new WorkflowRegistry(_workflows), TimeProvider.System);
        await catalog.SyncAsync();
        Assert.Equal(1, (await catalog.CurrentAsync("promised-single")).Version);
        Assert.True(await db.WorkflowDrafts.AnyAsync(d => d.WorkflowId == "promised-single"));

        // The administrator publishes it.
        var admin = new Core.Cases.CaseActor("admin-test", "系统管理员", [Core.Identity.Roles.Administrator]);
        Assert.Equal(2, (await _factory.Get<Features.Admin.Workflows.WorkflowDrafts>().PublishAsync("promised-single", "采用升级内容", admin)).Version);
        catalog.ForgetCurrent();

        var versions = await db.WorkflowVersions.AsNoTracking().Where(v => v.WorkflowId == "promised-single").OrderBy(v => v.Version).ToListAsync();
        Assert.Equal([1, 2], versions.Select(v => v.Version));
        Assert.Contains("复核", (await catalog.CurrentAsync("promised-single")).Steps.Select(s => s.Title));

        // The running case moves to its second step, still named as in version 1.
        var officer = await ApiSession.SignInAsync(_factory, "officer.scjg");
        var running = await officer.GetOkAsync($"/api/cases/{id}");
        var first = running.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("open").GetBoolean()).GetProperty("workItemId").GetString();
        var next = await officer.PostOkAsync($"/api/cases/{id}/tasks/{first}/act", new { outcome = "approve", opinion = "同意" });
        Assert.Contains(next.GetProperty("steps").EnumerateArray(), s => s.GetProperty("open").GetBoolean() && s.GetProperty("title").GetString() == "审核");
        var stored = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == id);
        Assert.Equal(1, stored.WorkflowVersion);
    }

    [Fact]
    public async Task ADefinitionNamingAnUnknownDepartment_IsSetAside_AndTheAdminPageListsItWithTheBrokenFiles()
    {
        var source = await File.ReadAllTextAsync(Path.Combine(_workflows, "promised-single.json"));
        await File.WriteAllTextAsync(Path.Combine(_workflows, "typo-dept.json"), source
            .Replace("\"id\": \"promised-single\"", "\"id\": \"typo-dept\"", StringComparison.Ordinal)
            .Replace("\"id\": \"handle\", \"kind\": \"task\", \"title\": \"承办\", \"department\": \"$lead\"", "\"id\": \"handle\", \"kind\": \"task\", \"title\": \"承办\", \"department\": \"SCJJ\"", StringComparison.Ordinal));
        await File.WriteAllTextAsync(Path.Combine(_workflows, "broken.json"), "{ \"id\": ");

        var registry = new WorkflowRegistry(_workflows);
        Assert.Contains(registry.Definitions, d => d.Id == "typo-dept"); // the file itself is well formed
        var catalog = new WorkflowCatalog(_factory.Get<IDbContextFactory<AppDbContext>>(), registry, TimeProvider.System);
        await catalog.SyncAsync();

        Assert.DoesNotContain(registry.Definitions, d => d.Id == "typo-dept");
        Assert.Contains(registry.Definitions, d => d.Id == "promised-single");
        var errors = registry.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains("typo-dept.json: step \"handle\": unknown department \"SCJJ\" (not in the catalogue of departments)", errors);
        Assert.Contains(errors, e => e.StartsWith("broken.json: invalid JSON", StringComparison.Ordinal));
        await using (var db = _factory.CreateDbContext())
        {
            Assert.False(await db.WorkflowVersions.AnyAsync(v => v.WorkflowId == "typo-dept"));
        }

        await using var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddSingleton(registry);
        ctx.Services.AddSingleton(catalog);
        var dbFactory = _factory.Get<IDbContextFactory<AppDbContext>>();
        ctx.Services.AddSingleton(new Features.Admin.Workflows.WorkflowHistory(dbFactory));
        ctx.Services.AddSingleton(new Features.Admin.Workflows.WorkflowDrafts(dbFactory, catalog, TimeProvider.System));
        ctx.Services.AddSingleton(new Features.Admin.FlowDesigner.FlowDesignerQueries(dbFactory));
        var page = ctx.Render<Features.Admin.WorkflowList>();

        page.WaitForAssertion(() => Assert.Contains("第1版", page.Find("#workflow-table").TextContent, StringComparison.Ordinal));
        var shown = page.Find("#workflow-errors").TextContent;
        Assert.Contains("unknown department \"SCJJ\"", shown, StringComparison.Ordinal);
        Assert.Contains("broken.json", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("typo-dept", page.Find("#workflow-table").TextContent, StringComparison.Ordinal);
    }

    private sealed class VersionedFactory(string workflows) : AppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Workflows:Path", workflows);
        }
    }
}
