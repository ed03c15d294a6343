using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ApprovalSystem.Web.Features.Supervision;
using ApprovalSystem.Web.Infrastructure.Observability;
using ApprovalSystem.Web.Infrastructure.Security;
using ApprovalSystem.Web.Infrastructure.Seeding;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ApprovalSystem.Web.Tests.Observability;

/// <summary>The app with its client address taken from a test header, and every log record collected.</summary>
public sealed class ObservedAppFactory : AppFactory
{
    protected override bool FromTemplate => true; // settings of its own, the same first start

    public const string AddressHeader = "X-Test-Remote-Address";

    public FakeLogCollector Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Observability:MetricsAllowedFrom", "127.0.0.1, 10.8.0.0/16");
        builder.UseSetting($"Logging:LogLevel:{SecurityLog.Category}", "Information");
        builder.ConfigureLogging(logging => logging.AddProvider(new FakeLoggerProvider(Logs)));
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, RemoteAddressFromHeader>());
    }

    /// <summary>A client that comes from <paramref name="address"/>.</summary>
    public HttpClient From(string address)
    {
        var client = CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(AddressHeader, address);
        return client;
    }

    private sealed class RemoteAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[AddressHeader].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>
/// Runs alone: OpenTelemetry's meter provider listens to every meter named "ApprovalSystem" in the process, so another test host
/// running beside this one (and then stopping) would come and go in this host's scrape. One host per process in production.
/// </summary>
[CollectionDefinition(nameof(ObservabilityTests), DisableParallelization = true)]
public sealed class RunsAlone;

/// <summary>
/// Operators see the app's metrics and health (decision 0044): /metrics and /health/details only from configured addresses or
/// for administrators, the domain's counters move with the acts, the dashboard charts only what is exported, and personal data
/// in the log is masked by the logging pipeline.
/// </summary>
[Collection(nameof(ObservabilityTests))]
public sealed class ObservabilityTests(ObservedAppFactory factory) : IClassFixture<ObservedAppFactory>
{
    private const string Matter = "330799-SCJG-011";

