namespace ApprovalSystem.Web.Features.Guide;

/// <summary>The public guide (办事指南) and home page figures, and the anonymous catalogue API.</summary>
public static class GuideModule
{
    public static IServiceCollection AddGuide(this IServiceCollection services)
    {
        services.AddScoped<GuideQueries>();
        services.AddScoped<Home.HomeQueries>();
        return services;
    }

    public static IEndpointRouteBuilder MapGuide(this IEndpointRouteBuilder app) => app.MapPublicApi();
}
