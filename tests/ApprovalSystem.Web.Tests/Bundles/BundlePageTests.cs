using System.Net;
using System.Security.Claims;
using AngleSharp.Html.Parser;
using ApprovalSystem.Core.Bundles;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Bundles;
using ApprovalSystem.Web.Features.Bundles.Pages;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Infrastructure.Seeding;
using ApprovalSystem.Web.Tests.Infrastructure;
using ApprovalSystem.Workflows;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ApprovalSystem.Web.Tests.Bundles;

/// <summary>
/// The applicant's bundle pages 一件事 (issue 20): the guide (static, its lists follow the answers), the filing page (one merged form,
/// 422 problems next to the fields, a draft reopened and filed), the bundle page (only the applicant and staff; supplement → upload →
/// resubmit; rate once, not twice).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "IAsyncLifetime disposes the bUnit context.")]
public sealed class BundlePageTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private const string Business = "330799-YJS-001";
    private const string Birth = "330799-YJS-002"; // 新生儿出生一件事: the social security card only when asked for
    private const string Hiring = "330799-YJS-005"; // 员工录用一件事: members at once, no waits

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly AppFactory _factory;
    private readonly BunitContext _ctx = new();
    private bool _popovers;

    public BundlePageTests(AppFactory factory)
    {
        _factory = factory;
        factory.CreateClient().Dispose();
        _ctx.Services.AddMudServices();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        var scope = factory.Services.CreateScope();
        foreach (var type in new[]
        {
            typeof(BundleGuideQueries), typeof(BundlePageQueries), typeof(BundleQueries), typeof(BundleActs.Handler), typeof(FileBundle.Handler),
            typeof(UserManager<ApplicationUser>),
        })
        {
            _ctx.Services.AddSingleton(type, scope.ServiceProvider.GetRequiredService(type));
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    // ---- the guide (static, anonymous) -----------------------------------------------------------------------------------

    [Fact]
    public async Task GuideList_ShowsEveryPublishedBundle_GroupedByLifeEvent_AndTheGuideIndexLinksToIt()
    {
        using var visitor = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

        var doc = await new HtmlParser().ParseDocumentAsync(await visitor.GetStringAsync("/guide/bundles"));

        var links = doc.QuerySelectorAll("#bundle-guide-list a[data-bundle]").Select(a => a.GetAttribute("data-bundle")).ToList();
        await using var db = _factory.CreateDbContext();
        var published = await db.Bundles.AsNoTracking().Where(b => b.IsPublished).Select(b => b.Code).ToListAsync();
        Assert.Equal(published.Order(StringComparer.Ordinal), links.Order(StringComparer.Ordinal));
        Assert.Contains(doc.QuerySelectorAll("#bundle-guide-list h2"), h => h.TextContent == "出生");
        Assert.Contains("guide/bundles", (await new HtmlParser().ParseDocumentAsync(await visitor.GetStringAsync("/guide")))
            .QuerySelector("#guide-bundles-link")!.GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guide_TheMembersAndTheMaterials_FollowTheAnswers_AndTheFilingLinkCarriesThem()
    {
        using var visitor = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        async Task<AngleSharp.Html.Dom.IHtmlDocument> GuideAsync(string query) =>
            await new HtmlParser().ParseDocumentAsync(await visitor.GetStringAsync($"/guide/bundles/{Birth}{query}"));

        var unanswered = await GuideAsync("");
        var withCard = await GuideAsync("?married=是&socialCard=是&payment=银行代扣&agent=否");
        var withoutCard = await GuideAsync("?married=否&socialCard=否&payment=线上缴费&agent=是");

        static List<string> Members(AngleSharp.Html.Dom.IHtmlDocument d) =>
            [.. d.QuerySelectorAll("#bundle-guide-members li[data-member]").Select(li => li.GetAttribute("data-member")!)];
        static List<string> Materials(AngleSharp.Html.Dom.IHtmlDocument d) =>
            [.. d.QuerySelectorAll("#bundle-guide-materials li[data-material]").Select(li => li.GetAttribute("data-material")!)];
        Assert.Equal(4, Members(unanswered).Count);
        Assert.Contains("适用情形", unanswered.QuerySelector("#bundle-guide-members")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["330799-WJ-019", "330799-GA-006", "330799-YBJ-001", "330799-RS-001"], Members(withCard));
        Assert.Equal(["330799-WJ-019", "330799-GA-006", "330799-YBJ-001"], Members(withoutCard));
        Assert.Contains("父母双方结婚证复印件", Materials(withCard));
        Assert.DoesNotContain("父母双方结婚证复印件", Materials(withoutCard));
        Assert.DoesNotContain("授权委托书及受托人身份证明复印件", Materials(withCard));
        Assert.Contains("授权委托书及受托人身份证明复印件", Materials(withoutCard));

        // The numbered list is what the applicant prepares, as many as its heading says; what departments share is listed after it.
        var toPrepare = withCard.QuerySelectorAll("#bundle-guide-to-prepare li[data-material]").Select(li => li.GetAttribute("data-material")!).ToList();
        Assert.Contains($"（共{toPrepare.Count}项）", withCard.QuerySelector("#bundle-guide-materials h2")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["出生医学证明（签发后共享，无需提交）", "新生儿户口簿（落户后共享，无需提交）"],
            withCard.QuerySelectorAll("#bundle-guide-shared li[data-material]").Select(li => li.GetAttribute("data-material")!));
        Assert.DoesNotContain(toPrepare, m => m.Contains("无需提交", StringComparison.Ordinal));
        Assert.Contains("以下2项由部门共享", withCard.QuerySelector("#bundle-guide-shared-heading")!.TextContent, StringComparison.Ordinal);

        // Each member with its own department and limit, and what it waits for; the rule when one is refused; the answers carried on.
        var card = withCard.QuerySelector("#bundle-guide-members li[data-member='330799-RS-001']")!.TextContent;
        Assert.Contains("人力资源和社会保障局", card, StringComparison.Ordinal);
        await using (var db = _factory.CreateDbContext())
        {
            var own = await db.Matters.AsNoTracking().Where(m => m.Code == "330799-RS-001").Select(m => m.PromisedLimitDays).SingleAsync();
            Assert.Contains($"承诺时限 {MatterNames.Limit(own)}", card, StringComparison.Ordinal);
        }

        Assert.Contains("办结后自动开始", card, StringComparison.Ordinal);
        Assert.Contains("其余事项继续办理", withCard.QuerySelector("#bundle-guide-rule")!.TextContent, StringComparison.Ordinal);
        var apply = Uri.UnescapeDataString(Uri.UnescapeDataString(withCard.QuerySelector("#bundle-guide-apply")!.GetAttribute("href")!)); // returnUrl holds the escaped answers
        Assert.Contains($"/bundles/apply/{Birth}?", apply, StringComparison.Ordinal);
        Assert.Contains("socialCard=是", apply, StringComparison.Ordinal);
        Assert.Contains("新生儿出生一件事", withCard.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
    }

    // ---- the bundle page: access ----------------------------------------------------------------------------------------

    [Fact]
    public async Task BundlePage_TheApplicantSeesTheirBundle_AStrangerGetsNothing()
    {
        var citizen = await ActorAsync("citizen");
        var b = await FileAsync(Business, citizen, yes: true);

        var owner = new BrowserSession(_factory.CreateBrowserClient());
        await owner.SignInAsync("citizen", DemoAccounts.Password);
        var stranger = new BrowserSession(_factory.CreateBrowserClient());
        await stranger.SignInAsync("enterprise", DemoAccounts.Password);

        var mine = await new HtmlParser().ParseDocumentAsync(await owner.Client.GetStringAsync($"/bundles/{b.Id}"));
        Assert.Equal(5, mine.QuerySelectorAll("#bundle-members li[data-member-case]").Length);
        Assert.Contains(b.Number!, mine.QuerySelector("#bundle-number")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(b.QueryCode!, mine.QuerySelector("#bundle-query-code")!.TextContent, StringComparison.Ordinal);

        var theirs = await new HtmlParser().ParseDocumentAsync(await stranger.Client.GetStringAsync($"/bundles/{b.Id}"));
        Assert.NotNull(theirs.QuerySelector("#bundle-not-found"));
        Assert.Null(theirs.QuerySelector("#bundle-members"));
        Assert.DoesNotContain(b.Number!, theirs.DocumentElement.OuterHtml, StringComparison.Ordinal);
        using var api = await stranger.Client.GetAsync($"/api/bundle-cases/{b.Id}");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
    }

    // ---- the filing page ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task FilingPage_TheFormFollowsTheAnswers_AndAnEmptySubmitShowsEachProblemNextToItsField()
    {
        await SignInAsync("citizen");
        var withCard = RenderApply($"?married=是&socialCard=是&payment=银行代扣&agent=否");
        withCard.WaitForAssertion(() => Assert.NotEmpty(withCard.FindAll("[data-field='formData.bankName']")), Wait);
        Assert.Equal(4, withCard.FindAll("#bundle-apply-members li").Count);
        // Prefilled from the account: the mother's name is the applicant's.
        Assert.Contains("（已自动填写）", withCard.Find("[data-field='formData.motherName']").TextContent, StringComparison.Ordinal);
        // Told what the personal data is for, beside the button that sends it, with the whole notice a tap away.
        Assert.Contains("办理本“一件事”的各个事项", withCard.Find("#bundle-privacy-notice").TextContent, StringComparison.Ordinal);
        Assert.Equal("privacy", withCard.Find("#bundle-privacy-notice a").GetAttribute("href"));

        var withoutCard = RenderApply($"?married=是&socialCard=否&payment=银行代扣&agent=否");
        withoutCard.WaitForAssertion(() => Assert.NotEmpty(withoutCard.FindAll("[data-field='formData.babyName']")), Wait);
        Assert.Empty(withoutCard.FindAll("[data-field='formData.bankName']"));
        var before = await CountAsync();

        await withoutCard.Find("#bundle-apply-submit").ClickAsync(new());

        withoutCard.WaitForAssertion(() => Assert.Contains("请填写“新生儿姓名”", withoutCard.Find("[data-field='formData.babyName']").TextContent,
            StringComparison.Ordinal), Wait);
        Assert.Contains("已在表中标红", withoutCard.Find("#bundle-apply-error").TextContent, StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task FilingPage_ADraftReopened_KeepsItsAnswersAndForm_AndSubmitMakesOneBundleCaseWithItsMembers()
    {
        var citizen = await SignInAsync("citizen");
        var def = await DefinitionAsync(Birth);
        var answers = BundleTests.Answers(def, yes: true);
        var form = BundleTests.Form(def, answers);
        form["babyName"] = "林𠈌";
        var draft = await _factory.Get<FileBundle.Handler>().HandleAsync(new FileBundle.Command
        {
            BundleCode = Birth, Answers = answers, FormData = form, Submit = false,
        }, citizen);
        var before = await CountAsync();

        var page = RenderApply($"?draft={draft.Id}");
        page.WaitForAssertion(() => Assert.Equal("林𠈌", page.Find("[data-field='formData.babyName'] input").GetAttribute("value")), Wait);
        Assert.NotNull(page.Find("#bundle-draft-note"));
        Assert.Contains("是否同时为新生儿申领社会保障卡：是", page.Find("#bundle-apply-answers").TextContent, StringComparison.Ordinal);
        page.Find("[data-field='formData.birthPlace'] input").Input("云溪县人民医院产科");
        await page.Find("#bundle-apply-submit").ClickAsync(new());

        var nav = _ctx.Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.EndsWith($"bundles/{draft.Id}", nav.Uri, StringComparison.Ordinal), Wait);
        Assert.Equal(before, await CountAsync()); // the draft was filed, no second bundle made
        await using var db = _factory.CreateDbContext();
        var filed = await db.BundleCases.AsNoTracking().SingleAsync(x => x.Id == draft.Id);
        Assert.Equal(BundleState.Submitted, filed.State);
        Assert.Matches(@"^330799-YJS-\d{8}-\d{4}$", filed.Number);
        Assert.Equal("云溪县人民医院产科", filed.FormData["birthPlace"]);
        Assert.Equal(4, filed.Members.Count);
        var ids = filed.Members.Select(m => m.CaseId).ToList();
        var members = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync();
        Assert.Equal(4, members.Select(c => c.Number).Distinct().Count());
        Assert.All(members, c => Assert.NotNull(c.Number));
        // The changed form reached the member that was filed at once.
        Assert.Equal(CaseState.PreAcceptance, members.Single(c => c.MatterCode == "330799-WJ-019").State);
        Assert.Contains(members.Single(c => c.MatterCode == "330799-WJ-019").FormData.Values, v => v == "云溪县人民医院产科");
    }

    // ---- the bundle page: supplement, results, rating ------------------------------------------------------------------

    [Fact]
    public async Task BundlePage_ASupplementIsListedOnce_UploadedAndResubmitted()
    {
        var citizen = await SignInAsync("citizen");
        var b = await FileAsync(Business, citizen, yes: true);
        await _factory.Get<BundleActs.Handler>().RequestSupplementAsync(new BundleActs.SupplementCommand(b.Id, ["公司章程：请补充全体股东签字"]), await ClerkAsync());

        var page = RenderBundle(b.Id);
        page.WaitForAssertion(() => Assert.Contains("公司章程：请补充全体股东签字", page.Find("#bundle-supplement-items").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal("待补正", page.Find("#bundle-state").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-material-row='营业执照（设立登记办结后共享，无需提交）'] .upload-material"));

        var row = page.FindComponents<MudFileUpload<Microsoft.AspNetCore.Components.Forms.IBrowserFile>>()
            .Single(c => c.Find("button").GetAttribute("data-material") == "公司章程");
        row.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary("%PDF-1.4 章程"u8.ToArray(), "章程.pdf", contentType: "application/pdf"));
        page.WaitForAssertion(() => Assert.Contains("章程.pdf", page.Find("[data-material-row='公司章程']").TextContent, StringComparison.Ordinal), Wait);

        // A second upload replaces the first one's message: on a phone, messages stacked over the list they were about.
        var snackbar = _ctx.Services.GetRequiredService<ISnackbar>();
        Assert.Equal(["已上传：公司章程（各相关事项共用）"], snackbar.ShownSnackbars.Select(x => x.Message));
        var other = page.FindComponents<MudFileUpload<Microsoft.AspNetCore.Components.Forms.IBrowserFile>>()
            .First(c => c.Find("button").GetAttribute("data-material") != "公司章程");
        var otherName = other.Find("button").GetAttribute("data-material");
        other.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary("%PDF-1.4 另一份"u8.ToArray(), "另一份.pdf", contentType: "application/pdf"));
        page.WaitForAssertion(() => Assert.Equal([$"已上传：{otherName}（各相关事项共用）"], snackbar.ShownSnackbars.Select(x => x.Message)), Wait);

        await page.Find("#bundle-resubmit").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("待受理", page.Find("#bundle-state").TextContent.Trim()), Wait);
        await using var db = _factory.CreateDbContext();
        var after = await db.BundleCases.AsNoTracking().SingleAsync(x => x.Id == b.Id);
        Assert.Equal(BundleState.Submitted, after.State);
        Assert.Equal("章程.pdf", after.Materials.Single(m => m.Name == "公司章程").FileName);
        var licenceId = b.Members.Single(m => m.MatterCode == "330799-SCJG-019").CaseId;
        var licence = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == licenceId);
        Assert.Equal(CaseState.PreAcceptance, licence.State);
        Assert.Equal(after.Materials.Single(m => m.Name == "公司章程").FileSha256, licence.Materials.Single(m => m.Name == "公司章程").FileSha256);
    }

    [Fact]
    public async Task BundlePage_OnceConcluded_ListsEveryMembersResult_AndRatesOnce_CountedForEachDepartment()
    {
        var enterprise = await SignInAsync("enterprise");
        var b = await FileAsync(Hiring, enterprise, yes: true);
        await _factory.Get<BundleActs.Handler>().AcceptAsync(new BundleActs.AcceptCommand(b.Id, [.. b.Materials.Select(m => m.Name)]), await ClerkAsync());
        foreach (var m in b.Members)
        {
            await ApproveAsync(m.CaseId);
        }

        await _factory.Get<Web.Documents.DocumentWorker>().DrainAsync();

        var page = RenderBundle(b.Id);
        page.WaitForAssertion(() => Assert.Equal("已办结", page.Find("#bundle-state").TextContent.Trim()), Wait);
        Assert.Equal(b.Members.Count, page.FindAll("#bundle-members li[data-member-case]").Count);
        await using (var db = _factory.CreateDbContext())
        {
            // 一窗出件: every member's decision or certificate has its download link on the one page.
            var ids = b.Members.Select(m => m.CaseId).ToList();
            var withResult = (await db.CaseDocuments.AsNoTracking().Where(d => ids.Contains(d.CaseId) && (d.Kind == "ApprovalDecision" || d.Kind == "Certificate"))
                .Select(d => d.CaseId).ToListAsync()).Concat(await db.Certificates.AsNoTracking().Where(c => ids.Contains(c.CaseId)).Select(c => c.CaseId).ToListAsync())
                .Distinct().ToList();
            Assert.NotEmpty(withResult);
            var links = page.FindAll("#bundle-results a.bundle-result-download").Select(a => a.GetAttribute("href")!).ToList();
            Assert.All(links, href => Assert.Matches(@"^api/cases/\d+/documents/\w+$", href));
            Assert.All(withResult, id => Assert.Contains(links, href => href.StartsWith($"api/cases/{id}/documents/", StringComparison.Ordinal)));
        }

        page.Find("#bundle-rate input[data-level='5']").Change("5");
        await page.Find("#bundle-rate-submit").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains($"计入 {b.Members.Count} 个事项", page.Find("#bundle-rate-done").TextContent, StringComparison.Ordinal), Wait);
        await using (var db = _factory.CreateDbContext())
        {
            var ids = b.Members.Select(m => m.CaseId).ToList();
            Assert.Equal(b.Members.Count, await db.Ratings.CountAsync(r => ids.Contains(r.CaseId) && r.Level == 5));
        }

        // Opened again: the rating is shown, no second form; a second rating is refused.
        var again = RenderBundle(b.Id);
        again.WaitForAssertion(() => Assert.Contains("您已评价：非常满意", again.Find("#bundle-rate-done").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(again.FindAll("#bundle-rate-submit"));
        await Assert.ThrowsAsync<CaseRuleException>(() => _factory.Get<BundleQueries>().RateAsync(new BundleQueries.RateCommand(b.Id, 1, "再评一次"), enterprise));
    }

    // ---- helpers --------------------------------------------------------------------------------------------------------

    private IRenderedComponent<BundleApply> RenderApply(string query)
    {
        var code = Birth;
        if (!_popovers)
        {
            _ctx.Render<MudPopoverProvider>();
            _popovers = true;
        }

        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo($"bundles/apply/{code}{query}");
        return _ctx.Render<BundleApply>(p => p.Add(x => x.Code, code));
    }

    private IRenderedComponent<BundleDetail> RenderBundle(long id)
    {
        if (!_popovers)
        {
            _ctx.Render<MudPopoverProvider>();
            _popovers = true;
        }

        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo($"bundles/{id}");
        return _ctx.Render<BundleDetail>(p => p.Add(x => x.Id, id));
    }

    private async Task<CaseActor> SignInAsync(string account)
    {
        var actor = await ActorAsync(account);
        var auth = _ctx.AddAuthorization();
        auth.SetAuthorized(account);
        auth.SetRoles(Roles.Applicant);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, actor.UserId), new Claim(AppClaims.DisplayName, actor.Name));
        return actor;
    }

    private async Task<CaseActor> ActorAsync(string account)
    {
        await using var db = _factory.CreateDbContext();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == account);
        return new CaseActor(user.Id, user.DisplayName, [Roles.Applicant]);
    }

    private async Task<CaseActor> ClerkAsync()
    {
        await using var db = _factory.CreateDbContext();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "clerk");
        return new CaseActor(user.Id, user.DisplayName, [Roles.Clerk], "FWZX");
    }

    private async Task<BundleData> DefinitionAsync(string code)
    {
        await using var db = _factory.CreateDbContext();
        return (await db.Bundles.AsNoTracking().SingleAsync(b => b.Code == code)).Definition;
    }

    private async Task<BundleCase> FileAsync(string code, CaseActor filer, bool yes)
    {
        var def = await DefinitionAsync(code);
        var answers = BundleTests.Answers(def, yes);
        return await _factory.Get<FileBundle.Handler>().HandleAsync(new FileBundle.Command
        {
            BundleCode = code, Answers = answers, FormData = BundleTests.Form(def, answers), Submit = true,
        }, filer);
    }

    private async Task<int> CountAsync()
    {
        await using var db = _factory.CreateDbContext();
        return await db.BundleCases.CountAsync();
    }

    /// <summary>Approves every open step of a member as its department's staff.</summary>
    private async Task ApproveAsync(long caseId)
    {
        var store = _factory.Get<CaseStore>();
        var workflows = _factory.Get<WorkflowCatalog>();
        while (true)
        {
            await using var db = _factory.CreateDbContext();
            var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == caseId);
            if (c.OpenSteps.FirstOrDefault() is not { } step)
            {
                return;
            }

            var actor = new CaseActor($"p-{caseId}-{step.WorkItemId}", "测试" + step.Title, [step.Role], step.Department);
            await store.ExecuteAsync(caseId, new CaseActor("supervisor-view", "查看", [Roles.Supervisor]), async (x, ctx) =>
                x.ActFilled(await workflows.CurrentAsync(x.WorkflowId), step.WorkItemId, Outcome.Approve, "同意", actor, ctx.Now, ctx.Time));
        }
    }
}
