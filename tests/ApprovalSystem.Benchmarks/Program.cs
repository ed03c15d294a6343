using System.Globalization;
using ApprovalSystem.Benchmarks;
using ApprovalSystem.Web.Infrastructure;

// Usage:
//   dotnet run -c Release --project tests/ApprovalSystem.Benchmarks -- approval [--seconds 10] [--clients 1,2] [--probe] [--pg "Host=127.0.0.1;Port=5433;Username=postgres"] [--no-sqlite]
//   dotnet run -c Release --project tests/ApprovalSystem.Benchmarks -- certificates [--seconds 10] [--out folder-for-sample-pdfs]
//   dotnet run -c Release --project tests/ApprovalSystem.Benchmarks -- documents [--rounds 50] [--out folder-for-sample-pdfs]
//   dotnet run -c Release --project tests/ApprovalSystem.Benchmarks -- scan [--sizes 10000,100000,1000000] [--scans 5] [--explain]
//   dotnet run -c Release --project tests/ApprovalSystem.Benchmarks -- performance [--cases 10000000] [--runs 100]
//   dotnet run -c Release --project tests/ApprovalSystem.Benchmarks -- growth [--sizes 100000,1000000] [--runs 20] [--pg "Host=127.0.0.1;Port=5435;Username=postgres"] [--browser [--open-pages 30]]
//   dotnet run -c Release --project tests/ApprovalSystem.Benchmarks -- http --server http://127.0.0.1:5080 [--connections 50] [--seconds 10] [--paths /app.css,/guide]
//   dotnet run -c Release --project tests/ApprovalSystem.Benchmarks -- filing --server http://127.0.0.1:5090 --server-pid PID [--connections 8] [--seconds 10] [--accounts citizen] [--matter 330799-BDC-001] [--warmup 30] [--label new]
var seconds = args.SkipWhile(a => a != "--seconds").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(10);
var pg = args.SkipWhile(a => a != "--pg").Skip(1).FirstOrDefault();
var duration = TimeSpan.FromSeconds(seconds);

if (args.FirstOrDefault() == "certificates")
{
    var output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault();
    foreach (var threads in new[] { 1, Environment.ProcessorCount })
    {
        var rows = CertificateThroughput.Run(duration, output, threads);
        Console.WriteLine($"{threads} thread(s):");
        Console.WriteLine("| certificate type | layout | rendered | certificates/s | bytes/certificate | first (cold) ms | CPU ms/certificate |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Type} | {r.Layout} | {r.Count} | {r.PerSecond:0} | {r.Bytes} | {r.FirstMs:0} | {r.CpuMsEach:0.0} |"));
        }

        var total = rows.Sum(r => r.Count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"all types, {threads} thread(s): {total / rows.Sum(r => r.Count / r.PerSecond):0} certificates/s, {rows.Sum(r => r.CpuMsEach * r.Count) / total:0.0} CPU ms/certificate"));
        Console.WriteLine();
        if (Environment.ProcessorCount == 1)
        {
            break;
        }
    }

    return 0;
}

if (args.FirstOrDefault() == "documents")
{
    var rounds = args.SkipWhile(a => a != "--rounds").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(50);
    var rows = DocumentSizes.Run(rounds, args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault());
    Console.WriteLine("| document | case | bytes | ms/document | CPU ms/document |");
    Console.WriteLine("|---|---|---:|---:|---:|");
    foreach (var r in rows)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Document} | {r.Variant} | {r.Bytes} | {r.MsEach:0.00} | {r.CpuMsEach:0.00} |"));
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"largest {rows.Max(r => r.Bytes)} bytes; mean {rows.Average(r => r.Bytes):0} bytes, {rows.Average(r => r.MsEach):0.00} ms, {rows.Average(r => r.CpuMsEach):0.00} CPU ms"));
    return 0;
}

if (args.FirstOrDefault() == "scan")
{
    var sizes = args.SkipWhile(a => a != "--sizes").Skip(1).Select(a => a.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray()).FirstOrDefault([10_000, 100_000, 1_000_000]);
    var scans = args.SkipWhile(a => a != "--scans").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(5);
    var rows = await ScanBenchmark.RunAsync(sizes, scans, args.Contains("--explain"));
    Console.WriteLine("| open cases (+ open steps) | series | cards per scan | median scan ms | min ms | max ms | ms per card | median process CPU ms |");
    Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|");
    foreach (var r in rows)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.OpenCases} | {r.Series} | {r.CardsPerScan} | {r.MedianMs:0.0} | {r.MinMs:0.0} | {r.MaxMs:0.0} | {(r.CardsPerScan == 0 ? 0 : r.MedianMs / r.CardsPerScan):0.00} | {r.MedianCpuMs:0} |"));
    }

    foreach (var series in new[] { "proportional", "fixed" })
    {
        var first = rows.First(r => r.Series == series);
        var last = rows.Last(r => r.Series == series);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{series}: median at {last.OpenCases} / median at {first.OpenCases} = {last.MedianMs / first.MedianMs:0.00}; per card {last.MedianMs / last.CardsPerScan / (first.MedianMs / first.CardsPerScan):0.00}; process CPU {last.MedianCpuMs / first.MedianCpuMs:0.00}"));
    }

    return 0;
}

