using ApprovalSystem.Core.Bundles;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Features.Bundles;
using ApprovalSystem.Web.Features.Supervision.Performance;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using ApprovalSystem.Web.Tests.Supervision;
using ApprovalSystem.Workflows;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ApprovalSystem.Web.Tests.Bundles;

/// <summary>
/// Supervision's bundle figures (decision 0057) on a real database with a fake clock: a bundle concluded within its promised limit
/// counts on time and one concluded after it does not; the average days and the one-visit share follow what happened; and a late
/// member stays late under its own department (members are ordinary cases).
/// </summary>
public sealed class BundleFiguresTests : IDisposable
{
    private const string Hiring = "330799-YJS-005";

    private readonly ClockedAppFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task ABundleConcludedLate_CountsConcludedButNotOnTime_AndItsLateMembersStayWithTheirDepartments()
    {
        factory.Clock.SetUtcNow(ClockedAppFactory.At("2026-11-02T09:00")); // a Monday, no holiday near
        factory.CreateClient().Dispose();
        var def = await DefinitionAsync();
        var clerk = await ActorAsync("clerk", Roles.Clerk, "FWZX");
        var acts = factory.Get<BundleActs.Handler>();

        var onTime = await FileAsync(def);
        var late = await FileAsync(def);
        var supplemented = await FileAsync(def);
        var refused = await FileAsync(def);
        foreach (var b in new[] { onTime, late })
        {
            await acts.AcceptAsync(new BundleActs.AcceptCommand(b.Id, [.. b.Materials.Select(m => m.Name)]), clerk);
        }

        await acts.RequestSupplementAsync(new BundleActs.SupplementCommand(supplemented.Id, ["缺少：劳动合同"]), clerk);
        await acts.ResubmitAsync(supplemented.Id, await ActorAsync("enterprise", Roles.Applicant, null));
        await acts.AcceptAsync(new BundleActs.AcceptCommand(supplemented.Id, [.. supplemented.Materials.Select(m => m.Name)]), clerk);
        await acts.RefuseAsync(new BundleActs.RefuseCommand(refused.Id, "不属于本县管辖"), clerk);

        foreach (var m in onTime.Members)
        {
            await ApproveAsync(m.CaseId);
        }

        // Well past the bundle's promised limit (and every member's) the second bundle's members conclude.
        factory.Clock.Advance(TimeSpan.FromDays(def.PromisedLimitDays * 2 + 21));
        foreach (var m in late.Members)
        {
            await ApproveAsync(m.CaseId);
        }

        await using var db = factory.CreateDbContext();
        var stored = await db.BundleCases.AsNoTracking().Where(x => x.Id == onTime.Id || x.Id == late.Id).ToDictionaryAsync(x => x.Id);
        Assert.All(stored.Values, x => Assert.Equal(BundleState.Concluded, x.State));
        Assert.True(stored[late.Id].ConcludedAt > stored[late.Id].Deadline.DueAt);
        Assert.True(stored[onTime.Id].ConcludedAt <= stored[onTime.Id].Deadline.DueAt);

        var (rows, total) = await factory.Get<BundleStatistics>().ComputeAsync(new DateOnly(2026, 11, 1), new DateOnly(2027, 1, 1));
        var row = Assert.Single(rows);
        Assert.Equal((Hiring, def.Name), (row.Code, row.Name));
        Assert.Equal(4, row.Received);
        Assert.Equal(2, row.Concluded);
        Assert.Equal(1, row.OnTime);
        Assert.Equal(0.5m, row.OnTimeRate);
        var used = stored.Values.Select(x => x.Deadline.UsedDays).ToList();
        Assert.True(used.Max() > def.PromisedLimitDays);
        Assert.Equal(Math.Round((decimal)used.Average(), 1), row.AverageDays);
        Assert.Equal(4, row.Reviewed); // three accepted and one refused at the window
        Assert.Equal(2, row.OneVisit); // the supplemented one came twice, the refused one was not served
        Assert.Equal(row with { Code = "", Name = "合计" }, total);

        // A period before any of it counts nothing.
        Assert.Empty((await factory.Get<BundleStatistics>().ComputeAsync(new DateOnly(2026, 10, 1), new DateOnly(2026, 11, 1))).Bundles);

        // Each late member is late under its own department and matter on the day it concluded, like any case.
        var ids = late.Members.Select(m => m.CaseId).ToList();
        var members = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync();
        var day = WorkingTime.LocalDate(members[0].ConcludedAt!.Value);
        await factory.Get<PerformanceAggregator>().RefreshAsync(day, day);
        var days = await db.PerformanceDays.AsNoTracking().Where(p => p.Day == day).ToListAsync();
        Assert.Equal(members.Select(c => c.LeadDepartment).Distinct().Order(), days.Where(p => p.Overdue > 0).Select(p => p.Department).Distinct().Order());
        foreach (var c in members)
        {
            Assert.True(c.ConcludedAt > c.Promised.DueAt, $"{c.MatterName} 应超期");
            Assert.Equal(1, days.Where(p => p.MatterCode == c.MatterCode && p.Department == c.LeadDepartment).Sum(p => p.Overdue));
        }

        // The performance page shows the bundle's line over its period.
        await using var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddSingleton(factory.Get<BundleStatistics>());
        var panel = ctx.Render<BundleFiguresPanel>(p => p.Add(x => x.From, new DateOnly(2026, 11, 1)).Add(x => x.To, new DateOnly(2027, 1, 1))
            .Add(x => x.Title, "2026年11—12月"));
        panel.WaitForAssertion(() =>
        {
            var cells = panel.FindAll($"tr[data-bundle='{Hiring}'] td").Select(td => td.TextContent.Trim()).ToList();
            Assert.Equal([def.Name, "4", "2", "1", "50.0%"], cells.Take(5));
            Assert.StartsWith("50.0%", cells[6], StringComparison.Ordinal);
        });
    }

