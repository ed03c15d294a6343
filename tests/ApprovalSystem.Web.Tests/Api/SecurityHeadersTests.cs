using System.Net;
using System.Text.RegularExpressions;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace ApprovalSystem.Web.Tests.Api;

/// <summary>Security headers on every kind of answer (issue 15, item 4; decision 0022).</summary>
public sealed partial class SecurityHeadersTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content) : "";

    private static Dictionary<string, string> Directives(string csp) => csp.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(d => d.Split(' ', 2)).ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "");

    [Fact]
    public async Task APage_RestrictsScriptsToTheSiteItself_AndCannotBeFramed()
    {
        var session = await ApiSession.SignInAsync(factory, "citizen");

        using var page = await session.Client.GetAsync("/my/cases");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csp = Directives(Header(page, "Content-Security-Policy"));
        Assert.Equal("'self'", csp["script-src"]); // no 'unsafe-inline', no 'unsafe-eval', no other host
        Assert.Equal("'self'", csp["default-src"]);
        Assert.Equal("'none'", csp["object-src"]);
        Assert.Equal("'none'", csp["frame-ancestors"]);
        Assert.Equal("'self'", csp["form-action"]);
        Assert.Equal("'self' http://127.0.0.1:18199", csp["connect-src"]); // and the applicant's local signing agent (decision 0053)
        Assert.Equal("nosniff", Header(page, "X-Content-Type-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(page, "Referrer-Policy"));
        Assert.Contains("camera=()", Header(page, "Permissions-Policy"), StringComparison.Ordinal);
        Assert.Contains("geolocation=()", Header(page, "Permissions-Policy"), StringComparison.Ordinal);
        Assert.Equal("", Header(page, "Server"));

        // The policy blocks every inline script: the page must have none of its own (Blazor's and MudBlazor's come from files).
        var scripts = ScriptTag().Matches(html).Select(m => m.Value).ToList();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, s => Assert.Contains(" src=", s, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApiAnswers_Downloads_AndStaticFiles_AreNotSniffed()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = TestMatters.Joint, submit = true, formData = await TestForms.RequiredAsync(factory, TestMatters.Joint) });
        await factory.RenderDocumentsAsync();

        using var json = await citizen.Client.GetAsync("/api/cases/mine");
        using var pdf = await citizen.Client.GetAsync($"/api/cases/{filed.GetProperty("id").GetInt64()}/documents/receipt");
        using var problem = await citizen.Client.GetAsync("/api/cases/999999999");
        using var css = await citizen.Client.GetAsync("/app.css");

        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        foreach (var response in new[] { json, pdf, problem, css })
        {
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        }

        // Answers with personal data are kept by no cache (ASVS 14.3.2).
        Assert.Contains("no-store", Header(json, "Cache-Control"), StringComparison.Ordinal);
        Assert.Contains("no-store", Header(problem, "Cache-Control"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryStylesheetAndScriptOfAPage_IsKeptForAYear_SoNoPageWaitsToAskForThemAgain()
    {
        var session = await ApiSession.SignInAsync(factory, "citizen");
        using var page = await session.Client.GetAsync("/my/cases");
        var files = Asset().Matches(await page.Content.ReadAsStringAsync()).Select(m => m.Groups[1].Value).Distinct().ToList();

        // Decision 0068: a stylesheet the browser asked for again on every page held each page's first paint until the answer came.
        Assert.Contains(files, f => f.StartsWith("_content/MudBlazor/MudBlazor.min.css?v=", StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith("_content/MudBlazor/MudBlazor.min.js?v=", StringComparison.Ordinal));
        Assert.True(files.Count >= 8, string.Join(", ", files));
        foreach (var file in files)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/" + file);
            request.Headers.AcceptEncoding.ParseAdd("br");
            using var answer = await session.Client.SendAsync(request);
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{file}: {answer.StatusCode}");
            Assert.Contains("max-age=31536000", Header(answer, "Cache-Control"), StringComparison.Ordinal);
            Assert.Contains("immutable", Header(answer, "Cache-Control"), StringComparison.Ordinal);
            if (file.StartsWith("_content/MudBlazor/", StringComparison.Ordinal))
            {
                Assert.Equal("br", Header(answer, "Content-Encoding")); // the plain names keep their brotli copies (decision 0032)
            }
        }

        // Another version (a page cached from before an upgrade) is not kept: the browser asks again.
        using var old = await session.Client.GetAsync("/_content/MudBlazor/MudBlazor.min.css?v=0.0.1");
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.DoesNotContain("immutable", Header(old, "Cache-Control"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApiDescription_IsOffInProduction_UnlessConfigured()
    {
        using var production = new ProductionFactory(openApi: false);
        using var configured = new ProductionFactory(openApi: true);

        using var hidden = await production.CreateClient().GetAsync("/openapi/v1.json");
        using var shown = await configured.CreateClient().GetAsync("/openapi/v1.json");
        using var development = await factory.CreateClient().GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, development.StatusCode);
    }

    [Fact]
    public async Task InProduction_OverHttps_HstsIsAYearWithSubdomains_AndTheSignInCookieIsSecure_HttpOnly_SameSite()
    {
        using var production = new ProductionFactory(openApi: false);
        // The browser speaks HTTPS (to the proxy, which forwards the scheme; here to the test server directly).
        var session = new BrowserSession(production.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://yunxi.example"), AllowAutoRedirect = false, HandleCookies = true,
        }));
        using var login = await session.Client.GetAsync("/account/login");
        Assert.Contains("登录", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("max-age=31536000; includeSubDomains", Header(login, "Strict-Transport-Security")); // ASVS 3.4.1

        using var response = await session.SubmitFormAsync("/account/login", new Dictionary<string, string>
        {
            ["Input.Account"] = ProductionFactory.Admin, ["Input.Password"] = ProductionFactory.AdminPassword,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("approval.auth=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("; secure", cookie, StringComparison.Ordinal);
        Assert.Contains("; httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("; samesite=lax", cookie, StringComparison.Ordinal);
    }

    private sealed class ProductionFactory(bool openApi) : AppFactory
    {
        public const string Admin = "root-admin";

        public const string AdminPassword = "yunxi-bootstrap-2026";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
            builder.UseSetting("Bootstrap:AdminUserName", Admin);
            builder.UseSetting("Bootstrap:AdminPassword", AdminPassword);
            builder.UseSetting("OpenApi:Enabled", openApi ? "true" : "false");
            builder.UseSetting("Database:MigrateOnStart", "true");
        }
    }

    [GeneratedRegex(@"(?:href|src)=""([^""]+\.(?:css|js)(?:\?[^""]*)?)""")]
    private static partial Regex Asset();

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();
}
