using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Supervision;

/// <summary>
/// Registers the recurring supervision jobs with Hangfire: the scan (every
/// Supervision:ScanIntervalMinutes, default 1) and the performance aggregation (every 5 minutes);
/// and builds the performance days once when they are still empty (a first start, demo data).
/// </summary>
public static class SupervisionSchedule
{
    public const string ScanJobId = "supervision-scan";
    public const string PerformanceJobId = "performance-aggregate";

    public static async Task StartAsync(IServiceProvider services)
    {
        var options = services.GetRequiredService<SupervisionOptions>();
        var minutes = Math.Clamp(options.ScanIntervalMinutes, 1, 59);
        var jobs = services.GetRequiredService<IRecurringJobManager>();
        jobs.AddOrUpdate<SupervisionScanner>(ScanJobId, s => s.RunAsync(), Cron.MinuteInterval(minutes));
        jobs.AddOrUpdate<PerformanceAggregator>(PerformanceJobId, a => a.RunAsync(), Cron.MinuteInterval(5));

        using var scope = services.CreateScope();
        // Catch up at once after downtime (the cards are keyed, so this never duplicates one).
        await scope.ServiceProvider.GetRequiredService<SupervisionScanner>().ScanAsync();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<Data.AppDbContext>>().CreateDbContextAsync();
        if (!await db.PerformanceDays.AnyAsync() && await db.Cases.AnyAsync())
        {
            await scope.ServiceProvider.GetRequiredService<PerformanceAggregator>().RebuildAsync();
        }
    }
}
