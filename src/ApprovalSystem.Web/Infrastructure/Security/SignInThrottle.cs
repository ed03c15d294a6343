using System.Net;

namespace ApprovalSystem.Web.Infrastructure.Security;

/// <summary>
/// Slows password guessing without letting anyone lock a real user out (issue 15, item 5; decision 0027). Failures are
/// counted per account name as typed and client address, and per address alone: after 5 failures of one account from one
/// address (or 20 of any accounts from one address) in 15 minutes, that address must wait 1 minute before its next try for
/// that account (or any), doubling with each further failure up to 30 minutes. The same account from another address is
/// not affected, so a clerk cannot be locked out by someone else's guesses. Unknown accounts are counted exactly as real
/// ones (the answer and the wait do not tell them apart). Counted in the database (<see cref="SharedCounters"/>, decision 0042),
/// so N nodes give a guesser no more tries than one.
/// </summary>
public sealed class SignInThrottle(SharedCounters counters, TimeProvider clock)
{
    public const int AccountFailures = 5;

    public const int AddressFailures = 20;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private static readonly TimeSpan FirstWait = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(30);

    /// <summary>How long this address must still wait before trying this account; zero when it may try now.</summary>
    public async Task<TimeSpan> WaitAsync(string account, IPAddress? address, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var wait = TimeSpan.Zero;
        foreach (var c in await counters.ReadAsync(Keys(account, address), ct))
        {
            if (c.BlockedUntil - now > wait)
            {
                wait = c.BlockedUntil - now;
            }
        }

        return wait;
    }

    public async Task FailedAsync(string account, IPAddress? address, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var keys = Keys(account, address);
        for (var i = 0; i < keys.Length; i++)
        {
            var limit = i == 0 ? AccountFailures : AddressFailures;

            // The window starts again only once it has passed and no wait is running (SharedCounters.AddAsync).
            var failures = (await counters.AddAsync(keys[i], Window, now, ct)).Count;
            if (failures >= limit)
            {
                var doublings = Math.Min(failures - limit, 10);
                var wait = TimeSpan.FromTicks(Math.Min(FirstWait.Ticks << doublings, LongestWait.Ticks));
                await counters.HoldAsync(keys[i], now + wait, now, ct); // the window runs on from the latest failure while held
            }
        }
    }

    /// <summary>A correct password clears the account's count from that address (not the address's own).</summary>
    public Task SucceededAsync(string account, IPAddress? address, CancellationToken ct = default) => counters.RemoveAsync(Keys(account, address)[0], ct);

    /// <summary>The account-and-address key, then the address's own (none when the server does not know the address).</summary>
    private static string[] Keys(string account, IPAddress? address)
    {
        var from = address?.ToString() ?? "-";
        var pair = $"signin:a|{account.Trim().ToLowerInvariant()}|{from}";
        return address is null ? [pair] : [pair, $"signin:i|{from}"];
    }
}
