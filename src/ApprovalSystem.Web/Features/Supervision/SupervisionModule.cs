using ApprovalSystem.Web.Infrastructure;

namespace ApprovalSystem.Web.Features.Supervision;

/// <summary>Electronic supervision: the scan (cards, alerts, process rules), orders, performance, the live dashboard and its API.</summary>
public static class SupervisionModule
{
    public static IServiceCollection AddSupervision(this IServiceCollection services)
    {
        services.AddSingleton<SupervisionLive>();
        services.AddSingleton<ICaseActObserver>(sp => sp.GetRequiredService<SupervisionLive>());
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Supervision").Get<SupervisionOptions>() ?? new SupervisionOptions());
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Supervision:Scoring").Get<Core.Supervision.ScoringRules>()
            ?? Core.Supervision.ScoringRules.Default);
        services.AddScoped<ISupervisionRuleSet, ProcessRuleSet>();
        services.AddScoped<SupervisionScanner>();
        services.AddScoped<SupervisionQueries>();
        services.AddScoped<PerformanceAggregator>();
        services.AddScoped<PerformanceQueries>();
        services.AddScoped<SupervisionOrders.IssueValidator>();
        services.AddScoped<SupervisionOrders.RespondValidator>();
        services.AddScoped<SupervisionOrders.Handler>();
        return services;
    }

    public static IEndpointRouteBuilder MapSupervision(this IEndpointRouteBuilder app)
    {
        app.MapSupervisionApi();
        return app;
    }
}
