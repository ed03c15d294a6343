using ApprovalSystem.Web.Features.Supervision.Performance;
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
        jobs.AddOrUpdate<ScanJob>(ScanJobId, s => s.RunAsync(), Cron.MinuteInterval(minutes));
        jobs.AddOrUpdate<PerformanceAggregator>(PerformanceJobId, a => a.RunAsync(), Cron.MinuteInterval(5));

        // Catch up after downtime (cards are keyed, so this never duplicates one) and build the
        // performance days once. In production this runs as background jobs so a large backlog never
        // delays start-up; in development (small demo data) at once, so the first page shows it.
        var development = services.GetRequiredService<IHostEnvironment>().IsDevelopment();
        using var scope = services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<Data.AppDbContext>>().CreateDbContextAsync();
        var rebuild = !await db.PerformanceDays.AnyAsync() && await db.Cases.AnyAsync();
        if (development)
        {
            await scope.ServiceProvider.GetRequiredService<ScanJob>().ScanAsync();
            if (rebuild)
            {
                await scope.ServiceProvider.GetRequiredService<PerformanceAggregator>().RebuildAsync();
            }

            return;
        }

        var background = services.GetRequiredService<IBackgroundJobClient>();
        background.Enqueue<ScanJob>(s => s.RunAsync());
        if (rebuild)
        {
            background.Enqueue<PerformanceAggregator>(a => a.RebuildAsync(CancellationToken.None));
        }
    }
}
