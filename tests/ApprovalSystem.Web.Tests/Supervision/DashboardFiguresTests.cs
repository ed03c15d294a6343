using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Supervision.Dashboard;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ApprovalSystem.Web.Tests.Supervision;

/// <summary>
/// The dashboard's figures are counted once per node for all open dashboards (each open dashboard used to recount the
/// whole case table after every act), equal a recount after a stream of acts, and a closed dashboard stops listening.
/// </summary>
public sealed class DashboardFiguresTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private static void AssertSame(SupervisionQueries.Figures expected, SupervisionQueries.Figures? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.OpenByState, actual.OpenByState);
        Assert.Equal(expected.ByDepartment, actual.ByDepartment);
        Assert.Equal((expected.ActiveYellow, expected.ActiveRed, expected.FiledToday, expected.ConcludedToday, expected.OpenOrders, expected.LateOrders),
            (actual.ActiveYellow, actual.ActiveRed, actual.FiledToday, actual.ConcludedToday, actual.OpenOrders, actual.LateOrders));
        Assert.Equal(expected.NewestAlerts.Select(a => a.Id), actual.NewestAlerts.Select(a => a.Id));
        Assert.Equal(expected.NewestCards.Select(c => c.Id), actual.NewestCards.Select(c => c.Id));
    }

    private async Task<SupervisionQueries.Figures> RecountAsync() =>
        await new SupervisionQueries(factory.Get<IDbContextFactory<AppDbContext>>(), factory.Get<TimeProvider>()).FiguresAsync();

    [Fact]
    public async Task FiftyDashboards_ShareOneCount_ThatEqualsARecount_AfterAStreamOfActs_AndClosedOnesStopListening()
    {
        factory.CreateClient().Dispose();
        var figures = factory.Get<DashboardFigures>();
        figures.Coalesce = TimeSpan.FromMilliseconds(200);
        await figures.CurrentAsync();
        var notified = new int[50];
        var subscriptions = Enumerable.Range(0, 50).Select(i => figures.Subscribe(() => Interlocked.Increment(ref notified[i]))).ToList();
        var before = figures.Recounts;

        // A stream of acts: 60 filings, a third of them withdrawn at once (each act tells the dashboards).
        const int acts = 60;
        await BulkCases.FileAsync(factory, acts, i => new CaseActor($"citizen-dash-{i}", "周敏", [Roles.Applicant], null), _ => "周敏",
            withdraw: false, then: (i, c, ctx, at) =>
            {
                if (i % 3 == 0)
                {
                    c.Withdraw("不再办理", new CaseActor($"citizen-dash-{i}", "周敏", [Roles.Applicant], null), at, ctx.Time);
                }

                return Task.CompletedTask;
            });

        var expected = await RecountAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && (figures.Latest is not { } latest || latest.FiledToday != expected.FiledToday))
        {
            await Task.Delay(50);
        }

        await Task.Delay(figures.Coalesce * 2); // a recount still gathering changes finishes
        AssertSame(await RecountAsync(), figures.Latest);
        var recounts = figures.Recounts - before;
        Assert.InRange(recounts, 1, acts); // at most one per gathered burst, whatever the number of dashboards
        Assert.All(notified, n => Assert.Equal(notified[0], n));
        Assert.True(notified[0] >= 1);

        // Closed dashboards: nobody listens, nothing is counted.
        subscriptions.ForEach(s => s.Dispose());
        Assert.Equal(0, figures.Subscribers);
        var idle = figures.Recounts;
        await BulkCases.FileAsync(factory, 3, i => new CaseActor($"citizen-dash-late-{i}", "周敏", [Roles.Applicant], null), _ => "周敏");
        await Task.Delay(figures.Coalesce * 3);
        Assert.Equal(idle, figures.Recounts);

        // The next dashboard to open sees the change (counted on demand).
        AssertSame(await RecountAsync(), await figures.CurrentAsync());
    }

    [Fact]
    public async Task ADashboardWhoseBrowserGoesAway_UnsubscribesAtOnce_AndSubscribesAgainWhenItComesBack()
    {
        factory.CreateClient().Dispose();
        var figures = factory.Get<DashboardFigures>();
        await using var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddSingleton(figures);
        ctx.Services.AddSingleton(new SupervisionQueries(factory.Get<IDbContextFactory<AppDbContext>>(), factory.Get<TimeProvider>()));
        ctx.Services.AddSingleton(factory.Get<TimeProvider>());
        ctx.Services.AddSingleton(factory.Get<ApprovalSystem.Web.Features.Supervision.Performance.BundleStatistics>());
        var presence = new CircuitPresence();
        ctx.Services.AddSingleton(presence);
        ctx.AddAuthorization().SetAuthorized("supervisor").SetRoles(Roles.Supervisor);
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        ctx.Render<MudPopoverProvider>();
        var listening = figures.Subscribers;

        var page = ctx.Render<DashboardPage>();
        var open = (await RecountAsync()).OpenByState.Sum(s => s.Count);
        page.WaitForAssertion(() => Assert.Contains($"{open}", page.Find("#fig-open").TextContent, StringComparison.Ordinal));
        Assert.Equal(listening + 1, figures.Subscribers);

        await presence.OnConnectionDownAsync(null!, default);
        Assert.Equal(listening, figures.Subscribers);
        await presence.OnConnectionUpAsync(null!, default);
        Assert.Equal(listening + 1, figures.Subscribers);

        await page.InvokeAsync(() => page.Instance.Dispose());
        Assert.Equal(listening, figures.Subscribers);
    }
}