if (args.FirstOrDefault() == "performance")
{
    var cases = args.SkipWhile(a => a != "--cases").Skip(1).Select(a => long.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(10_000_000);
    var runs = args.SkipWhile(a => a != "--runs").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(100);
    var r = await PerformanceBenchmark.RunAsync(cases, runs);
    Console.WriteLine("| historical cases | PerformanceDays rows | database MB | generate+aggregate s | insert s | query | runs | p50 ms | p95 ms | CPU p50 ms | CPU p95 ms |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Facts} | {r.Rows} | {r.DbBytes / 1048576.0:0} | {r.GenerateSeconds:0} | {r.InsertSeconds:0} | TalliesAsync(quarter, Department) | {r.Runs} | {r.TalliesP50:0.0} | {r.TalliesP95:0.0} | {r.TalliesCpuP50:0.0} | {r.TalliesCpuP95:0.0} |"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| | | | | | EvaluateAsync(quarter, Department) | {r.Runs} | {r.EvaluateP50:0.0} | {r.EvaluateP95:0.0} | {r.EvaluateCpuP50:0.0} | {r.EvaluateCpuP95:0.0} |"));
    Console.WriteLine("exactness: " + r.Check);
    return 0;
}

if (args.FirstOrDefault() == "pages")
{
    // The browser's side of growth --browser, in a process of its own (started by it).
    await PageTimings.ChildAsync(args.SkipWhile(a => a != "--base-url").Skip(1).First(),
        int.Parse(args.SkipWhile(a => a != "--server-pid").Skip(1).First(), CultureInfo.InvariantCulture),
        args.SkipWhile(a => a != "--runs").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(10),
        args.SkipWhile(a => a != "--open-pages").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(30));
    return 0;
}

if (args.FirstOrDefault() == "growth")
{
    var sizes = args.SkipWhile(a => a != "--sizes").Skip(1).Select(a => a.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray())
        .FirstOrDefault([100_000, 1_000_000]);
    var runs = args.SkipWhile(a => a != "--runs").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(20);
    var browser = args.Contains("--browser");
    var openPages = args.SkipWhile(a => a != "--open-pages").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(30);
    var pageRows = new List<PageTimings.Row>();
    var memory = new List<PageTimings.Memory>();
    var rows = await GrowthBenchmark.RunAsync(sizes, runs, pg, browser, openPages, pageRows, memory);
    Console.WriteLine("| cases | query | rows | of | p50 ms | p95 ms | CPU p50 ms |");
    Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|");
    foreach (var r in rows)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Cases} | {r.Query} | {r.Rows} | {r.Total} | {r.P50Ms:0.0} | {r.P95Ms:0.0} | {r.CpuP50Ms:0.0} |"));
    }

    if (browser)
    {
        Console.WriteLine();
        Console.WriteLine("| cases | page in Chromium | rows visible p50 ms | p95 ms | interactive p50 ms | server CPU p50 ms |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|");
        foreach (var r in pageRows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Cases} | {r.Page} | {r.P50Ms:0} | {r.P95Ms:0} | {r.InteractiveP50Ms:0} | {r.CpuP50Ms:0.0} |"));
        }

        Console.WriteLine();
        Console.WriteLine("| cases | open worklists | managed heap MB per page | working set MB per page |");
        Console.WriteLine("|---:|---:|---:|---:|");
        foreach (var m in memory)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {m.Cases} | {m.Pages} | {m.HeapMbPerPage:0.00} | {m.WorkingSetMbPerPage:0.00} |"));
        }
    }

    return 0;
}

if (args.FirstOrDefault() == "http")
{
    var server = new Uri(args.SkipWhile(a => a != "--server").Skip(1).FirstOrDefault("http://127.0.0.1:5080"));
    var connections = args.SkipWhile(a => a != "--connections").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(50);
    var paths = args.SkipWhile(a => a != "--paths").Skip(1).Select(a => a.Split(',')).FirstOrDefault(
        ["/app.css", "/guide", "/guide?dept=SCJG", "/guide/330799-SCJG-010", "/api/matters", "/api/matters/330799-SCJG-010"]);
    var rows = await HttpLoad.RunAsync(server, paths, connections, duration);
    Console.WriteLine("| path | connections | requests | failures | requests/s | ratio to the static file | p50 ms | p95 ms | bytes |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var r in rows)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| `{r.Path}` | {r.Connections} | {r.Requests} | {r.Failures} | {r.PerSecond:0} | {r.PerSecond / rows[0].PerSecond:0.00} | {r.P50Ms:0.0} | {r.P95Ms:0.0} | {r.Bytes} |"));
    }

    return rows.Any(r => r.Failures > 0) ? 1 : 0;
}

