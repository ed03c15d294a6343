using ApprovalSystem.Web.Features.Exchange.Systems;
using ApprovalSystem.Web.Infrastructure;

namespace ApprovalSystem.Web.Features.Exchange;

/// <summary>
/// Exchange:RateLimit:PermitsPerMinute (default 600) calls a minute per calling system — by the API key's hash, or by the
/// signed-in user for the admin and prefill endpoints, or by address — counted in the database, so every node spends the same
/// budget (<see cref="SharedCounters"/>, decision 0042; ASP.NET Core's rate limiter counts in one process only).
/// </summary>
internal sealed class SystemRateLimit(IConfiguration configuration, SharedCounters counters, TimeProvider clock) : IEndpointFilter
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly int _permits = Math.Max(1, configuration.GetValue("Exchange:RateLimit:PermitsPerMinute", 600));

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var now = clock.GetUtcNow();
        var taken = await counters.AddAsync("exchange:" + PartitionKey(http), Window, now, http.RequestAborted);
        if (taken.Count <= _permits)
        {
            return await next(context);
        }

        var wait = taken.WindowStart + Window - now;
        var seconds = Infrastructure.Http.ApiProblems.RetryAfterSeconds(wait);
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(title: "请求过于频繁", detail: $"调用次数超过限制，请 {seconds} 秒后再试。", statusCode: StatusCodes.Status429TooManyRequests);
    }

    private static string PartitionKey(HttpContext http) =>
        http.Request.Headers[ApiKeys.Header].FirstOrDefault() is { Length: > 0 } key ? "key:" + ApiKeys.Hash(key)
        : http.User.Identity?.Name is { } user ? "user:" + user
        : "ip:" + ApiKeyAttempts.Partition(http.Connection.RemoteIpAddress);
}
