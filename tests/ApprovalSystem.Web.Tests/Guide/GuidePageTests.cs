using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Guide;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ApprovalSystem.Web.Tests.Guide;

/// <summary>bUnit tests of the public service guide on the real seeded database.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "MudBlazor services only dispose asynchronously; IAsyncLifetime disposes the context.")]
public sealed class GuidePageTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly BunitContext _ctx = new();

    private BunitServiceProvider Services => _ctx.Services;

    private BunitJSInterop JSInterop => _ctx.JSInterop;

    private IRenderedComponent<T> Render<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null)
        where T : IComponent => parameters is null ? _ctx.Render<T>() : _ctx.Render(parameters);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    public GuidePageTests(AppFactory factory)
    {
        factory.CreateClient().Dispose();
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddSingleton(factory.Get<IDbContextFactory<AppDbContext>>());
        Services.AddSingleton(factory.Get<WorkflowRegistry>());
        Services.AddSingleton(factory.Get<WorkflowCatalog>());
        Services.AddScoped<GuideQueries>();
        Services.AddScoped<ApprovalSystem.Web.Features.Bundles.ReplacedMatters>();
        _ctx.AddAuthorization();
        Render<MudPopoverProvider>();
    }

    [Fact]
    public void Index_ListsDepartmentsAndMatters()
    {
        var page = Render<GuideIndex>();

        page.WaitForAssertion(() => Assert.Contains("云溪县市场监督管理局", page.Markup, StringComparison.Ordinal));
        Assert.Contains("市场监管局（", page.Markup, StringComparison.Ordinal);
        Assert.Contains("共 354 项", page.Find("#guide-count").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Index_WithKeyword_ShowsOnlyMatchingMatters()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("guide?q=" + Uri.EscapeDataString("公共场所卫生许可"));

        var page = Render<GuideIndex>();

        page.WaitForAssertion(() => Assert.Matches("^共 [1-9][0-9]? 项$", page.Find("#guide-count").TextContent.Trim()));
        var links = page.FindAll("td a:not(.replaced-by)").Select(a => a.TextContent).ToList(); // the matters, not their bundles' links
        Assert.NotEmpty(links);
        Assert.All(links, l => Assert.Contains("公共场所卫生许可", l, StringComparison.Ordinal));
    }

    [Fact]
    public void Index_EachDepartment_LinksToItsMatters()
    {
        var page = Render<GuideIndex>();
        page.WaitForAssertion(() => Assert.Contains(page.FindAll("#guide-departments a"), i => i.TextContent.StartsWith("县税务局", StringComparison.Ordinal)));

        var item = page.FindAll("#guide-departments a").First(i => i.TextContent.StartsWith("县税务局", StringComparison.Ordinal));

        Assert.Equal("guide?dept=SW", item.GetAttribute("href"));
    }

    [Fact]
    public void MatterPage_ShowsMaterialsLimitsFeesStepsAndContacts()
    {
        var page = Render<MatterGuide>(p => p.Add(x => x.Code, TestMatters.Joint));

        page.WaitForAssertion(() => Assert.Contains("申请材料", page.Markup, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Contains("咨询电话", page.Markup, StringComparison.Ordinal));
        Assert.Contains("婚姻状况证明", page.Markup, StringComparison.Ordinal);
        Assert.Contains("45个工作日", page.Markup, StringComparison.Ordinal);
        Assert.Contains("80元", page.Markup, StringComparison.Ordinal);
        Assert.Contains("同步办理", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#replaced-notice"));
        Assert.Contains("咨询电话", page.Markup, StringComparison.Ordinal);
        Assert.Contains("云溪县城关镇人民大道188号", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void MatterPage_OfAMatterABundleReplaced_LeadsToTheBundle_AndOffersNoFiling()
    {
        // 开办便利店“一件事” became 开办便利店一件事 (330799-YJS-007): the page stays for its running cases, but files nothing.
        var page = Render<MatterGuide>(p => p.Add(x => x.Code, "330799-SCJG-003"));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#replaced-notice")));
        Assert.Contains("本事项已纳入“开办便利店一件事”，请通过一件事办理", page.Find("#replaced-notice").TextContent, StringComparison.Ordinal);
        Assert.Equal("guide/bundles/330799-YJS-007", page.Find("#replaced-bundle-link").GetAttribute("href"));
        Assert.DoesNotContain("登录后在线申报", page.Markup, StringComparison.Ordinal);
        Assert.Contains("食品安全管理制度", page.Markup, StringComparison.Ordinal); // still a guide to read
    }

    [Fact]
    public void Index_MarksEveryReplacedMatter_WithALinkToItsBundle()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("guide?q=" + Uri.EscapeDataString("一件事"));

        var page = Render<GuideIndex>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("a.replaced-by")));
        var marks = page.FindAll("a.replaced-by");
        Assert.Equal(page.FindAll("#guide-table tbody tr").Count, marks.Count); // every 一件事 matter of the old catalogue is replaced
        Assert.Contains(marks, a => a.GetAttribute("href") == "guide/bundles/330799-YJS-015" && a.TextContent.Contains("政府投资项目审批一件事",
            StringComparison.Ordinal));
    }

    [Fact]
    public void MatterPage_UnknownCode_SaysSo()
    {
        var page = Render<MatterGuide>(p => p.Add(x => x.Code, "NOPE"));

        page.WaitForAssertion(() => Assert.Contains("没有找到编码为“NOPE”的事项", page.Markup, StringComparison.Ordinal));
    }
}
