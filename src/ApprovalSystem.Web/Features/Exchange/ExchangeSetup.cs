using System.Threading.RateLimiting;
using ApprovalSystem.Web.Features.Exchange.Inbound;
using ApprovalSystem.Web.Features.Exchange.Outbound;
using ApprovalSystem.Web.Features.Exchange.Resources;
using ApprovalSystem.Web.Features.Exchange.Supervision;
using ApprovalSystem.Web.Features.Exchange.Systems;
using Hangfire;

namespace ApprovalSystem.Web.Features.Exchange;

/// <summary>Services, rate limiting and the delivery job of the exchange platform.</summary>
public static class ExchangeSetup
{
    /// <summary>The centre's own department: the consumer for window prefill.</summary>
    public const string CentreDepartment = "FWZX";

    /// <summary>
    /// Exchange:RateLimit:PermitsPerMinute (default 600) per calling system — partitioned by the
    /// API key's hash, or by the signed-in user for the admin and prefill endpoints; and
    /// Exchange:RateLimit:FailedKeysPerMinute (default 20) key lookups per client address (<see cref="ApiKeyAttempts"/>).
    /// Webhooks: Exchange:Webhooks:AllowPrivateNetworks, Exchange:Webhooks:RequireHttps (<see cref="WebhookOptions"/>).
    /// </summary>
    public static IServiceCollection AddExchange(this IServiceCollection services, IConfiguration configuration)
    {
        // In every case act's transaction: the events subscribed systems receive.
        services.AddSingleton<Infrastructure.ICaseActWriter, ExchangeOutbox>();
        services.AddSingleton<Infrastructure.Seeding.IDemoSeed, ExchangeDemoSeed>();
        services.AddSingleton<Infrastructure.Seeding.IDemoSeed, ExchangeDemoLineSystemsSeed>();
        services.AddScoped<LineSystems.Validator>();
        services.AddScoped<LineSystems.Handler>();
        services.AddScoped<PushCaseState.Validator>();
        services.AddScoped<PushCaseState.Handler>();
        services.AddScoped<ResourceCatalogue>();
        services.AddScoped<Prefill>();
        services.AddScoped<SupervisionFeed>();
        services.AddScoped<ExchangeQueries>();
        services.AddScoped<WebhookDispatcher>();
        services.AddScoped<WebhookDeliveryJob>();
        services.AddSingleton(sp => WebhookOptions.Read(configuration, sp.GetRequiredService<IHostEnvironment>()));
        services.AddSingleton<WebhookClients>();
        services.AddSingleton<ApiKeyAttempts>();

        var permits = configuration.GetValue("Exchange:RateLimit:PermitsPerMinute", 600);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (ctx, _) =>
            {
                var wait = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
                await Infrastructure.Http.ApiProblems.WriteAsync(ctx.HttpContext, StatusCodes.Status429TooManyRequests, "请求过于频繁",
                    $"调用次数超过限制，请 {Infrastructure.Http.ApiProblems.RetryAfterSeconds(wait)} 秒后再试。", wait);
            };
            o.AddPolicy(ExchangeApi.RateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                PartitionKey(http),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        return services;
    }

    /// <summary>Maps the API and schedules webhook delivery every minute.</summary>
    public static WebApplication UseExchange(this WebApplication app)
    {
        app.MapExchangeApi();
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<WebhookDeliveryJob>(WebhookDeliveryJob.Id, j => j.RunAsync(), Cron.Minutely());
        return app;
    }

    private static string PartitionKey(HttpContext http) =>
        http.Request.Headers[ApiKeys.Header].FirstOrDefault() is { Length: > 0 } key ? "key:" + ApiKeys.Hash(key)
        : http.User.Identity?.Name is { } user ? "user:" + user
        : "ip:" + http.Connection.RemoteIpAddress;
}
