using ApprovalSystem.Web.Infrastructure.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ApprovalSystem.Web.Tests.Observability;

/// <summary>Each health entry turns Unhealthy when what it watches is gone (decision 0044).</summary>
public sealed class HealthEntryTests
{
    private static HealthCheckContext Context(IHealthCheck check) =>
        new() { Registration = new HealthCheckRegistration("entry", check, HealthStatus.Unhealthy, null) };

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public async Task Font_WithTheConfiguredFileMissingAndNoSystemFont_IsUnhealthy()
    {
        var check = new FontHealthCheck(["/nonexistent/simhei.ttf"], []);
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(Context(check))).Status);
    }

    [Fact]
    public async Task Font_WithTheConfiguredFileMissingButASystemFont_IsDegraded_AndWithIt_Healthy()
    {
        var system = Web.Documents.CjkFont.Candidates.Where(File.Exists).ToList();
        Assert.NotEmpty(system); // the test machine has a CJK font, as the document tests need

        var fallback = new FontHealthCheck(["/nonexistent/simhei.ttf"], system);
        Assert.Equal(HealthStatus.Degraded, (await fallback.CheckHealthAsync(Context(fallback))).Status);
        var configured = new FontHealthCheck([system[0]], []);
        Assert.Equal(HealthStatus.Healthy, (await configured.CheckHealthAsync(Context(configured))).Status);
    }

    [Fact]
    public async Task Hangfire_WhenItsStorageFails_IsUnhealthy()
    {
        var check = new HangfireHealthCheck(new BrokenStorage(), Settings(("Hangfire:Server", "false")), TimeProvider.System);
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(Context(check))).Status);
    }

    private sealed class BrokenStorage : Hangfire.JobStorage
    {
        public override Hangfire.Storage.IMonitoringApi GetMonitoringApi() => throw new InvalidOperationException("storage down");

        public override Hangfire.Storage.IStorageConnection GetConnection() => throw new InvalidOperationException("storage down");
    }

    [Theory]
    [InlineData("330102199003071234", "3301**********1234")]
    [InlineData("13812345678", "138****5678")]
    [InlineData("张小明", "张*明")]
    [InlineData("clerk2", "clerk2")]
    public void PersonalDataRedactor_MasksIdNumbersMobilesAndNames_AsThePagesDo(string value, string expected) =>
        Assert.Equal(expected, PersonalDataRedactor.Mask(value));
}
