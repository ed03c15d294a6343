using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Features.Work;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using ApprovalSystem.Workflows;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ApprovalSystem.Web.Tests.Work;

/// <summary>
/// The officer's worklist at a size no page should hold (every open step of the department used to be loaded into each
/// open page): counted and paged in the database, each tab exact, separation of duties still applied, search over all.
/// </summary>
public sealed class WorklistTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const int Filed = 1_300;
    private const string Matter = "330799-SCJG-011"; // promised-single: 承办 → 审核 (apart from 承办) → 审批 by the head

    private async Task<CaseActor> ActorAsync(string userName, string role)
    {
        await using var db = factory.CreateDbContext();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == userName);
        return new CaseActor(user.Id, user.DisplayName, [role], "SCJG");
    }

    /// <summary>The oracle: every open step of the department loaded and filtered in memory, as the old worklist did.</summary>
    private async Task<List<(long CaseId, string WorkItemId, string? AssigneeId, bool Late)>> RecountAsync(CaseActor actor, DateTimeOffset now)
    {
        await using var db = factory.CreateDbContext();
        var catalog = factory.Get<WorkflowCatalog>();
        var cases = await db.Cases.AsNoTracking().Where(c => c.Steps.Any(s => s.Department == "SCJG" && s.ClosedAt == null)).ToListAsync();
        var kept = new List<(CaseStep Step, long CaseId)>();
        foreach (var c in cases)
        {
            var definition = await catalog.VersionAsync(c.WorkflowId, c.WorkflowVersion!.Value);
            kept.AddRange(c.Steps.Where(s => s.Department == "SCJG" && s.IsOpen)
                .Where(s => Case.SeparationConflict(definition, s, actor.UserId, actor.Is(Roles.DepartmentHead), c.Steps.Where(x => !x.IsOpen)) is null)
                .Select(s => (s, c.Id)));
        }

        var suspended = cases.Where(c => c.State == CaseState.Suspended).Select(c => c.Id).ToHashSet();
        return kept.OrderBy(k => k.Step.OpenedAt).ThenBy(k => k.CaseId).ThenBy(k => k.Step.WorkItemId, StringComparer.Ordinal)
            .Select(k => (k.CaseId, k.Step.WorkItemId, k.Step.AssigneeId,
                !suspended.Contains(k.CaseId) && ((k.Step.Deadline.DueAt is { } d && d < now) || (k.Step.Deadline.WarnAt is { } w && w <= now))))
            .ToList();
    }

    [Fact]
    public async Task EveryTab_CountsExactly_PagesInTheDatabase_KeepsDutiesApart_AndSearchesAll()
    {
        factory.CreateClient().Dispose();
        var officer = await ActorAsync("officer.scjg", Roles.Officer);
        var head = await ActorAsync("head.scjg", Roles.DepartmentHead);
        var clerk = new CaseActor("clerk-bulk", "窗口人员", [Roles.Clerk], null);
        var catalog = factory.Get<WorkflowCatalog>();
        var definition = await catalog.CurrentAsync("promised-single");

        // Half filed long ago (their steps are late), half today; every 5th claimed by the officer, every 7th handled by
        // them (its 审核 is then open and kept from them); the 7th case's applicant a name found by search.
        var ids = await BulkCases.FileAsync(factory, Filed, i => new CaseActor($"citizen-work-{i}", "陈静", [Roles.Applicant], null),
            i => i == 7 ? "欧阳䶮" : "陈静", TimeSpan.FromDays(40), matterCode: Matter, then: async (i, c, ctx, at) =>
            {
                var when = i < Filed / 2 ? at : ctx.Now;
                c.Accept(definition, clerk, when, ctx.Time);
                var handle = c.OpenSteps.Single().WorkItemId;
                if (i % 7 == 0)
                {
                    c.Act(definition, handle, Outcome.Approve, "符合条件", new Dictionary<string, string> { ["checkResult"] = "符合法定条件" }, officer, when,
                        ctx.Time);
                }
                else if (i % 5 == 0)
                {
                    c.Claim(handle, officer, when, definition);
                }

                await Task.CompletedTask;
            });

        var queries = factory.Get<WorklistQueries>();
        var now = factory.Get<TimeProvider>().GetUtcNow();
        foreach (var actor in new[] { officer, head })
        {
            var expected = await RecountAsync(actor, now);
            var counts = await queries.CountsAsync(actor);
            Assert.Equal(expected.Count, counts.All);
            Assert.Equal(expected.Count(e => e.AssigneeId == actor.UserId), counts.Mine);
            Assert.Equal(expected.Count(e => e.AssigneeId is null), counts.Unassigned);
            Assert.Equal(expected.Count(e => e.Late), counts.Late);

            var first = await queries.PageAsync(actor, WorkFilter.All, 0, 50);
            Assert.Equal(expected.Count, first.Total);
            Assert.Equal(expected.Take(50).Select(e => (e.CaseId, e.WorkItemId)), first.Rows.Select(r => (r.CaseId, r.WorkItemId)));
            var last = await queries.PageAsync(actor, WorkFilter.All, expected.Count - 10, 50);
            Assert.Equal(expected.TakeLast(10).Select(e => (e.CaseId, e.WorkItemId)), last.Rows.Select(r => (r.CaseId, r.WorkItemId)));
            var late = await queries.PageAsync(actor, WorkFilter.Late, 0, 200);
            Assert.Equal(expected.Where(e => e.Late).Take(200).Select(e => (e.CaseId, e.WorkItemId)), late.Rows.Select(r => (r.CaseId, r.WorkItemId)));
        }

        // Above the old load-everything size, and the officer's handled cases' reviews are not offered to them.
        var officerAll = await queries.CountsAsync(officer);
        Assert.True(officerAll.All >= Filed - (Filed / 7) - 1, $"{officerAll.All} steps");
        Assert.True(officerAll.Mine >= (Filed / 5) - (Filed / 35) - 1);
        Assert.True(officerAll.Late > 0 && officerAll.Late < officerAll.All);
        var reviews = await queries.PageAsync(await ActorAsync("officer2.scjg", Roles.Officer), WorkFilter.All, 0, 200, "欧阳");
        Assert.Equal("审核", Assert.Single(reviews.Rows).StepTitle); // case 7 was handled: its review waits for another officer
        Assert.Empty((await queries.PageAsync(officer, WorkFilter.All, 0, 200, "欧阳䶮")).Rows);
        Assert.Equal(ids[7], (await queries.PageAsync(await ActorAsync("officer2.scjg", Roles.Officer), WorkFilter.All, 0, 50, "䶮")).Rows[0].CaseId);

        // The page as the officer sees it: the tab headings exact, the oldest step on the first page.
        await using var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddSingleton(queries);
        ctx.Services.AddSingleton(factory.Get<TimeProvider>());
        ctx.AddAuthorization().SetAuthorized(officer.Name).SetRoles(Roles.Officer)
            .SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, officer.UserId),
                new System.Security.Claims.Claim(AppClaims.DepartmentCode, "SCJG"));
        ctx.Render<MudPopoverProvider>();
        var page = ctx.Render<Worklist>();
        var expectedOfficer = await RecountAsync(officer, now);
        await using var db = factory.CreateDbContext();
        var oldest = await db.Cases.Where(c => c.Id == expectedOfficer[0].CaseId).Select(c => c.Number!).SingleAsync();
        page.WaitForAssertion(() =>
        {
            Assert.Contains($"全部（{expectedOfficer.Count}）", page.Markup, StringComparison.Ordinal);
            Assert.Contains($"我的（{expectedOfficer.Count(e => e.AssigneeId == officer.UserId)}）", page.Markup, StringComparison.Ordinal);
            Assert.Contains(oldest, page.Markup, StringComparison.Ordinal);
            Assert.Equal(50, page.FindAll("#worklist tbody tr").Count);
            Assert.Contains($"1-50 / {expectedOfficer.Count}", page.Markup, StringComparison.Ordinal); // the pager's total is the tab's
        }, TimeSpan.FromSeconds(10));
    }
}
