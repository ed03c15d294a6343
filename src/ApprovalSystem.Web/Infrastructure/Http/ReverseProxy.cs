using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace ApprovalSystem.Web.Infrastructure.Http;

/// <summary>
/// The app runs behind a TLS-terminating reverse proxy (nginx): it takes the client's address and scheme from
/// <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c>, but only from proxies it trusts — loopback by default (nginx on the same
/// host), more with <c>ReverseProxy:KnownProxies</c> (addresses) and <c>ReverseProxy:KnownNetworks</c> (CIDR). Without this,
/// every client would share the proxy's address (per-address limits would be one bucket) and the app would never know the
/// browser spoke HTTPS (no HSTS). A header from anyone else is ignored, so a client cannot choose its own address.
/// </summary>
public static class ReverseProxy
{
    public static IServiceCollection AddReverseProxySupport(this IServiceCollection services, IConfiguration configuration) =>
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = 1;
            foreach (var proxy in configuration.GetSection("ReverseProxy:KnownProxies").Get<string[]>() ?? [])
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in configuration.GetSection("ReverseProxy:KnownNetworks").Get<string[]>() ?? [])
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
}
