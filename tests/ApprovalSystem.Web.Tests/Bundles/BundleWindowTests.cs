using System.Security.Claims;
using ApprovalSystem.Core.Bundles;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Features.Bundles;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Window;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ApprovalSystem.Web.Tests.Bundles;

/// <summary>
/// The window's bundle acceptance as the clerk uses it (bUnit on the real page and database): the queue lists a submitted bundle beside
/// the single cases; the bundle page accepts once, asks once for a supplement across members, refuses with a reason, and says in
/// Chinese when the bundle moved under the clerk.
/// </summary>
public sealed class BundleWindowTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private const string Business = "330799-YJS-001"; // licence first, seal/tax/insurance/fund wait for it
    private const string Hiring = "330799-YJS-005"; // four members at once

    private readonly AppFactory _factory;
    private CaseActor _clerk = default!;
    private BundleWindow? _window; // the page's queries, when a test replaces them

    public BundleWindowTests(AppFactory factory)
    {
        _factory = factory;
        factory.CreateClient().Dispose();
    }

    public async Task InitializeAsync()
    {
        await using var db = _factory.CreateDbContext();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "clerk");
        _clerk = new CaseActor(user.Id, user.DisplayName, [Roles.Clerk], "FWZX");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A page context signed in as the window clerk, with the services the window's pages use.</summary>
    private BunitContext Context(params Type[] handlers)
    {
        var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddSingleton(_window ?? _factory.Get<BundleWindow>());
        ctx.Services.AddSingleton(_factory.Get<BundleActs.Handler>());
        ctx.Services.AddSingleton(_factory.Get<Features.Cases.Queries.CaseQueries>());
        ctx.Services.AddSingleton(_factory.Get<TimeProvider>());
        ctx.Services.AddSingleton(_factory.Get<WorkflowCatalog>()); // the acceptance panel reads the flow's first step
        foreach (var type in handlers)
        {
            ctx.Services.AddSingleton(type, _factory.Services.CreateScope().ServiceProvider.GetRequiredService(type));
        }

        ctx.AddAuthorization().SetAuthorized("clerk").SetRoles(Roles.Clerk).SetClaims(new Claim(ClaimTypes.NameIdentifier, _clerk.UserId),
            new Claim(AppClaims.DisplayName, _clerk.Name), new Claim(AppClaims.DepartmentCode, "FWZX"));
        ctx.Render<MudPopoverProvider>();
        return ctx;
    }

    [Fact]
    public async Task TheQueue_ListsASubmittedBundle_MarkedAsOne_BesideTheSingleCases_AndCountsIt()
    {
        var b = await FileAsync(Hiring, "enterprise");
        var other = await FileAsync(Hiring, "enterprise");

        var rows = await _factory.Get<BundleWindow>().QueueAsync([BundleState.Submitted]);
        Assert.Contains(rows, r => r.Id == b.Id && r.Number == b.Number && r.MemberIds.SequenceEqual(b.Members.Select(m => m.CaseId)) && r.BundleName == b.BundleName);
        Assert.True(rows.FindIndex(r => r.Id == b.Id) < rows.FindIndex(r => r.Id == other.Id), "oldest filing first");

        await using var ctx = Context();
        var page = ctx.Render<WindowQueue>();
        page.WaitForAssertion(() =>
        {
            var row = page.Find($"tr[data-bundle='{b.Id}']");
            Assert.Contains("一件事", row.TextContent, StringComparison.Ordinal);
            Assert.Equal($"window/bundles/{b.Id}", row.QuerySelector("a.bundle-link")!.GetAttribute("href"));
            Assert.Contains(b.Number!, row.TextContent, StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(10));

        // The tab counts the bundles with the single filings.
        await using var db = _factory.CreateDbContext();
        var cases = await db.Cases.CountAsync(c => c.State == CaseState.PreAcceptance);
        var bundles = await db.BundleCases.CountAsync(x => x.State == BundleState.Submitted);
        Assert.Contains($"待预审（{cases + bundles}）", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcceptFromThePage_StartsTheMembers_TheWaitingOnesWait_AndTheNoticesArePrintable()
    {
        var b = await FileAsync(Business, "citizen");
        await using var ctx = Context();
        var page = RenderPage(ctx, b.Id);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#bundle-accept")));
        Assert.Equal(b.Members.Count, page.FindAll("#bundle-members tbody tr").Count);
        Assert.Contains("企业设立登记", page.Find("#bundle-members").TextContent, StringComparison.Ordinal);
        Assert.Contains("公安局", page.Find("#bundle-members").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("330799198503120016", page.Markup, StringComparison.Ordinal); // the merged form's ID number is masked
        Assert.Contains("3307**********0016", page.Find("#bundle-form").TextContent, StringComparison.Ordinal);

        // The one checklist: every merged material, each saying which members' materials it stands for; all ticked as received.
        var checklist = page.FindAll("#bundle-checklist .bundle-material");
        Assert.Equal(b.Materials.Count, checklist.Count);
        Assert.Contains(page.FindAll("#bundle-checklist .bundle-material"), m => m.TextContent.Contains("用于：", StringComparison.Ordinal));
        foreach (var name in b.Materials.Select(m => m.Name).ToList())
        {
            var box = page.Find($"#bundle-checklist .bundle-material[data-material='{name}'] input[type=checkbox]");
            if (!box.HasAttribute("disabled"))
            {
                box.Change(true);
            }
        }

        page.Find("#bundle-accept").Click();

        page.WaitForAssertion(() => Assert.Equal("办理中", page.Find("#bundle-state").TextContent.Trim()), TimeSpan.FromSeconds(10));
        await using var db = _factory.CreateDbContext();
        var bundle = await db.BundleCases.AsNoTracking().SingleAsync(x => x.Id == b.Id);
        Assert.Equal(BundleState.Accepted, bundle.State);
        Assert.Equal(_clerk.UserId, bundle.AcceptedByUserId);
        var ids = bundle.Members.Select(m => m.CaseId).ToList();
        var cases = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id);
        var licence = cases[bundle.Members.Single(m => m.MatterCode == "330799-SCJG-019").CaseId];
        Assert.Equal(CaseState.Handling, licence.State);
        var stoodFor = b.Definition.Materials.Where(x => b.Materials.Any(m => m.Name == x.Name) && x.From.Count == 0)
            .SelectMany(x => BundleData.MemberMaterials(x, licence.MatterCode)).ToList();
        Assert.NotEmpty(stoodFor);
        Assert.All(licence.Materials.Where(m => stoodFor.Contains(m.Name)), m => Assert.True(m.Received, $"{m.Name} 未记为已收取"));
        Assert.All(bundle.Members.Where(m => m.After.Count > 0), m => Assert.Equal(CaseState.Draft, cases[m.CaseId].State));
        Assert.Single(bundle.Notices, n => n.Kind == "受理通知");

        // The clerk prints the member's acceptance notice from the bundle's page; the acts are gone.
        var prints = page.FindAll("#bundle-notices a.bundle-print").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains($"api/cases/{licence.Id}/documents/AcceptanceNotice?inline=true", prints);
        Assert.Empty(page.FindAll("#bundle-accept"));
        Assert.Empty(page.FindAll("#bundle-refuse"));
    }

    [Fact]
    public async Task ASupplementFromThePage_ListsWhatIsMissingAcrossMembers_InOneNotice_AndCannotBeAskedTwice()
    {
        var b = await FileAsync(Business, "citizen");
        var def = b.Definition;
        await using var ctx = Context();
        var page = RenderPage(ctx, b.Id);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#bundle-supplement")));

        page.Find("#bundle-supplement-extra").Change("经营场所租赁合同需加盖出租方印章");
        page.Find("#bundle-supplement").Click();

        page.WaitForAssertion(() => Assert.Equal("待补正", page.Find("#bundle-state").TextContent.Trim()), TimeSpan.FromSeconds(10));
        await using var db = _factory.CreateDbContext();
        var bundle = await db.BundleCases.AsNoTracking().SingleAsync(x => x.Id == b.Id);
        var missing = b.Materials.Where(m => m.Required && !m.Received).Select(m => m.Name).ToList();
        Assert.Equal([.. missing.Select(m => $"缺少：{m}"), "经营场所租赁合同需加盖出租方印章"], bundle.SupplementItems);

        // The items stand for the materials of several members (two departments at least), told once.
        var members = missing.SelectMany(name => def.Materials.Single(x => x.Name == name).StandsFor)
            .Select(r => MergedField.Target(r)!.Value.Code).Distinct().ToList();
        Assert.True(members.Count >= 2, string.Join("、", members));
        Assert.Single(bundle.Notices, n => n.Kind == "补正通知");
        var ids = bundle.Members.Select(m => m.CaseId).ToList();
        var filed = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id) && c.SubmittedAt != null).ToListAsync();
        Assert.NotEmpty(filed);
        Assert.All(filed, c => Assert.Equal(CaseState.SupplementRequested, c.State));
        var notices = await db.Notifications.AsNoTracking().Where(n => n.UserId == b.OwnerUserId && n.Title == "补正通知").ToListAsync();
        Assert.Single(notices, n => n.Link == $"/bundles/{b.Id}");
        Assert.DoesNotContain(notices, n => ids.Any(id => n.Link != null && n.Link.EndsWith($"/cases/{id}", StringComparison.Ordinal)));

        // Handed in at the window: back to review, where a second supplement notice is not offered (and the rule refuses it).
        page.Find("#bundle-resubmit").Click();
        page.WaitForAssertion(() => Assert.Equal("待受理", page.Find("#bundle-state").TextContent.Trim()), TimeSpan.FromSeconds(10));
        Assert.Empty(page.FindAll("#bundle-supplement"));
        Assert.Contains("已一次性告知过补正内容", page.Find("#bundle-window").TextContent, StringComparison.Ordinal);
        var again = await Assert.ThrowsAsync<CaseRuleException>(() =>
            _factory.Get<BundleActs.Handler>().RequestSupplementAsync(new BundleActs.SupplementCommand(b.Id, ["再补一份"]), _clerk));
        Assert.Contains("不能再次要求补正", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARefusalFromThePage_NeedsAReason_ThenRefusesTheBundleAndEveryMember()
    {
        var b = await FileAsync(Hiring, "enterprise");
        await using var ctx = Context();
        var page = RenderPage(ctx, b.Id);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#bundle-refuse")));

        page.Find("#bundle-refuse").Click();
        page.WaitForAssertion(() => Assert.Contains("不予受理必须说明理由", page.Find("#bundle-error").TextContent, StringComparison.Ordinal));

        // The refused act failed before it awaited anything, so the error shows while its reload still runs; the reload's render
        // renews the buttons' handlers. Find and act on the dispatcher, so no render comes between the two (CI once clicked a stale one).
        await page.InvokeAsync(() => page.Find("#bundle-refuse-reason").Change("申请人不属于本县登记管辖范围"));
        await page.InvokeAsync(() => page.Find("#bundle-refuse").Click());

        page.WaitForAssertion(() => Assert.Equal("不予受理", page.Find("#bundle-state").TextContent.Trim()), TimeSpan.FromSeconds(10));
        await using var db = _factory.CreateDbContext();
        var bundle = await db.BundleCases.AsNoTracking().SingleAsync(x => x.Id == b.Id);
        Assert.Equal("申请人不属于本县登记管辖范围", bundle.Reason);
        var ids = bundle.Members.Select(m => m.CaseId).ToList();
        Assert.All(await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync(), c => Assert.Equal(CaseState.NotAccepted, c.State));
        Assert.Contains("申请人不属于本县登记管辖范围", page.Find("#bundle-notices").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(page.FindAll("#bundle-notices a.bundle-print"));
    }

    [Fact]
    public async Task AReloadThatReadBeforeALaterAct_DoesNotOverwriteWhatTheLaterReloadShows()
    {
        // The clerk clicks 不予受理 without a reason: the refusal is refused and the page reloads. That reload is held after it read
        // the bundle (still 待受理) while the clerk types the reason and refuses again; the second reload shows 不予受理. When the
        // first reload then finishes, the page must keep what the later one read (it once showed 待受理 again on PostgreSQL).
        var b = await FileAsync(Hiring, "enterprise");
        var held = new HeldFactory(_factory.Get<IDbContextFactory<AppDbContext>>());
        _window = new BundleWindow(held, _factory.Get<BundleStore>(), _factory.Get<BundleQueries>());
        await using var ctx = Context();
        var page = RenderPage(ctx, b.Id);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#bundle-refuse")));

        held.HoldNext();
        page.Find("#bundle-refuse").Click();
        page.WaitForAssertion(() => Assert.Contains("不予受理必须说明理由", page.Find("#bundle-error").TextContent, StringComparison.Ordinal));
        await held.Holding.WaitAsync(TimeSpan.FromSeconds(15));

        page.Find("#bundle-refuse-reason").Change("申请人不属于本县登记管辖范围");
        page.Find("#bundle-refuse").Click();
        page.WaitForAssertion(() => Assert.Equal("不予受理", page.Find("#bundle-state").TextContent.Trim()));

        var renders = page.RenderCount;
        held.Release();
        page.WaitForState(() => page.RenderCount > renders); // the first act's handler finished and the page rendered again
        Assert.Equal("不予受理", page.Find("#bundle-state").TextContent.Trim());
        Assert.Empty(page.FindAll("#bundle-accept"));
    }

    /// <summary>A context factory that can hold the next context it creates until released (a slow read, made on purpose).</summary>
    private sealed class HeldFactory(IDbContextFactory<AppDbContext> inner) : IDbContextFactory<AppDbContext>
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _hold;

        public Task Holding => _holding.Task;

        public void HoldNext() => Interlocked.Exchange(ref _hold, 1);

        public void Release() => _release.TrySetResult();

        public AppDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<AppDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref _hold, 0) == 1)
            {
                _holding.TrySetResult();
                await _release.Task.WaitAsync(cancellationToken);
            }

            return await inner.CreateDbContextAsync(cancellationToken);
        }
    }

    [Fact]
    public async Task WhenTheBundleMovedUnderTheClerk_TheActSaysSoInChinese_AndThePageShowsWhereItIs()
    {
        var b = await FileAsync(Hiring, "enterprise");
        await using var ctx = Context();
        var page = RenderPage(ctx, b.Id);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#bundle-refuse")));

        // Another clerk accepts it first.
        await _factory.Get<BundleActs.Handler>().AcceptAsync(new BundleActs.AcceptCommand(b.Id, [.. b.Materials.Select(m => m.Name)]), _clerk);
        page.Find("#bundle-refuse-reason").Change("材料不全");
        page.Find("#bundle-refuse").Click();

        page.WaitForAssertion(() =>
        {
            Assert.Contains("只有待受理的一件事可以不予受理（当前状态：办理中）", page.Find("#bundle-error").TextContent, StringComparison.Ordinal);
            Assert.Equal("办理中", page.Find("#bundle-state").TextContent.Trim());
        }, TimeSpan.FromSeconds(10));
        await using var db = _factory.CreateDbContext();
        Assert.Equal(BundleState.Accepted, (await db.BundleCases.AsNoTracking().SingleAsync(x => x.Id == b.Id)).State);
    }

    [Fact]
    public async Task AMemberAlone_IsNotReviewedAtTheWindow_ItsPageLinksToTheBundle_AndTheActsRefuseIt()
    {
        var b = await FileAsync(Hiring, "enterprise");
        var member = b.Members[0].CaseId;
        var membership = await _factory.Get<BundleWindow>().MembershipAsync(member);
        Assert.Equal((b.Id, b.Number, b.BundleName), (membership!.BundleId, membership.Number, membership.BundleName));
        var c = (await _factory.Get<Features.Cases.Queries.CaseQueries>().GetAsync(member, _clerk))!;

        await using var ctx = Context(typeof(Features.Cases.Acceptance.AcceptCase.Handler), typeof(Features.Cases.Acceptance.RequestSupplement.Handler),
            typeof(Features.Cases.Acceptance.RefuseCase.Handler));
        var panel = ctx.Render<Features.Cases.Detail.CaseActionPanel>(p => p.Add(x => x.Case, c).Add(x => x.Actor, _clerk).Add(x => x.Bundle, membership));
        Assert.Equal($"window/bundles/{b.Id}", panel.Find("#case-bundle-link").GetAttribute("href"));
        Assert.Empty(panel.FindAll("#accept, #accept-decide"));
        var single = ctx.Render<Features.Cases.Detail.CaseActionPanel>(p => p.Add(x => x.Case, c).Add(x => x.Actor, _clerk));
        Assert.NotEmpty(single.FindAll("#accept, #accept-decide")); // an immediate member offers 受理并当场办结

        // Through the API or a stale page, the member's own window acts are refused, and nothing changes.
        var accept = await Assert.ThrowsAsync<CaseRuleException>(() => _factory.Get<Features.Cases.Acceptance.AcceptCase.Handler>()
            .HandleAsync(new(member), _clerk));
        Assert.Contains($"一件事“{b.BundleName}”", accept.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CaseRuleException>(() => _factory.Get<Features.Cases.Acceptance.RefuseCase.Handler>().HandleAsync(new(member, "不符合"), _clerk));
        await Assert.ThrowsAsync<CaseRuleException>(() =>
            _factory.Get<Features.Cases.Acceptance.RequestSupplement.Handler>().HandleAsync(new(member, ["缺少：身份证"], null), _clerk));
        await using var db = _factory.CreateDbContext();
        Assert.Equal(CaseState.PreAcceptance, (await db.Cases.AsNoTracking().SingleAsync(x => x.Id == member)).State);
    }

    private static IRenderedComponent<BundleWindowPage> RenderPage(BunitContext ctx, long id) => ctx.Render<BundleWindowPage>(p => p.Add(x => x.Id, id));

    private async Task<BundleCase> FileAsync(string code, string account)
    {
        await using var db = _factory.CreateDbContext();
        var def = (await db.Bundles.AsNoTracking().SingleAsync(x => x.Code == code)).Definition;
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == account);
        var answers = BundleTests.Answers(def, yes: true);
        return await _factory.Get<FileBundle.Handler>().HandleAsync(new FileBundle.Command
        {
            BundleCode = code, Answers = answers, FormData = BundleTests.Form(def, answers), Submit = true,
        }, new CaseActor(user.Id, user.DisplayName, [Roles.Applicant]));
    }
}
