using Microsoft.AspNetCore.OutputCaching;

namespace ApprovalSystem.Web.Infrastructure.Cluster;

/// <summary>Registers <see cref="IClusterEvents"/> for the configured database, and the caches' subscriptions.</summary>
public static class ClusterSetup
{
    /// <summary>
    /// <c>Database:ClusterEvents</c>: <c>Notify</c> (PostgreSQL's default), <c>Poll</c> (a change table; SQL Server's default, and
    /// possible anywhere), <c>InProcess</c> (one node; SQLite's default).
    /// </summary>
    public static IServiceCollection AddClusterEvents(this IServiceCollection services, DatabaseOptions options)
    {
        var mode = options.ClusterEvents is { Length: > 0 } configured ? configured
            : options.Provider switch
            {
                DatabaseProvider.PostgreSql => "Notify",
                DatabaseProvider.SqlServer => "Poll",
                DatabaseProvider.Sqlite => "InProcess",
            };
        if (mode.Equals("Notify", StringComparison.OrdinalIgnoreCase) && options.Provider == DatabaseProvider.PostgreSql)
        {
            var cs = options.ConnectionString!;
            services.AddSingleton(sp => new PostgresClusterEvents(cs, sp.GetRequiredService<ILogger<PostgresClusterEvents>>()));
            services.AddSingleton<IClusterEvents>(sp => sp.GetRequiredService<PostgresClusterEvents>());
            services.AddHostedService<PostgresClusterListener>();
        }
        else if (mode.Equals("Poll", StringComparison.OrdinalIgnoreCase) || mode.Equals("Notify", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<PollingClusterEvents>();
            services.AddSingleton<IClusterEvents>(sp => sp.GetRequiredService<PollingClusterEvents>());
            services.AddHostedService<PollingClusterListener>();
        }
        else
        {
            services.AddSingleton<IClusterEvents, InProcessClusterEvents>();
        }

        services.AddHostedService<ClusterCacheSubscriptions>();
        return services;
    }
}

/// <summary>Connects the node-wide caches to the other nodes' changes for the life of the host.</summary>
internal sealed class ClusterCacheSubscriptions(IClusterEvents events, WorkingTimeProvider workingTime, ReferenceCache reference,
    WorkflowCatalog workflows, IOutputCacheStore? outputCache = null) : IHostedService
{
    private readonly List<IDisposable> _subscriptions = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscriptions.Add(events.Subscribe(ClusterTopics.Calendar, _ => workingTime.InvalidateHere()));
        _subscriptions.Add(events.Subscribe(ClusterTopics.Reference, prefix => reference.InvalidateHere(prefix)));
        _subscriptions.Add(events.Subscribe(ClusterTopics.Workflows, _ => workflows.ForgetCurrent()));
        if (outputCache is Http.ClusterOutputCacheStore store)
        {
            _subscriptions.Add(events.Subscribe(ClusterTopics.OutputCache, tag =>
                _ = store.EvictHereAsync(tag.Length > 0 ? tag : Http.CatalogueCache.Tag).AsTask()));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscriptions.ForEach(s => s.Dispose());
        return Task.CompletedTask;
    }
}
