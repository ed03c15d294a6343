using System.Net;
using ApprovalSystem.Core.Identity;

namespace ApprovalSystem.Web.Infrastructure.Observability;

/// <summary>
/// Who may read the operators' addresses (/metrics, /health/details): a request from an address in
/// <c>Observability:MetricsAllowedFrom</c> (addresses or CIDR ranges; loopback when unset: the Prometheus server beside the
/// node, or through an SSH tunnel), or a signed-in administrator. The client's address is the one UseForwardedHeaders
/// settled, so only configured proxies can name another. Anyone else gets 404 (the address does not exist for them), a
/// signed-in non-administrator 403.
/// </summary>
public sealed class OperatorAccess
{
    private readonly IReadOnlyList<IPNetwork> _allowed;

    public OperatorAccess(IConfiguration configuration)
    {
        var section = configuration.GetSection("Observability:MetricsAllowedFrom");
        var entries = section.Value is { } single
            ? single.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.GetChildren().Select(c => c.Value).OfType<string>().ToArray();
        _allowed = entries.Length == 0
            ? [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")]
            : [.. entries.Select(e => e.Contains('/', StringComparison.Ordinal) ? IPNetwork.Parse(e) : new IPNetwork(IPAddress.Parse(e),
                IPAddress.Parse(e).AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128))];
    }

    /// <summary>The status to refuse the request with, or null when it may pass.</summary>
    public int? Refusal(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is not null)
        {
            var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            if (_allowed.Any(n => n.Contains(plain)))
            {
                return null;
            }
        }

        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return StatusCodes.Status404NotFound;
        }

        return user.IsInRole(Roles.Administrator) ? null : StatusCodes.Status403Forbidden;
    }

    /// <summary>A middleware that lets only operators through (see <see cref="OperatorAccess"/>).</summary>
    public static void Guard(IApplicationBuilder branch) => branch.Use(async (context, next) =>
    {
        if (context.RequestServices.GetRequiredService<OperatorAccess>().Refusal(context) is { } status)
        {
            context.Response.StatusCode = status;
            return;
        }

        await next(context);
    });
}