    private async Task<string> ScrapeAsync()
    {
        using var response = await factory.From("127.0.0.1").GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of a metric's series whose labels contain every one of <paramref name="labels"/> (0 when none).</summary>
    private static double Value(string scrape, string metric, params string[] labels) =>
        scrape.Split('\n')
            .Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal))
            .Where(l => labels.All(x => l.Contains(x, StringComparison.Ordinal)))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    private async Task FileACaseAsync()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        await citizen.PostOkAsync("/api/cases", new { matterCode = Matter, submit = true, formData = await TestForms.RequiredAsync(factory, Matter) });
    }

    private async Task ScanAsync()
    {
        using var scope = factory.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<ScanJob>().ScanAsync();
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/health/details")]
    public async Task OperatorAddresses_FromAForeignAddress_AreNotFoundForVisitors_ForbiddenToStaff_AndServedToAdministrators(string path)
    {
        using var anonymous = await factory.From("203.0.113.7").GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
        Assert.DoesNotContain("approval_", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        foreach (var (account, expected) in new[] { ("clerk", HttpStatusCode.Forbidden), ("admin", HttpStatusCode.OK) })
        {
            var browser = new BrowserSession(factory.CreateBrowserClient());
            browser.Client.DefaultRequestHeaders.Add(ObservedAppFactory.AddressHeader, "203.0.113.7");
            await browser.SignInAsync(account, DemoAccounts.Password);
            using var response = await browser.Client.GetAsync(path);
            Assert.Equal(expected, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.8.3.4")]
    public async Task Metrics_FromAConfiguredAddress_AreServedWithoutSignIn(string address)
    {
        using var response = await factory.From(address).GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("approval_cases_filed_total", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var neighbour = await factory.From("10.9.0.1").GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, neighbour.StatusCode);
    }

    [Fact]
    public async Task OperatorAddresses_AreNotInTheOpenApiDocument()
    {
        var document = await factory.CreateClient().GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/", document, StringComparison.Ordinal);
        Assert.DoesNotContain("\"/metrics\"", document, StringComparison.Ordinal);
        Assert.DoesNotContain("\"/health", document, StringComparison.Ordinal);
    }

    /// <summary>
    /// Scrapes until <paramref name="done"/> holds: the exporter answers a scrape from a copy it keeps for 300 ms, so a scrape
    /// right after an act may not show it yet. Gives up after ten seconds.
    /// </summary>
    private async Task<string> ScrapeUntilAsync(Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var scrape = await ScrapeAsync();
            if (done(scrape) || DateTime.UtcNow > deadline)
            {
                return scrape;
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task FilingACase_RaisesTheFiledCounterAndTheSubmitAct_AndTheScrapeShowsThem()
    {
        var meters = factory.Services.GetRequiredService<IMeterFactory>();
        using var filed = new MetricCollector<long>(meters, AppMetrics.MeterName, "approval.cases.filed");
        using var acts = new MetricCollector<long>(meters, AppMetrics.MeterName, "approval.case.acts");

        await FileACaseAsync();

        var filing = Assert.Single(filed.GetMeasurementSnapshot(), m => m.Value > 0);
        Assert.Equal(1, filing.Value);
        Assert.Equal("Online", filing.Tags["channel"]);
        Assert.Contains(acts.GetMeasurementSnapshot(), m => m.Value == 1 && Equals(m.Tags["act"], "Submit"));
        var scrape = await ScrapeUntilAsync(s => Value(s, "approval_cases_filed_total", "channel=\"Online\"") >= 1);
        Assert.True(Value(scrape, "approval_cases_filed_total", "channel=\"Online\"") >= 1);
        Assert.True(Value(scrape, "approval_case_acts_total", "act=\"Submit\"") >= 1);
    }

    [Fact]
    public async Task ASupervisionScan_IsRecordedInTheDurationHistogram_AndTheScrapeShowsIt()
    {
        using var durations = new MetricCollector<double>(factory.Services.GetRequiredService<IMeterFactory>(), AppMetrics.MeterName,
            "approval.supervision.scan.duration");

        await ScanAsync();

        Assert.True(Assert.Single(durations.GetMeasurementSnapshot()).Value > 0);
        var scrape = await ScrapeUntilAsync(s => Value(s, "approval_supervision_scan_duration_seconds_count") >= 1);
        Assert.True(Value(scrape, "approval_supervision_scan_duration_seconds_count") >= 1);
        Assert.Contains("approval_supervision_cards_total{", scrape, StringComparison.Ordinal); // every colour from zero
        Assert.Contains("approval_exchange_outbox_messages{", scrape, StringComparison.Ordinal);
    }

    /// <summary>The metric names a PromQL expression reads: what is left once labels, ranges, groupings, functions and numbers are out.</summary>
    internal static IEnumerable<string> MetricsOf(string expr)
    {
        var bare = Regex.Replace(expr, @"\{[^}]*\}|\[[^\]]*\]|\b(?:by|without)\s*\([^)]*\)|""[^""]*""", " ");
        return Regex.Matches(bare, @"[A-Za-z_:][A-Za-z0-9_:]*").Select(m => m.Value).Where(t => !PromQl.Contains(t));
    }

    private static readonly HashSet<string> PromQl =
    [
        "sum", "avg", "min", "max", "count", "rate", "irate", "increase", "histogram_quantile", "by", "without", "on", "ignoring",
        "and", "or", "unless", "topk", "bottomk", "clamp_min", "clamp_max", "abs", "delta", "deriv", "time", "vector", "scalar", "offset",
    ];

    [Fact]
    public async Task TheGrafanaDashboard_ChartsOnlyMetricsTheAppExports()
    {
        var path = Path.Combine(RepositoryRoot(), "deploy", "grafana", "approval-system.json");
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!)).ToList();
        var charted = expressions.SelectMany(MetricsOf).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("approval_cases_filed_total", charted);
        Assert.Contains("http_server_request_duration_seconds_bucket", charted);

        await FileACaseAsync(); // an act and HTTP requests
        await ScanAsync();
        var scrape = await ScrapeUntilAsync(s => s.Contains("approval_supervision_scan_duration_seconds_bucket", StringComparison.Ordinal)
            && s.Contains("http_server_request_duration_seconds_bucket", StringComparison.Ordinal));
        var exported = scrape.Split('\n').Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l[..l.IndexOfAny(['{', ' '])]).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(charted.Except(exported));
    }

    [Fact]
    public async Task PublicHealth_SaysOnlyTheStatus_TheOperatorsAnswerNamesDatabaseHangfireAndFont()
    {
        using var health = await factory.From("203.0.113.7").GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());

        using var details = JsonDocument.Parse(await factory.From("127.0.0.1").GetStringAsync("/health/details"));
        var entries = details.RootElement.GetProperty("entries");
        foreach (var name in new[] { "database", "hangfire", "font" })
        {
            Assert.Equal("Healthy", entries.GetProperty(name).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task AnIdNumberLoggedAsPersonalData_IsMaskedByTheLoggingPipeline_AStaffAccountNameIsKept()
    {
        const string IdNumber = "330102199003071234";
        var logger = factory.Services.GetRequiredService<ILoggerFactory>().CreateLogger(SecurityLog.Category);
        SecurityLog.SignInSucceeded(logger, IdNumber, "198.51.100.4", "password");
        SecurityLog.SignInSucceeded(logger, "clerk2", "198.51.100.4", "password");

        var entries = factory.Logs.GetSnapshot().Where(r => r.Id.Name == "SignInSucceeded" && r.Message.Contains("198.51.100.4", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.DoesNotContain(IdNumber, e.Message, StringComparison.Ordinal));
        Assert.Contains(entries, e => e.StructuredState!.Any(p => p.Key == "User" && p.Value == "3301**********1234"));
        Assert.Contains(entries, e => e.StructuredState!.Any(p => p.Key == "User" && p.Value == "clerk2"));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ApprovalSystem.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ApprovalSystem.sln not found above " + AppContext.BaseDirectory);
    }
}
