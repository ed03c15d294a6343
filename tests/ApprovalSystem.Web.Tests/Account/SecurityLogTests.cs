using System.Net;
using System.Text.RegularExpressions;
using ApprovalSystem.Web.Infrastructure.Security;
using ApprovalSystem.Web.Infrastructure.Seeding;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace ApprovalSystem.Web.Tests.Account;

/// <summary>
/// Security events reach the technical log under their own category, saying who, from where and what, and never the
/// password or a whole ID number (ASVS 16.3.1–16.3.3, 16.2.5; decision 0035).
/// </summary>
public sealed class SecurityLogTests(SecurityLogTests.LoggingFactory factory) : IClassFixture<SecurityLogTests.LoggingFactory>
{
    /// <summary>The app with every log record of the security category collected.</summary>
    public sealed class LoggingFactory : AppFactory
    {
        public FakeLogCollector Logs { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting($"Logging:LogLevel:{SecurityLog.Category}", "Information");
            builder.ConfigureLogging(logging => logging.AddProvider(new FakeLoggerProvider(Logs)));
        }
    }

    private List<FakeLogRecord> Security(string eventName) =>
        [.. factory.Logs.GetSnapshot().Where(r => r.Category == SecurityLog.Category && r.Id.Name == eventName)];

    private static string Field(FakeLogRecord record, string name) =>
        record.StructuredState?.FirstOrDefault(p => p.Key == name).Value ?? "";

    [Fact]
    public async Task SignInAttempts_AreLogged_WithAccountAndAddress_ButNeverThePasswordOrAWholeIdNumber()
    {
        const string WrongPassword = "Wrong-Secret-4711";
        const string TypedIdNumber = "330102199003071234";
        var browser = new BrowserSession(factory.CreateBrowserClient());

        using var wrong = await browser.SubmitFormAsync("/account/login",
            new Dictionary<string, string> { ["Input.Account"] = "clerk2", ["Input.Password"] = WrongPassword });
        using var unknown = await browser.SubmitFormAsync("/account/login",
            new Dictionary<string, string> { ["Input.Account"] = TypedIdNumber, ["Input.Password"] = WrongPassword });
        await browser.SignInAsync("clerk2", DemoAccounts.Password);

        var failed = Security("SignInFailed");
        var wrongEntry = Assert.Single(failed, r => Field(r, "Account") == "clerk2");
        Assert.Equal("wrong-password", Field(wrongEntry, "Reason"));
        Assert.Equal(LogLevel.Warning, wrongEntry.Level);
        Assert.False(string.IsNullOrEmpty(Field(wrongEntry, "Address")));
        var unknownEntry = Assert.Single(failed, r => Field(r, "Reason") == "unknown-account" && Field(r, "Account").StartsWith("33", StringComparison.Ordinal));
        Assert.DoesNotContain(TypedIdNumber, unknownEntry.Message, StringComparison.Ordinal);

        Assert.Contains(Security("SignInSucceeded"), r => Field(r, "User") == "clerk2");
        Assert.All(factory.Logs.GetSnapshot(), r =>
        {
            Assert.DoesNotContain(WrongPassword, r.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(DemoAccounts.Password, r.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(TypedIdNumber, r.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task RefusedRequests_AreLogged_ByStatusUserAndPath_AndAForeignOriginAsItsOwnEvent()
    {
        var anonymous = factory.CreateBrowserClient();
        using var unauthenticated = await anonymous.GetAsync("/api/cases/mine");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);

        var citizen = new BrowserSession(factory.CreateBrowserClient());
        await citizen.SignInAsync("citizen", DemoAccounts.Password);
        using var forbidden = await citizen.Client.GetAsync("/api/journal/verify");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        using var forged = new HttpRequestMessage(HttpMethod.Post, "/api/supervision/scan")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>()),
        };
        forged.Headers.Add("Origin", "http://evil.example");
        using var crossSite = await citizen.Client.SendAsync(forged);
        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);

        var refused = Security("AccessRefused");
        Assert.Contains(refused, r => Field(r, "Status") == "401" && Field(r, "Path") == "/api/cases/mine" && Field(r, "User") == "-");
        Assert.Contains(refused, r => Field(r, "Status") == "403" && Field(r, "Path") == "/api/journal/verify" && Field(r, "User") == "citizen");
        var origin = Assert.Single(Security("CrossSiteRefused"), r => Field(r, "Path") == "/api/supervision/scan");
        Assert.Equal("http://evil.example", Field(origin, "Origin"));
        Assert.DoesNotContain(refused, r => Field(r, "Path") == "/api/supervision/scan"); // one event for one refusal
    }

    [Fact]
    public async Task SigningOut_AndChangingThePassword_AreLogged()
    {
        var officer = new BrowserSession(factory.CreateBrowserClient());
        await officer.SignInAsync("officer.scjg", DemoAccounts.Password);
        using var refusedChange = await officer.SubmitFormAsync("/account/password",
            new Dictionary<string, string> { ["Input.Current"] = "not-my-password", ["Input.New"] = "Another#Strong2026x", ["Input.Confirm"] = "Another#Strong2026x" },
            "password");
        var page = await officer.Client.GetStringAsync("/");
        var token = Regex.Match(page, "action=\"account/logout\">[\\s\\S]*?name=\"__RequestVerificationToken\" value=\"(?<value>[^\"]+)\"");
        Assert.True(token.Success, "the layout's sign-out form and its token");
        using var signOut = await officer.Client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups["value"].Value),
        }));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        Assert.Contains(Security("CredentialChangeFailed"), r => Field(r, "User") == "officer.scjg" && Field(r, "Change").StartsWith("password", StringComparison.Ordinal));
        Assert.Contains(Security("SignedOut"), r => Field(r, "User") == "officer.scjg");
    }

    [Fact]
    public void OutsideDevelopment_TheConsoleLogIsJson_WithUtcTimestamps()
    {
        using var production = new ProductionLogFactory();
        var console = production.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        var json = production.Services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue;
        Assert.Equal(ConsoleFormatterNames.Json, console.FormatterName);
        Assert.True(json.UseUtcTimestamp);
        Assert.False(string.IsNullOrEmpty(json.TimestampFormat));

        var development = factory.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        Assert.NotEqual(ConsoleFormatterNames.Json, development.FormatterName); // a developer reads the plain lines
    }

    private sealed class ProductionLogFactory : AppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
            builder.UseSetting("Bootstrap:AdminUserName", "root-admin");
            builder.UseSetting("Bootstrap:AdminPassword", "yunxi-bootstrap-2026");
            builder.UseSetting("Database:MigrateOnStart", "true");
        }
    }
}
