using ApprovalSystem.Web.Features.Supervision.Alerts;
using ApprovalSystem.Web.Features.Supervision.Cards;
using ApprovalSystem.Web.Features.Supervision.Dashboard;
using ApprovalSystem.Web.Features.Supervision.Orders;
using ApprovalSystem.Web.Features.Supervision.Performance;
using ApprovalSystem.Web.Infrastructure;

namespace ApprovalSystem.Web.Features.Supervision;

/// <summary>Electronic supervision: the scan (cards, alerts, process rules), orders, performance, the live dashboard and its API.</summary>
public static class SupervisionModule
{
    public static IServiceCollection AddSupervision(this IServiceCollection services)
    {
        services.AddSingleton<SupervisionLive>();
        services.AddSingleton<ICaseActObserver>(sp => sp.GetRequiredService<SupervisionLive>());
        services.AddSingleton<ICaseActWriter, ClusterCaseActs>();
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Supervision").Get<SupervisionOptions>() ?? new SupervisionOptions());
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Supervision:Scoring").Get<Core.Supervision.ScoringRules>()
            ?? Core.Supervision.ScoringRules.Default);
        services.AddScoped<ISupervisionRuleSet, ProcessRuleSet>();
        services.AddScoped<CardRaiser>();
        services.AddScoped<CardCloser>();
        services.AddScoped<AlertRunner>();
        services.AddScoped<OrderEscalation>();
        services.AddScoped<ScanJob>();
        services.AddScoped<SupervisionQueries>();
        services.AddSingleton<DashboardFigures>();
        services.AddScoped<PerformanceAggregator>();
        services.AddScoped<PerformanceQueries>();
        services.AddScoped<BundleStatistics>();
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
