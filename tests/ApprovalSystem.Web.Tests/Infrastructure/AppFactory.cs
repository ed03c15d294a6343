using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ApprovalSystem.Web.Tests.Infrastructure;

/// <summary>
/// The real app on a real, fresh database: a SQLite file by default, or PostgreSQL when
/// TEST_DB_PROVIDER=PostgreSql and TEST_PG_CONNECTION point at a server (the test script does
/// this). Each factory gets its own database, created by migrations and seeded like a first start.
/// </summary>
public class AppFactory : WebApplicationFactory<Program>
{
    private readonly string _folder;
    private readonly string _pgDatabase;

    public AppFactory()
        : this(Path.Combine(Path.GetTempPath(), "approval-tests", Guid.NewGuid().ToString("N")), "approval_test_" + Guid.NewGuid().ToString("N")[..12])
    {
    }

    /// <summary>A factory on the database and data folder of another (a restart, or a second node beside it).</summary>
    protected AppFactory(string folder, string pgDatabase)
    {
        _folder = folder;
        _pgDatabase = pgDatabase;
    }

    /// <summary>
    /// Whether the host renders documents in the background (<c>Documents:Worker</c>). Off, a test renders them itself
    /// (<see cref="RenderDocumentsAsync"/>): stopping a running worker right after start can cancel it before its first
    /// run, which the host takes for a failed background service and stops.
    /// </summary>
    public bool RendersDocuments { get; init; } = true;

    /// <summary>Leaves the database and the data folder when disposed: the host stops, as in a restart, and <see cref="Restarted"/> goes on.</summary>
    public bool KeepsData { get; init; }

    /// <summary>A new host on this one's database and data folder (dispose this one, with <see cref="KeepsData"/>, first).</summary>
    public AppFactory Restarted() => new(_folder, _pgDatabase);

    /// <summary>Renders and stores the documents the acts so far issued (the worker does so after each commit, outside the act).</summary>
    public Task<int> RenderDocumentsAsync() => Get<Web.Documents.DocumentWorker>().DrainAsync();

    public static string Provider => Environment.GetEnvironmentVariable("TEST_DB_PROVIDER") is { Length: > 0 } p ? p : "Sqlite";

    public static bool IsPostgres => Provider.Equals("PostgreSql", StringComparison.OrdinalIgnoreCase);

    public string DataFolder => _folder;

    /// <summary>The PostgreSQL database's name (a second node on the same database passes it to <see cref="AppFactory(string, string)"/>).</summary>
    public string PgDatabase => _pgDatabase;

    /// <summary>Seed the development demo cases (off by default so each test class starts from an empty case table).</summary>
    protected virtual bool DemoCases => false;

    public string ConnectionString => IsPostgres
        ? new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("TEST_PG_CONNECTION") ?? "Host=127.0.0.1;Port=5433;Username=postgres") { Database = _pgDatabase }.ConnectionString
        : $"Data Source={Path.Combine(_folder, "approval.db")}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_folder);
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", IsPostgres ? "PostgreSql" : "Sqlite");
        builder.UseSetting("Database:ConnectionString", ConnectionString);
        builder.UseSetting("Storage:DataPath", _folder);
        builder.UseSetting("Hangfire:Server", "false");
        builder.UseSetting("Documents:Worker", RendersDocuments ? "true" : "false");
        builder.UseSetting("Demo:Cases", DemoCases ? "true" : "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    public AppDbContext CreateDbContext() => Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();

    private IServiceScope? _scope;

    /// <summary>A service from one scope that lives as long as the factory (handlers are scoped).</summary>
    public T Get<T>()
        where T : notnull => (_scope ??= Services.CreateScope()).ServiceProvider.GetRequiredService<T>();

    /// <summary>
    /// A client keeping cookies, as the app's own pages and an applicant's program call it: with the header the API asks
    /// of signed-in callers that change data (decision 0022). <paramref name="scripted"/> false leaves it out, as a form
    /// posted from another site would.
    /// </summary>
    public HttpClient CreateBrowserClient(bool scripted = true)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (scripted)
        {
            client.DefaultRequestHeaders.Add(RequestOriginGuard.ApiHeader, "XMLHttpRequest");
        }

        return client;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && KeepsData)
        {
            _scope?.Dispose();
            base.Dispose(disposing);
            return;
        }

        if (disposing)
        {
            _scope?.Dispose();
            try
            {
                using var db = CreateDbContext();
                db.Database.EnsureDeleted();
            }
            catch (ObjectDisposedException)
            {
                // The host was never started; there is no database to drop.
            }
            catch (InvalidOperationException)
            {
                // Same: no services yet.
            }
        }

        base.Dispose(disposing);
        if (disposing && Directory.Exists(_folder))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a pooled connection is left for the OS temp cleaner.
            }
        }
    }
}

/// <summary>The app without its background document worker: the tests say when documents are rendered.</summary>
public sealed class ManualDocumentsAppFactory : AppFactory
{
    public ManualDocumentsAppFactory()
    {
        RendersDocuments = false;
    }
}
