using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Supervision;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ApprovalSystem.Web.Features.Supervision.Alerts;
using ApprovalSystem.Web.Features.Supervision.Dashboard;

namespace ApprovalSystem.Benchmarks;

/// <summary>A clock the benchmark moves by hand.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// Issue 6: the supervision scan over 10k, 100k and 1M open accepted cases (one open step each),
/// one SQLite database growing from size to size. Every case is a clone (raw INSERT … SELECT) of
/// one real case created through <see cref="CaseStore"/>; only its id, number and clock moments
/// differ. Scan slots s = 1…30 happen at T0 + s·2h; a case with id % 1000 = s has its promised
/// warning moment, a case with id % 1000 = 500 + s its step's warning moment, in slot s's own part
/// of the window (after the previous scan, before this scan's overlap); every other moment lies a
/// year ahead. Per size, five "proportional" scans (≈0.1% of the clocks cross: N/1000 case clocks
/// and N/1000 step clocks) and five "fixed" scans (only the clones with id ≤ 10 000 cross, so 10 +
/// 10 at every size) — the fixed series shows whether the cost follows open cases or crossings.
/// Each series starts after one unmeasured scan without crossings (at slot + 20 min), which takes
/// over the rule runs on the cases the previous series carded.
/// </summary>
public static class ScanBenchmark
{
    private static readonly TimeSpan SlotLength = TimeSpan.FromHours(2);
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffsetToBinaryConverter Converter = new();

    public sealed record Row(int OpenCases, string Series, double MedianMs, double MinMs, double MaxMs, int CardsPerScan, double BuildSeconds, double MedianCpuMs);

    private static long Bin(DateTimeOffset t) => (long)Converter.ConvertToProvider(t)!;

    private static DateTimeOffset SlotScan(int s) => T0 + s * SlotLength;

    /// <summary>Slot s's crossing moment: 30 min after scan s−1, so scan s−1 missed it and scan s+1's overlap (60 min) does not reach back to it.</summary>
    private static DateTimeOffset SlotMoment(int s) => SlotScan(s - 1) + TimeSpan.FromMinutes(30);

