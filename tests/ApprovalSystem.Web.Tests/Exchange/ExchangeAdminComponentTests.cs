using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Features.Exchange;
using ApprovalSystem.Web.Features.Exchange.Inbound;
using ApprovalSystem.Web.Features.Exchange.Outbound;
using ApprovalSystem.Web.Features.Exchange.Systems;
using ApprovalSystem.Web.Tests.Infrastructure;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ApprovalSystem.Web.Tests.Exchange;

/// <summary>bUnit: the administrators' exchange page shows systems and counts dead letters; the key is never on it after registration.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "IAsyncLifetime disposes the bUnit context.")]
public sealed class ExchangeAdminComponentTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly BunitContext _ctx = new();
    private readonly AppFactory _factory;

    public ExchangeAdminComponentTests(AppFactory factory)
    {
        _factory = factory;
        factory.CreateClient().Dispose();
        _ctx.Services.AddMudServices();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        var scope = factory.Services.CreateScope();
        foreach (var type in new[]
        {
            typeof(LineSystems.Handler), typeof(PushCaseState.Handler), typeof(ExchangeQueries), typeof(WebhookDispatcher), typeof(TimeProvider),
        })
        {
            _ctx.Services.AddSingleton(type, scope.ServiceProvider.GetRequiredService(type));
        }

        _ctx.AddAuthorization().SetAuthorized("admin").SetRoles(Roles.Administrator);
        _ctx.Render<MudPopoverProvider>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Fact]
    public async Task Page_ShowsSystemsAndCountsDeadLetters_NeverTheKey()
    {
        var issued = await _factory.Get<LineSystems.Handler>().RegisterAsync(new LineSystems.Command("ZJ-YW", "住建业务系统", "ZJ", null));
        await using (var db = _factory.CreateDbContext())
        {
            var system = await db.LineSystems.SingleAsync(s => s.Id == issued.System.Id);
            await _factory.Get<PushCaseState.Handler>().HandleAsync(system, new PushCaseState.Command
            {
                EventId = "dl-1", CaseId = "ZJ-001", MatterCode = "330799-ZJ-NOPE", Step = "受理", Actor = new("a", "钱工"), OccurredAt = DateTimeOffset.UtcNow,
            });
        }

        var page = _ctx.Render<ExchangeAdmin>();

        page.WaitForAssertion(() =>
        {
            Assert.Contains("住建业务系统", page.Markup, StringComparison.Ordinal);
            Assert.Contains("死信（1）", page.Markup, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(issued.ApiKey, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebhookAllowList_IsShownAndEdited_AWrongEntryIsExplained()
    {
        var issued = await _factory.Get<LineSystems.Handler>().RegisterAsync(
            new LineSystems.Command("ZJ-HOOK", "住建回调系统", "ZJ", null, ["hook.zj.example"]));
        var page = _ctx.Render<ExchangeAdmin>();
        page.WaitForAssertion(() => Assert.Contains("hook.zj.example", page.Markup, StringComparison.Ordinal));

        await page.InvokeAsync(() => page.Find($"#webhook-targets-{issued.System.Id}").Click());
        await page.InvokeAsync(() => page.Find("#webhook-targets-input").Change("127.0.0.1"));
        await page.InvokeAsync(() => page.Find("#webhook-targets-save").Click());
        page.WaitForAssertion(() => Assert.Contains("不能加入回调白名单", page.Markup, StringComparison.Ordinal));

        await page.InvokeAsync(() => page.Find("#webhook-targets-input").Change("hook.zj.example\n10.20.0.0/16"));
        await page.InvokeAsync(() => page.Find("#webhook-targets-save").Click());

        page.WaitForAssertion(() => Assert.Contains("hook.zj.example、10.20.0.0/16", page.Markup, StringComparison.Ordinal));
        await using var db = _factory.CreateDbContext();
        Assert.Equal("hook.zj.example,10.20.0.0/16", (await db.LineSystems.SingleAsync(s => s.Id == issued.System.Id)).WebhookAllowList);
    }
}