if (args.FirstOrDefault() == "filing")
{
    var server = new Uri(args.SkipWhile(a => a != "--server").Skip(1).FirstOrDefault("http://127.0.0.1:5090"));
    var serverPid = int.Parse(args.SkipWhile(a => a != "--server-pid").Skip(1).First(), CultureInfo.InvariantCulture);
    var connections = args.SkipWhile(a => a != "--connections").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(8);
    var accounts = args.SkipWhile(a => a != "--accounts").Skip(1).Select(a => a.Split(',')).FirstOrDefault(["citizen"]);
    var matter = args.SkipWhile(a => a != "--matter").Skip(1).FirstOrDefault("330799-BDC-001"); // joint; 开办企业“一件事”联办 is a bundle now (decision 0058)
    var label = args.SkipWhile(a => a != "--label").Skip(1).FirstOrDefault(server.ToString());
    var warmUp = TimeSpan.FromSeconds(args.SkipWhile(a => a != "--warmup").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(30));
    var r = await FilingLoad.RunAsync(server, serverPid, accounts, ApprovalSystem.Web.Infrastructure.Seeding.DemoAccounts.Password, matter, connections, duration,
        warmUp);
    Console.WriteLine("| server | matter | accounts | connections | warm-up s | s | filings | failures | filings/s | p50 ms | p95 ms | server CPU ms/filing (no JIT) | JIT ms in the window |"
        + " drain s | CPU ms/filing with the drain | filings/s with the drain |");
    Console.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {label} | {r.Matter} | {r.Accounts} | {r.Connections} | {r.WarmUpSeconds:0} | {r.Seconds:0.0} | {r.Filings} | {r.Failures} | {r.PerSecond:0.0} | {r.P50Ms:0.0} | {r.P95Ms:0.0} | {r.CpuMsPerFiling:0.0} | {r.JitMs:0} | {r.DrainSeconds:0.0} | {r.CpuMsPerFilingDrained:0.0} | {r.PerSecondDrained:0.0} |"));
    Console.WriteLine($"a filing leaves the case in state {r.FirstState}");
    if (r.FirstFailure is not null)
    {
        Console.WriteLine("first failure: " + r.FirstFailure);
    }

    // One line for scripts (filing-vs-baseline.sh).
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"RESULT label={label} filings={r.Filings} failures={r.Failures} per_s={r.PerSecond:0.00} p50_ms={r.P50Ms:0.0} p95_ms={r.P95Ms:0.0} cpu_ms={r.CpuMsPerFiling:0.00} cpu_drained_ms={r.CpuMsPerFilingDrained:0.00} per_s_drained={r.PerSecondDrained:0.00} jit_ms={r.JitMs:0} warmup_s={r.WarmUpSeconds:0}"));
    return r.Failures > 0 ? 1 : 0;
}

if (args.FirstOrDefault() != "approval")
{
    Console.WriteLine("usage: approval [--seconds N] [--pg CONNECTION] | certificates [--seconds N] [--out FOLDER] | documents [--rounds N] [--out FOLDER] | scan [--sizes 10000,100000,1000000] [--scans 5] [--explain] | performance [--cases 10000000] [--runs 100] | http --server URL | filing --server URL --server-pid PID [--connections 8] [--seconds 10]");
    return 1;
}

var clientCounts = args.SkipWhile(a => a != "--clients").Skip(1).Select(a => a.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray()).FirstOrDefault([1]);
var results = new List<ApprovalThroughput.Result>();
foreach (var clients in args.Contains("--no-sqlite") ? [] : clientCounts)
{
    var sqliteFile = Path.Combine(Path.GetTempPath(), $"approval-bench-{Guid.NewGuid():N}.db");
    results.Add(await ApprovalThroughput.RunAsync(DatabaseProvider.Sqlite, $"Data Source={sqliteFile}", duration, args.Contains("--probe"), clients));
}

if (pg is not null)
{
    foreach (var clients in clientCounts)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(pg) { Database = "approval_bench" };
        results.Add(await ApprovalThroughput.RunAsync(DatabaseProvider.PostgreSql, builder.ConnectionString, duration, args.Contains("--probe"), clients));
    }
}

Console.WriteLine($"| database | clients | start+approve pairs | pairs/s | process CPU ms per pair | bare INSERT+commit | inserts/s | pairs/s ÷ inserts/s |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
foreach (var r in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Database} | {r.Clients} | {r.Pairs} | {r.PairsPerSecond:0} | {r.CpuMsPerPair:0.00} | {r.Inserts} | {r.InsertsPerSecond:0} | {r.Ratio:0.000} |"));
}

return 0;
