using System.Diagnostics;
using System.Globalization;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Supervision;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ApprovalSystem.Web.Features.Supervision.Performance;

namespace ApprovalSystem.Benchmarks;

/// <summary>
/// Issue 6: the performance-statistics query over 10M historical cases for one quarter and all
/// departments. The cases are synthetic <see cref="CaseOutcomeFacts"/> (deterministic, over three
/// years, across the seed catalogue's 38 departments and 340 matters, 3 officers per matter),
/// aggregated per day with the app's own <see cref="PerformanceAggregator.Aggregate"/> and bulk
/// inserted into PerformanceDays; then <see cref="PerformanceQueries.TalliesAsync"/> and
/// <see cref="PerformanceQueries.EvaluateAsync"/> are timed, and the quarter's SQL result is
/// compared with <see cref="Performance.GroupBy"/> over the facts themselves.
/// </summary>
public static class PerformanceBenchmark
{
    private static readonly DateOnly FirstDay = new(2023, 7, 1);
    private static readonly DateOnly LastDay = new(2026, 6, 30);
    private static readonly PerformanceQueries.Months Quarter = new(2025, 4, 3);

    public sealed record Result(long Facts, int Rows, double GenerateSeconds, double InsertSeconds, double TalliesP50, double TalliesP95, double EvaluateP50, double EvaluateP95, double TalliesCpuP50, double TalliesCpuP95, double EvaluateCpuP50, double EvaluateCpuP95, int Runs, string Check, long DbBytes);

    private sealed record Unit(string Department, string Matter, string Officer, int Legal, int Promised);

    /// <summary>SplitMix64: fast, deterministic per case.</summary>
    private struct Rng(ulong seed)
    {
        private ulong state = seed * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E5BUL;

