using System.Collections.Concurrent;
using System.Net;

namespace ApprovalSystem.Web.Infrastructure.Security;

/// <summary>
/// Slows password guessing without letting anyone lock a real user out (issue 15, item 5; decision 0027). Failures are
/// counted per account name as typed and client address, and per address alone: after 5 failures of one account from one
/// address (or 20 of any accounts from one address) in 15 minutes, that address must wait 1 minute before its next try for
/// that account (or any), doubling with each further failure up to 30 minutes. The same account from another address is
/// not affected, so a clerk cannot be locked out by someone else's guesses. Unknown accounts are counted exactly as real
/// ones (the answer and the wait do not tell them apart). Kept in each node's memory: with N nodes a guesser gets N times
/// the tries, still a handful a minute.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    public const int AccountFailures = 5;

    public const int AddressFailures = 20;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private static readonly TimeSpan FirstWait = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(30);

    private sealed class Counter
    {
        public int Failures;
        public DateTimeOffset WindowStart;
        public DateTimeOffset BlockedUntil;
    }

    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    /// <summary>How long this address must still wait before trying this account; zero when it may try now.</summary>
    public TimeSpan Wait(string account, IPAddress? address)
    {
        var now = clock.GetUtcNow();
        var wait = TimeSpan.Zero;
        foreach (var key in Keys(account, address))
        {
            if (_counters.TryGetValue(key, out var c))
            {
                lock (c)
                {
                    if (c.BlockedUntil > now && c.BlockedUntil - now > wait)
                    {
                        wait = c.BlockedUntil - now;
                    }
                }
            }
        }

        return wait;
    }

    public void Failed(string account, IPAddress? address)
    {
        var now = clock.GetUtcNow();
        var keys = Keys(account, address);
        for (var i = 0; i < keys.Length; i++)
        {
            var limit = i == 0 ? AccountFailures : AddressFailures;
            var c = _counters.GetOrAdd(keys[i], _ => new Counter { WindowStart = now });
            lock (c)
            {
                if (now - c.WindowStart > Window && c.BlockedUntil <= now)
                {
                    c.Failures = 0;
                    c.WindowStart = now;
                }

                c.Failures++;
                if (c.Failures >= limit)
                {
                    var doublings = Math.Min(c.Failures - limit, 10);
                    var wait = TimeSpan.FromTicks(Math.Min(FirstWait.Ticks << doublings, LongestWait.Ticks));
                    c.BlockedUntil = now + wait;
                    c.WindowStart = now; // the window runs on from the latest failure while blocked
                }
            }
        }

        Prune(now);
    }

    /// <summary>A correct password clears the account's count from that address (not the address's own).</summary>
    public void Succeeded(string account, IPAddress? address) => _counters.TryRemove(Keys(account, address)[0], out _);

    /// <summary>The account-and-address key, then the address's own (none when the server does not know the address).</summary>
    private static string[] Keys(string account, IPAddress? address)
    {
        var from = address?.ToString() ?? "-";
        var pair = $"a|{account.Trim().ToLowerInvariant()}|{from}";
        return address is null ? [pair] : [pair, $"i|{from}"];
    }

    private void Prune(DateTimeOffset now)
    {
        if (_counters.Count < 10_000)
        {
            return;
        }

        foreach (var (key, c) in _counters)
        {
            if (c.BlockedUntil <= now && now - c.WindowStart > Window)
            {
                _counters.TryRemove(key, out _);
            }
        }
    }
}
