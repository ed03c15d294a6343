using ApprovalSystem.Core.Identity;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;

namespace ApprovalSystem.Web.Infrastructure;

public static class HangfireSetup
{
    /// <summary>
    /// In-memory storage for the embedded default (the state that matters is in the database and
    /// the jobs re-derive it); SQL Server or PostgreSQL storage when configured (Hangfire:Storage).
    /// </summary>
    public static IServiceCollection AddAppHangfire(this IServiceCollection services, IConfiguration configuration, DatabaseOptions database)
    {
        var storage = configuration["Hangfire:Storage"] ?? "InMemory";
        var connection = StorageConnection(configuration, database);
        services.AddHangfire((provider, config) =>
        {
            config.UseLogProvider(new HostLogProvider(provider.GetRequiredService<ILoggerFactory>()));
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
            switch (storage.ToUpperInvariant())
            {
                case "SQLSERVER":
                    config.UseSqlServerStorage(connection);
                    break;
                case "POSTGRESQL":
                    config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connection));
                    break;
                case "INMEMORY":
                    config.UseInMemoryStorage();
                    break;
                default:
                    throw new InvalidOperationException($"Hangfire:Storage \"{storage}\" is not one of InMemory, SqlServer, PostgreSql.");
            }
        });
        if (configuration.GetValue("Hangfire:Server", true))
        {
            services.AddHangfireServer(o => o.WorkerCount = Math.Max(2, Environment.ProcessorCount));
        }

        return services;
    }

    /// <summary>
    /// Hangfire's own connection string, or the database's when it is not set: the root appsettings.json lists the key with
    /// "" so an operator sees it, and an empty or blank value means "not set" (issue 17 item 1: <c>??</c> took "" and the
    /// README's PostgreSQL start line died with "The ConnectionString property has not been initialized").
    /// </summary>
    public static string? StorageConnection(IConfiguration configuration, DatabaseOptions database) =>
        configuration["Hangfire:ConnectionString"] is { } own && !string.IsNullOrWhiteSpace(own) ? own : database.ConnectionString;

    /// <summary>The dashboard is for administrators, decided by role (not by "local requests only").</summary>
    public sealed class AdministratorsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context)
        {
            var user = context.GetHttpContext().User;
            return user.Identity?.IsAuthenticated == true && user.IsInRole(Roles.Administrator);
        }
    }
}

/// <summary>
/// Hangfire keeps one log provider for the whole process (a static), set by the last host that configured it: this host's logger
/// factory behind it, and a silent logger instead of a failure when that factory belongs to a host already stopped — several hosts
/// in one test run started jobs against a disposed factory (HangfireIO/Hangfire#2147). One host per process in production.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory factory) : Hangfire.Logging.ILogProvider
{
    private readonly Hangfire.AspNetCore.AspNetCoreLogProvider _inner = new(factory);

    public Hangfire.Logging.ILog GetLogger(string name)
    {
        try
        {
            return _inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : Hangfire.Logging.ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
