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
        var connection = configuration["Hangfire:ConnectionString"] ?? database.ConnectionString;
        services.AddHangfire(config =>
        {
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
