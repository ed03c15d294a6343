using System.Globalization;

namespace ApprovalSystem.Simulation;

/// <summary>
/// By hand: dotnet run -c Release --project tests/ApprovalSystem.Simulation -- --seed 7 --cases 100000 [--provider PostgreSql --pg "Host=…"]
/// [--documents 1] [--verbose] [--keep] [--state DIR]. Exit code 0 when the year kept every invariant; otherwise the failure names the seed,
/// the day and the act. With <c>--state DIR</c>, <c>touch DIR/pause</c> pauses the run after the evening (exit code 3);
/// <c>--resume DIR</c> plays it on (decision 0076).
/// </summary>
public static class SimulationCli
{
    public static async Task<int> Main(string[] args)
    {
        var options = new SimulationOptions();
        var seeds = new List<int>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--seed": seeds.Add(int.Parse(Next(), CultureInfo.InvariantCulture)); break;
                case "--random": seeds.Add(Random.Shared.Next()); break;
                case "--cases": options = options with { Cases = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--provider": options = options with { Provider = Next() }; break;
                case "--pg": options = options with { PostgresConnection = Next() }; break;
                case "--documents": options = options with { DocumentCheckShare = double.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--to": options = options with { To = DateOnly.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--keep": options = options with { Keep = true }; break;
                case "--verbose": options = options with { Log = Console.Out }; break;
                case "--state": options = options with { StateFolder = Next() }; break;
                case "--resume": options = options with { StateFolder = Next(), Resume = true }; break;
                case "--pause-after": options = options with { PauseAfter = DateOnly.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }

        var failed = 0;
        var paused = 0;
        foreach (var seed in seeds.Count == 0 ? [1] : seeds)
        {
            Console.WriteLine(options.Resume ? $"== resuming the year paused in {options.StateFolder}" : $"== seed {seed}, {options.Cases} filings, {options.Provider}");
            await using var year = new CountyYear(options with { Seed = seed });
            try
            {
                var report = await year.RunAsync();
                Console.WriteLine(report.Summary());
                if (report.PausedAfter is not null)
                {
                    paused++;
                }
            }
            catch (SimulationFailedException e)
            {
                failed++;
                Console.WriteLine("FAILED: " + e.Message);
                Console.WriteLine(e.InnerException);
                Console.WriteLine(year.Report.Summary());
            }
        }

        return failed > 0 ? 1 : paused > 0 ? 3 : 0;
    }
}
