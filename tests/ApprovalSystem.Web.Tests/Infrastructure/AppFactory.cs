using System.Collections.Concurrent;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
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

    /// <summary>
    /// Whether the database starts as a copy of a template made once per test run by a first start like this one's (migrations,
    /// catalogue, calendar, workflows, demo accounts), instead of migrating and seeding anew: the start's database is the same,
    /// and CI's runs spend their time on the tests. Factories that change what a first start writes (another environment, a
    /// clock of their own) keep the full first start; so do restarts and second nodes, whose database exists already.
    /// </summary>
    protected virtual bool FromTemplate => GetType() == typeof(AppFactory) || GetType() == typeof(ManualDocumentsAppFactory);

    /// <summary>
    /// Where the host's own clock stands when it starts, for a factory with a fake clock (which stays until moved); null for the
    /// real clock. A first start writes its seeds' times from the clock, so such a factory's template is a first start at that
    /// instant: the database is the same as the full start's.
    /// </summary>
    protected virtual DateTimeOffset? StartsAt => null;

    private static readonly ConcurrentDictionary<(bool DemoCases, DateTimeOffset? StartsAt), Lazy<string>> Templates = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_folder);
        if (FromTemplate && Environment.GetEnvironmentVariable("TEST_DB_TEMPLATE") != "off")
        {
            CopyTemplate();
        }

        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", IsPostgres ? "PostgreSql" : "Sqlite");
        builder.UseSetting("Database:ConnectionString", ConnectionString);
        builder.UseSetting("Storage:DataPath", _folder);
        builder.UseSetting("Hangfire:Server", "false");
        builder.UseSetting("Documents:Worker", RendersDocuments ? "true" : "false");
        builder.UseSetting("Demo:Cases", DemoCases ? "true" : "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        if (QuickPasswordHashes)
        {
            builder.ConfigureServices(s => s.Configure<Microsoft.AspNetCore.Identity.PasswordHasherOptions>(o => o.IterationCount = TestHashIterations));
        }
    }

    /// <summary>
    /// The iterations of PBKDF2 for the accounts a test host hashes (the template's demo accounts, registrations, new passwords).
    /// Identity's 100,000 were a sixth of the Web suite's processor time (a profile: SHA-512 in libcrypto, decision 0066); the
    /// hasher, its format and its checks are the same. Production keeps Identity's default, which a host that does not lower it
    /// shows (<c>PasswordHashTests</c>).
    /// </summary>
    public const int TestHashIterations = 1_000;

    /// <summary>Whether this host hashes passwords with <see cref="TestHashIterations"/> (off: Identity's default, as in production).</summary>
    protected virtual bool QuickPasswordHashes => true;

    /// <summary>This factory's database, from the template for its kind of start, unless it exists already (a restart).</summary>
    private void CopyTemplate()
    {
        var template = Templates.GetOrAdd((DemoCases, StartsAt), key => new Lazy<string>(() => BuildTemplate(key.DemoCases, key.StartsAt))).Value;
        if (IsPostgres)
        {
            using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
            connection.Open();
            using var exists = new NpgsqlCommand($"SELECT 1 FROM pg_database WHERE datname = '{_pgDatabase}'", connection);
            if (exists.ExecuteScalar() is null)
            {
                using var create = new NpgsqlCommand($"CREATE DATABASE \"{_pgDatabase}\" TEMPLATE \"{template}\"", connection);
                create.ExecuteNonQuery();
            }

            return;
        }

        var file = Path.Combine(_folder, "approval.db");
        if (!File.Exists(file))
        {
            File.Copy(template, file);
        }
    }

    /// <summary>A first start on a fresh database, kept as the template: a SQLite file, or a PostgreSQL database's name.</summary>
    private static string BuildTemplate(bool demoCases, DateTimeOffset? startsAt)
    {
        var builder = new TemplateStart(demoCases, startsAt);
        try
        {
            _ = builder.Services; // starts the host: migrations and every seed
            using (var db = builder.CreateDbContext())
            {
                // The key ring is each start's own (a node made with a certificate encrypts the keys it makes): not a seed.
                db.DataProtectionKeys.ExecuteDelete();
            }

            if (IsPostgres)
            {
                var connectionString = builder.ConnectionString;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => DropDatabase(connectionString);
                return builder.PgDatabase;
            }

            var file = Path.Combine(Path.GetTempPath(), "approval-tests", $"template-{Guid.NewGuid():N}.db");
            using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(builder.ConnectionString))
            {
                connection.Open();
                using var vacuum = connection.CreateCommand();
                vacuum.CommandText = $"VACUUM INTO '{file}'";
                vacuum.ExecuteNonQuery();
            }

            AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(file);
            return file;
        }
        finally
        {
            builder.Dispose();
            if (IsPostgres)
            {
                CloseTemplate(builder.ConnectionString);
            }
        }
    }

    /// <summary>CREATE DATABASE … TEMPLATE refuses while any session is connected to the template: end the host's last ones, take no more.</summary>
    private static void CloseTemplate(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        connection.Open();
        using var close = new NpgsqlCommand(
            $"ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS false; " +
            $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()", connection);
        close.ExecuteNonQuery();
    }

    private static void DropDatabase(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }

    private sealed class TemplateStart : AppFactory
    {
        private readonly bool _demoCases;
        private readonly DateTimeOffset? _startsAt;

        public TemplateStart(bool demoCases, DateTimeOffset? startsAt)
        {
            _demoCases = demoCases;
            _startsAt = startsAt;
            KeepsData = IsPostgres; // the PostgreSQL template stays; the SQLite one is copied out with VACUUM INTO first
        }

        protected override bool DemoCases => _demoCases;

        protected override bool FromTemplate => false;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            if (_startsAt is { } at)
            {
                builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(at)));
            }
        }
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