    private async Task<BundleData> DefinitionAsync()
    {
        await using var db = factory.CreateDbContext();
        return (await db.Bundles.AsNoTracking().SingleAsync(b => b.Code == Hiring)).Definition;
    }

    private async Task<CaseActor> ActorAsync(string account, string role, string? department)
    {
        await using var db = factory.CreateDbContext();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == account);
        return new CaseActor(user.Id, user.DisplayName, [role], department);
    }

    private async Task<BundleCase> FileAsync(BundleData def)
    {
        var answers = BundleTests.Answers(def, yes: true);
        return await factory.Get<FileBundle.Handler>().HandleAsync(new FileBundle.Command
        {
            BundleCode = def.Code, Answers = answers, FormData = BundleTests.Form(def, answers), Submit = true,
        }, await ActorAsync("enterprise", Roles.Applicant, null));
    }

    /// <summary>Approves the member's open steps as its department's staff (a new person per step) until none is open.</summary>
    private async Task ApproveAsync(long caseId)
    {
        var store = factory.Get<CaseStore>();
        var workflows = factory.Get<WorkflowCatalog>();
        for (var taken = 0; taken < 20; taken++)
        {
            await using var db = factory.CreateDbContext();
            var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == caseId);
            if (c.OpenSteps.FirstOrDefault() is not { } step)
            {
                return;
            }

            var actor = new CaseActor($"f-{caseId}-{step.WorkItemId}", "测试" + step.Title, [step.Role], step.Department);
            await store.ExecuteAsync(caseId, new CaseActor("supervisor-view", "查看", [Roles.Supervisor]), async (x, ctx) =>
                x.ActFilled(await workflows.CurrentAsync(x.WorkflowId), step.WorkItemId, Outcome.Approve, "同意", actor, ctx.Now, ctx.Time));
        }
    }
}
