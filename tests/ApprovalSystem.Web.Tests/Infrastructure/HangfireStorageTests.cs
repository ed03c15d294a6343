using ApprovalSystem.Web.Features.Exchange.Outbound;
using ApprovalSystem.Web.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalSystem.Web.Tests.Infrastructure;

/// <summary>Hangfire's own storage holds process-wide state (JobStorage.Current): a host on another storage runs alone.</summary>
[CollectionDefinition(nameof(AloneWithHangfire), DisableParallelization = true)]
public sealed class AloneWithHangfire;

/// <summary>The README's PostgreSQL start line starts the app (issue 17 item 1).</summary>
[Collection(nameof(AloneWithHangfire))]
public sealed class HangfireStorageTests
{
    private static readonly DatabaseOptions Postgres = new() { Provider = DatabaseProvider.PostgreSql, ConnectionString = "Host=db;Database=approval" };

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void AnEmptyOrBlankHangfireConnection_MeansTheDatabases(string? own)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Hangfire:ConnectionString"] = own }).Build();

        Assert.Equal(Postgres.ConnectionString, HangfireSetup.StorageConnection(configuration, Postgres));
    }

    [Fact]
    public void HangfiresOwnConnection_WinsWhenSet()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Hangfire:ConnectionString"] = "Host=jobs" }).Build();

        Assert.Equal("Host=jobs", HangfireSetup.StorageConnection(configuration, Postgres));
    }

    /// <summary>
    /// Database__Provider=PostgreSql, Database__ConnectionString and Hangfire__Storage=PostgreSql, nothing else, over the root
    /// appsettings.json (which lists Hangfire:ConnectionString as ""). On PostgreSQL runs the host starts and its recurring jobs
    /// are in the database's Hangfire schema; on SQLite runs the same configuration resolves to the database's connection.
    /// </summary>
    [Fact]
    public async Task TheReadmePostgreSqlStartLine_StartsWithHangfireOnTheDatabase()
    {
        if (!AppFactory.IsPostgres)
        {
            var root = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.root.json"))
                .AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Database:Provider"] = "PostgreSql",
                    ["Database:ConnectionString"] = "Host=db;Database=approval;Username=app",
                    ["Hangfire:Storage"] = "PostgreSql",
                }).Build();
            Assert.Equal("", root["Hangfire:ConnectionString"]); // the root file's empty value, the one that crashed
            Assert.Equal("Host=db;Database=approval;Username=app", HangfireSetup.StorageConnection(root, root.ReadDatabaseOptions(Path.GetTempPath())));
            return;
        }

        // The database exists and is migrated (as the README has the operator do first); then a node starts with the README's
        // settings: AppFactory sets Database:Provider and Database:ConnectionString, the README adds only Hangfire:Storage.
        var migrated = new NodeFactory();
        _ = migrated.Services;
        await migrated.DisposeAsync();
        using var node = migrated.SecondNode(new Dictionary<string, string?> { ["Hangfire:Storage"] = "PostgreSql" });
        var storage = node.Services.GetRequiredService<JobStorage>();

        Assert.Contains("PostgreSql", storage.GetType().FullName, StringComparison.Ordinal);
        using var connection = storage.GetConnection();
        Assert.Contains(connection.GetRecurringJobs(), j => j.Id == WebhookDeliveryJob.Id);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await node.CreateClient().GetAsync("/health")).StatusCode);
    }
}
