using System.Security.Claims;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Portal;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ApprovalSystem.Web.Tests.Exchange;

/// <summary>bUnit: the window's apply form fills the applicant from granted shared resources and marks the source.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "IAsyncLifetime disposes the bUnit context.")]
public sealed class PrefillComponentTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly BunitContext _ctx = new();
    private readonly AppFactory _factory;

    public PrefillComponentTests(AppFactory factory)
    {
        _factory = factory;
        factory.CreateClient().Dispose();
        _ctx.Services.AddMudServices();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        var scope = factory.Services.CreateScope();
        foreach (var type in new[]
        {
            typeof(ApplyQueries), typeof(Features.Cases.Filing.FileCase.Handler), typeof(UserManager<ApplicationUser>),
            typeof(Features.Exchange.Resources.Prefill), typeof(Features.Cases.Queries.CaseQueries), typeof(Features.Cases.Filing.SaveDraft.Handler),
            typeof(Features.Cases.Filing.SubmitCase.Handler), typeof(Features.Cases.Filing.UploadMaterial.Handler), typeof(Features.Bundles.ReplacedMatters),
            typeof(Features.Commitments.SignCommitment.Handler), typeof(Features.Commitments.CommitmentQueries),
        })
        {
            _ctx.Services.AddSingleton(type, scope.ServiceProvider.GetRequiredService(type));
        }

        var auth = _ctx.AddAuthorization();
        auth.SetAuthorized("clerk");
        auth.SetRoles(Roles.Clerk);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, "clerk-id"), new Claim(AppClaims.DisplayName, "李晓梅"), new Claim(AppClaims.DepartmentCode, "FWZX"));
        _ctx.Render<MudPopoverProvider>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Fact]
    public async Task Apply_LookUpResidentId_FillsNameFromSharedResource_WithSourceChip_AndLogsTheRead()
    {
        string matter;
        await using (var db = _factory.CreateDbContext())
        {
            matter = await db.Matters.AsNoTracking().Where(m => m.IsPublished).OrderBy(m => m.Code).Select(m => m.Code).FirstAsync();
        }

        var page = _ctx.Render<Apply>(p => p.Add(x => x.Code, matter));
        page.WaitForElement("#applicant-id").Input("330799195208170025"); // the field updates as typed (Immediate)
        page.Find("#applicant-lookup").Click();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("王秀英", page.Find("#applicant-name").GetAttribute("value"));
            Assert.Contains(page.FindAll(".prefill-source"), chip => chip.TextContent.Contains("居民身份基本信息", StringComparison.Ordinal));
        });
        await using var check = _factory.CreateDbContext();
        Assert.True(await check.ResourceReadLog.AnyAsync(l => l.Consumer == "FWZX" && l.Purpose == "窗口受理预填"));
    }
}
