using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ApprovalSystem.Web.Tests.Infrastructure;

namespace ApprovalSystem.Web.Tests.Api;

/// <summary>
/// Cross-site request forgery (issue 15, item 1; decision 0022): a state change made with the sign-in cookie must come
/// from the app's own pages or the user's own program, never from a form, image or script on another site.
/// </summary>
public sealed class CrossSiteRequestTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string Matter = TestMatters.Joint;
    private const string Evil = "http://evil.example";

    /// <summary>A signed-in session whose client sends only what a cross-site form could (no X-Requested-With).</summary>
    private async Task<HttpClient> SignedInFormClientAsync(string account)
    {
        var session = new BrowserSession(factory.CreateBrowserClient(scripted: false));
        await session.SignInAsync(account, Web.Infrastructure.Seeding.DemoAccounts.Password);
        return session.Client;
    }

    private async Task<long> DraftAsync(ApiSession citizen)
    {
        var draft = await citizen.PostOkAsync("/api/cases", new { matterCode = Matter, submit = false, formData = await TestForms.RequiredAsync(factory, Matter) });
        return draft.GetProperty("id").GetInt64();
    }

    private static async Task<string> StateAsync(ApiSession session, long id) =>
        (await session.GetOkAsync($"/api/cases/{id}")).GetProperty("state").GetString()!;

    private static HttpRequestMessage FormPost(string url, string? origin, string? fetchSite = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(new Dictionary<string, string>()) };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        return request;
    }

    [Fact]
    public async Task SubmittingADraft_FromAFormOnAnotherSite_IsRefused_AndTheDraftStaysADraft()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var id = await DraftAsync(citizen);
        var forged = await SignedInFormClientAsync("citizen");

        // What a page on evil.example makes the citizen's browser send: the cookie, a form body, its own origin.
        using var crossSite = await forged.SendAsync(FormPost($"/api/cases/{id}/submit", Evil, "cross-site"));
        // A browser that sends no Sec-Fetch-Site still names the origin.
        using var foreignOrigin = await forged.SendAsync(FormPost($"/api/cases/{id}/submit", Evil));
        // Same origin but no header a plain form could not send (e.g. a same-site page that injected a form): refused too.
        using var noHeader = await forged.SendAsync(FormPost($"/api/cases/{id}/submit", "http://localhost", "same-origin"));
        using var nullOrigin = await forged.SendAsync(FormPost($"/api/cases/{id}/submit", "null"));

        foreach (var response in new[] { crossSite, foreignOrigin, noHeader, nullOrigin })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        var problem = JsonDocument.Parse(await noHeader.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("X-Requested-With", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Draft", await StateAsync(citizen, id));

        // The app's own call (its origin, the header) goes through.
        var submitted = await citizen.PostOkAsync($"/api/cases/{id}/submit", headers: new Dictionary<string, string> { ["Origin"] = "http://localhost" });
        Assert.Equal("PreAcceptance", submitted.GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("clerk", "/api/cases/1/tasks/w1/claim")]
    [InlineData("clerk", "/api/cases/1/certificate")]
    [InlineData("admin", "/api/exchange/admin/systems/1/rotate")]
    [InlineData("admin", "/api/exchange/admin/systems/1/revoke")]
    [InlineData("admin", "/api/exchange/admin/deliveries/1/retry")]
    [InlineData("admin", "/api/supervision/scan")]
    public async Task EveryBodylessAct_WithAForeignOrigin_IsRefusedBeforeItRuns(string account, string url)
    {
        var forged = await SignedInFormClientAsync(account);

        using var response = await forged.SendAsync(FormPost(url, Evil));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("请求来源不明", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task SignOut_FromAnotherSite_OrWithoutTheFormsToken_DoesNotSignOut()
    {
        var session = new BrowserSession(factory.CreateBrowserClient());
        await session.SignInAsync("citizen", Web.Infrastructure.Seeding.DemoAccounts.Password);

        using var crossSite = await session.Client.SendAsync(FormPost("/account/logout", Evil));
        using var noToken = await session.Client.SendAsync(FormPost("/account/logout", origin: null));

        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/api/cases/mine")).StatusCode);

        // The layout's own sign-out form (with its antiforgery token) signs out.
        var page = await session.Client.GetStringAsync("/");
        var form = Regex.Match(page, "<form method=\"post\" action=\"account/logout\">[\\s\\S]*?</form>");
        Assert.True(form.Success, "the layout has no sign-out form");
        var token = Regex.Match(form.Value, "name=\"(?<name>__RequestVerificationToken)\" value=\"(?<value>[^\"]+)\"");
        Assert.True(token.Success, "the sign-out form carries no antiforgery token");
        using var signedOut = await session.Client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value),
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.Client.GetAsync("/api/cases/mine")).StatusCode);
    }

    [Fact]
    public async Task ALinkOnAnotherSite_CannotMakeASignedInBrowserReadTheApi()
    {
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        using var crossSite = new HttpRequestMessage(HttpMethod.Get, "/api/cases/mine");
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var own = new HttpRequestMessage(HttpMethod.Get, "/api/cases/mine");
        own.Headers.Add("Sec-Fetch-Site", "same-origin");

        using var refused = await clerk.Client.SendAsync(crossSite);
        using var served = await clerk.Client.SendAsync(own);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task TheBlazorHub_RefusesAForeignOrigin_AndServesItsOwn()
    {
        using var client = factory.CreateBrowserClient();
        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        foreign.Headers.Add("Origin", Evil);
        using var own = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        own.Headers.Add("Origin", "http://localhost");
        // The WebSocket upgrade itself is a GET: cross-site WebSocket hijacking sends the victim's cookie with it.
        using var upgrade = new HttpRequestMessage(HttpMethod.Get, "/_blazor?id=x");
        upgrade.Headers.Add("Origin", Evil);

        using var refused = await client.SendAsync(foreign);
        using var served = await client.SendAsync(own);
        using var hijack = await client.SendAsync(upgrade);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, hijack.StatusCode);
    }
}
