using System.Text.Json.Nodes;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Features.Admin.Workflows;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Admin.Workflows;

/// <summary>
/// Migrating running cases (issue 18 item 5) on a real database: the preview shows what changes per case, bulk applies one journalled act
/// per case and reports each, the clock is re-armed on the working-day calendar, and an unsafe mapping is refused and changes nothing.
/// </summary>
public sealed class WorkflowMigrationsTests(AppFactory factory) : IClassFixture<AppFactory>
{
    /// <summary>Publishes promised-single v2 with 承办 renamed 核查 (id "check") and a limit of 5 working days.</summary>
    private async Task<int> PublishCheckVersionAsync()
    {
        var drafts = factory.Get<WorkflowDrafts>();
        var text = (await drafts.OpenAsync("promised-single", WorkflowDraftsTests.Admin)).Json.Replace("\"handle\"", "\"check\"", StringComparison.Ordinal).Replace("\"承办\"", "\"核查\"", StringComparison.Ordinal);
        var root = JsonNode.Parse(text)!.AsObject();
        root["steps"]!.AsArray().Single(s => (string?)s!["id"] == "check")!["limitDays"] = 5;
        var saved = await drafts.SaveAsync("promised-single", root.ToJsonString(), WorkflowDraftsTests.Admin);
        Assert.True(saved.CanPublish, string.Join("; ", saved.Errors));
        return (await drafts.PublishAsync("promised-single", "承办改为核查，时限5个工作日", WorkflowDraftsTests.Admin)).Version!.Value;
    }

    [Fact]
    public async Task Bulk_MigratesEachCaseInItsOwnJournalledAct_ReArmingTheClockOnTheCalendar_AndAnUnsafeMappingChangesNothing()
    {
        var citizen = await ApiSession.SignInAsync(factory, "enterprise");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        var ids = new[] { await WorkflowDraftsTests.FileAndAcceptAsync(factory, citizen, clerk), await WorkflowDraftsTests.FileAndAcceptAsync(factory, citizen, clerk) };
        var from = (await factory.Get<WorkflowCatalog>().CurrentAsync("promised-single")).Version;
        var to = await PublishCheckVersionAsync();
        var migrations = factory.Get<WorkflowMigrations>();

        var open = await migrations.OpenStepsAsync("promised-single", from);
        Assert.Contains(open, s => s.StepId == "handle" && s.Title == "承办" && s.Cases >= 2);

        // Unsafe: 承办 has no counterpart in the new version. Refused for every case, and nothing changes.
        var none = new Dictionary<string, string>();
        var refusedPreview = await migrations.PreviewAsync("promised-single", from, to, none, WorkflowDraftsTests.Admin);
        Assert.All(refusedPreview.Where(p => ids.Contains(p.CaseId)), p => Assert.Equal("不能迁移：环节“承办”没有指定新版本中的对应环节", p.Refusal));
        var refused = await migrations.ApplyAsync("promised-single", from, to, none, ids, null, WorkflowDraftsTests.Admin);
        Assert.All(refused, o => Assert.False(o.Migrated));
        await using (var db = factory.CreateDbContext())
        {
            Assert.All(await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync(), c => Assert.Equal(from, c.WorkflowVersion));
            Assert.False(await db.Journal.AnyAsync(j => ids.Contains(j.CaseId) && j.Action == nameof(CaseTrigger.MigrateWorkflow)));
        }

        // Mapped: the preview says what changes, and bulk applies it case by case.
        var mapping = new Dictionary<string, string> { ["handle"] = "check" };
        var preview = (await migrations.PreviewAsync("promised-single", from, to, mapping, WorkflowDraftsTests.Admin)).Single(p => p.CaseId == ids[0]);
        var change = Assert.Single(preview.Changes);
        Assert.Equal(("承办", "核查", "SCJG"), (change.FromTitle, change.ToTitle, change.ToDepartment));
        Assert.Null(preview.Refusal);
        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(from, (await db.Cases.AsNoTracking().SingleAsync(c => c.Id == ids[0])).WorkflowVersion); // a preview saves nothing
        }

        var outcomes = await migrations.ApplyAsync("promised-single", from, to, mapping, ids, "流程再造", WorkflowDraftsTests.Admin);

        Assert.Equal(ids, outcomes.Select(o => o.CaseId));
        Assert.All(outcomes, o => Assert.Equal((true, $"已迁移到第{to}版"), (o.Migrated, o.Message)));
        var time = await factory.Get<WorkingTimeProvider>().GetAsync();
        await using (var db = factory.CreateDbContext())
        {
            foreach (var id in ids)
            {
                var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == id);
                Assert.Equal(to, c.WorkflowVersion);
                var step = Assert.Single(c.Steps, s => s.IsOpen);
                Assert.Equal(("check", "核查"), (step.StepId, step.Title));
                Assert.Equal(time.DueAfter(step.OpenedAt, 5), step.Deadline.DueAt);
                Assert.Equal(StepOutcome.Cancelled, c.Steps.Single(s => s.StepId == "handle").Outcome);
                var entry = await db.Journal.AsNoTracking().SingleAsync(j => j.CaseId == id && j.Action == nameof(CaseTrigger.MigrateWorkflow));
                Assert.Equal(("系统管理员", "流程再造"), (entry.ActorName, entry.Opinion));
            }

            Assert.True((await CaseJournal.VerifyAsync(db)).IsIntact);
        }

        // Applying again: the cases are on the new version now, and each says so.
        var again = await migrations.ApplyAsync("promised-single", from, to, mapping, ids, null, WorkflowDraftsTests.Admin);
        Assert.All(again, o => Assert.Contains($"不是第{from}版", o.Message, StringComparison.Ordinal));

        // The migrated case goes on on the new version.
        var officer = await ApiSession.SignInAsync(factory, "officer.scjg");
        var detail = await officer.GetOkAsync($"/api/cases/{ids[0]}");
        var item = detail.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("open").GetBoolean()).GetProperty("workItemId").GetString();
        var next = await officer.PostOkAsync($"/api/cases/{ids[0]}/tasks/{item}/act", new { outcome = "approve", opinion = "核查无误" });
        Assert.Contains(next.GetProperty("steps").EnumerateArray(), s => s.GetProperty("open").GetBoolean() && s.GetProperty("title").GetString() == "审核");
    }
}
