using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>
/// Folds the counts kept by the writes (<see cref="StateCounts"/>, decision 0021) every <see cref="Interval"/> on every
/// node, so that reading a count sums a few rows: the deltas written since the last pass and one row for the rest. Two
/// nodes folding the same count at once leave it exact (one of them rolls back); a failed pass is logged and tried again.
/// </summary>
public sealed class StateCountCompactor(IDbContextFactory<AppDbContext> dbFactory, ILogger<StateCountCompactor> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
                    await StateCounts.CompactAsync(db, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Folding the kept counts failed; the next pass tries again.");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
