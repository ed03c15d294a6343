namespace ApprovalSystem.Simulation;

/// <summary>
/// A year paused at an evening and resumed in a new process is the same year as one played through (decision 0076): the same random
/// numbers drawn, the same acts, the same counts. Run on the database the test script chose.
/// </summary>
public sealed class CheckpointTests
{
    private static string Provider => Environment.GetEnvironmentVariable("TEST_DB_PROVIDER") is { Length: > 0 } p ? p : "Sqlite";

    [Fact]
    public void RandomState_PutBack_DrawsTheSameNumbers()
    {
        var random = new Random(20261207);
        for (var i = 0; i < 1_000; i++)
        {
            random.Next();
        }

        var state = CountyYear.RandomState.Of(random);
        var expected = Enumerable.Range(0, 200).Select(_ => random.Next(1_000_000)).ToList();

        var other = new Random(1);
        state.Into(other);
        Assert.Equal(expected, Enumerable.Range(0, 200).Select(_ => other.Next(1_000_000)).ToList());
    }

    [Fact]
    public async Task AYearPausedAndResumed_IsTheYearPlayedThrough()
    {
        var options = new SimulationOptions
        {
            Seed = 20261207, Cases = 150, To = new DateOnly(2026, 3, 10), Provider = Provider,
            PostgresConnection = Environment.GetEnvironmentVariable("TEST_PG_CONNECTION"), DocumentCheckShare = 0.02, CheckEveryRareName = false,
        };

        SimulationReport through;
        await using (var year = new CountyYear(options))
        {
            through = await year.RunAsync();
        }

        // Paused on the Friday before the Spring Festival: the resumed run starts on a make-up working Saturday and crosses the holiday.
        var state = Path.Combine(Path.GetTempPath(), "approval-simulation", "checkpoint-test-" + Guid.NewGuid().ToString("N"));
        SimulationReport first;
        await using (var year = new CountyYear(options with { StateFolder = state, PauseAfter = new DateOnly(2026, 2, 13) }))
        {
            first = await year.RunAsync();
        }

        Assert.Equal(new DateOnly(2026, 2, 13), first.PausedAfter);
        Assert.True(first.Filed > 0 && first.Filed < through.Filed, $"paused with {first.Filed} of {through.Filed} filed");
        Assert.True(first.Count("document-checked:sampled") > 0, "the documents stored before the pause are checked at the pause");

        SimulationReport resumed;
        await using (var year = new CountyYear(new SimulationOptions { StateFolder = state, Resume = true, PostgresConnection = options.PostgresConnection }))
        {
            resumed = await year.RunAsync();
        }

        Assert.Null(resumed.PausedAfter);
        Assert.Equal(2, resumed.Segments);
        Assert.Equal(through.Filed, resumed.Filed);
        Assert.True(through.Count("card:Yellow") > 0 && through.Count("card:Red") > 0, "the years compared raise cards");
        Assert.Equal(Comparable(through), Comparable(resumed));
        Assert.False(Directory.Exists(state), "a finished year's state folder is removed");
    }

    /// <summary>
    /// Every count but two. The database's size: a restarted SQLite file or a reconnected server may lay pages out differently. And
    /// which scan raised a card: the resumed app's own catch-up scan at start-up (as after any restart) raises at 08:00 what the
    /// harness's morning scan raised at 09:00 in the year played through. The cards themselves (card:Yellow, card:Red) must be equal.
    /// </summary>
    private static string Comparable(SimulationReport report) =>
        string.Join('\n', report.Counts.Where(c => !c.Key.StartsWith("storage:", StringComparison.Ordinal) && !c.Key.StartsWith("scan-raised:", StringComparison.Ordinal))
            .Select(c => $"{c.Key}={c.Value}"));
}
