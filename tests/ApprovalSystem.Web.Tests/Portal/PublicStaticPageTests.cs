using System.Net;
using ApprovalSystem.Web.Features.Cases.Queries;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ApprovalSystem.Web.Tests.Portal;

/// <summary>
/// The public pages a visitor opens render statically (no live connection): the home page, the lookup (a form posted to
/// the server, guarded against guessing) and a certificate's check. 长辈版 comes with the HTML from its cookie, and the
/// output cache keeps the two versions of a page apart.
/// </summary>
public sealed class PublicStaticPageTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private static bool IsInteractive(string html) => html.Contains("\"type\":\"server\"", StringComparison.Ordinal);

    private const string ElderHtml = "<html lang=\"zh-CN\" class=\"elder\">";

    [Fact]
    public async Task VisitorsHomeLookupAndVerify_AreStatic_ButASignedInHomeIsInteractive()
    {
        using var visitor = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        foreach (var path in new[] { "/", "/lookup", "/verify/0123456789abcdef0123" })
        {
            var html = await visitor.GetStringAsync(path);
            Assert.False(IsInteractive(html), $"{path} opened a live connection for a visitor");
            Assert.Contains("<meta name=\"description\" content=\"云溪县", html, StringComparison.Ordinal);
            Assert.Contains("rel=\"icon\"", html, StringComparison.Ordinal);
        }

        var citizen = new BrowserSession(factory.CreateBrowserClient());
        await citizen.SignInAsync("citizen", ApprovalSystem.Web.Infrastructure.Seeding.DemoAccounts.Password);
        Assert.True(IsInteractive(await citizen.Client.GetStringAsync("/")));
    }

    [Fact]
    public async Task Lookup_PostedForm_ShowsTheProgress_AndSaysWhatIsNotYetKnown_ThenBlocksGuessing()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var form = await TestForms.RequiredAsync(factory, TestMatters.Joint);
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = TestMatters.Joint, submit = true, formData = form });
        var number = filed.GetProperty("number").GetString()!;
        var code = filed.GetProperty("queryCode").GetString()!;
        var wrong = code == "000000" ? "111111" : "000000";
        var visitor = new BrowserSession(factory.CreateBrowserClient(scripted: false));

        async Task<string> LookUpAsync(string c)
        {
            using var response = await visitor.SubmitFormAsync("/lookup", new Dictionary<string, string> { ["Input.Number"] = number, ["Input.Code"] = c });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        var found = await LookUpAsync(code);
        Assert.Contains("id=\"lookup-result\"", found, StringComparison.Ordinal);
        Assert.Contains(number, found, StringComparison.Ordinal);
        Assert.Contains("尚未受理", found, StringComparison.Ordinal); // filed, not yet accepted: said, not left blank
        Assert.Contains("受理后计算", found, StringComparison.Ordinal);

        for (var i = 0; i < LookupGuard.ClientLimit; i++)
        {
            Assert.Contains("id=\"lookup-none\"", await LookUpAsync(wrong), StringComparison.Ordinal);
        }

        var held = await LookUpAsync(code);
        Assert.Contains(LookupGuard.BlockedMessage, held, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"lookup-result\"", held, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ElderMode_ComesWithTheHtml_FromItsCookie_AndTheCacheKeepsBothVersionsApart()
    {
        using var visitor = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        const string path = "/guide/330799-SCJG-010";

        async Task<string> GetAsync(bool elder)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (elder)
            {
                request.Headers.Add("Cookie", "elder-mode=1");
            }

            using var response = await visitor.SendAsync(request);
            return await response.Content.ReadAsStringAsync();
        }

        Assert.Contains(ElderHtml, await GetAsync(elder: true), StringComparison.Ordinal);
        Assert.DoesNotContain(ElderHtml, await GetAsync(elder: false), StringComparison.Ordinal);
        Assert.Contains(ElderHtml, await GetAsync(elder: true), StringComparison.Ordinal);
        Assert.DoesNotContain(ElderHtml, await GetAsync(elder: false), StringComparison.Ordinal);
    }
}
