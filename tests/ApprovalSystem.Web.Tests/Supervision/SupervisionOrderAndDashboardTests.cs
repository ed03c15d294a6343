using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Supervision;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using Bunit;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using ApprovalSystem.Web.Features.Supervision.Dashboard;
using ApprovalSystem.Web.Features.Supervision.Orders;
using ApprovalSystem.Web.Features.Supervision.Alerts;

namespace ApprovalSystem.Web.Tests.Supervision;

/// <summary>Supervision orders (issue, respond, close, escalate once) and the live dashboard (bUnit).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "IAsyncLifetime disposes the bUnit context and the factory.")]
public sealed class SupervisionOrderAndDashboardTests : IAsyncLifetime
{
    private readonly ClockedAppFactory _factory = new();
    private readonly BunitContext _ctx = new();
    private CaseActor _supervisor = default!;
    private CaseActor _head = default!;

    public async Task InitializeAsync()
    {
        _factory.Clock.SetUtcNow(ClockedAppFactory.At("2026-11-02T09:00"));
        _factory.CreateClient().Dispose();
        await using var db = _factory.CreateDbContext();
        var supervisor = await db.Users.SingleAsync(u => u.UserName == "supervisor");
        var head = await db.Users.Include(u => u.Department).SingleAsync(u => u.UserName == "head.scjg");
        _supervisor = new CaseActor(supervisor.Id, supervisor.DisplayName, [Roles.Supervisor]);
        _head = new CaseActor(head.Id, head.DisplayName, [Roles.DepartmentHead], head.Department!.Code);
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        _factory.Dispose();
    }