    public static async Task<List<Row>> RunAsync(int[] sizes, int scansPerSeries, bool explain)
    {
        var folder = Path.Combine(Path.GetTempPath(), "scan-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "bench-one-task.json"), ApprovalThroughput.OneTask);
        var file = Path.Combine(folder, "scan.db");
        var clock = new ManualClock(T0 - TimeSpan.FromDays(60));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAppDatabase(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={file}" });
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(new StorageOptions(folder));
        services.AddSingleton(new WorkflowRegistry(folder));
        services.AddSingleton<WorkflowCatalog>();
        services.AddSingleton<WorkingTimeProvider>();
        services.AddScoped<CaseStore>();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSupervision();
        await using var sp = services.BuildServiceProvider();
        var dbFactory = sp.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            db.Departments.Add(new Department { Code = "SCJG", Name = "市场监督管理局", ShortName = "市场监管局" });
            await db.SaveChangesAsync();
        }

        // The template: one real accepted case with its open step, filed 60 days before T0.
        var catalog = sp.GetRequiredService<WorkflowCatalog>();
        await catalog.SyncAsync();
        var definition = await catalog.CurrentAsync("bench-one-task");
        var matter = new MatterSnapshot(1, "BENCH-001", "基准事项", MatterKind.Promised, "SCJG", 20, 5, 0, null, new WarningPolicy(2, null), definition.Id, [new MaterialRequirement { Name = "申请书" }]);
        var applicant = new ApplicantInfo { Name = "张伟", IdType = ApplicantIdType.ResidentId, IdNumber = "330799198503120016", Phone = "13800000001" };
        var filer = new CaseActor("clerk-1", "李晓梅", [Roles.Clerk], "FWZX");
        long templateId;
        using (var scope = sp.CreateScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<CaseStore>();
            var c = await store.CreateAsync(async ctx =>
            {
                var draft = Case.Draft(matter, applicant, new Dictionary<string, string>(), filer, ctx.Now);
                draft.Submit(await CaseStore.NextNumberAsync(ctx.Db, "330799", ctx.Now, default), "123456", filer, ctx.Now, ctx.Time);
                draft.Accept(definition, filer, ctx.Now, ctx.Time);
                return draft;
            });
            templateId = c.Id;
        }

        // First scan (everything up to T0: the template's own cards), warms up EF and the JIT.
        clock.Now = T0;
        using (var scope = sp.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<ScanJob>().ScanAsync();
        }

        var rows = new List<Row>();
        var count = 0;
        var slot = 0;
        for (var p = 0; p < sizes.Length; p++)
        {
            var build = Stopwatch.StartNew();
            await GrowAsync(dbFactory, templateId, count, sizes[p], scansPerSeries, sizes.Length);
            count = sizes[p];
            build.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count} open cases (+ {count} open steps) ready in {build.Elapsed.TotalSeconds:0.0} s"));
            if (explain)
            {
                await ExplainAsync(dbFactory);
            }

            foreach (var series in new[] { "proportional", "fixed" })
            {
                // An unmeasured scan with no crossings first: it runs the rules on (and closes the
                // cards of) the cases the previous series carded, so each series measures its own.
                clock.Now = SlotScan(slot) + TimeSpan.FromMinutes(20);
                using (var settle = sp.CreateScope())
                {
                    await settle.ServiceProvider.GetRequiredService<ScanJob>().ScanAsync();
                }

                var times = new List<double>();
                var cpu = new List<double>();
                var cards = new List<int>();
                for (var k = 0; k < scansPerSeries; k++)
                {
                    slot++;
                    clock.Now = SlotScan(slot);
                    using var scope = sp.CreateScope();
                    var scanner = scope.ServiceProvider.GetRequiredService<ScanJob>();
                    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                    var watch = Stopwatch.StartNew();
                    var result = await scanner.ScanAsync();
                    times.Add(watch.Elapsed.TotalMilliseconds);
                    cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds);
                    cards.Add(result.Yellow + result.Red);
                }

                times.Sort();
                cpu.Sort();
                rows.Add(new Row(count, series, times[times.Count / 2], times[0], times[^1], (int)cards.Average(), build.Elapsed.TotalSeconds, cpu[cpu.Count / 2]));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {series}: median {times[times.Count / 2]:0.0} ms (min {times[0]:0.0}, max {times[^1]:0.0}), process CPU median {cpu[cpu.Count / 2]:0.0} ms, cards per scan {string.Join(",", cards)}"));
            }
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return rows;
    }

    /// <summary>Clones the template into cases (and steps) with ids from + 1 … to, in one transaction.</summary>
    private static async Task GrowAsync(IDbContextFactory<AppDbContext> dbFactory, long templateId, int from, int to, int scansPerSeries, int phases)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var caseColumns = await ColumnsAsync(connection, "Cases");
        var stepColumns = await ColumnsAsync(connection, "CaseSteps");
        // Clone ids start above the template's (1) at 1 000 000 + n, so id % 1000 = n % 1000.
        const long IdBase = 1_000_000;
        var far = Bin(T0 + TimeSpan.FromDays(400));
        string Moment(int offset)
        {
            // Slots of size p (0-based): proportional p·2·S+1 … p·2·S+S, fixed the next S.
            var sb = new StringBuilder("CASE");
            for (var p = 0; p < phases; p++)
            {
                for (var k = 1; k <= scansPerSeries; k++)
                {
                    var s = p * 2 * scansPerSeries + k;
                    sb.Append(CultureInfo.InvariantCulture, $" WHEN n % 1000 = {offset + s} THEN {Bin(SlotMoment(s))}");
                    var f = s + scansPerSeries;
                    sb.Append(CultureInfo.InvariantCulture, $" WHEN n % 1000 = {offset + f} AND n <= 10000 THEN {Bin(SlotMoment(f))}");
                }
            }

            sb.Append(CultureInfo.InvariantCulture, $" ELSE {far} + n * 2048 END");
            return sb.ToString();
        }

