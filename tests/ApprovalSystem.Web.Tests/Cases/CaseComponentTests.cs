using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Features.Cases.Detail;
using ApprovalSystem.Web.Features.Cases.Queries;
using ApprovalSystem.Web.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ApprovalSystem.Web.Tests.Cases;

/// <summary>bUnit: what each role sees and can click on a case.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "IAsyncLifetime disposes the bUnit context.")]
public sealed class CaseComponentTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly BunitContext _ctx = new();
    private readonly AppFactory _factory;

    public CaseComponentTests(AppFactory factory)
    {
        _factory = factory;
        factory.CreateClient().Dispose();
        _ctx.Services.AddMudServices();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        var scope = factory.Services.CreateScope();
        foreach (var type in new[]
        {
            typeof(CaseQueries), typeof(Features.Certificates.CertificateQueries), typeof(TimeProvider),
            typeof(ApprovalSystem.Web.Infrastructure.WorkflowCatalog), typeof(ApprovalSystem.Web.Documents.DocumentRenderer),
            typeof(Features.Cases.Filing.UploadMaterial.Handler), typeof(Features.Cases.Acceptance.ReviewCase.Handler),
            typeof(Features.Portal.Feedback.Handler), typeof(Features.Ratings.Rectifications.Handler),
            typeof(Features.Certificates.CertificateActs.Handler),

            // The acts' panels inject their handlers when they are shown.
            typeof(Features.Cases.Acceptance.AcceptCase.Handler), typeof(Features.Cases.Acceptance.RequestSupplement.Handler),
            typeof(Features.Cases.Acceptance.RefuseCase.Handler),
            typeof(Features.Cases.Filing.ResubmitCase.Handler), typeof(Features.Cases.Filing.SubmitCase.Handler),
            typeof(Features.Cases.Filing.WithdrawCase.Handler),
            typeof(Features.Cases.Handling.ClaimTask.Handler), typeof(Features.Cases.Handling.AssignTask.Handler),
            typeof(Features.Cases.Handling.ActOnTask.Handler),
            typeof(Features.Cases.Handling.SpecialProcedureActs.Handler), typeof(Features.Cases.Handling.ExtensionActs.Handler),
            typeof(Features.Certificates.IssueCertificate.Handler),
            typeof(Features.Cases.Conclusion.DeliverCase.Handler), typeof(Features.Cases.Conclusion.ArchiveCase.Handler),
        })
        {
            _ctx.Services.AddSingleton(type, scope.ServiceProvider.GetRequiredService(type));
        }

        _ctx.AddAuthorization();
        _ctx.Render<MudPopoverProvider>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    private async Task<Case> FiledCaseAsync()
    {
        var citizen = await ApiSession.SignInAsync(_factory, "citizen");
        var form = await TestForms.RequiredAsync(_factory, TestMatters.Joint);
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = TestMatters.Joint, submit = true, formData = form });
        var queries = _factory.Get<CaseQueries>();
        return (await queries.GetAsync(filed.GetProperty("id").GetInt64(), new CaseActor("x", "x", [Roles.Clerk])))!;
    }

    [Fact]
    public async Task CertificateCase_ApplicantSeesDownloadAndPrintAndReprint_ButOnlyTheHeadMayRevoke()
    {
        var citizen = await ApiSession.SignInAsync(_factory, "citizen");
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = "330799-SCJG-011", submit = true, formData = await TestForms.RequiredAsync(_factory, "330799-SCJG-011") });
        var id = filed.GetProperty("id").GetInt64();
        var c = await (await ApiSession.SignInAsync(_factory, "clerk")).PostOkAsync($"/api/cases/{id}/accept", new { });
        foreach (var account in new[] { "officer.scjg", "officer2.scjg", "head.scjg" })
        {
            var item = c.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("open").GetBoolean()).GetProperty("workItemId").GetString();
            c = await (await ApiSession.SignInAsync(_factory, account)).PostOkAsync($"/api/cases/{id}/tasks/{item}/act", new { outcome = "approve", opinion = "同意" });
        }

        await (await ApiSession.SignInAsync(_factory, "clerk")).PostOkAsync($"/api/cases/{id}/certificate");
        var issued = (await _factory.Get<CaseQueries>().GetAsync(id, new CaseActor("x", "x", [Roles.Clerk])))!;

        var applicant = _ctx.Render<CaseActionPanel>(p => p.Add(x => x.Case, issued).Add(x => x.Actor, new CaseActor(issued.OwnerUserId!, "张伟", [Roles.Applicant])));
        applicant.WaitForAssertion(() => Assert.NotNull(applicant.Find("#certificate-register")));

        var links = applicant.FindAll("#documents a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains($"api/cases/{id}/documents/Certificate", links);
        Assert.Contains($"api/cases/{id}/documents/AcceptanceNotice?inline=true", links);
        Assert.Contains($"api/cases/{id}/documents/ApplicationForm", links);
        Assert.NotNull(applicant.Find("#certificate-reprint"));
        Assert.Empty(applicant.FindAll("#certificate-revoke"));

        var head = _ctx.Render<CaseActionPanel>(p => p.Add(x => x.Case, issued).Add(x => x.Actor, new CaseActor("head-id", "部门负责人", [Roles.DepartmentHead], "SCJG")));
        head.WaitForAssertion(() => Assert.NotNull(head.Find("#certificate-revoke")));
    }

    [Fact]
    public async Task ActionPanel_ForClerkInPreAcceptance_OffersAcceptSupplementAndRefuse()
    {
        var c = await FiledCaseAsync();

        var panel = _ctx.Render<CaseActionPanel>(p => p.Add(x => x.Case, c).Add(x => x.Actor, new CaseActor("clerk-id", "李晓梅", [Roles.Clerk], "FWZX")));

        Assert.NotNull(panel.Find("#accept"));
        Assert.NotNull(panel.Find("#request-supplement"));
        Assert.NotNull(panel.Find("#refuse"));
        Assert.Empty(panel.FindAll("#withdraw"));
    }

    [Fact]
    public async Task ActionPanel_ForTheApplicant_OffersUploadAndWithdrawButNotAcceptance()
    {
        var c = await FiledCaseAsync();

        var panel = _ctx.Render<CaseActionPanel>(p => p.Add(x => x.Case, c).Add(x => x.Actor, new CaseActor(c.OwnerUserId!, "张伟", [Roles.Applicant])));

        Assert.Empty(panel.FindAll("#accept"));
        Assert.NotEmpty(panel.FindAll(".upload-material"));
        Assert.NotNull(panel.Find("#withdraw"));
        Assert.Contains(c.QueryCode!, panel.Find("#query-code").TextContent, StringComparison.Ordinal);
    }

    /// <summary>
    /// Each upload button is marked for the browser to open the picker of its own file input in the click (lib.module.js finds
    /// the input in the button's .mud-file-upload). A picker opened after a round trip to the server is refused once the
    /// click's user activation has lapsed, and the button then did nothing (a CI run on a busy machine; a slow phone).
    /// </summary>
    [Fact]
    public async Task ActionPanel_EachUploadButton_OpensItsOwnFileInputInTheBrowser()
    {
        var c = await FiledCaseAsync();

        var panel = _ctx.Render<CaseActionPanel>(p => p.Add(x => x.Case, c).Add(x => x.Actor, new CaseActor(c.OwnerUserId!, "张伟", [Roles.Applicant])));

        var buttons = panel.FindAll(".upload-material");
        Assert.Equal(c.Materials.Count, buttons.Count);
        Assert.All(buttons, b => Assert.True(b.HasAttribute("data-opens-file-picker")));
        var inputs = buttons.Select(b => Assert.Single(b.Closest(".mud-file-upload")!.QuerySelectorAll("input[type=file]"))).ToList();
        Assert.Equal(buttons.Count, inputs.Distinct().Count());
    }

    [Fact]
    public async Task ActionPanel_ForTheApplicant_OffersTheComplaintBoxOnlyOnceTheCaseIsAccepted()
    {
        var c = await FiledCaseAsync();
        var applicant = new CaseActor(c.OwnerUserId!, "张伟", [Roles.Applicant]);

        var filed = _ctx.Render<CaseActionPanel>(p => p.Add(x => x.Case, c).Add(x => x.Actor, applicant));
        filed.WaitForAssertion(() => Assert.NotNull(filed.Find("#query-code")));
        Assert.Empty(filed.FindAll("#complaint-content"));

        await (await ApiSession.SignInAsync(_factory, "clerk")).PostOkAsync($"/api/cases/{c.Id}/accept", new { });
        var accepted = (await _factory.Get<CaseQueries>().GetAsync(c.Id, applicant))!;
        var panel = _ctx.Render<CaseActionPanel>(p => p.Add(x => x.Case, accepted).Add(x => x.Actor, applicant));
        panel.WaitForAssertion(() => Assert.NotNull(panel.Find("#complaint-content")));
    }

    [Fact]
    public async Task ActionPanel_ForTheClerk_WarnsBeforePrintingOfCharactersNoFontHas_NamingThem()
    {
        var citizen = await ApiSession.SignInAsync(_factory, "citizen");
        var form = await TestForms.RequiredAsync(_factory, TestMatters.Joint);
        form["sellerName"] = "云溪县🦄䶮𠈌商行"; // 䶮 and 𠈌 print (HanaMin); U+1F984 no installed font has
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = TestMatters.Joint, submit = true, formData = form });
        var c = (await _factory.Get<CaseQueries>().GetAsync(filed.GetProperty("id").GetInt64(), new CaseActor("x", "x", [Roles.Clerk])))!;

        var clerk = _ctx.Render<CaseActionPanel>(p => p.Add(x => x.Case, c).Add(x => x.Actor, new CaseActor("clerk-id", "李晓梅", [Roles.Clerk], "FWZX")));
        var warning = clerk.WaitForElement("#missing-characters").TextContent;
        Assert.Contains("🦄（U+1F984）", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("䶮", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("𠈌", warning, StringComparison.Ordinal);

        var ordinary = await FiledCaseAsync();
        var plain = _ctx.Render<CaseActionPanel>(p => p.Add(x => x.Case, ordinary).Add(x => x.Actor, new CaseActor("clerk-id", "李晓梅", [Roles.Clerk], "FWZX")));
        plain.WaitForElement("#documents");
        Assert.Empty(plain.FindAll("#missing-characters"));
    }

    [Fact]
    public async Task ActionPanel_RefuseWithoutReason_ShowsTheRuleAndChangesNothing()
    {
        var c = await FiledCaseAsync();
        var panel = _ctx.Render<CaseActionPanel>(p => p.Add(x => x.Case, c).Add(x => x.Actor, new CaseActor("clerk-id", "李晓梅", [Roles.Clerk], "FWZX")));

        await panel.Find("#refuse").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        panel.WaitForAssertion(() => Assert.Contains("不予受理必须说明理由", panel.Find("#action-error").TextContent, StringComparison.Ordinal));
        var after = await _factory.Get<CaseQueries>().GetAsync(c.Id, new CaseActor("x", "x", [Roles.Clerk]));
        Assert.Equal(CaseState.PreAcceptance, after!.State);
    }

    [Fact]
    public async Task ActionPanel_OfficerStepForm_StartsFromTheApplication_AndRefusesApprovalWithoutTheRequiredField()
    {
        var citizen = await ApiSession.SignInAsync(_factory, "citizen");
        var form = await TestForms.RequiredAsync(_factory, "330799-BDC-001");
        form["propertyAddress"] = "云溪县城关镇人民大道66号3幢502室";
        form["transactionPrice"] = "86";
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = "330799-BDC-001", submit = true, formData = form });
        var id = filed.GetProperty("id").GetInt64();
        await (await ApiSession.SignInAsync(_factory, "clerk")).PostOkAsync($"/api/cases/{id}/accept", new { });
        var accepted = (await _factory.Get<CaseQueries>().GetAsync(id, new CaseActor("x", "x", [Roles.Clerk])))!;
        var officer = new CaseActor("bdc-officer", "郭峰", [Roles.Officer], "BDC");

        var panel = _ctx.Render<CaseActionPanel>(p => p.Add(x => x.Case, accepted).Add(x => x.Actor, officer));

        var item = accepted.OpenSteps.Single(s => s.Department == "BDC").WorkItemId;
        panel.WaitForAssertion(() => Assert.Equal("云溪县城关镇人民大道66号3幢502室", panel.Find($"#field-{item}-propertyAddress").GetAttribute("value")));
        Assert.Contains("取自：申请表", panel.Markup, StringComparison.Ordinal);
        Assert.Contains("不动产单元号（必填）", panel.Markup, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll($"#field-{item}-deedTaxAmount"));

        // Approving without the unit number is refused and saves nothing.
        await panel.Find($"#approve-{item}").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        panel.WaitForAssertion(() => Assert.Contains("请填写“不动产单元号”", panel.Find("#action-error").TextContent, StringComparison.Ordinal));
        Assert.Null((await _factory.Get<CaseQueries>().GetAsync(id, officer))!.Steps.Single(s => s.WorkItemId == item).ClosedAt);

        // With it, the branch closes and its section holds what the officer saw and entered.
        await panel.Find($"#field-{item}-unitNo").ChangeAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = "330799001001GB00018F00030502" });
        await panel.Find($"#approve-{item}").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        var after = (await _factory.Get<CaseQueries>().GetAsync(id, officer))!;
        Assert.NotNull(after.Steps.Single(s => s.WorkItemId == item).ClosedAt);
        Assert.Equal(
            new Dictionary<string, string> { ["unitNo"] = "330799001001GB00018F00030502", ["propertyAddress"] = "云溪县城关镇人民大道66号3幢502室", ["buildingArea"] = form["buildingArea"] },
            after.Instance().Sections["registrationReview"]);
    }

    [Fact]
    public void DeadlineBadge_IsGreenThenYellowThenRed()
    {
        var warn = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var deadline = new Deadline { LimitDays = 5, Warning = WarningPolicy.Default, RunningSince = warn.AddDays(-5), WarnAt = warn, DueAt = warn.AddDays(2) };

        Assert.Equal(Color.Success, DeadlineBadge.Status(deadline, warn.AddHours(-1)));
        Assert.Equal(Color.Warning, DeadlineBadge.Status(deadline, warn.AddHours(1)));
        Assert.Equal(Color.Error, DeadlineBadge.Status(deadline, warn.AddDays(3)));
    }
}
