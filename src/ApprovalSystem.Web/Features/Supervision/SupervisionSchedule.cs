using Hangfire;

namespace ApprovalSystem.Web.Features.Supervision;

/// <summary>Registers the recurring supervision scan with Hangfire (interval from Supervision:ScanIntervalMinutes).</summary>
public static class SupervisionSchedule
{
    public const string JobId = "supervision-scan";

    public static void Register(IServiceProvider services)
    {
        var options = services.GetRequiredService<SupervisionOptions>();
        var minutes = Math.Clamp(options.ScanIntervalMinutes, 1, 59);
        services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<SupervisionScanner>(JobId, s => s.RunAsync(), Cron.MinuteInterval(minutes));
    }
}
