using System.Net;
using System.Net.Sockets;

namespace ApprovalSystem.Web.Features.Exchange.Outbound;

/// <summary>
/// Where webhooks may go (Exchange:Webhooks). <see cref="AllowPrivateNetworks"/> lets every unicast address through, the centre's own
/// machine included: for tests and a developer's machine, never for a server on a network. <see cref="RequireHttps"/> defaults to on
/// outside Development.
/// </summary>
public sealed record WebhookOptions(bool AllowPrivateNetworks, bool RequireHttps)
{
    public static WebhookOptions Read(IConfiguration configuration, IHostEnvironment environment) => new(
        configuration.GetValue("Exchange:Webhooks:AllowPrivateNetworks", false),
        configuration.GetValue("Exchange:Webhooks:RequireHttps", !environment.IsDevelopment()));
}

/// <summary>A webhook's host or address that its system may not call; the reason is for the subscriber, never stored with a delivery.</summary>
public sealed class WebhookTargetRefusedException(string reason) : Exception(reason);

/// <summary>
/// A line system's webhook allow-list 回调白名单, set by an administrator: host names (<c>hook.zj.example</c>, or
/// <c>*.zj.example</c> for its subdomains) and address ranges (<c>10.20.0.0/16</c>, a single address). Empty, the system's webhooks
/// may go to any public address. Not empty, they may go only to a listed host or into a listed range; a listed range also opens
/// the private addresses in it (a department's own network), but never loopback, link-local, multicast or unspecified addresses.
/// </summary>
public sealed class WebhookAllowList
{
    public const int MaxEntries = 20;

    private readonly bool _refusesAll;

    private WebhookAllowList(IReadOnlyList<string> hosts, IReadOnlyList<IPNetwork> networks, bool refusesAll = false)
    {
        Hosts = hosts;
        Networks = networks;
        _refusesAll = refusesAll;
    }

    public static WebhookAllowList Empty { get; } = new([], []);

    public IReadOnlyList<string> Hosts { get; }

    public IReadOnlyList<IPNetwork> Networks { get; }

    public bool IsEmpty => Hosts.Count == 0 && Networks.Count == 0 && !_refusesAll;

    /// <summary>The entries as stored (comma-separated, normalised); also the key the delivery clients are kept by.</summary>
    public string Text => _refusesAll ? "!" : string.Join(',', Hosts.Concat(Networks.Select(n => n.ToString())));

    /// <summary>Splits text an administrator typed or the stored column (commas, Chinese commas, spaces or lines between entries).</summary>
    public static IReadOnlyList<string> Split(string? text) =>
        (text ?? "").Split([',', '，', ' ', '\n', '\r', '\t', ';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Reads a stored list. One that no longer parses (written around the app) lets nothing through rather than everything.</summary>
    public static WebhookAllowList Parse(string? stored) => TryParse(Split(stored), out var list, out _) ? list : new([], [], refusesAll: true);

    /// <summary>Parses an administrator's entries; <paramref name="error"/> names the first that is wrong, in Chinese.</summary>
    public static bool TryParse(IEnumerable<string> entries, out WebhookAllowList list, out string? error)
    {
        var hosts = new List<string>();
        var networks = new List<IPNetwork>();
        list = Empty;
        foreach (var raw in entries.Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            if (TryNetwork(raw, out var network, out error))
            {
                if (error is not null)
                {
                    return false;
                }

                if (!networks.Contains(network))
                {
                    networks.Add(network);
                }
            }
            else if (TryHost(raw, out var host))
            {
                if (!hosts.Contains(host))
                {
                    hosts.Add(host);
                }
            }
            else
            {
                error = $"“{raw}”不是有效的主机名或网段（如 hook.example.gov.cn、*.example.gov.cn、10.20.0.0/16）";
                return false;
            }
        }

        if (hosts.Count + networks.Count > MaxEntries)
        {
            error = $"回调白名单最多 {MaxEntries} 项";
            return false;
        }

        error = null;
        list = new WebhookAllowList(hosts, networks);
        return true;
    }

    public bool ListsHost(string host)
    {
        host = host.TrimEnd('.').ToLowerInvariant();
        return Hosts.Any(h => h.StartsWith("*.", StringComparison.Ordinal) ? host.EndsWith(h[1..], StringComparison.Ordinal) : h == host);
    }

    public bool ListsAddress(IPAddress address) => Networks.Any(n => n.Contains(address));

    /// <summary>An address or a range; <paramref name="error"/> is set when it is one but may not be listed.</summary>
    private static bool TryNetwork(string text, out IPNetwork network, out string? error)
    {
        network = default;
        error = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = (slash < 0 ? text : text[..slash]).Trim('[', ']');
        if (!IPAddress.TryParse(addressText, out var address) || addressText.Contains('%', StringComparison.Ordinal))
        {
            return false;
        }

        address = WebhookTargetPolicy.Normalize(address);
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], System.Globalization.NumberStyles.None, null, out prefix) || prefix > bits))
        {
            error = $"“{text}”的前缀长度不正确";
            return true;
        }

        // A list that opens a whole class of networks is no allow-list: at least a /8 (IPv4) or a /32 (IPv6).
        if (prefix < (bits == 32 ? 8 : 32))
        {
            error = $"网段“{text}”过大（IPv4 至少 /8，IPv6 至少 /32）";
            return true;
        }

        network = new IPNetwork(Mask(address, prefix), prefix);
        if (WebhookTargetPolicy.IsNeverAllowed(network.BaseAddress))
        {
            error = $"“{text}”是本机、链路本地或组播地址，不能加入回调白名单";
            return true;
        }

        return true;
    }

    private static bool TryHost(string text, out string host)
    {
        host = text.TrimEnd('.').ToLowerInvariant();
        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        return name.Contains('.', StringComparison.Ordinal) && Uri.CheckHostName(name) == UriHostNameType.Dns && !name.Contains('*', StringComparison.Ordinal);
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }
}

