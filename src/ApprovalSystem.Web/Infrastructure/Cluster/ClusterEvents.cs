using System.Collections.Concurrent;
using System.Collections.Immutable;
using ApprovalSystem.Web.Data;

namespace ApprovalSystem.Web.Infrastructure.Cluster;

/// <summary>What changed, as the nodes tell each other. Payloads are ids or cache keys, never personal data.</summary>
public static class ClusterTopics
{
    /// <summary>A case act was saved (payload: the case id): dashboards and worklists re-read.</summary>
    public const string CaseAct = "case";

    /// <summary>Supervision figures changed without a case act (a card, an alert, an order).</summary>
    public const string Supervision = "supervision";

    /// <summary>The working-day calendar was edited.</summary>
    public const string Calendar = "calendar";

    /// <summary>An entry of <see cref="ReferenceCache"/> is stale (payload: the key prefix).</summary>
    public const string Reference = "reference";

    /// <summary>An output-cache tag was evicted (payload: the tag), e.g. the public catalogue.</summary>
    public const string OutputCache = "output-cache";

    /// <summary>Workflow versions were stored (payload: empty): the current definitions are read again.</summary>
    public const string Workflows = "workflows";

    /// <summary>Every topic: what a node that lost its link to the others invalidates when it is back.</summary>
    public static readonly IReadOnlyList<string> All = [CaseAct, Supervision, Calendar, Reference, OutputCache, Workflows];
}

/// <summary>
/// Tells every node of the cluster that something changed, so open pages refresh and caches are dropped everywhere within a
/// second (decision 0043). <see cref="PublishAsync"/> after a change is committed: this node's subscribers hear at once, the
/// others through the database. <see cref="PublishInTransactionAsync"/> inside a unit of work: only the other nodes, and
/// only if it commits (PostgreSQL sends a NOTIFY at commit) — this node's own code tells its subscribers after the commit.
/// </summary>
public interface IClusterEvents
{
    /// <summary>This node's id, different on every start (a node ignores what it sent itself).</summary>
    string NodeId { get; }

    Task PublishAsync(string topic, string payload = "", CancellationToken ct = default);

    Task PublishInTransactionAsync(AppDbContext db, string topic, string payload, CancellationToken ct = default);

    /// <summary>Calls <paramref name="handler"/> for every event of <paramref name="topic"/> until the handle is disposed; it must not block.</summary>
    IDisposable Subscribe(string topic, Action<string> handler);
}

/// <summary>The subscribers and the delivery every implementation shares; what differs is how a message reaches the others.</summary>
public abstract class ClusterEventsBase(ILogger logger) : IClusterEvents
{
    private const char Separator = '|';

    private readonly ConcurrentDictionary<string, ImmutableList<Action<string>>> _handlers = new(StringComparer.Ordinal);

    public string NodeId { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>Events received from other nodes since start (tests and diagnostics).</summary>
    public long Received => Interlocked.Read(ref _received);

    private long _received;

    public async Task PublishAsync(string topic, string payload = "", CancellationToken ct = default)
    {
        Deliver(topic, payload);
        try
        {
            await SendAsync(null, Encode(topic, payload), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The change is saved; the other nodes refresh on their timers and cache lifetimes.
            logger.LogWarning(e, "Could not tell the other nodes about {Topic}", topic);
        }
    }

    public Task PublishInTransactionAsync(AppDbContext db, string topic, string payload, CancellationToken ct = default) =>
        SendAsync(db, Encode(topic, payload), ct);

    public IDisposable Subscribe(string topic, Action<string> handler)
    {
        _handlers.AddOrUpdate(topic, _ => [handler], (_, list) => list.Add(handler));
        return new Subscription(this, topic, handler);
    }

    /// <summary>Sends the encoded message to the other nodes; within <paramref name="db"/>'s transaction when given.</summary>
    protected abstract Task SendAsync(AppDbContext? db, string message, CancellationToken ct);

    /// <summary>A message from the database: delivered here unless this node sent it.</summary>
    protected void OnMessage(string message)
    {
        var parts = message.Split(Separator, 3);
        if (parts.Length != 3 || parts[0] == NodeId)
        {
            return;
        }

        Interlocked.Increment(ref _received);
        Deliver(parts[1], parts[2]);
    }

    /// <summary>After the link to the other nodes was lost: whatever they said meanwhile is unknown, so every cache is dropped.</summary>
    protected void OnReconnected()
    {
        foreach (var topic in ClusterTopics.All)
        {
            Deliver(topic, "");
        }
    }

    private string Encode(string topic, string payload) => $"{NodeId}{Separator}{topic}{Separator}{payload}";

    private void Deliver(string topic, string payload)
    {
        if (!_handlers.TryGetValue(topic, out var handlers))
        {
            return;
        }

        foreach (var handler in handlers)
        {
            try
            {
                handler(payload);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "A subscriber of {Topic} failed", topic);
            }
        }
    }

    private sealed class Subscription(ClusterEventsBase owner, string topic, Action<string> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner._handlers.AddOrUpdate(topic, _ => [], (_, list) => list.Remove(handler));
            }
        }
    }
}

/// <summary>One node (SQLite, the embedded default): subscribers hear in-process, nothing goes further.</summary>
public sealed class InProcessClusterEvents(ILogger<InProcessClusterEvents> logger) : ClusterEventsBase(logger)
{
    protected override Task SendAsync(AppDbContext? db, string message, CancellationToken ct) => Task.CompletedTask;
}