    private async Task<string> FiledCaseNumberAsync()
    {
        var citizen = await ApiSession.SignInAsync(_factory, "citizen");
        var form = await TestForms.RequiredAsync(_factory, "330799-SCJG-011");
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = "330799-SCJG-011", submit = true, formData = form });
        await using var db = _factory.CreateDbContext();
        var id = filed.GetProperty("id").GetInt64();
        return (await db.Cases.AsNoTracking().SingleAsync(c => c.Id == id)).Number!;
    }

    private async Task<ScanJob.ScanResult> ScanAsync()
    {
        using var scope = _factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ScanJob>().ScanAsync();
    }

    [Fact]
    public async Task Order_IssuedRespondedClosed_AllInTheJournal_AndOnlyTheRightPeopleMayAct()
    {
        var number = await FiledCaseNumberAsync();
        var orders = _factory.Get<SupervisionOrders.Handler>();

        var empty = await Assert.ThrowsAsync<ValidationException>(() => orders.IssueAsync(new(number, null, "", new DateOnly(2026, 11, 5)), _supervisor));
        Assert.Contains(empty.Errors, e => e.ErrorMessage == "请填写督办要求");
        var unknown = await Assert.ThrowsAsync<CaseRuleException>(() => orders.IssueAsync(new("330799-20990101-0001", null, "请说明", new DateOnly(2026, 11, 5)), _supervisor));
        Assert.Contains("不存在", unknown.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CaseRuleException>(() => orders.IssueAsync(new(number, null, "请说明", new DateOnly(2026, 11, 5)), _head));

        var order = await orders.IssueAsync(new(number, null, "请说明受理延迟原因", new DateOnly(2026, 11, 5)), _supervisor);
        Assert.Equal("SCJG", order.Department);

        var stranger = new CaseActor("x", "外部门", [Roles.DepartmentHead], "GA");
        await Assert.ThrowsAsync<CaseRuleException>(() => orders.RespondAsync(new(order.Id, "已整改", []), stranger));
        await Assert.ThrowsAsync<CaseRuleException>(() => orders.CloseAsync(new(order.Id, null), _supervisor)); // not answered yet
        await orders.RespondAsync(new(order.Id, "材料核验需要时间，已加派人手", []), _head);
        await Assert.ThrowsAsync<CaseRuleException>(() => orders.RespondAsync(new(order.Id, "再答一次", []), _head));
        await orders.CloseAsync(new(order.Id, "整改到位"), _supervisor);

        await using var db = _factory.CreateDbContext();
        var saved = await db.SupervisionOrders.AsNoTracking().SingleAsync(o => o.Id == order.Id);
        Assert.Equal(OrderState.Closed, saved.State);
        var actions = await db.Journal.Where(e => e.CaseNumber == number).Select(e => e.Action).ToListAsync();
        Assert.Contains("督办", actions);
        Assert.Contains("督办反馈", actions);
        Assert.Contains("督办办结", actions);
        Assert.True((await CaseJournal.VerifyAsync(db)).IsIntact);
        Assert.Contains(await db.Notifications.Where(n => n.UserId == _head.UserId).ToListAsync(), n => n.Title == "收到督办单");
    }

    [Fact]
    public async Task OrderAttachments_OnlyTheOrderedDepartmentsStaffAttach()
    {
        var orders = _factory.Get<SupervisionOrders.Handler>();
        var order = await orders.IssueAsync(new(null, "SCJG", "请报送整改材料", new DateOnly(2026, 11, 6)), _supervisor);
        var pdf = "%PDF-1.4 整改报告"u8.ToArray();

        var stranger = new CaseActor("x", "外部门", [Roles.DepartmentHead], "GA");
        await Assert.ThrowsAsync<CaseRuleException>(() => orders.AttachAsync(order.Id, pdf, "整改报告.pdf", stranger));
        await Assert.ThrowsAsync<CaseRuleException>(() => orders.AttachAsync(order.Id, pdf, "整改报告.pdf", _supervisor));
        var sha = await orders.AttachAsync(order.Id, pdf, "整改报告.pdf", _head);
        await orders.RespondAsync(new(order.Id, "已整改，附整改报告", [$"{sha}|整改报告.pdf"]), _head);

        await using var db = _factory.CreateDbContext();
        Assert.Equal(new[] { $"{sha}|整改报告.pdf" }, (await db.SupervisionOrders.AsNoTracking().SingleAsync(o => o.Id == order.Id)).Attachments);
    }

    [Fact]
    public async Task SupervisorsIssuingAtTheSameMoment_AllGetTheirOrders_WithTheDaysNextNumbers()
    {
        var orders = _factory.Get<SupervisionOrders.Handler>();

        var issued = await Task.WhenAll(Enumerable.Range(1, 4).Select(i => Task.Run(() =>
            orders.IssueAsync(new(null, "SCJG", $"请报送第{i}项整改情况", new DateOnly(2026, 11, 6)), _supervisor))));

        Assert.Equal(["DB20261102-001", "DB20261102-002", "DB20261102-003", "DB20261102-004"], issued.Select(o => o.Number).Order());
        await using var db = _factory.CreateDbContext();
        Assert.Equal(4, await db.Journal.CountAsync(e => e.Action == "督办"));
        Assert.True((await CaseJournal.VerifyAsync(db)).IsIntact);
    }

    [Fact]
    public async Task AnUnansweredOrder_EscalatesOnceAfterItsDate_AnAnsweredOneNever()
    {
        var orders = _factory.Get<SupervisionOrders.Handler>();
        var late = await orders.IssueAsync(new(null, "SCJG", "请报送本月超期件整改情况", new DateOnly(2026, 11, 4)), _supervisor);
        var answered = await orders.IssueAsync(new(null, "SCJG", "请报送窗口人员排班", new DateOnly(2026, 11, 4)), _supervisor);
        await orders.RespondAsync(new(answered.Id, "已报送", []), _head);

        _factory.Clock.SetUtcNow(ClockedAppFactory.At("2026-11-04T23:59"));
        Assert.Equal(0, (await ScanAsync()).Escalated); // still on its last day
        _factory.Clock.SetUtcNow(ClockedAppFactory.At("2026-11-05T00:01"));
        Assert.Equal(1, (await ScanAsync()).Escalated);
        Assert.Equal(0, (await ScanAsync()).Escalated);

        await using var db = _factory.CreateDbContext();
        Assert.NotNull((await db.SupervisionOrders.AsNoTracking().SingleAsync(o => o.Id == late.Id)).EscalatedAt);
        Assert.Null((await db.SupervisionOrders.AsNoTracking().SingleAsync(o => o.Id == answered.Id)).EscalatedAt);
        Assert.Single(await db.SupervisionAlerts.Where(a => a.Rule == SupervisionRuleNames.OrderLate).ToListAsync());
        Assert.Contains(await db.Notifications.Where(n => n.UserId == _supervisor.UserId).ToListAsync(), n => n.Title == "督办逾期未回复" && n.Body.Contains(late.Number, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dashboard_UpdatesByItself_WhenTheScanRaisesACard()
    {
        // A case accepted now on a one-day promise: its yellow card comes later in the day.
        var number = await FiledCaseNumberAsync();
        var clerk = await ApiSession.SignInAsync(_factory, "clerk");
        long id;
        await using (var db = _factory.CreateDbContext())
        {
            id = (await db.Cases.AsNoTracking().SingleAsync(c => c.Number == number)).Id;
        }

        await clerk.PostOkAsync($"/api/cases/{id}/accept", new { });
        await ScanAsync();

        _ctx.Services.AddMudServices();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        var scope = _factory.Services.CreateScope();
        _ctx.Services.AddSingleton(scope.ServiceProvider.GetRequiredService<SupervisionQueries>());
        _ctx.Services.AddSingleton(_factory.Services.GetRequiredService<DashboardFigures>());
        _ctx.Services.AddSingleton(scope.ServiceProvider.GetRequiredService<ApprovalSystem.Web.Features.Supervision.Performance.BundleStatistics>());
        _ctx.Services.AddSingleton(new ApprovalSystem.Web.Infrastructure.CircuitPresence());
        _ctx.Services.AddSingleton<TimeProvider>(_factory.Clock);
        _ctx.AddAuthorization().SetAuthorized("supervisor").SetRoles(Roles.Supervisor);
        _ctx.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        _ctx.Render<MudPopoverProvider>();
        var page = _ctx.Render<DashboardPage>();
        page.WaitForAssertion(() => Assert.Equal("0", page.Find("#fig-red .figure-value").TextContent.Trim()));
        Assert.Equal("1", page.Find("#fig-open .figure-value").TextContent.Trim());

        // Far past every deadline: the scan raises the red cards and the open page shows them.
        _factory.Clock.SetUtcNow(ClockedAppFactory.At("2026-12-31T12:00"));
        var result = await ScanAsync();
        Assert.True(result.Red > 0);
        page.WaitForAssertion(() => Assert.Equal(result.Red.ToString(System.Globalization.CultureInfo.InvariantCulture), page.Find("#fig-red .figure-value").TextContent.Trim()), TimeSpan.FromSeconds(10));
        Assert.Contains(number, page.Find("#newest-cards").TextContent, StringComparison.Ordinal);

        // Drill down from the figure to the cases behind it.
        page.Find("#fig-red .figure-value").Click();
        page.WaitForAssertion(() => Assert.Contains(number, page.Find("#drill").TextContent, StringComparison.Ordinal));
    }
}
