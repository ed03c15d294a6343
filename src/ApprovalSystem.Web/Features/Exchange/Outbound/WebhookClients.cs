using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ApprovalSystem.Web.Features.Exchange.Outbound;

/// <summary>
/// The HTTP clients webhooks are sent with: one per allow-list, so a connection opened under one system's list (into a range it
/// opens) is never reused for a system without it. Each client resolves the host itself when it connects, checks every address
/// (<see cref="WebhookTargetPolicy"/>) and connects only to a checked one; it follows no redirects and uses no proxy (the check must
/// see the real target).
/// </summary>
public sealed class WebhookClients(WebhookOptions options) : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, Lazy<(WebhookTargetPolicy Policy, HttpClient Client)>> _clients = new();

    public WebhookOptions Options => options;

    public WebhookTargetPolicy Policy(WebhookAllowList allowList) => Get(allowList).Policy;

    public HttpClient Client(WebhookAllowList allowList) => Get(allowList).Client;

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Client.Dispose();
        }
    }

    private (WebhookTargetPolicy Policy, HttpClient Client) Get(WebhookAllowList allowList) =>
        _clients.GetOrAdd(allowList.Text, _ => new(() => Create(new WebhookTargetPolicy(options, allowList)))).Value;

    private static (WebhookTargetPolicy, HttpClient) Create(WebhookTargetPolicy policy)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = (context, ct) => ConnectAsync(policy, context.DnsEndPoint, ct),
        };
        return (policy, new HttpClient(handler) { Timeout = Timeout });
    }

    /// <summary>Resolves, checks every address, then connects to the checked addresses only: a second lookup could answer otherwise.</summary>
    private static async ValueTask<Stream> ConnectAsync(WebhookTargetPolicy policy, DnsEndPoint endPoint, CancellationToken ct)
    {
        var addresses = await policy.ResolveAsync(endPoint.Host, ct);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(address, endPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }
}