        public int Next(int max)
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)(z % (ulong)max);
        }
    }

    public static async Task<Result> RunAsync(long caseCount, int runs)
    {
        var seed = Path.Combine(AppContext.BaseDirectory, "Data", "Seed", "catalogue.json");
        var catalogue = CatalogueData.Parse(await File.ReadAllTextAsync(seed));
        var units = catalogue.Matters.SelectMany(m => Enumerable.Range(1, 3).Select(k => new Unit(m.Department, m.Code, $"{m.Department}-承办人{k}", Math.Max(1, m.LegalLimitDays), Math.Max(1, m.PromisedLimitDays)))).ToArray();

        var folder = Path.Combine(Path.GetTempPath(), "perf-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "perf.db");
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAppDatabase(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={file}" });
        services.AddSingleton<TimeProvider>(new ManualClock(WorkingTime.EndOfDay(LastDay)));
        services.AddSingleton(ScoringRules.Default);
        services.AddScoped<PerformanceQueries>();
        await using var sp = services.BuildServiceProvider();
        var dbFactory = sp.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            db.Departments.AddRange(catalogue.Departments.Select(d => new Department { Code = d.Code, Name = d.Name, ShortName = d.ShortName }));
            await db.SaveChangesAsync();
        }

        // Generate and aggregate, one partition per core, each its own rows; tallies add exactly.
        var quarterPeriod = new Period(WorkingTime.EndOfDay(Quarter.From.AddDays(-1)), WorkingTime.EndOfDay(Quarter.To.AddDays(-1)));
        var days = LastDay.DayNumber - FirstDay.DayNumber + 1;
        var partitions = Math.Max(1, Environment.ProcessorCount);
        var kept = new List<CaseOutcomeFacts>[partitions];
        var parts = new Dictionary<(DateOnly Day, string Department, string Matter, string Officer), PerformanceTally>[partitions];
        var watch = Stopwatch.StartNew();
        Parallel.For(0, partitions, new ParallelOptions { MaxDegreeOfParallelism = partitions }, p =>
        {
            var rows = new Dictionary<(DateOnly Day, string Department, string Matter, string Officer), PerformanceTally>();
            var keep = new List<CaseOutcomeFacts>();
            var batch = new List<CaseOutcomeFacts>(100_000);
            var (from, to) = (caseCount * p / partitions, caseCount * (p + 1) / partitions);
            for (var j = from; j < to; j++)
            {
                var (fact, last) = Fact(j, caseCount, days, units);
                batch.Add(fact);
                if (fact.ReceivedAt < quarterPeriod.To && last >= quarterPeriod.From)
                {
                    keep.Add(fact);
                }

                if (batch.Count == batch.Capacity)
                {
                    PerformanceAggregator.Aggregate(batch, FirstDay, LastDay, rows);
                    batch.Clear();
                }
            }

            PerformanceAggregator.Aggregate(batch, FirstDay, LastDay, rows);
            parts[p] = rows;
            kept[p] = keep;
        });
        var all = parts[0];
        foreach (var part in parts.Skip(1))
        {
            foreach (var (key, tally) in part)
            {
                all[key] = all.TryGetValue(key, out var sum) ? sum + tally : tally;
            }
        }

        var generateSeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{caseCount} facts generated and aggregated into {all.Count} day rows in {generateSeconds:0.0} s ({partitions} partitions)"));

        watch.Restart();
        // Day by day, as the daily refresh writes them in production (the table's rows stay clustered by day).
        await InsertAsync(dbFactory, all.Where(r => r.Value != PerformanceTally.Empty)
            .OrderBy(r => r.Key.Day).ThenBy(r => r.Key.Department, StringComparer.Ordinal).ThenBy(r => r.Key.Matter, StringComparer.Ordinal).ThenBy(r => r.Key.Officer, StringComparer.Ordinal)
            .Select(r => PerformanceDay.From(r.Key.Day, r.Key.Department, r.Key.Matter, r.Key.Officer, r.Value)));
        var insertSeconds = watch.Elapsed.TotalSeconds;
        int rowCount;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            rowCount = await db.PerformanceDays.CountAsync();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PerformanceDays: {rowCount} rows inserted in {insertSeconds:0.0} s"));
        parts = [];
        all.Clear();

        // Exactness: the quarter from the days in SQL against Core's grouping over the facts.
        var facts = kept.SelectMany(k => k).ToList();
        var checks = new List<string>();
        using (var scope = sp.CreateScope())
        {
            var queries = scope.ServiceProvider.GetRequiredService<PerformanceQueries>();
            foreach (var dimension in new[] { PerformanceDimension.Department, PerformanceDimension.Matter, PerformanceDimension.Officer })
            {
                var sql = await queries.TalliesAsync(Quarter.From, Quarter.To, dimension);
                var expected = Performance.GroupBy(facts, dimension, quarterPeriod);
                var keys = sql.Keys.Union(expected.Keys).ToList();
                var equal = keys.Count(k => (sql.GetValueOrDefault(k) ?? PerformanceTally.Empty) == (expected.GetValueOrDefault(k) ?? PerformanceTally.Empty));
                checks.Add($"{dimension}: {equal}/{keys.Count} equal");
                if (dimension == PerformanceDimension.Department)
                {
                    var total = PerformanceTally.Sum(sql.Values);
                    Console.WriteLine($"quarter {Quarter.Title}: received {total.Received}, accepted {total.Accepted}, concluded {total.Concluded}, yellow {total.YellowCards}, red {total.RedCards}, orders {total.Orders}, ratings {total.Ratings}, complaints {total.Complaints} (facts touching the quarter: {facts.Count})");
                }
            }
        }

        var check = string.Join("; ", checks);
        Console.WriteLine("exactness check: " + check);
        facts.Clear();

        // Timing: every run a fresh scope and context, as a page request would.
        var tallies = await TimeAsync(sp, runs, q => q.TalliesAsync(Quarter.From, Quarter.To, PerformanceDimension.Department));
        var evaluate = await TimeAsync(sp, runs, q => q.EvaluateAsync(Quarter, PerformanceDimension.Department));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var bytes = new FileInfo(file).Length;
        Directory.Delete(folder, recursive: true);
        return new Result(caseCount, rowCount, generateSeconds, insertSeconds, tallies.P50, tallies.P95, evaluate.P50, evaluate.P95, tallies.CpuP50, tallies.CpuP95, evaluate.CpuP50, evaluate.CpuP95, runs, check, bytes);
    }

    private static async Task<(double P50, double P95, double CpuP50, double CpuP95)> TimeAsync(ServiceProvider sp, int runs, Func<PerformanceQueries, Task> query)
    {
        for (var i = 0; i < 5; i++)
        {
            using var scope = sp.CreateScope();
            await query(scope.ServiceProvider.GetRequiredService<PerformanceQueries>());
        }

        var times = new List<double>();
        var cpu = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            using var scope = sp.CreateScope();
            var queries = scope.ServiceProvider.GetRequiredService<PerformanceQueries>();
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            await query(queries);
            times.Add(watch.Elapsed.TotalMilliseconds);
            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds);
        }

        times.Sort();
        cpu.Sort();
        return (Percentile(times, 0.50), Percentile(times, 0.95), Percentile(cpu, 0.50), Percentile(cpu, 0.95));
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>Case j of n: received on day j·days/n in office hours, then accepted, concluded, carded, rated… by its own dice.</summary>
    private static (CaseOutcomeFacts Fact, DateTimeOffset Last) Fact(long j, long n, int days, Unit[] units)
    {
        var rng = new Rng((ulong)j);
        var unit = units[rng.Next(units.Length)];
        var day = FirstDay.AddDays((int)(j * days / n));
        var received = WorkingTime.EndOfDay(day.AddDays(-1)) + TimeSpan.FromMinutes(510 + rng.Next(480));
        var last = received;
        var fact = new CaseOutcomeFacts { CaseId = j + 1, Department = unit.Department, MatterCode = unit.Matter, Officer = unit.Officer, ReceivedAt = received, LegalLimitDays = unit.Legal, PromisedLimitDays = unit.Promised };
        if (rng.Next(100) >= 97)
        {
            return (fact, last); // refused at the window: received only
        }

        var accepted = received + TimeSpan.FromMinutes(rng.Next(120));
        fact = fact with { AcceptedAt = accepted };
        last = accepted;
        var used = 1 + rng.Next(unit.Promised + 3);
        var concluded = accepted + TimeSpan.FromDays(used * 7 / 5) + TimeSpan.FromMinutes(rng.Next(480));
        var concludes = rng.Next(100) < 98 && concluded < WorkingTime.EndOfDay(LastDay);
        List<DateTimeOffset> yellow = [], red = [], complaints = [];
        List<OrderFacts> orders = [];
        List<RatingFacts> ratings = [];
        var cards = rng.Next(100);
        if (cards < 6)
        {
            for (var k = 0; k <= cards % 4; k++)
            {
                yellow.Add(accepted + TimeSpan.FromHours(8 + (k * 20) + rng.Next(12)));
            }
        }

        if (cards < 2)
        {
            red.Add(accepted + TimeSpan.FromDays(unit.Promised) + TimeSpan.FromHours(rng.Next(24)));
        }

        if (rng.Next(1000) < 5)
        {
            var issued = accepted + TimeSpan.FromDays(1 + rng.Next(5));
            var answered = rng.Next(10) < 8;
            var response = rng.Next(5);
            orders.Add(new OrderFacts(issued, answered ? issued + TimeSpan.FromDays(response * 7 / 5) : null, answered ? response : null));
        }

        if (concludes)
        {
            fact = fact.Concluded(concluded, used);
            if (rng.Next(100) < 40)
            {
                ratings.Add(new RatingFacts(concluded + TimeSpan.FromHours(1 + rng.Next(48)), rng.Next(100) < 92 ? 4 + rng.Next(2) : 1 + rng.Next(3)));
            }
        }

        if (rng.Next(1000) < 3)
        {
            complaints.Add(accepted + TimeSpan.FromDays(rng.Next(30)));
        }

        fact = fact with { YellowCards = yellow, RedCards = red, Orders = orders, Ratings = ratings, Complaints = complaints };
        DateTimeOffset?[] moments = [fact.ConcludedAt, .. yellow.Select(m => (DateTimeOffset?)m), .. red.Select(m => (DateTimeOffset?)m), .. orders.SelectMany(o => new[] { (DateTimeOffset?)o.IssuedAt, o.RespondedAt }), .. ratings.Select(r => (DateTimeOffset?)r.At), .. complaints.Select(m => (DateTimeOffset?)m)];
        foreach (var m in moments)
        {
            if (m is { } v && v > last)
            {
                last = v;
            }
        }

        return (fact, last);
    }

    /// <summary>One prepared INSERT in one transaction.</summary>
    private static async Task InsertAsync(IDbContextFactory<AppDbContext> dbFactory, IEnumerable<PerformanceDay> rows)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        string[] columns = ["Day", "Department", "MatterCode", "Officer", "Received", "Accepted", "Concluded", "OnTime", "Early", "Overdue", "UsedDays", "LegalDays", "PromisedDays",
            "YellowCards", "RedCards", "RepeatedWarnings", "Orders", "OrdersResponded", "ResponseDays", "Ratings", "GoodRatings", "Complaints"];
        await using var tx = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"INSERT INTO \"PerformanceDays\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
        var parameters = columns.Select((_, i) =>
        {
            var p = command.CreateParameter();
            p.ParameterName = $"@p{i}";
            command.Parameters.Add(p);
            return p;
        }).ToArray();
        command.Prepare();
        foreach (var r in rows)
        {
            object[] values = [r.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Department, r.MatterCode, r.Officer, r.Received, r.Accepted, r.Concluded, r.OnTime, r.Early, r.Overdue,
                r.UsedDays, r.LegalDays, r.PromisedDays, r.YellowCards, r.RedCards, r.RepeatedWarnings, r.Orders, r.OrdersResponded, r.ResponseDays, r.Ratings, r.GoodRatings, r.Complaints];
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i];
            }

            await command.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE";
        await analyze.ExecuteNonQueryAsync();
    }
}
