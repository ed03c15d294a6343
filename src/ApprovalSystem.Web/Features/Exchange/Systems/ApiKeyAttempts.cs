using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ApprovalSystem.Web.Infrastructure;

namespace ApprovalSystem.Web.Features.Exchange.Systems;

/// <summary>
/// Limits the API keys looked up per client address (Exchange:RateLimit:FailedKeysPerMinute, default 20). The per-system limit
/// partitions by the key, so each wrong key would start afresh and cost a database lookup: here every lookup of a key this node has
/// not yet accepted takes a permit from its address's budget, taken before the lookup, and an address without one is answered 429
/// without it. The budget is counted in the database, so all nodes share it (<see cref="SharedCounters"/>, decision 0042). A key
/// this node has accepted is no guess and is not counted: a system behind the same address as a guesser keeps working within its
/// own limit. IPv6 clients count by their /64, which one client usually holds whole.
/// </summary>
public sealed class ApiKeyAttempts(IConfiguration configuration, SharedCounters counters, TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, byte> _accepted = new();

    public int PerMinute { get; } = Math.Max(1, configuration.GetValue("Exchange:RateLimit:FailedKeysPerMinute", 20));

    /// <summary>
    /// Whether a key with this hash may be looked up for a caller at <paramref name="address"/>; when not, how long until it may.
    /// </summary>
    public async Task<(bool Allowed, TimeSpan? RetryAfter)> TryLookupAsync(string keyHash, IPAddress? address, CancellationToken ct = default)
    {
        if (_accepted.ContainsKey(keyHash))
        {
            return (true, null);
        }

        var now = clock.GetUtcNow();
        var taken = await counters.AddAsync("apikey:" + Partition(address), Window, now, ct);
        return taken.Count <= PerMinute ? (true, null) : (false, taken.WindowStart + Window - now);
    }

    /// <summary>The key was found and is valid: its next lookups cost its address nothing.</summary>
    public void Accepted(string keyHash) => _accepted.TryAdd(keyHash, 0);

    /// <summary>The key was refused (unknown, revoked, rotated away): it is counted again.</summary>
    public void Refused(string keyHash) => _accepted.TryRemove(keyHash, out _);

    /// <summary>The address a client is counted by: IPv4 whole, IPv6 by its /64 (a client holds many addresses of one).</summary>
    public static string Partition(IPAddress? address)
    {
        if (address is null)
        {
            return "none";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
