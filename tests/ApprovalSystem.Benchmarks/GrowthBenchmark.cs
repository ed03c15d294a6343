using System.Diagnostics;
using System.Globalization;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Cases.Queries;
using ApprovalSystem.Web.Features.Certificates;
using ApprovalSystem.Web.Features.Supervision.Dashboard;
using ApprovalSystem.Web.Features.Exchange;
using ApprovalSystem.Web.Features.Exchange.Resources;
using ApprovalSystem.Web.Features.Work;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalSystem.Benchmarks;

/// <summary>
/// Issue 14: the list queries behind every staff and applicant list, timed as the data grows. The real app starts on a
/// fresh SQLite file with the development demo (a dozen cases in every state, through the real acts); the demo cases
/// are then cloned (raw INSERT … SELECT, with new ids, numbers, certificate numbers and codes) until the case table
/// holds each size: 3% of the clones are SCJG's promised cases with an open step (30,000 open steps in one department
/// at 1M), 7% other open cases (waiting at the window, supplements, joint handling), 10% approved with a certificate
/// (100,000 certificates at 1M), the rest concluded. Each query runs 3 times to warm up, then <c>runs</c> times, each in
/// a fresh scope and context, timed by wall clock and by this process's CPU (nothing else runs in it: Hangfire off).
/// </summary>
public static class GrowthBenchmark
{
    public sealed record Row(int Cases, string Query, int Rows, int Total, double P50Ms, double P95Ms, double CpuP50Ms);

