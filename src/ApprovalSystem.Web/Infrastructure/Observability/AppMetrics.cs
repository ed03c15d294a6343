using System.Diagnostics.Metrics;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Infrastructure.Observability;

/// <summary>
/// The domain's own metrics, on the meter <see cref="MeterName"/> (exported at /metrics and over OTLP, decision 0044): counters
/// are added where the act happens (never derived by counting rows per scrape); gauges read a value that is already kept
/// (the delivery counts of decision 0021, this node's circuits). One instance per host, made from the host's
/// <see cref="IMeterFactory"/>, so two hosts in one process (tests) do not mix their figures. Another feature adds its
/// instruments here, on the same meter.
/// </summary>
public sealed class AppMetrics
{
    public const string MeterName = "ApprovalSystem";

    private readonly Counter<long> _filed;
    private readonly Counter<long> _acts;
    private readonly Histogram<double> _scanDuration;
    private readonly Counter<long> _cards;
    private readonly Counter<long> _deliveryFailures;
    private long _openCircuits;

    public AppMetrics(IMeterFactory meters, IDbContextFactory<AppDbContext> dbFactory)
    {
        var meter = meters.Create(MeterName);
        _filed = meter.CreateCounter<long>("approval.cases.filed", description: "Cases filed (submitted to the centre), by channel.");
        _acts = meter.CreateCounter<long>("approval.case.acts", description: "Acts recorded on cases, by act (the journal's action).");
        _scanDuration = meter.CreateHistogram<double>("approval.supervision.scan.duration", unit: "s",
            description: "Duration of a supervision scan.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        _cards = meter.CreateCounter<long>("approval.supervision.cards", description: "Supervision cards raised, by colour.");
        _deliveryFailures = meter.CreateCounter<long>("approval.exchange.delivery.failures",
            description: "Failed webhook delivery attempts, by outcome (retry: tried again later; gave-up: attempts used up).");
        meter.CreateObservableGauge("approval.exchange.outbox.messages", () => OutboxMessages(dbFactory),
            description: "Webhook deliveries by status (pending is the backlog), from the counts kept by the writes.");
        meter.CreateObservableUpDownCounter("approval.circuits.open", () => Volatile.Read(ref _openCircuits),
            description: "Interactive (Blazor Server) circuits open on this node.");
    }

    /// <summary>
    /// Starts every known series at zero, so a dashboard's rate() has a value from the first scrape, not only after the first
    /// event. Called once the host has started: a measurement made before the metrics pipeline listens is dropped.
    /// </summary>
    public void StartSeries()
    {
        foreach (var channel in Enum.GetValues<CaseChannel>())
        {
            _filed.Add(0, new KeyValuePair<string, object?>("channel", channel.ToString()));
        }

        foreach (var act in Enum.GetValues<CaseTrigger>())
        {
            _acts.Add(0, new KeyValuePair<string, object?>("act", act.ToString()));
        }

        _cards.Add(0, new KeyValuePair<string, object?>("colour", "yellow"));
        _cards.Add(0, new KeyValuePair<string, object?>("colour", "red"));
        _deliveryFailures.Add(0, new KeyValuePair<string, object?>("outcome", "retry"));
        _deliveryFailures.Add(0, new KeyValuePair<string, object?>("outcome", "gave-up"));
    }

    /// <summary>Counts what one saved case act recorded: a filing when a record submits the case, and every record by its action.</summary>
    public void CaseActSaved(Case c, IReadOnlyList<CaseRecord> records)
    {
        foreach (var record in records)
        {
            _acts.Add(1, new KeyValuePair<string, object?>("act", record.Action.ToString()));
            if (record.Action == CaseTrigger.Submit)
            {
                _filed.Add(1, new KeyValuePair<string, object?>("channel", c.Channel.ToString()));
            }
        }
    }

    public void ScanFinished(TimeSpan duration, int yellowCards, int redCards)
    {
        _scanDuration.Record(duration.TotalSeconds);
        if (yellowCards > 0)
        {
            _cards.Add(yellowCards, new KeyValuePair<string, object?>("colour", "yellow"));
        }

        if (redCards > 0)
        {
            _cards.Add(redCards, new KeyValuePair<string, object?>("colour", "red"));
        }
    }

    public void DeliveryFailed(bool gaveUp) => _deliveryFailures.Add(1, new KeyValuePair<string, object?>("outcome", gaveUp ? "gave-up" : "retry"));

    public void CircuitOpened() => Interlocked.Increment(ref _openCircuits);

    public void CircuitClosed() => Interlocked.Decrement(ref _openCircuits);

    private static IEnumerable<Measurement<long>> OutboxMessages(IDbContextFactory<AppDbContext> dbFactory)
    {
        // A scrape is synchronous; this is one indexed sum over a few rows per status (decision 0021), not a count of the outbox.
        using var db = dbFactory.CreateDbContext();
        var sums = db.RowCounts.AsNoTracking().Where(r => r.Scope == StateCounts.DeliveryStatus).GroupBy(r => r.Bucket)
            .Select(g => new { Bucket = g.Key, Count = g.Sum(r => r.Delta) }).ToList();
        return Enum.GetValues<DeliveryStatus>().Select(s => new Measurement<long>(
            sums.Where(x => x.Bucket == s.ToString()).Sum(x => x.Count), new KeyValuePair<string, object?>("status", s.ToString().ToLowerInvariant())));
    }
}

/// <summary>Counts the circuits this node holds (<see cref="AppMetrics"/>' approval.circuits.open).</summary>
public sealed class CircuitCounter(AppMetrics metrics) : Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Microsoft.AspNetCore.Components.Server.Circuits.Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.CircuitOpened();
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Microsoft.AspNetCore.Components.Server.Circuits.Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.CircuitClosed();
        return Task.CompletedTask;
    }
}
