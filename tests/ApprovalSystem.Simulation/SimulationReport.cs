using System.Globalization;
using System.Text;

namespace ApprovalSystem.Simulation;

/// <summary>Counts of every act kind, workflow path, channel, certificate type and card kind, and how long the year took.</summary>
public sealed class SimulationReport
{
    private readonly SortedDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public int Filed { get; set; }

    public int SimulatedDays { get; set; }

    public TimeSpan Wall { get; set; }

    /// <summary>The day after whose evening the run paused (null when it played to the end).</summary>
    public DateOnly? PausedAfter { get; set; }

    /// <summary>How many runs played the year (more than one when it was paused and resumed).</summary>
    public int Segments { get; set; } = 1;

    public IReadOnlyDictionary<string, int> Counts => _counts;

    public void Add(string key, int by = 1) => _counts[key] = Count(key) + by;

    public int Count(string key) => _counts.GetValueOrDefault(key);

    public void Set(string key, int value) => _counts[key] = value;

    private string Played => PausedAfter is { } p
        ? string.Create(CultureInfo.InvariantCulture, $", paused after {p:yyyy-MM-dd}")
        : Segments > 1 ? string.Create(CultureInfo.InvariantCulture, $", played in {Segments} runs") : "";

    public double DaysPerSecond => SimulatedDays / Math.Max(0.001, Wall.TotalSeconds);

    public string Summary()
    {
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"{Filed} filings over {SimulatedDays} simulated days in {Wall.TotalSeconds:0.0} s ({DaysPerSecond:0.00} simulated days/s){Played}");
        foreach (var group in _counts.Where(c => !c.Key.StartsWith("matter:", StringComparison.Ordinal)).GroupBy(c => c.Key.Split(':')[0]))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {group.Key}: {string.Join(", ", group.Select(c => $"{(c.Key.Contains(':', StringComparison.Ordinal) ? c.Key[(c.Key.IndexOf(':', StringComparison.Ordinal) + 1)..] : c.Key)} {c.Value}"))}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  matters filed: {_counts.Count(c => c.Key.StartsWith("matter:", StringComparison.Ordinal))}");
        return text.ToString();
    }
}
