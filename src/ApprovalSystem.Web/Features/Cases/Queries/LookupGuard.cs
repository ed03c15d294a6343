using System.Collections.Concurrent;

namespace ApprovalSystem.Web.Features.Cases.Queries;

/// <summary>
/// Keeps the public progress lookup 办件查询 from being used to guess query codes: case numbers are
/// sequential and a query code has six digits, so without a limit the cases of a day could be found
/// by trying codes. Wrong attempts are counted per client (an address, or one open lookup page) and
/// per case number; past the limit the lookup answers "too many attempts" until the window passes,
/// even with the right code. Right answers never count.
/// </summary>
public sealed class LookupGuard(TimeProvider clock)
{
    /// <summary>Wrong attempts one client may make in <see cref="ClientWindow"/>.</summary>
    public const int ClientLimit = 10;

    /// <summary>Wrong attempts on one case number, from anywhere, in <see cref="NumberWindow"/>.</summary>
    public const int NumberLimit = 20;

    public static readonly TimeSpan ClientWindow = TimeSpan.FromMinutes(10);

    public static readonly TimeSpan NumberWindow = TimeSpan.FromHours(1);

    /// <summary>What a blocked client is told.</summary>
    public const string BlockedMessage = "查询码错误次数过多，请10分钟后再试。如查询码遗失，请携带身份证件到政务服务中心窗口查询。";

    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);
    private long _nextPruneTicks;

    public bool IsBlocked(string client, string number) =>
        Count("client:" + client, ClientWindow) >= ClientLimit || Count("number:" + number.Trim(), NumberWindow) >= NumberLimit;

    public void Failed(string client, string number)
    {
        Add("client:" + client);
        Add("number:" + number.Trim());
    }

    private int Count(string key, TimeSpan window)
    {
        if (!_failures.TryGetValue(key, out var times))
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

    private void Add(string key)
    {
        var now = clock.GetUtcNow();
        if (_failures.Count > 10_000 && now.UtcTicks >= Interlocked.Read(ref _nextPruneTicks))
        {
            // Forget the clients and numbers whose attempts have all left their window (at most once a
            // minute: a table still full of recent attempts is not scanned on every wrong code).
            Interlocked.Exchange(ref _nextPruneTicks, (now + TimeSpan.FromMinutes(1)).UtcTicks);
            foreach (var stale in _failures.Where(kv => Count(kv.Key, NumberWindow) == 0).Select(kv => kv.Key).ToList())
            {
                _failures.TryRemove(stale, out _);
            }
        }

        var times = _failures.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
        lock (times)
        {
            times.Enqueue(now);

            // A client that keeps trying is only ever counted up to what the longest window needs.
            while (times.Count > Math.Max(ClientLimit, NumberLimit) * 4)
            {
                times.Dequeue();
            }
        }
    }
}
