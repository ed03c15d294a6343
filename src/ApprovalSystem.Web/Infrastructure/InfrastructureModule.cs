namespace ApprovalSystem.Web.Infrastructure;

/// <summary>What every feature builds on: the working-day calendar, the workflows, the case store and the reference cache.</summary>
public static class InfrastructureModule
{
    public static IServiceCollection AddCaseInfrastructure(this IServiceCollection services)
    {
        services.AddSingleton<WorkingTimeProvider>();
        services.AddSingleton<WorkflowCatalog>();
        services.AddScoped<CaseStore>();
        services.AddScoped<CircuitPresence>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<CircuitPresence>());
        services.AddSingleton<ReferenceCache>();
        services.AddSingleton<SharedCounters>(); // limits every node shares (decision 0042)
        services.AddHttpContextAccessor();
        return services;
    }
}
