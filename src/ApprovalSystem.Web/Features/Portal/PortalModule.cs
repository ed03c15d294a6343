namespace ApprovalSystem.Web.Features.Portal;

/// <summary>The applicants' portal: applying, the inbox 消息, ratings and complaints (好差评) on their cases.</summary>
public static class PortalModule
{
    public static IServiceCollection AddPortal(this IServiceCollection services)
    {
        services.AddScoped<ApplyQueries>();
        services.AddScoped<InboxQueries>();
        services.AddScoped<InboxActs.Handler>();
        services.AddScoped<Feedback.RateValidator>();
        services.AddScoped<Feedback.ComplainValidator>();
        services.AddScoped<Feedback.Handler>();
        return services;
    }
}
