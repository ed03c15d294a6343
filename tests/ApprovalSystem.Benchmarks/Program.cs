using System.Globalization;
using ApprovalSystem.Benchmarks;
using ApprovalSystem.Web.Infrastructure;

// Usage:
//   dotnet run -c Release --project tests/ApprovalSystem.Benchmarks -- approval [--seconds 10] [--pg "Host=127.0.0.1;Port=5433;Username=postgres"]
//   dotnet run -c Release --project tests/ApprovalSystem.Benchmarks -- certificates [--seconds 10] [--out folder-for-sample-pdfs]
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

if (args.FirstOrDefault() != "approval")
{
    Console.WriteLine("usage: approval [--seconds N] [--pg CONNECTION] | certificates [--seconds N] [--out FOLDER]");
    return 1;
}

var sqliteFile = Path.Combine(Path.GetTempPath(), $"approval-bench-{Guid.NewGuid():N}.db");
var results = new List<ApprovalThroughput.Result>
{
    await ApprovalThroughput.RunAsync(DatabaseProvider.Sqlite, $"Data Source={sqliteFile}", duration, args.Contains("--probe")),
};
if (pg is not null)
{
    var builder = new Npgsql.NpgsqlConnectionStringBuilder(pg) { Database = "approval_bench" };
    results.Add(await ApprovalThroughput.RunAsync(DatabaseProvider.PostgreSql, builder.ConnectionString, duration));
}

Console.WriteLine($"| database | start+approve pairs | pairs/s | bare INSERT+commit | inserts/s | pairs/s ÷ inserts/s |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
foreach (var r in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Database} | {r.Pairs} | {r.PairsPerSecond:0} | {r.Inserts} | {r.InsertsPerSecond:0} | {r.Ratio:0.000} |"));
}

return 0;
