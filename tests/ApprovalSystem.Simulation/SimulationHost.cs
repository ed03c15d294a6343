using ApprovalSystem.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace ApprovalSystem.Simulation;

/// <summary>
/// The real app on a fresh database (a SQLite file, or a PostgreSQL database of its own), with the clock a
/// <see cref="FakeTimeProvider"/> the simulation moves across 2026. Hangfire's server is off: the simulation
/// runs the supervision scan itself, on its schedule.
/// </summary>
public sealed class SimulationHost : WebApplicationFactory<Program>
{
    private readonly string _folder;
    private readonly string _pgDatabase;
    private readonly string _provider;
    private readonly string? _pgConnection;

    /// <param name="folder">The data folder (null: a new one under the temp folder).</param>
    /// <param name="database">An existing PostgreSQL database to run on (a paused year's); null: a new one.</param>
    public SimulationHost(string provider, string? pgConnection, DateTimeOffset start, string? folder = null, string? database = null)
    {
        _provider = provider;
        _pgConnection = pgConnection;
        _folder = folder is null ? Path.Combine(Path.GetTempPath(), "approval-simulation", Guid.NewGuid().ToString("N")) : Path.GetFullPath(folder);
        _pgDatabase = database ?? "approval_sim_" + Guid.NewGuid().ToString("N")[..12];
        Clock = new FakeTimeProvider(start);
    }

    public FakeTimeProvider Clock { get; }

    public bool IsPostgres => _provider.Equals("PostgreSql", StringComparison.OrdinalIgnoreCase);

    public string DataFolder => _folder;

    public string DatabaseName => _pgDatabase;

    private string ConnectionString => IsPostgres
        ? new NpgsqlConnectionStringBuilder(_pgConnection ?? "Host=127.0.0.1;Port=5433;Username=postgres") { Database = _pgDatabase }.ConnectionString
        : $"Data Source={Path.Combine(_folder, "approval.db")}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_folder);
        builder.UseContentRoot(ContentRoot());
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", IsPostgres ? "PostgreSql" : "Sqlite");
        builder.UseSetting("Database:ConnectionString", ConnectionString);
        builder.UseSetting("Storage:DataPath", _folder);
        builder.UseSetting("Hangfire:Server", "false");
        builder.UseSetting("Demo:Cases", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Error");
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(Clock);
            s.AddSingleton<ApprovalSystem.Web.Infrastructure.ICaseActProbe, Interleaving>();
        });
    }

    /// <summary>The web project's folder, found from the solution above this assembly (run as a program, no test host tells it).</summary>
    private static string ContentRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ApprovalSystem.sln")))
            {
                return Path.Combine(dir.FullName, "src", "ApprovalSystem.Web");
            }
        }

        throw new InvalidOperationException("ApprovalSystem.sln not found above " + AppContext.BaseDirectory);
    }

    private bool _started;

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        _started = true;
        return host;
    }

    public AppDbContext CreateDbContext() => Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();

    protected override void Dispose(bool disposing)
    {
        // The app first: its background work (the document worker, the counters' folding) stops before its database goes, instead of
        // logging failed commands against a database that was dropped under it.
        base.Dispose(disposing);
        if (disposing && _started && IsPostgres)
        {
            NpgsqlConnection.ClearAllPools();
            using var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
            server.Open();
            using var drop = server.CreateCommand();
            drop.CommandText = $"DROP DATABASE IF EXISTS \"{_pgDatabase}\" WITH (FORCE)";
            drop.ExecuteNonQuery();
        }

        if (disposing && Directory.Exists(_folder))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open is left for the OS temp cleaner.
            }
        }
    }
}
