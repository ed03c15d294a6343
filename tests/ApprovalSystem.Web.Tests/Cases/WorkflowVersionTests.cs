using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Cases;

/// <summary>A changed definition becomes a new version; a running case finishes on the version it started with.</summary>
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
    public async Task ChangedDefinition_BecomesVersion2_WhileARunningCaseFinishesOnVersion1()
    {
        var citizen = await ApiSession.SignInAsync(_factory, "enterprise");
        var clerk = await ApiSession.SignInAsync(_factory, "clerk");
        await using var db = _factory.CreateDbContext();
        var matter = (await db.Matters.AsNoTracking().Where(m => m.WorkflowId == "promised-single" && m.Department!.Code == "SCJG").ToListAsync()).First();
        var form = TestForms.For(matter);
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = matter.Code, submit = true, formData = form });
        var id = filed.GetProperty("id").GetInt64();
        await clerk.PostOkAsync($"/api/cases/{id}/accept", new { });

        // An administrator edits the definition (renames a step) and the system restarts.
        var file = Path.Combine(_workflows, "promised-single.json");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("\"审核\"", "\"复核\"", StringComparison.Ordinal));
        var catalog = new WorkflowCatalog(_factory.Get<IDbContextFactory<AppDbContext>>(), new WorkflowRegistry(_workflows), TimeProvider.System);
        await catalog.SyncAsync();

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

    private sealed class VersionedFactory(string workflows) : AppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Workflows:Path", workflows);
        }
    }
}
