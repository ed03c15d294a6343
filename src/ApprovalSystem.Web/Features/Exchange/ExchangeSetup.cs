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
    /// Exchange:RateLimit:PermitsPerMinute (default 600) per calling system (<see cref="SystemRateLimit"/>); and
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

        // The per-system budget is SystemRateLimit's, counted in the database; ASP.NET Core's limiter (one process's memory) holds
        // no policy, and is kept registered for UseRateLimiter.
        services.AddRateLimiter(o => o.RejectionStatusCode = StatusCodes.Status429TooManyRequests);
        return services;
    }

    /// <summary>Maps the API and schedules webhook delivery every minute.</summary>
    public static WebApplication UseExchange(this WebApplication app)
    {
        app.MapExchangeApi();
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<WebhookDeliveryJob>(WebhookDeliveryJob.Id, j => j.RunAsync(), Cron.Minutely());
        return app;
    }
}