        var caseOverrides = new Dictionary<string, string>
        {
            ["Id"] = $"{IdBase} + n",
            ["Number"] = "'BENCH-' || n",
            ["Promised_WarnAt"] = Moment(0),
            ["Promised_DueAt"] = $"{far} + (n + 100000000) * 2048",
            ["Legal_WarnAt"] = $"{far} + (n + 200000000) * 2048",
            ["Legal_DueAt"] = $"{far} + (n + 300000000) * 2048",
        };
        var stepOverrides = new Dictionary<string, string>
        {
            ["CaseId"] = $"{IdBase} + n",
            ["Deadline_WarnAt"] = Moment(500),
            ["Deadline_DueAt"] = $"{far} + (n + 100000000) * 2048",
        };
        await using var tx = await connection.BeginTransactionAsync();
        foreach (var (table, columns, overrides, key) in new[] { ("Cases", caseColumns, caseOverrides, "Id"), ("CaseSteps", stepColumns, stepOverrides, "CaseId") })
        {
            var list = string.Join(", ", columns.Select(c => $"\"{c}\""));
            var values = string.Join(", ", columns.Select(c => overrides.TryGetValue(c, out var e) ? e : $"t.\"{c}\""));
            await using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = $"""
                WITH RECURSIVE seq(n) AS (SELECT {from + 1} UNION ALL SELECT n + 1 FROM seq WHERE n < {to})
                INSERT INTO "{table}" ({list}) SELECT {values} FROM seq, "{table}" t WHERE t."{key}" = {templateId}
                """;
            await command.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE";
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>The columns of a table, for cloning its rows.</summary>
    internal static async Task<List<string>> ColumnsAsync(DbConnection connection, string table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = connection is Npgsql.NpgsqlConnection
            ? $"SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{table}' ORDER BY ordinal_position"
            : $"SELECT name FROM pragma_table_info('{table}')";
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    /// <summary>Prints SQLite's plan for the scan's two range queries.</summary>
    private static async Task ExplainAsync(IDbContextFactory<AppDbContext> dbFactory)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var (from, to) = (T0, T0 + SlotLength);
        var cases = db.Cases.AsNoTracking().IgnoreAutoIncludes()
            .Where(c => c.Promised.RunningSince != null && ((c.Promised.WarnAt > from && c.Promised.WarnAt <= to) || (c.Promised.DueAt > from && c.Promised.DueAt <= to)))
            .Select(c => new { c.Id, c.Number, c.MatterName, c.LeadDepartment, c.Promised.WarnAt, c.Promised.DueAt });
        var steps = db.Set<CaseStep>().AsNoTracking()
            .Where(s => s.ClosedAt == null && s.Deadline.RunningSince != null && ((s.Deadline.WarnAt > from && s.Deadline.WarnAt <= to) || (s.Deadline.DueAt > from && s.Deadline.DueAt <= to)))
            .Select(s => new { s.WorkItemId, s.Deadline.WarnAt });
        foreach (var sql in new[] { cases.ToQueryString(), steps.ToQueryString() })
        {
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            var body = string.Join("\n", sql.Split('\n').Where(l => !l.StartsWith(".param", StringComparison.Ordinal)));
            command.CommandText = "EXPLAIN QUERY PLAN " + body;
            foreach (var line in sql.Split('\n').Where(l => l.StartsWith(".param set", StringComparison.Ordinal)))
            {
                var parts = line.Split(' ', 4);
                var p = command.CreateParameter();
                p.ParameterName = parts[2];
                p.Value = parts[3].Trim().Trim('\'');
                command.Parameters.Add(p);
            }

            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                Console.WriteLine("    plan: " + reader.GetString(3));
            }
        }
    }
}
