using Hangfire;

namespace ApprovalSystem.Web.Features.Privacy;

/// <summary>Personal data (PIPL, docs/privacy.md): the record of staff reads of full values, and the retention job.</summary>
public static class PrivacyModule
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Privacy").Get<PrivacyOptions>() ?? new PrivacyOptions());
        services.AddScoped<PersonalDataReads>();
        services.AddScoped<RetentionJob>();
        return services;
    }

    /// <summary>Registers the retention job: daily at 18:30 UTC (02:30 in China, when nobody files; a cron in UTC, as Hangfire stores a time
    /// zone by its id and a server may lack Asia/Shanghai).</summary>
    public static void Schedule(IServiceProvider services) =>
        services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<RetentionJob>(RetentionJob.JobId, j => j.RunAsync(), "30 18 * * *");
}