    private sealed class Factory(string folder, string? postgres) : WebApplicationFactory<AppDbContext> // any type of the app's assembly
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseContentRoot(ContentRoot());
            builder.UseEnvironment("Development");
            builder.UseSetting("Database:Provider", postgres is null ? "Sqlite" : "PostgreSql");
            builder.UseSetting("Database:ConnectionString", postgres ?? $"Data Source={Path.Combine(folder, "approval.db")}");
            builder.UseSetting("Storage:DataPath", folder);
            builder.UseSetting("Hangfire:Server", "false");
            builder.UseSetting("Documents:Worker", "false"); // the demo's documents would wait on the bulk load's write lock
            builder.UseSetting("Demo:Cases", "true");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }
    }

    /// <summary>src/ApprovalSystem.Web above the running benchmark (the workflows and seed files are read from there).</summary>
    private static string ContentRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "ApprovalSystem.Web");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("src/ApprovalSystem.Web not found above " + AppContext.BaseDirectory);
    }

    /// <param name="postgres">A PostgreSQL server to run on instead of SQLite (a database approval_growth is made on it, dropped
    /// first if it is there); the CPU column then adds the server's processes' CPU to this process's.</param>
    /// <param name="browser">Also time every list page in Chromium and measure the server memory of <paramref name="openPages"/> open
    /// worklists (<see cref="PageTimings"/>), the app then served by Kestrel on a loopback port.</param>
    public static async Task<List<Row>> RunAsync(int[] sizes, int runs, string? postgres = null, bool browser = false, int openPages = 30,
        List<PageTimings.Row>? pageRows = null, List<PageTimings.Memory>? memory = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "growth-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var rows = new List<Row>();
        if (postgres is not null)
        {
            postgres = await FreshPostgresAsync(postgres);
        }

        try
        {
            await using var factory = new Factory(folder, postgres);
            if (browser)
            {
                factory.UseKestrel(0);
                factory.StartServer();
            }

            factory.CreateClient().Dispose(); // start: migrate, seed the catalogue, the accounts and the demo cases
            var services = factory.Services;
            var dbFactory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
            var actors = await ActorsAsync(dbFactory);
            var templates = await TemplatesAsync(dbFactory);
            Console.WriteLine($"templates: {string.Join(", ", templates.Select(t => $"{t.Id}:{t.State}"))}");
            var count = await CountAsync(dbFactory);
            foreach (var size in sizes)
            {
                var build = Stopwatch.StartNew();
                await GrowAsync(dbFactory, templates, count, size);
                await GrowExchangeAsync(dbFactory, count, size);
                count = size;
                var bytes = await DatabaseBytesAsync(dbFactory, folder);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{size} cases ready in {build.Elapsed.TotalSeconds:0} s, database "
                    + $"{bytes / 1048576.0:0} MB"));
                rows.AddRange(await TimeAllAsync(services, actors, size, runs, await ServerCpuAsync(dbFactory)));
                if (browser)
                {
                    var baseUrl = factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');
                    var (timed, held) = await PageTimings.InChildAsync(baseUrl, size, runs, openPages, PageTimings.MeasureMemory);
                    pageRows?.AddRange(timed);
                    memory?.Add(held);
                }
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Npgsql.NpgsqlConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }

        return rows;
    }

    private static async Task<Dictionary<string, CaseActor>> ActorsAsync(IDbContextFactory<AppDbContext> dbFactory)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var users = await db.Users.AsNoTracking().Select(u => new { u.UserName, u.Id, u.DisplayName, Department = u.Department!.Code, Station = u.Station!.Code })
            .ToListAsync();
        CaseActor Of(string name, string role)
        {
            var u = users.Single(x => x.UserName == name);
            return new CaseActor(u.Id, u.DisplayName, [role], u.Department, u.Station);
        }

        return new Dictionary<string, CaseActor>
        {
            ["officer"] = Of("officer.scjg", Roles.Officer),
            ["head"] = Of("head.scjg", Roles.DepartmentHead),
            ["clerk"] = Of("clerk", Roles.Clerk),
            ["citizen"] = Of("citizen", Roles.Applicant),
            ["agent"] = Of("agent", Roles.Agent),
            ["supervisor"] = Of("supervisor", Roles.Supervisor),
        };
    }

    private sealed record Template(long Id, CaseState State, string Kind);

    /// <summary>The demo cases, each with what its clones stand for.</summary>
    private static async Task<List<Template>> TemplatesAsync(IDbContextFactory<AppDbContext> dbFactory)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var cases = await db.Cases.AsNoTracking().IgnoreAutoIncludes().OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.State, c.LeadDepartment, c.CertificateCode, c.WorkflowId }).ToListAsync();
        return cases.Select(c => new Template(c.Id, c.State,
            c.CertificateCode is not null ? "certificate"
            : c.State == CaseState.Handling && c.LeadDepartment == "SCJG" && c.WorkflowId == "promised-single" ? "scjg-open"
            : CaseLifecycle.FiledOpenStates.Contains(c.State) ? "open"
            : "concluded")).ToList();
    }

    private static async Task<int> CountAsync(IDbContextFactory<AppDbContext> dbFactory)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.Cases.CountAsync();
    }

    /// <summary>Clones the templates into cases from + 1 … to (3% SCJG open, 7% other open, 10% with a certificate, 80% concluded).</summary>
    private static async Task GrowAsync(IDbContextFactory<AppDbContext> dbFactory, List<Template> templates, int from, int to)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var connection = db.Database.GetDbConnection();
        await OpenAsync(connection);
        const long IdBase = 10_000_000;
        string Choose(string kind, string bucket)
        {
            var ids = templates.Where(t => t.Kind == kind).Select(t => t.Id).ToList();
            return ids.Count == 0 ? "NULL" : $"CASE ({bucket}) % {ids.Count} " + string.Concat(ids.Select((id, i) => $"WHEN {i} THEN {id} ")) + "END";
        }

        var template = $"""
            CASE WHEN n % 100 < 3 THEN {Choose("scjg-open", "n / 100")}
                 WHEN n % 100 < 10 THEN {Choose("open", "n / 100")}
                 WHEN n % 100 < 20 THEN {Choose("certificate", "n / 100")}
                 ELSE {Choose("concluded", "n / 100")} END
            """;
        var caseColumns = await ScanBenchmark.ColumnsAsync(connection, "Cases");
        var stepColumns = await ScanBenchmark.ColumnsAsync(connection, "CaseSteps");
        var certificateColumns = await ScanBenchmark.ColumnsAsync(connection, "Certificates");
        var caseOverrides = new Dictionary<string, string>
        {
            ["Id"] = $"{IdBase} + n",
            ["Number"] = "CASE WHEN t.\"Number\" IS NULL THEN NULL ELSE 'G' || n || '-' || t.\"Number\" END",
            ["CertificateCode"] = "CASE WHEN t.\"CertificateCode\" IS NULL THEN NULL ELSE t.\"CertificateCode\" || '-' || n END",
            ["OwnerUserId"] = "CASE WHEN t.\"OwnerUserId\" IS NULL OR n % 1000 = 0 THEN t.\"OwnerUserId\" ELSE 'growth-' || (n % 200000) END",
        };
        var stepOverrides = new Dictionary<string, string> { ["CaseId"] = $"{IdBase} + n" };
        var certificateOverrides = new Dictionary<string, string>
        {
            ["Id"] = $"{IdBase} + n",
            ["CaseId"] = $"{IdBase} + n",
            ["Number"] = "t.\"Number\" || '-' || n",
            ["Code"] = "t.\"Code\" || '-' || n",
            ["CaseNumber"] = "'G' || n || '-' || t.\"CaseNumber\"",
        };
        await using var tx = await connection.BeginTransactionAsync();
        foreach (var (table, columns, overrides, key) in new[]
                 {
                     ("Cases", caseColumns, caseOverrides, "Id"), ("CaseSteps", stepColumns, stepOverrides, "CaseId"),
                     ("Certificates", certificateColumns, certificateOverrides, "CaseId"),
                 })
        {
            var list = string.Join(", ", columns.Select(c => $"\"{c}\""));
            var values = string.Join(", ", columns.Select(c => overrides.TryGetValue(c, out var e) ? e : $"t.\"{c}\""));
            await using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandTimeout = 3600;
            command.CommandText = $"""
                WITH {Sequence(db, from + 1, to)}
                INSERT INTO "{table}" ({list}) SELECT {values} FROM seq JOIN "{table}" t ON t."{key}" = ({template})
                """;
            await command.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();

        // The clones bypass the app: their search index entries too (decision 0019), by the migration's own SQL, 50,000
        // cases a transaction (one for all held the write lock for minutes: the app's own writers gave up and it stopped).
        for (var batch = from; batch < to; batch += 50_000)
        {
            await using var index = connection.CreateCommand();
            index.CommandTimeout = 3600;
            index.CommandText = SearchTerms.BackfillSql(db.Database.IsNpgsql() ? "Postgres" : "Sqlite", IdBase + batch, IdBase + Math.Min(to, batch + 50_000));
            await index.ExecuteNonQueryAsync();
        }

        // The rows went around the app: the counts it keeps per state are counted afresh (decision 0021), as after a restore.
        await StateCounts.RebuildAsync(db);
        await using var analyze = connection.CreateCommand();
        analyze.CommandTimeout = 3600;
        // On PostgreSQL as autovacuum leaves a table some time after a bulk load: its visibility map set, so that counts can be
        // answered from an index alone.
        analyze.CommandText = db.Database.IsNpgsql() ? "VACUUM ANALYZE" : "ANALYZE";
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>Opens the context's connection unless it is (on PostgreSQL the app's context may hold it open).</summary>
    private static async Task OpenAsync(System.Data.Common.DbConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync();
        }
    }

    /// <summary>The numbers from … to as a CTE named seq(n).</summary>
    private static string Sequence(AppDbContext db, long from, long to) => db.Database.IsNpgsql()
        ? $"seq(n) AS (SELECT generate_series({from}, {to})::bigint)"
        : $"RECURSIVE seq(n) AS (SELECT {from} UNION ALL SELECT n + 1 FROM seq WHERE n < {to})";

    /// <summary>The exchange's tables grown with the cases: per case two deliveries (to two subscribers), a pushed event from a line
    /// system for one case in ten (one in fifty of those a dead letter), and a resource read for one case in five.</summary>
    private static async Task GrowExchangeAsync(IDbContextFactory<AppDbContext> dbFactory, int from, int to)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        if (!await db.LineSystems.AnyAsync(s => s.Code == "GROWTH-YW"))
        {
            var line = new LineSystem { Code = "GROWTH-YW", Name = "增长测试业务系统", Department = "ZJ", KeyHash = "growth", KeyPrefix = "growth", CreatedAt = DateTimeOffset.UtcNow };
            db.LineSystems.Add(line);
            await db.SaveChangesAsync();
            db.WebhookSubscriptions.AddRange(
                new WebhookSubscription { SystemId = line.Id, Url = "https://zj.example/hook", Secret = "s", CreatedAt = DateTimeOffset.UtcNow },
                new WebhookSubscription { SystemId = line.Id, Url = "https://sw.example/hook", Secret = "s", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        var system = await db.LineSystems.Where(s => s.Code == "GROWTH-YW").Select(s => s.Id).SingleAsync();
        var subscriptions = await db.WebhookSubscriptions.Where(s => s.Url.EndsWith(".example/hook")).OrderBy(s => s.Id).Select(s => s.Id).ToListAsync();
        var resources = await db.ShareResources.OrderBy(r => r.Id).Select(r => r.Id).ToListAsync();
        var connection = db.Database.GetDbConnection();
        await OpenAsync(connection);
        var moment = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.FromHours(8));
        var t0 = db.Database.IsNpgsql() ? "CAST('2026-01-05 09:00:00+08:00' AS timestamptz)" // SQLite keeps DateTimeOffset as a binary number
            : ((long)new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter().ConvertToProvider(moment)!).ToString(CultureInfo.InvariantCulture);
        string Pick<T>(IReadOnlyList<T> ids, string n) => $"CASE ({n}) % {ids.Count} " + string.Concat(ids.Select((id, i) => $"WHEN {i} THEN {id} ")) + "END";
        var keys = ReadKeys.Select(k => $"'{Masking.IdNumber(k)}'").ToList();
        var statements = new[]
        {
            // Deliveries: 1% pending, 1% failed, the rest delivered; the case number as the clones carry it.
            $"""
            INSERT INTO "ExchangeOutbox" ("EventId", "SubscriptionId", "Kind", "CaseId", "CaseNumber", "Payload", "CreatedAt", "Status", "Attempts", "NextAttemptAt", "DeliveredAt", "LastError")
            SELECT 'g-' || n || '-' || k, {Pick(subscriptions, "k")}, 'accepted', 10000000 + n, 'G' || n || '-case', '{"{"}{"}"}', {t0},
                   CASE WHEN n % 100 = 0 THEN 'Pending' WHEN n % 100 = 1 THEN 'Failed' ELSE 'Delivered' END, 1, {t0},
                   CASE WHEN n % 100 > 1 THEN {t0} END, CASE WHEN n % 100 = 1 THEN '连接超时' END
            FROM seq CROSS JOIN (SELECT 0 AS k UNION ALL SELECT 1) kk
            """,
            $"""
            INSERT INTO "ExchangeInbound" ("SystemId", "EventId", "ExternalCaseId", "MatterCode", "Step", "OccurredAt", "ReceivedAt", "Payload", "Status", "Reason", "Replays")
            SELECT {system}, 'in-' || n, 'ZJ-' || (n / 10), '330799-ZJ-001', '受理', {t0}, {t0}, '{"{"}{"}"}',
                   CASE WHEN n % 500 = 0 THEN 'DeadLetter' ELSE 'Applied' END, CASE WHEN n % 500 = 0 THEN '事项未登记' END, 0
            FROM seq WHERE n % 10 = 0
            """,
            $"""
            INSERT INTO "ShareReadLog" ("ResourceId", "Consumer", "Reader", "Key", "Fields", "Purpose", "At")
            SELECT {Pick(resources, "n / 5")}, CASE (n / 5) % 4 WHEN 0 THEN 'SW' WHEN 1 THEN 'GA' WHEN 2 THEN 'ZJ' ELSE 'CENTER' END, 'reader-' || (n % 97),
                   {Pick(keys, "n / 5")}, '企业名称|住所', '核验', {t0}
            FROM seq WHERE n % 5 = 0
            """,
        };
        await using var tx = await connection.BeginTransactionAsync();
        foreach (var statement in statements)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandTimeout = 3600;
            command.CommandText = $"WITH {Sequence(db, from + 1, to)} {statement}";
            await command.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
        // The rows went around the app: the counts it keeps per state are counted afresh (decision 0021), as after a restore.
        await StateCounts.RebuildAsync(db);
        await using var analyze = connection.CreateCommand();
        analyze.CommandTimeout = 3600;
        // On PostgreSQL as autovacuum leaves a table some time after a bulk load: its visibility map set, so that counts can be
        // answered from an index alone.
        analyze.CommandText = db.Database.IsNpgsql() ? "VACUUM ANALYZE" : "ANALYZE";
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>The records the grown read log reads (each read of one of them, in turn).</summary>
    private static readonly string[] ReadKeys = [.. Enumerable.Range(0, 100).Select(i => string.Create(CultureInfo.InvariantCulture, $"3307991990{i:D4}{i % 10}23X"))];

    /// <summary>A database approval_growth on the server, empty.</summary>
    private static async Task<string> FreshPostgresAsync(string server)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = "postgres" };
        await using (var admin = new Npgsql.NpgsqlConnection(builder.ConnectionString))
        {
            await admin.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand("DROP DATABASE IF EXISTS approval_growth WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
            await using var create = new Npgsql.NpgsqlCommand("CREATE DATABASE approval_growth", admin);
            await create.ExecuteNonQueryAsync();
        }

        builder.Database = "approval_growth";
        return builder.ConnectionString;
    }

    private static async Task<long> DatabaseBytesAsync(IDbContextFactory<AppDbContext> dbFactory, string folder)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        if (!db.Database.IsNpgsql())
        {
            return new FileInfo(Path.Combine(folder, "approval.db")).Length;
        }

        var connection = db.Database.GetDbConnection();
        await OpenAsync(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT pg_database_size(current_database())";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>For PostgreSQL on this machine, the CPU its backends for this database have used so far (children of the
    /// postmaster that serves this connection, read from /proc); for SQLite, which runs inside this process, nothing.</summary>
    private static async Task<Func<TimeSpan>> ServerCpuAsync(IDbContextFactory<AppDbContext> dbFactory)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        if (!db.Database.IsNpgsql() || !OperatingSystem.IsLinux())
        {
            return () => TimeSpan.Zero;
        }

        var connection = db.Database.GetDbConnection();
        await OpenAsync(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT pg_backend_pid()";
        var backend = Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        var postmaster = Stat(backend)?.Parent ?? 0;
        var tick = 1000.0 / 100; // USER_HZ
        return () =>
        {
            var ticks = 0L;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                // The backends serving this database's connections ("postgres: postgres approval_growth 127.0.0.1(…) idle") and
                // their parallel workers, not the server's own (autovacuum, checkpointer) nor other databases' backends.
                if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { Parent: var parent } stat && parent == postmaster
                    && Command(pid) is { } command && !command.Contains("autovacuum", StringComparison.Ordinal)
                    && (command.Contains(" approval_growth ", StringComparison.Ordinal) || command.Contains("parallel worker", StringComparison.Ordinal)))
                {
                    ticks += stat.Ticks;
                }
            }

            return TimeSpan.FromMilliseconds(ticks * tick);
        };

        static string? Command(int pid)
        {
            try
            {
                return File.ReadAllText($"/proc/{pid}/cmdline");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        static (int Parent, long Ticks)? Stat(int pid)
        {
            try
            {
                var text = File.ReadAllText($"/proc/{pid}/stat");
                var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                // After the name: state, ppid (field 4), …, utime (14), stime (15).
                return (int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                return null;
            }
        }
    }

    private static async Task<List<Row>> TimeAllAsync(IServiceProvider services, Dictionary<string, CaseActor> a, int size, int runs, Func<TimeSpan> serverCpu)
    {
        var oldCertificate = "-" + (size / 10 * 1 + 15).ToString(CultureInfo.InvariantCulture); // a certificate cloned early: found by search
        var queries = new List<(string Name, Func<IServiceProvider, Task<(int Rows, int Total)>> Run)>
        {
            ("worklist: tab counts (officer, SCJG)", async sp => Counts(await sp.GetRequiredService<WorklistQueries>().CountsAsync(a["officer"]))),
            ("worklist: first page (officer, SCJG)", async sp => Page(await sp.GetRequiredService<WorklistQueries>().PageAsync(a["officer"], WorkFilter.All, 0, 50))),
            ("worklist: late tab, page 100 (officer)", async sp =>
                Page(await sp.GetRequiredService<WorklistQueries>().PageAsync(a["officer"], WorkFilter.Late, 99 * 50, 50))),
            ("worklist: search an applicant (officer)", async sp =>
                Page(await sp.GetRequiredService<WorklistQueries>().PageAsync(a["officer"], WorkFilter.All, 0, 50, "赵"))),
            ("worklist: tab counts (head, SCJG)", async sp => Counts(await sp.GetRequiredService<WorklistQueries>().CountsAsync(a["head"]))),
            ("window: four queue counts", async sp => Sum(await sp.GetRequiredService<CaseQueries>().CountByStateAsync(
                [CaseState.PreAcceptance, CaseState.SupplementRequested, CaseState.Approved, CaseState.CertificateIssued, CaseState.Denied,
                    CaseState.NotAccepted, CaseState.Reported, CaseState.Delivered, CaseState.Withdrawn]))),
            ("window: 待预审 first page", async sp => Page(await sp.GetRequiredService<CaseQueries>().WindowQueueAsync([CaseState.PreAcceptance], 0, 50))),
            ("window: 待归档 first page", async sp =>
                Page(await sp.GetRequiredService<CaseQueries>().WindowQueueAsync([CaseState.Delivered, CaseState.Withdrawn], 0, 50))),
            ("certificates: register first page", async sp =>
                Page(await sp.GetRequiredService<CertificateQueries>().RegisterAsync(a["clerk"], new CertificateQueries.RegisterFilter(), 0, 50))),
            ("certificates: search an old certificate", async sp => Page(await sp.GetRequiredService<CertificateQueries>().RegisterAsync(
                a["clerk"], new CertificateQueries.RegisterFilter(Text: oldCertificate), 0, 50))),
            ("my cases: citizen", async sp => Page(await sp.GetRequiredService<CaseQueries>().MineAsync(a["citizen"], 0, 50))),
            ("my cases: agent's station", async sp => Page(await sp.GetRequiredService<CaseQueries>().MineAsync(a["agent"], 0, 50))),
            ("cases: officer's department", async sp => Page(await sp.GetRequiredService<CaseQueries>().MineAsync(a["officer"], 0, 50))),
            ("cases: clerk searches a number", async sp => Page(await sp.GetRequiredService<CaseQueries>().MineAsync(a["clerk"], 0, 50, "G15-"))),
            ("dashboard: figures (one count per node)", async sp =>
                (1, (await new SupervisionQueries(sp.GetRequiredService<IDbContextFactory<AppDbContext>>(), sp.GetRequiredService<TimeProvider>())
                    .FiguresAsync()).OpenByState.Sum(s => s.Count))),
            ("dashboard: drill 在办件", async sp => (((await sp.GetRequiredService<SupervisionQueries>().DrillAsync("open")).Count), 0)),
            ("dashboard: drill 今日办结", async sp => (((await sp.GetRequiredService<SupervisionQueries>().DrillAsync("concluded-today")).Count), 0)),
            ("dashboard: drill SCJG 在办件", async sp => (((await sp.GetRequiredService<SupervisionQueries>().DrillAsync("dept:SCJG")).Count), 0)),
            ("alerts: newest 500", async sp => (((await sp.GetRequiredService<SupervisionQueries>().AlertsAsync()).Count), 0)),
            ("exchange: dead letters first page", async sp => Page(await sp.GetRequiredService<ExchangeQueries>().InboundAsync(InboundStatus.DeadLetter, null, 0, 50))),
            ("exchange: dead letters of a business case", async sp =>
                Page(await sp.GetRequiredService<ExchangeQueries>().InboundAsync(InboundStatus.DeadLetter, "ZJ-50", 0, 50))),
            ("exchange: deliveries counted per status", async sp => (3, (await sp.GetRequiredService<ExchangeQueries>().DeliveryCountsAsync()).Values.Sum())),
            ("exchange: deliveries first page", async sp => Page(await sp.GetRequiredService<ExchangeQueries>().DeliveriesAsync(null, null, 0, 50))),
            ("exchange: failed deliveries, page 20", async sp =>
                Page(await sp.GetRequiredService<ExchangeQueries>().DeliveriesAsync(DeliveryStatus.Failed, null, 19 * 50, 50))),
            ("exchange: one case's deliveries", async sp =>
                Page(await sp.GetRequiredService<ExchangeQueries>().DeliveriesAsync(null, "G15-case", 0, 50))),
            ("read log: all (supervisor) first page", async sp => Page(await sp.GetRequiredService<ResourceCatalogue>().ReadLogAsync(null, null, 0, 50))),
            ("read log: a department's, page 10", async sp => Page(await sp.GetRequiredService<ResourceCatalogue>().ReadLogAsync("SCJG", null, 9 * 50, 50))),
            ("read log: the reads of one key", async sp =>
                Page(await sp.GetRequiredService<ResourceCatalogue>().ReadLogAsync(null, ReadKeys[15], 0, 50))),
        };
        var rows = new List<Row>();
        foreach (var (name, run) in queries)
        {
            var times = new List<double>();
            var cpu = new List<double>();
            (int Rows, int Total) result = default;
            for (var i = 0; i < runs + 3; i++)
            {
                using var scope = services.CreateScope();
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime + serverCpu();
                var jit0 = FilingLoad.JitCpu(Environment.ProcessId);
                var watch = Stopwatch.StartNew();
                result = await run(scope.ServiceProvider);
                if (i >= 3)
                {
                    times.Add(watch.Elapsed.TotalMilliseconds);
                    // Less the tiered compiler's thread (recompiling hot methods after the start, not the query's cost).
                    cpu.Add((Process.GetCurrentProcess().TotalProcessorTime + serverCpu() - cpu0).TotalMilliseconds
                        - FilingLoad.JitMs(jit0, FilingLoad.JitCpu(Environment.ProcessId)));
                }
            }

            times.Sort();
            cpu.Sort();
            var row = new Row(size, name, result.Rows, result.Total, times[times.Count / 2], times[(int)Math.Ceiling(times.Count * 0.95) - 1], cpu[cpu.Count / 2]);
            rows.Add(row);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name}: {row.Rows} rows of {row.Total}, p50 {row.P50Ms:0.0} ms, p95 {row.P95Ms:0.0} ms, CPU p50 {row.CpuP50Ms:0.0} ms"));
        }

        return rows;
    }

    private static (int, int) Counts(WorklistQueries.Counts c) => (4, c.All);

    private static (int, int) Page<T>(CaseQueries.Page<T> p) => (p.Rows.Count, p.Total);

    private static (int, int) Sum(Dictionary<CaseState, int> counts) => (counts.Count, counts.Values.Sum());
}
