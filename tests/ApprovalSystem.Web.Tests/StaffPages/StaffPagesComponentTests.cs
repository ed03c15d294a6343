using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Features.Admin;
using ApprovalSystem.Web.Features.Cases.Detail;
using ApprovalSystem.Web.Features.Cases.Queries;
using ApprovalSystem.Web.Features.Home;
using ApprovalSystem.Web.Features.Supervision.Dashboard;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ApprovalSystem.Web.Tests.StaffPages;

/// <summary>Issue 16, the staff pages seen on the way: what a supervisor, an administrator and a clerk click and read.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "IAsyncLifetime disposes the bUnit context.")]
public sealed class StaffPagesComponentTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly BunitContext _ctx = new();
    private readonly AppFactory _factory;

    public StaffPagesComponentTests(AppFactory factory)
    {
        _factory = factory;
        factory.CreateClient().Dispose();
        _ctx.Services.AddMudServices();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        // The matter's page draws its flow (Z.Blazor.Diagrams): the canvas asks the browser for its bounds.
        _ctx.JSInterop.Setup<Blazor.Diagrams.Core.Geometry.Rectangle>(i => i.Identifier.Contains("getBoundingClientRect", StringComparison.Ordinal))
            .SetResult(new Blazor.Diagrams.Core.Geometry.Rectangle(0, 0, 800, 600));
        var scope = factory.Services.CreateScope();
        foreach (var type in new[]
        {
            typeof(MatterQueries), typeof(EditMatter.Handler), typeof(CalendarAdmin.Handler), typeof(WorkflowRegistry), typeof(WorkflowCatalog),
            typeof(Features.Admin.Workflows.WorkflowHistory), typeof(Features.Admin.Workflows.WorkflowDrafts),
            typeof(Features.Admin.FlowDesigner.FlowDesignerQueries),
            typeof(TimeProvider), typeof(CaseQueries), typeof(Features.Certificates.CertificateQueries), typeof(Web.Documents.DocumentRenderer),
            typeof(Features.Cases.Filing.UploadMaterial.Handler), typeof(Features.Cases.Acceptance.ReviewCase.Handler),
            typeof(Features.Cases.Acceptance.AcceptCase.Handler), typeof(Features.Cases.Acceptance.RequestSupplement.Handler),
            typeof(Features.Cases.Acceptance.RefuseCase.Handler), typeof(Features.Cases.Filing.WithdrawCase.Handler),
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
    public void DashboardTile_IsOneLink_AndAClickAnywhereOnItDrillsDown()
    {
        string? drilled = null;
        var tile = _ctx.Render<FigureTile>(p => p.Add(x => x.Id, "fig-red").Add(x => x.Title, "红牌（在办）").Add(x => x.Value, 3)
            .Add(x => x.Figure, "card:Red").Add(x => x.OnDrill, EventCallback.Factory.Create<string>(this, f => drilled = f)));

        // The tile itself is the link (its address opens the same list in a new tab), not only its number.
        var link = tile.Find("a#fig-red");
        Assert.Equal("supervision?drill=card%3ARed", link.GetAttribute("href"));
        Assert.Contains("红牌（在办）", link.TextContent, StringComparison.Ordinal);
        Assert.Contains("3", link.QuerySelector(".figure-value")!.TextContent, StringComparison.Ordinal);

        tile.Find("#fig-red .mud-typography-body2").Click(); // the title, not the number
        Assert.Equal("card:Red", drilled);
    }

    [Fact]
    public void DashboardTile_WithAnAddress_IsALinkThere()
    {
        var tile = _ctx.Render<FigureTile>(p => p.Add(x => x.Id, "fig-orders").Add(x => x.Title, "督办待反馈").Add(x => x.Href, "supervision/orders"));

        Assert.Equal("supervision/orders", tile.Find("a#fig-orders").GetAttribute("href"));
    }

    [Fact]
    public void HomeCards_AreLinksAsAWhole()
    {
        var card = _ctx.Render<HomeCard>(p => p.Add(x => x.Title, "我的办件").Add(x => x.Text, "查看办理进度").Add(x => x.Href, "my/cases")
            .Add(x => x.Action, "查看我的办件"));
        var overview = _ctx.Render<OverviewCard>(p => p.Add(x => x.Href, "admin/matters"));

        var link = card.Find("a.home-card");
        Assert.Equal("my/cases", link.GetAttribute("href"));
        Assert.Contains("查看办理进度", link.TextContent, StringComparison.Ordinal);
        Assert.Contains("查看我的办件", link.TextContent, StringComparison.Ordinal);
        Assert.Empty(link.QuerySelectorAll("a, button")); // one control, not a button inside a link
        Assert.Equal("admin/matters", overview.Find("a.overview-card").GetAttribute("href"));
    }

    [Fact]
    public void WorkflowList_ShowsTheNameFirst_AndTheFileIdOnlyAsSmallText()
    {
        var page = _ctx.Render<WorkflowList>();

        var rows = page.WaitForElements("#workflow-table tbody tr");
        var joint = rows.Single(r => r.TextContent.Contains("joint-market-entry", StringComparison.Ordinal));
        var first = joint.QuerySelector("td")!;
        Assert.Equal("企业开办联办", first.QuerySelector(".workflow-title")!.TextContent.Trim());
        Assert.Contains("joint-market-entry", first.QuerySelector(".workflow-id")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void MatterList_ShowsTheWorkflowsName_NotItsId()
    {
        var page = _ctx.Render<MatterList>();

        var cell = page.WaitForElement("#matter-table td[data-workflow='joint-market-entry']");
        Assert.Equal("企业开办联办", cell.TextContent.Trim());
    }

    [Fact]
    public void MatterEdit_ShowsNamesFirst_TheWorkflowAndDepartmentByName_TheFieldsLabelBeforeItsKey()
    {
        var page = _ctx.Render<MatterEdit>(p => p.Add(x => x.Code, "330799-SCJG-001"));

        page.WaitForElement("#matter-workflow");
        Assert.Equal("企业开办联办", page.Find("#matter-workflow").GetAttribute("value"));
        Assert.Equal("云溪县市场监督管理局", page.Find("#matter-department").GetAttribute("value"));
        Assert.Equal("联办件", page.Find("#matter-kind").GetAttribute("value"));

        // In each form field's row the name comes first; the key (applicantName, unitName…) after it.
        var labels = page.FindAll(".field-label, .field-key").Select(e => e.ClassList.Contains("field-label") ? "label" : "key").ToList();
        Assert.NotEmpty(labels);
        Assert.Equal(string.Concat(Enumerable.Repeat("label,key,", labels.Count / 2)), string.Concat(labels.Select(l => l + ",")));
    }

    [Fact]
    public void MatterEdit_ShowsAMattersCommitmentTerms_AndSwitchedOnWithoutThem_RefusesToSaveInChinese()
    {
        var food = _ctx.Render<MatterEdit>(p => p.Add(x => x.Code, "330799-SCJG-011"));
        food.WaitForElement("#commitment-duty");
        Assert.StartsWith("具有与经营的食品品种", food.Find("#commitment-duty").GetAttribute("value"), StringComparison.Ordinal);
        Assert.Equal("食品安全管理制度、食品安全管理人员基本情况", food.Find("#commitment-replaces").GetAttribute("value"));
        Assert.Equal("20", food.Find("#commitment-days").GetAttribute("value"));

        // A matter without the terms: the switch opens empty terms, and saving them empty names what is missing.
        var change = _ctx.Render<MatterEdit>(p => p.Add(x => x.Code, "330799-WJ-002"));
        change.WaitForElement("#matter-commitment");
        Assert.Empty(change.FindAll("#commitment-duty"));
        change.Find("#matter-commitment input[type=checkbox]").Change(true);
        change.WaitForElement("#commitment-duty");
        change.Find("#save-matter").Click();
        change.WaitForAssertion(() => Assert.Contains(change.FindAll(".commitment-problem"), e => e.TextContent.Contains("告知承诺书须写明承诺事项", StringComparison.Ordinal)));
        Assert.Contains(change.FindAll(".commitment-problem"), e => e.TextContent.Contains("请列出告知承诺代替的申请材料", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EditMatter_SavesCommitmentTerms_AndSwitchingThemOffRemovesThem()
    {
        using var scope = _factory.Services.CreateScope();
        var handler = scope.ServiceProvider.GetRequiredService<EditMatter.Handler>();
        var data = (await handler.LoadAsync("330799-WJ-002"))!;
        data.Commitment = new Core.Catalogue.CommitmentTerms
        {
            Duty = "变更后的公共场所符合卫生标准和要求。", Proof = "变更事项相关证明材料所证明的内容。", Liability = "承诺不实的，依法撤销许可并记入信用记录。",
            Replaces = ["变更事项相关证明材料"], VerificationDays = 15,
        };
        Assert.Empty(await handler.SaveAsync("330799-WJ-002", data));
        var saved = (await handler.LoadAsync("330799-WJ-002"))!.Commitment;
        Assert.NotNull(saved);
        Assert.Equal(["变更事项相关证明材料"], saved.Replaces);
        Assert.Equal(15, saved.VerificationDays);

        // Replacing every required material is refused: the application itself stays.
        data.Commitment.Replaces = ["公共场所卫生许可变更申请表", "原公共场所卫生许可证", "变更事项相关证明材料"];
        Assert.Contains(await handler.SaveAsync("330799-WJ-002", data), p => p.Message.Contains("不能代替全部必需材料", StringComparison.Ordinal));

        data.Commitment = null;
        Assert.Empty(await handler.SaveAsync("330799-WJ-002", data));
        Assert.Null((await handler.LoadAsync("330799-WJ-002"))!.Commitment);
    }

    [Fact]
    public async Task CalendarPage_AddingADay_ShowsItFirstAndMarked_AndMovesTheFocusToIt()
    {
        var year = WorkingTime.LocalDate(_factory.Get<TimeProvider>().GetUtcNow()).Year;
        var day = Enumerable.Range(0, 7).Select(i => new DateOnly(year, 8, 20).AddDays(i)).First(d => d.DayOfWeek == DayOfWeek.Wednesday);
        var page = _ctx.Render<CalendarPage>();
        // Once the year's days are in (on PostgreSQL the first render can come before they are).
        page.WaitForAssertion(
            () => Assert.True(page.FindAll("#calendar-days tbody tr").Count > 10, "the demo calendar lists the year's holidays"), TimeSpan.FromSeconds(15));
        var before = page.FindAll("#calendar-days tbody tr").Count;

        page.Find("#calendar-date").Change(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        page.Find("#calendar-name").Change("测试补休");
        await page.Find("#calendar-save").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        page.WaitForAssertion(() =>
        {
            var first = page.Find("#calendar-days tbody tr");
            Assert.Contains(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), first.TextContent, StringComparison.Ordinal);
            Assert.Contains("刚保存", first.TextContent, StringComparison.Ordinal);
        });
        Assert.Equal(before + 1, page.FindAll("#calendar-days tbody tr").Count);
        _ctx.JSInterop.VerifyFocusAsyncInvoke().Arguments[0].ShouldBeElementReferenceTo(page.Find("#calendar-saved"));

        await _factory.Get<CalendarAdmin.Handler>().RemoveDayAsync(day);
    }

    [Fact]
    public async Task AcceptancePanel_SelectAll_TicksEveryMaterial_AndClearsThemAgain()
    {
        var citizen = await ApiSession.SignInAsync(_factory, "citizen");
        var form = await TestForms.RequiredAsync(_factory, TestMatters.Joint);
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = TestMatters.Joint, submit = true, formData = form });
        var c = (await _factory.Get<CaseQueries>().GetAsync(filed.GetProperty("id").GetInt64(), new CaseActor("x", "x", [Roles.Clerk])))!;
        Assert.True(c.Materials.Count > 2);

        var panel = _ctx.Render<CaseActionPanel>(p => p.Add(x => x.Case, c).Add(x => x.Actor, new CaseActor("clerk-id", "李晓梅", [Roles.Clerk], "FWZX")));
        bool[] Ticked() => [.. panel.FindAll("input[type=checkbox]").Where(i => i.Id != "materials-all").Select(i => i.HasAttribute("checked"))];
        Assert.DoesNotContain(true, Ticked());

        panel.Find("input#materials-all").Change(true);
        panel.WaitForAssertion(() => Assert.Equal(c.Materials.Count, Ticked().Count(t => t)));

        panel.Find("input#materials-all").Change(false);
        panel.WaitForAssertion(() => Assert.DoesNotContain(true, Ticked()));
    }

    [Fact]
    public async Task AcceptancePanel_OfAnIndividualBusinessRegistration_AsksForItsNewCreditCode_AndDecidesWithIt()
    {
        const string Registration = "330799-SCJG-022";
        var clerk = await ApiSession.SignInAsync(_factory, "clerk");
        var filed = await clerk.PostOkAsync("/api/cases", new
        {
            matterCode = Registration, submit = true, formData = await TestForms.RequiredAsync(_factory, Registration),
            applicant = new { name = "李四", idType = "ResidentId", idNumber = "330799195208170025", phone = "13900000000" },
        });
        var id = filed.GetProperty("id").GetInt64();
        var c = (await _factory.Get<CaseQueries>().GetAsync(id, new CaseActor("x", "x", [Roles.Clerk])))!;
        await using (var db = _factory.CreateDbContext())
        {
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "clerk");
            var panel = _ctx.Render<CaseActionPanel>(p => p.Add(x => x.Case, c).Add(x => x.Actor, new CaseActor(user.Id, user.DisplayName, [Roles.Clerk], "FWZX")));
            panel.WaitForAssertion(() => Assert.Contains("统一社会信用代码（必填）", panel.Find("#field-accept-creditCode").ParentElement!.ParentElement!.TextContent,
                StringComparison.Ordinal));
            Assert.Equal("当场办结需填写", panel.Find(".step-data-heading").TextContent.Trim()); // not a step's own 本环节填写

            await panel.Find("#accept-decide").ClickAsync(new MouseEventArgs()); // without the code: refused, and the panel says what is missing
            panel.WaitForAssertion(() => Assert.Contains("请填写“统一社会信用代码”", panel.Markup, StringComparison.Ordinal));
            panel.Find("input#field-accept-creditCode").Change("92330799MA2J8K3Q1L");
            await panel.Find("#accept-decide").ClickAsync(new MouseEventArgs());
        }

        await using var check = _factory.CreateDbContext();
        Assert.Equal(CaseState.Approved, (await check.Cases.AsNoTracking().SingleAsync(x => x.Id == id)).State);
    }
}
