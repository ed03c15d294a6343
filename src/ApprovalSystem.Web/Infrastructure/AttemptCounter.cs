using System.Collections.Concurrent;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>
/// Counts attempts by key within sliding windows, in this process's memory (each node counts its own): the guards that
/// keep public forms from being used to guess (query codes, registered identifiers) are built on it. A key is kept at
/// most <paramref name="keep"/> attempts deep; keys whose attempts have all left <paramref name="longest"/> are
/// forgotten once more than 10,000 are held (at most once a minute).
/// </summary>
public sealed class AttemptCounter(TimeProvider clock, TimeSpan longest, int keep)
{
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _attempts = new(StringComparer.Ordinal);
    private long _nextPruneTicks;

    /// <summary>The attempts on <paramref name="key"/> within the last <paramref name="window"/>.</summary>
    public int Count(string key, TimeSpan window)
    {
        if (!_attempts.TryGetValue(key, out var times))
        {
            return 0;
        }

        lock (times)
        {
            var since = clock.GetUtcNow() - window;
            while (times.Count > 0 && times.Peek() < since)
            {
                times.Dequeue();
            }

            return times.Count;
        }
    }

    public void Add(string key)
    {
        var now = clock.GetUtcNow();
        if (_attempts.Count > 10_000 && now.UtcTicks >= Interlocked.Read(ref _nextPruneTicks))
        {
            // A table still full of recent attempts is not scanned on every attempt.
            Interlocked.Exchange(ref _nextPruneTicks, (now + TimeSpan.FromMinutes(1)).UtcTicks);
            foreach (var stale in _attempts.Where(kv => Count(kv.Key, longest) == 0).Select(kv => kv.Key).ToList())
            {
                _attempts.TryRemove(stale, out _);
            }
        }

        var times = _attempts.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
        lock (times)
        {
            times.Enqueue(now);

            // A client that keeps trying is only ever counted up to what the guard's limits need.
            while (times.Count > keep)
            {
                times.Dequeue();
            }
        }
    }
}
