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

    public IReadOnlyDictionary<string, int> Counts => _counts;

    public void Add(string key, int by = 1) => _counts[key] = Count(key) + by;

    public int Count(string key) => _counts.GetValueOrDefault(key);

    public void Set(string key, int value) => _counts[key] = value;

    public double DaysPerSecond => SimulatedDays / Math.Max(0.001, Wall.TotalSeconds);

    public string Summary()
    {
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"{Filed} filings over {SimulatedDays} simulated days in {Wall.TotalSeconds:0.0} s ({DaysPerSecond:0.00} simulated days/s)");
        foreach (var group in _counts.Where(c => !c.Key.StartsWith("matter:", StringComparison.Ordinal)).GroupBy(c => c.Key.Split(':')[0]))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {group.Key}: {string.Join(", ", group.Select(c => $"{(c.Key.Contains(':', StringComparison.Ordinal) ? c.Key[(c.Key.IndexOf(':', StringComparison.Ordinal) + 1)..] : c.Key)} {c.Value}"))}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  matters filed: {_counts.Count(c => c.Key.StartsWith("matter:", StringComparison.Ordinal))}");
        return text.ToString();
    }
}
