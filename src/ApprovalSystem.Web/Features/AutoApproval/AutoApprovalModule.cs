using ApprovalSystem.Web.Infrastructure.Seeding;

namespace ApprovalSystem.Web.Features.AutoApproval;

/// <summary>
/// Automatic approval 秒批 (decision 0059): versioned rules per matter in the one condition language, run on filing by
/// <see cref="AutoApprover"/>; the explanation of every run on the case page and the supervisors' list; the administrators' rule
/// versions and shadow runs over concluded cases.
/// </summary>
public static class AutoApprovalModule
{
    public static IServiceCollection AddAutoApproval(this IServiceCollection services)
    {
        services.AddScoped<AutoApprover>();
        services.AddScoped<AutoApprovalQueries>();
        services.AddScoped<RuleVersions.Handler>();
        services.AddScoped<ShadowRun.Handler>();
        services.AddScoped<IReferenceSeed, AutoApprovalSeed>();
        services.AddSingleton<IDemoSeed, AutoApprovalDemoSeed>();
        return services;
    }
}
