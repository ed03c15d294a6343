using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Features.Cases.Queries;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ApprovalSystem.Web.Tests.Window;

/// <summary>
/// The clerk's four queues at sizes above the old cap (the oldest 500 cases of all four queues together): once 500
/// older results waited for archiving, 待预审 read 0 while filings waited. Each queue now counts exactly and pages alone.
/// </summary>
public sealed class WindowQueueTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const int Withdrawn = 620;
    private static readonly CaseState[] Review = [CaseState.PreAcceptance];
    private static readonly CaseState[] Archive = [CaseState.Delivered, CaseState.Withdrawn];

    private Task<List<long>> FileAsync(int count, bool withdraw, TimeSpan age) =>
        BulkCases.FileAsync(factory, count, i => new CaseActor($"citizen-queue-{withdraw}-{i}", "吴芳", [Roles.Applicant], null), _ => "吴芳", age, withdraw);

    [Fact]
    public async Task EveryQueue_CountsExactly_AndPagesOnItsOwn_PastTheOldCap()
    {
        factory.CreateClient().Dispose();
        var withdrawn = await FileAsync(Withdrawn, withdraw: true, age: TimeSpan.FromDays(60));
        var waiting = await FileAsync(3, withdraw: false, age: TimeSpan.FromDays(1));
        var queries = factory.Get<CaseQueries>();
        await using var db = factory.CreateDbContext();
        var reviewTotal = await db.Cases.CountAsync(c => c.State == CaseState.PreAcceptance);
        var archiveTotal = await db.Cases.CountAsync(c => c.State == CaseState.Delivered || c.State == CaseState.Withdrawn);

        var counts = await queries.CountByStateAsync([.. Review, .. Archive]);
        var review = await queries.WindowQueueAsync(Review, 0, 50);
        var archiveFirst = await queries.WindowQueueAsync(Archive, 0, 50);
        var archiveLast = await queries.WindowQueueAsync(Archive, archiveTotal - 20, 50);

        // The filings waiting for review are counted and listed, however many older results wait elsewhere.
        Assert.Equal(reviewTotal, counts[CaseState.PreAcceptance]);
        Assert.True(reviewTotal >= 3);
        Assert.Equal(reviewTotal, review.Total);
        Assert.Subset(review.Rows.Select(r => r.Id).ToHashSet(), reviewTotal <= 50 ? waiting.ToHashSet() : []);
        Assert.All(review.Rows, r => Assert.Equal(CaseState.PreAcceptance, r.State));

        // The archive queue counts all of its cases, past 500, and its last page is reachable.
        Assert.True(archiveTotal >= Withdrawn);
        Assert.Equal(archiveTotal, counts[CaseState.Delivered] + counts[CaseState.Withdrawn]);
        Assert.Equal(archiveTotal, archiveFirst.Total);
        Assert.Equal(50, archiveFirst.Rows.Count);
        Assert.Equal(20, archiveLast.Rows.Count);
        Assert.Contains(withdrawn[^1], archiveLast.Rows.Select(r => r.Id));
        Assert.Equal(archiveLast.Rows.OrderBy(r => r.SubmittedAt).ThenBy(r => r.Id).Select(r => r.Id), archiveLast.Rows.Select(r => r.Id));
        Assert.Empty(archiveFirst.Rows.Select(r => r.Id).Intersect(archiveLast.Rows.Select(r => r.Id)));

        // Each state's range is read in index order and merged: every page is the oracle's page of the whole queue.
        var oracle = (await db.Cases.Where(c => c.State == CaseState.Delivered || c.State == CaseState.Withdrawn).Select(c => new { c.SubmittedAt, c.Id })
            .ToListAsync()).OrderBy(c => c.SubmittedAt).ThenBy(c => c.Id).Select(c => c.Id).ToList();
        foreach (var skip in new[] { 0, 50, 300, archiveTotal - 20 })
        {
            Assert.Equal(oracle.Skip(skip).Take(50), (await queries.WindowQueueAsync(Archive, skip, 50)).Rows.Select(r => r.Id));
        }

        Assert.Equal(oracle.Take(50), (await queries.WindowQueueAsync([CaseState.Withdrawn, CaseState.Delivered, CaseState.Withdrawn], 0, 50)).Rows.Select(r => r.Id));

        // The page as the clerk sees it: every tab heading exact, the review tab listing the waiting filings.
        await using var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddSingleton(queries);
        ctx.Services.AddSingleton(factory.Get<Features.Bundles.BundleWindow>());
        ctx.Services.AddSingleton(factory.Get<TimeProvider>());
        ctx.AddAuthorization().SetAuthorized("clerk").SetRoles(Roles.Clerk);
        ctx.Render<MudPopoverProvider>();
        var page = ctx.Render<Features.Window.WindowQueue>();
        var numbers = await db.Cases.Where(c => waiting.Contains(c.Id)).Select(c => c.Number!).ToListAsync();

        page.WaitForAssertion(() =>
        {
            Assert.Contains($"待预审（{reviewTotal}）", page.Markup, StringComparison.Ordinal);
            Assert.Contains($"待归档（{archiveTotal}）", page.Markup, StringComparison.Ordinal);
            Assert.All(reviewTotal <= 50 ? numbers : [], n => Assert.Contains(n, page.Markup, StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(10));
    }
}
