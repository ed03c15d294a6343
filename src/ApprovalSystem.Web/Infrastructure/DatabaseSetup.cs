using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using ApprovalSystem.Web.Infrastructure.Cluster;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>The database providers the system runs on, chosen by <c>Database:Provider</c>.</summary>
public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
    SqlServer,
}

public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Connection string; for SQLite, empty means a file under the data folder.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply migrations at start. Always on in Development; production applies them explicitly.</summary>
    public bool MigrateOnStart { get; set; }

    /// <summary>How nodes tell each other of changes: Notify (PostgreSQL), Poll (a change table), InProcess; empty: the provider's default.</summary>
    public string? ClusterEvents { get; set; }
}

public static class DatabaseSetup
{
    public static DatabaseOptions ReadDatabaseOptions(this IConfiguration configuration, string dataFolder)
    {
        var options = configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (options.Provider == DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            options.ConnectionString = $"Data Source={Path.Combine(dataFolder, "approval.db")}";
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new InvalidOperationException($"Database:ConnectionString must be set for the {options.Provider} provider "
                + "(appsettings.json or the environment variable Database__ConnectionString).");
        }

        return options;
    }

    public static IServiceCollection AddAppDatabase(this IServiceCollection services, DatabaseOptions options)
    {
        var cs = options.ConnectionString!;
        services.AddClusterEvents(options);
        return options.Provider switch
        {
            DatabaseProvider.Sqlite => services
                .AddHostedService(sp => new SqliteCheckpointer(cs, sp.GetRequiredService<ILogger<SqliteCheckpointer>>()))
                .AddSingleton(_ =>
                {
                    var acts = new DbContextOptionsBuilder<SqliteAppDbContext>();
                    ConfigureSqlite(acts, cs);
                    return new Persistence.SqliteActContexts(() => new SqliteAppDbContext(acts.Options));
                })
                .AddAppDatabase<SqliteAppDbContext>(o => ConfigureSqlite(o, cs)),
            DatabaseProvider.PostgreSql => services.AddAppDatabase<PostgresAppDbContext>(o => o.UseNpgsql(PostgresConnectionString(cs))),
            DatabaseProvider.SqlServer => services.AddAppDatabase<SqlServerAppDbContext>(o => o.UseSqlServer(cs)),
        };
    }

    /// <summary>
    /// The app's PostgreSQL connections, tuned for many short statements unless the connection string says otherwise:
    /// <list type="bullet">
    /// <item>PostgreSQL plans every statement it is sent unless the statement is prepared; Npgsql prepares the ones a connection
    /// sends again and again when told how many to keep (Max Auto Prepare, off by default). A case read through EF took 2.7 ms
    /// unprepared and 0.5 ms prepared (docs/benchmarks.md, 2026-12-06). A connection string that names the setting keeps its own
    /// value (0 turns it off, e.g. behind a pooler that cannot keep prepared statements).</item>
    /// <item>No JIT compilation of queries (<c>jit=off</c>, sent as the connection's <c>Options</c>): PostgreSQL compiles a query
    /// whose estimated cost passes <c>jit_above_cost</c>, and a head's worklist counts at 30,001 open steps, estimated high for
    /// a subquery that never runs, spent 133 ms compiling and 8 ms counting (docs/benchmarks.md, 2026-12-06). A connection
    /// string that names Options keeps its own.</item>
    /// <item>No reset when a connection goes back to the pool (No Reset On Close): with prepared statements Npgsql otherwise sends
    /// seven statements (CLOSE ALL, RESET ALL, UNLISTEN *, pg_advisory_unlock_all() …) ahead of the next use of the connection,
    /// and every act and query takes one from the pool: in a simulated year they were 55 % of all the statements the server ran
    /// (docs/simulation.md). The app keeps no session state on its pooled connections (no SET, no LISTEN — the nodes' listener
    /// has its own unpooled connection —, no session advisory locks, no temporary tables), and Npgsql still rolls back a
    /// transaction left open. A connection string that names the setting keeps its own.</item>
    /// </list>
    /// </summary>
    public static string PostgresConnectionString(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("AutoPrepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 100;
            builder.AutoPrepareMinUsages = 2;
        }

        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("ResetOnClose", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }

        if (string.IsNullOrEmpty(builder.Options))
        {
            builder.Options = "-c jit=off";
        }

        return builder.ConnectionString;
    }

    private static void ConfigureSqlite(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString).AddInterceptors(new SqlitePragmas());

    private static IServiceCollection AddAppDatabase<TContext>(this IServiceCollection services, Action<DbContextOptionsBuilder> configure)
        where TContext : AppDbContext
    {
        // Pooled: contexts are created for every act and query; reusing them saves their set-up.
        services.AddPooledDbContextFactory<TContext>(configure);
        services.AddHostedService<StateCountCompactor>();
        // A request's context, from the pool, under one registration only: the scope disposes what each factory registration
        // handed out, so a second one handing out the same context returned it to the pool twice, the second time from under
        // the request that had rented it meanwhile (decision 0071). Nothing asks for the provider's own context type.
        services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext());
        services.AddSingleton<IDbContextFactory<AppDbContext>>(sp => new AppDbContextFactory<TContext>(sp.GetRequiredService<IDbContextFactory<TContext>>()));
        return services;
    }

    /// <summary>Lets handlers ask for the provider-neutral context; Blazor circuits need short-lived contexts.</summary>
    private sealed class AppDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<AppDbContext>
        where TContext : AppDbContext
    {
        public AppDbContext CreateDbContext() => inner.CreateDbContext();
    }
}

// Design-time factories used by `dotnet ef migrations add --context <X>`: one per provider, so each
// provider keeps its own migrations (Data/Migrations/<Provider>).
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAppDbContext>
{
    public SqliteAppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite("Data Source=design.db").Options);
}

public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAppDbContext>
{
    public PostgresAppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAppDbContext>().UseNpgsql("Host=localhost;Database=approval").Options);
}

public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerAppDbContext>
{
    public SqlServerAppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerAppDbContext>()
            .UseSqlServer("Server=localhost;Database=approval;Trusted_Connection=True;TrustServerCertificate=True").Options);
}
