using ApprovalSystem.Web.Features.Account;
using ApprovalSystem.Web.Features.Admin;
using ApprovalSystem.Web.Features.Admin.Catalogue;
using ApprovalSystem.Web.Features.Guide;

namespace ApprovalSystem.Web.Features;

public static class FeatureRegistration
{
    /// <summary>Every use case's handler; pages and endpoints inject them directly (no mediator).</summary>
    public static IServiceCollection AddFeatures(this IServiceCollection services)
    {
        services.AddScoped<SignIn.Handler>();
        services.AddScoped<Register.Validator>();
        services.AddScoped<Register.Handler>();
        services.AddScoped<GuideQueries>();
        services.AddScoped<Home.HomeQueries>();
        services.AddScoped<ImportCatalogue.Handler>();
        services.AddScoped<ExportCatalogue.Handler>();
        services.AddScoped<EditMatter.Handler>();
        services.AddScoped<EditDepartment.Handler>();
        services.AddScoped<CalendarAdmin.Handler>();
        return services;
    }
}