/// <summary>
/// Decides whether a webhook may go to a URL and an address (decision 0023): public unicast addresses only, unless the system's
/// allow-list opens a private range, or <see cref="WebhookOptions.AllowPrivateNetworks"/> is set. Checked when a system subscribes
/// (after resolving the name) and again when a delivery connects (<see cref="WebhookClients"/>), so a name that later resolves inward
/// (DNS rebinding) is refused too.
/// </summary>
public sealed class WebhookTargetPolicy(WebhookOptions options, WebhookAllowList allowList)
{
    public const string InternalAddress = "回调地址不能指向内网或本机地址";

    public const string NotListed = "回调地址不在本系统的回调白名单内";

    public const string Unresolvable = "回调地址的域名无法解析";

    public WebhookOptions Options => options;

    public WebhookAllowList AllowList => allowList;

    /// <summary>What can be said of the URL before resolving its host; null when nothing is wrong yet.</summary>
    public string? CheckUrl(Uri url)
    {
        if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
        {
            return "回调地址只能使用 http 或 https";
        }

        if (options.RequireHttps && url.Scheme != Uri.UriSchemeHttps)
        {
            return "回调地址必须使用 https";
        }

        if (url.UserInfo.Length > 0)
        {
            return "回调地址不能包含用户名或密码";
        }

        var host = Host(url.IdnHost);
        if (IPAddress.TryParse(host, out var literal))
        {
            return Refusal(host, literal);
        }

        // A name outside the listed hosts may still resolve into a listed range: decided on its addresses.
        return allowList.IsEmpty || allowList.ListsHost(host) || allowList.Networks.Count > 0 ? null : NotListed;
    }

    /// <summary>Why the webhook may not connect to <paramref name="address"/> for <paramref name="host"/>; null when it may.</summary>
    public string? Refusal(string host, IPAddress address)
    {
        address = Normalize(address);
        if (IsMulticastOrUnspecified(address))
        {
            return InternalAddress;
        }

        var listed = allowList.ListsAddress(address);
        if (!allowList.IsEmpty && !listed && !allowList.ListsHost(host))
        {
            return NotListed;
        }

        if (IsPublic(address) || options.AllowPrivateNetworks)
        {
            return null;
        }

        return listed && !IsNeverAllowed(address) ? null : InternalAddress;
    }

    /// <summary>Resolves a host (or reads a literal) and checks every address; throws <see cref="WebhookTargetRefusedException"/>.</summary>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        host = Host(host);
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, ct);
            }
            catch (SocketException)
            {
                throw new WebhookTargetRefusedException(Unresolvable);
            }
        }

        if (addresses.Length == 0)
        {
            throw new WebhookTargetRefusedException(Unresolvable);
        }

        // Every answer must pass: a name answering one inward address among public ones is refused as a whole.
        foreach (var address in addresses)
        {
            if (Refusal(host, address) is { } reason)
            {
                throw new WebhookTargetRefusedException(reason);
            }
        }

        return addresses;
    }

    /// <summary>The URL and every address its host resolves to; null when the webhook may be subscribed, else the reason.</summary>
    public async Task<string?> CheckAsync(Uri url, CancellationToken ct)
    {
        if (CheckUrl(url) is { } reason)
        {
            return reason;
        }

        try
        {
            await ResolveAsync(url.IdnHost, ct);
            return null;
        }
        catch (WebhookTargetRefusedException e)
        {
            return e.Message;
        }
    }

    /// <summary>An IPv4-mapped IPv6 address (<c>::ffff:127.0.0.1</c>) is the IPv4 address it carries.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>
    /// Globally reachable unicast: not loopback, link-local, private (RFC 1918, fc00::/7), shared (100.64/10), unspecified, multicast,
    /// documentation, benchmarking or reserved (IANA special-purpose registries). IPv6 only within 2000::/3.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        address = Normalize(address);
        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !(b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 100 && b[1] is >= 64 and <= 127)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
                || (b[0] == 192 && b[1] == 88 && b[2] == 99)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 198 && b[1] is 18 or 19)
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6 || (b[0] & 0xE0) != 0x20)
        {
            return false;
        }

        return !((b[0] == 0x20 && b[1] == 0x01 && b[2] < 0x02) // 2001::/23 protocol assignments (Teredo, benchmarking, ORCHID)
            || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) // 2001:db8::/32 documentation
            || (b[0] == 0x20 && b[1] == 0x02) // 2002::/16 6to4: carries an IPv4 address of any kind
            || (b[0] == 0x3F && b[1] == 0xFF && b[2] < 0x10)); // 3fff::/20 documentation
    }

    /// <summary>Never a webhook's target, whatever an allow-list says: the centre itself, link-local (cloud metadata), multicast, unspecified.</summary>
    public static bool IsNeverAllowed(IPAddress address)
    {
        address = Normalize(address);
        if (IPAddress.IsLoopback(address) || IsMulticastOrUnspecified(address))
        {
            return true;
        }

        var b = address.GetAddressBytes();
        return address.AddressFamily == AddressFamily.InterNetwork ? b[0] == 169 && b[1] == 254 : address.IsIPv6LinkLocal || address.IsIPv6SiteLocal;
    }

    private static bool IsMulticastOrUnspecified(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return address.AddressFamily == AddressFamily.InterNetwork
            ? b[0] == 0 || b[0] >= 224
            : address.Equals(IPAddress.IPv6Any) || address.IsIPv6Multicast;
    }

    private static string Host(string host) => host.Trim('[', ']');
}
