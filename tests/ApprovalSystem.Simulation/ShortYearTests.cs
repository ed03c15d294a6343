using Xunit.Abstractions;

namespace ApprovalSystem.Simulation;

/// <summary>
/// CI's short years: a county's 2026 with about 2,000 filings across the whole calendar, on the database the test
/// script chose (TEST_DB_PROVIDER, TEST_PG_CONNECTION). Fixed seeds; a seed that ever failed joins them.
/// </summary>
public sealed class ShortYearTests(ITestOutputHelper output)
{
    private static string Provider => Environment.GetEnvironmentVariable("TEST_DB_PROVIDER") is { Length: > 0 } p ? p : "Sqlite";

    [Theory]
    [InlineData(20261203, 2_000)]
    public async Task AYearOfFilings_KeepsEveryInvariant_AndDoesEverything(int seed, int cases)
    {
        await using var year = new CountyYear(new SimulationOptions
        {
            Seed = seed, Cases = cases, Provider = Provider, PostgresConnection = Environment.GetEnvironmentVariable("TEST_PG_CONNECTION"),
            CheckEveryRareName = Provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase),
        });

        var report = await year.RunAsync();

        output.WriteLine(report.Summary());
        Assert.Equal(cases, report.Filed);
        Assert.All(CountyYear.Required, k => Assert.True(report.Count(k) > 0, k));
    }
}
