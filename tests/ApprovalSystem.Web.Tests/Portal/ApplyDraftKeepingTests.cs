using System.Security.Claims;
using System.Text.Json;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Cases.Filing;
using ApprovalSystem.Web.Features.Portal;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;

namespace ApprovalSystem.Web.Tests.Portal;

/// <summary>
/// bUnit on the filing page (issue 16, decision 0037): what is typed is not lost. A server draft is saved by itself a few
/// seconds after the last change (not at every key), each change is copied to the browser tab, and a reloaded page takes
/// the copy back.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "IAsyncLifetime disposes the bUnit context.")]
public sealed class ApplyDraftKeepingTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private const string Matter = "330799-GA-001"; // 居民身份证换领
    private const string Module = "./Features/Portal/Apply.razor.js";

    private readonly BunitContext _ctx = new();
    private readonly AppFactory _factory;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 1, 30, 0, TimeSpan.Zero));
    private CaseActor _citizen = default!;

    public ApplyDraftKeepingTests(AppFactory factory)
    {
        _factory = factory;
        factory.CreateClient().Dispose();
        _ctx.Services.AddMudServices();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddSingleton<TimeProvider>(_clock);
        var scope = factory.Services.CreateScope();
        foreach (var type in new[]
        {
            typeof(ApplyQueries), typeof(FileCase.Handler), typeof(UserManager<ApplicationUser>),
            typeof(Features.Exchange.Resources.Prefill), typeof(Features.Cases.Queries.CaseQueries), typeof(SaveDraft.Handler),
            typeof(SubmitCase.Handler), typeof(UploadMaterial.Handler), typeof(Features.Bundles.ReplacedMatters),
            typeof(Features.Commitments.SignCommitment.Handler), typeof(Features.Commitments.CommitmentQueries),
        })
        {
            _ctx.Services.AddSingleton(type, scope.ServiceProvider.GetRequiredService(type));
        }
    }

    public async Task InitializeAsync()
    {
        await using var db = _factory.CreateDbContext();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "citizen");
        _citizen = new CaseActor(user.Id, user.DisplayName, [Roles.Applicant]);
        var auth = _ctx.AddAuthorization();
        auth.SetAuthorized("citizen");
        auth.SetRoles(Roles.Applicant);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(AppClaims.DisplayName, user.DisplayName));
        _ctx.Render<MudPopoverProvider>();
    }

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    private async Task<long> DraftAsync()
    {
        var draft = await _factory.Get<FileCase.Handler>().HandleAsync(new FileCase.Command
        {
            MatterCode = Matter, Submit = false, FormData = new() { ["address"] = "云溪县城关镇人民大道1号" },
        }, _citizen);
        return draft.Id;
    }

    [Fact]
    public void AMatterABundleReplaced_ShowsTheBundleNotice_InsteadOfTheForm()
    {
        // Decision 0058: 开办企业“一件事”联办 is filed as 开办企业一件事 now; the old page files nothing.
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo($"apply/{TestMatters.Replaced}");
        var page = _ctx.Render<Apply>(p => p.Add(x => x.Code, TestMatters.Replaced));

        page.WaitForAssertion(() => Assert.Contains("本事项已纳入“开办企业一件事”，请通过一件事办理", page.Find("#replaced-notice").TextContent,
            StringComparison.Ordinal), Saved);
        Assert.Equal($"guide/bundles/{TestMatters.ReplacedBy}", page.Find("#replaced-bundle-link").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-field]"));
        Assert.DoesNotContain("提交申请", page.Markup, StringComparison.Ordinal);
    }

    /// <summary>The page as opened from a draft (?draft= in the address, as the page and 我的办件 link to it).</summary>
    /// <remarks>Returns once the draft is loaded (its saved address in the form): typing before that races the load on PostgreSQL.</remarks>
    private IRenderedComponent<Apply> RenderDraft(long id)
    {
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo($"apply/{Matter}?draft={id}");
        var page = _ctx.Render<Apply>(p => p.Add(x => x.Code, Matter));
        page.WaitForAssertion(() => Assert.Equal("云溪县城关镇人民大道1号", page.Find("[data-field=address] input").GetAttribute("value")), Saved);
        return page;
    }

    private async Task<string?> SavedAddressAsync(long id)
    {
        await using var db = _factory.CreateDbContext();
        var draft = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == id);
        return draft.FormData.GetValueOrDefault("address");
    }

    /// <summary>
    /// Types into the address and returns once the page has taken the change in — copied it to the browser and (re)scheduled
    /// the draft's save, which it does after the render: advancing the clock before that (a busy machine, CI) would let the
    /// earlier wait fire.
    /// </summary>
    private async Task TypeAddressAsync(IRenderedComponent<Apply> page, BunitJSModuleInterop module, string value)
    {
        var inSnapshot = JsonSerializer.Serialize(value).Trim('"'); // as the page's snapshot writes it
        page.Find("[data-field=address] input").Input(value);
        page.WaitForAssertion(
            () => Assert.Contains(module.Invocations["keep"], i => i.Arguments[1] is string snapshot && snapshot.Contains(inSnapshot, StringComparison.Ordinal)),
            Saved);
        await _ctx.Renderer.Dispatcher.InvokeAsync(() => { }); // the after-render that took it in has finished
    }

    /// <summary>Long enough for a draft's save on a busy PostgreSQL (bUnit's default second was not, in one run).</summary>
    private static readonly TimeSpan Saved = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ADraftBeingFilledIn_IsSavedByItself_AFewSecondsAfterTheLastChange_AndSaysWhen()
    {
        var id = await DraftAsync();
        var module = _ctx.JSInterop.SetupModule(Module);
        module.Setup<bool>("keep", _ => true).SetResult(true);
        var page = RenderDraft(id);

        await TypeAddressAsync(page, module, "云溪县城关镇人民大道66号");
        _clock.Advance(Apply.AutosaveDelay - TimeSpan.FromSeconds(1));
        await TypeAddressAsync(page, module, "云溪县城关镇人民大道88号"); // still typing: the wait starts again
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("云溪县城关镇人民大道1号", await SavedAddressAsync(id)); // not at every key

        _clock.Advance(Apply.AutosaveDelay);
        page.WaitForAssertion(() => Assert.Equal("已自动保存 09:30", page.Find("#autosave-note").TextContent.Trim()), Saved); // a database write
        Assert.Equal("云溪县城关镇人民大道88号", await SavedAddressAsync(id));
    }

    [Fact]
    public async Task AValueNotValidYet_IsNotSavedToTheDraft_AndTheNoteSaysTheCopyIsOnlyInThisWindow()
    {
        var id = await DraftAsync();
        var module = _ctx.JSInterop.SetupModule(Module);
        module.Setup<bool>("keep", _ => true).SetResult(true);
        var page = RenderDraft(id);

        page.WaitForElement("[data-field=contactPhone] input").Input("13800"); // half a mobile number
        _clock.Advance(Apply.AutosaveDelay);

        page.WaitForAssertion(() => Assert.StartsWith("已自动暂存 09:30（仅本窗口", page.Find("#autosave-note").TextContent.Trim(), StringComparison.Ordinal),
            Saved);
        await using var db = _factory.CreateDbContext();
        Assert.False((await db.Cases.AsNoTracking().SingleAsync(c => c.Id == id)).FormData.ContainsKey("contactPhone"));
    }

    [Fact]
    public void EachChange_IsCopiedToTheBrowserTab_UnderTheUserAndTheMatter()
    {
        var module = _ctx.JSInterop.SetupModule(Module);
        module.Setup<bool>("keep", _ => true).SetResult(true);
        var page = _ctx.Render<Apply>(p => p.Add(x => x.Code, Matter));

        page.WaitForElement("[data-field=address] input").Input("云溪县城关镇人民大道66号");

        page.WaitForAssertion(() =>
        {
            var kept = module.Invocations["keep"][^1];
            Assert.Equal($"{_citizen.UserId}:{Matter}", kept.Arguments[0]);
            var form = JsonDocument.Parse((string)kept.Arguments[1]!).RootElement.GetProperty("Form");
            Assert.Equal("云溪县城关镇人民大道66号", form.GetProperty("address").GetString());
            Assert.StartsWith("已自动暂存 09:30", page.Find("#autosave-note").TextContent.Trim(), StringComparison.Ordinal);
        });
        // Told what the personal data is for beside the buttons that send it (PIPL Art. 17), the notice opening beside the form.
        Assert.Contains("仅用于办理本事项", page.Find("#privacy-notice-line").TextContent, StringComparison.Ordinal);
        Assert.Equal("_blank", page.Find("#privacy-notice-line a[href='privacy']").GetAttribute("target"));
    }

    [Fact]
    public void AReloadedPage_TakesBackWhatWasTypedInThisTab()
    {
        var module = _ctx.JSInterop.SetupModule(Module);
        var kept = JsonSerializer.Serialize(new { Draft = (long?)null, Form = new Dictionary<string, string> { ["address"] = "云溪县城关镇人民大道66号" } });
        module.Setup<string?>("restore", i => (string?)i.Arguments[0] == $"{_citizen.UserId}:{Matter}").SetResult(kept);

        var page = _ctx.Render<Apply>(p => p.Add(x => x.Code, Matter));

        page.WaitForAssertion(() =>
        {
            Assert.Equal("云溪县城关镇人民大道66号", page.Find("[data-field=address] input").GetAttribute("value"));
            Assert.Contains("已恢复", page.Find("#draft-note").TextContent, StringComparison.Ordinal);
        });
    }
}
