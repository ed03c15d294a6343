using Bunit;
using AngleSharp.Html.Parser;
using ApprovalSystem.Web.Features.Privacy;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalSystem.Web.Tests.Privacy;

/// <summary>
/// The notice of how personal data is processed (PIPL Arts. 17–18, 35; docs/privacy.md): a page anyone can open, with the
/// retention the system is configured with and the centre to ask; the registration form names it before anything is sent, and
/// every page's footer links it.
/// </summary>
public sealed class PrivacyNoticeTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private HttpClient Visitor() => factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

    [Fact]
    public async Task TheNotice_IsOpenToAVisitor_AndStatesTheConfiguredRetention_AndTheCentresContacts()
    {
        // The retention the running system uses, not figures written into the page (this fixture is the test's own).
        var options = factory.Services.GetRequiredService<PrivacyOptions>();
        (options.DraftRetentionDays, options.RejectedUploadRetentionDays) = (91, 17);
        using var visitor = Visitor();

        using var response = await visitor.GetAsync("/privacy");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var doc = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        Assert.Equal("个人信息保护说明", doc.QuerySelector("h1")?.TextContent.Trim());
        Assert.Equal("91", doc.QuerySelector("#draft-retention-days")?.TextContent);
        Assert.Equal("17", doc.QuerySelector("#rejected-retention-days")?.TextContent);
        await using var db = factory.CreateDbContext();
        var settings = await db.Settings.AsNoTracking().Where(s => s.Key.StartsWith("Centre.")).ToDictionaryAsync(s => s.Key, s => s.Value);
        var contact = doc.QuerySelector("#privacy-contact")!.TextContent;
        Assert.Contains(settings["Centre.Name"], contact, StringComparison.Ordinal);
        Assert.Contains(settings["Centre.Address"], contact, StringComparison.Ordinal);
        Assert.Equal("tel:" + settings["Centre.Phone"], doc.QuerySelector("#privacy-contact a")?.GetAttribute("href"));
        // Each kind of data the registration and the filing collect is named with what it is for.
        var collected = doc.QuerySelector("#privacy-collected")!.TextContent;
        foreach (var kind in new[] { "身份证号码", "统一社会信用代码", "手机号码", "上传的材料", "网络地址" })
        {
            Assert.Contains(kind, collected, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheRegistrationForm_NamesTheNotice_BeforeTheButtonThatSendsTheData_AndEveryPagesFooterLinksIt()
    {
        using var visitor = Visitor();

        var register = await new HtmlParser().ParseDocumentAsync(await visitor.GetStringAsync("/account/register"));

        var notice = register.QuerySelector("form #register-privacy-notice");
        Assert.NotNull(notice);
        Assert.Equal("privacy", notice.QuerySelector("a")?.GetAttribute("href"));
        var form = notice.Closest("form")!;
        var button = form.QuerySelector("button[type=submit]")!;
        Assert.True(notice.CompareDocumentPosition(button).HasFlag(AngleSharp.Dom.DocumentPositions.Following), "the notice comes before the button");
        foreach (var page in new[] { "/account/register", "/guide", "/lookup" })
        {
            var doc = await new HtmlParser().ParseDocumentAsync(await visitor.GetStringAsync(page));
            Assert.Contains(doc.QuerySelectorAll("#app-footer a"), a => a.GetAttribute("href") == "privacy");
        }
    }
}

/// <summary>The line beside a form that collects personal data speaks to whoever types it in.</summary>
public sealed class PrivacyNoticeLineTests
{
    [Theory]
    [InlineData(false, "您填写的个人信息仅用于办理本事项")]
    [InlineData(true, "代为填写的申请人个人信息仅用于办理本事项")]
    public async Task TheLine_AddressesTheApplicant_OrTheStaffWhoFillItInForThem(bool onBehalf, string expected)
    {
        await using var ctx = new BunitContext();

        var line = ctx.Render<Components.Shared.PrivacyNoticeLine>(p => p.Add(x => x.OnBehalf, onBehalf));

        var text = line.Find("#privacy-notice-line").TextContent.Trim();
        Assert.StartsWith(expected, text, StringComparison.Ordinal);
        Assert.Equal(onBehalf, text.EndsWith("请告知申请人。", StringComparison.Ordinal));
        Assert.Equal("_blank", line.Find("a[href='privacy']").GetAttribute("target"));
    }
}
