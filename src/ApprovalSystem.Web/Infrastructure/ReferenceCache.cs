using System.Collections.Concurrent;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>
/// Small, rarely changing data that every case act reads — a department's staff for its
/// notifications, the webhook subscriptions for the outbox — kept for a short while instead of being
/// queried on every act. This node drops an entry as soon as it changes the data
/// (<see cref="Invalidate"/>) and tells the other nodes (<see cref="Cluster.IClusterEvents"/>); should that fail, they
/// see a change within <see cref="Lifetime"/>.
/// </summary>
public sealed class ReferenceCache(TimeProvider clock, Cluster.IClusterEvents? events = null)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    public const string Staff = "staff:";

    public const string Webhooks = "webhooks";

    private readonly ConcurrentDictionary<string, (object Value, DateTimeOffset LoadedAt)> _entries = new();

    public async Task<T> GetAsync<T>(string key, Func<Task<T>> load)
        where T : class
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && now - entry.LoadedAt < Lifetime && now >= entry.LoadedAt)
        {
            return (T)entry.Value;
        }

        var value = await load();
        _entries[key] = (value, now);
        return value;
    }

    /// <summary>Drops every entry whose key starts with <paramref name="prefix"/> (<see cref="Staff"/>, <see cref="Webhooks"/>).</summary>
    public void Invalidate(string prefix)
    {
        InvalidateHere(prefix);
        if (events is not null)
        {
            _ = events.PublishAsync(Cluster.ClusterTopics.Reference, prefix);
        }
    }

    /// <summary>Another node changed the data under <paramref name="prefix"/>.</summary>
    public void InvalidateHere(string prefix)
    {
        foreach (var key in _entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            _entries.TryRemove(key, out _);
        }
    }
}
