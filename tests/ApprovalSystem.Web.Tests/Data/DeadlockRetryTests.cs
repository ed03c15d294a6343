using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure.Persistence;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Data;

/// <summary>
/// What the case store treats as a lost race and runs again (<see cref="SqlDialect.IsDeadlock"/>): on PostgreSQL two transactions
/// that lock two rows in opposite orders really deadlock, and the victim's exception is recognised; a unique violation is a race of
/// another kind and is not taken for a deadlock. Two nodes acting on one case and its journal can meet this way (the two-node
/// harness saw one 500 that this classifies).
/// </summary>
public sealed class DeadlockRetryTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task AUniqueViolation_IsARace_ButNotADeadlock()
    {
        factory.CreateClient().Dispose();
        await using var db = factory.CreateDbContext();
        var key = $"Test.Deadlock.{Guid.NewGuid():N}";
        db.Settings.Add(new SystemSetting { Key = key, Value = "1" });
        await db.SaveChangesAsync();

        await using var other = factory.CreateDbContext();
        other.Settings.Add(new SystemSetting { Key = key, Value = "2" });
        var e = await Assert.ThrowsAsync<DbUpdateException>(() => other.SaveChangesAsync());

        Assert.True(SqlDialect.IsUniqueViolation(e));
        Assert.False(SqlDialect.IsDeadlock(e));
    }

    [Fact]
    public async Task TwoTransactionsLockingInOppositeOrders_TheVictimIsRecognisedAsADeadlock()
    {
        factory.CreateClient().Dispose();
        var (a, b) = ($"Test.Lock.{Guid.NewGuid():N}", $"Test.Lock.{Guid.NewGuid():N}");
        await using (var seed = factory.CreateDbContext())
        {
            seed.Settings.AddRange(new SystemSetting { Key = a, Value = "0" }, new SystemSetting { Key = b, Value = "0" });
            await seed.SaveChangesAsync();
        }

        if (!AppFactory.IsPostgres)
        {
            // SQLite has one writer at a time (the store's writers queue at its write gate): nothing can deadlock there. The CI runs
            // this class on PostgreSQL too.
            return;
        }

        using var bothHoldOne = new Barrier(2);
        async Task<Exception?> LockAsync(string firstKey, string secondKey)
        {
            await using var db = factory.CreateDbContext();
            await using var tx = await db.Database.BeginTransactionAsync();
            try
            {
                await db.Settings.Where(s => s.Key == firstKey).ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, "1"));
                bothHoldOne.SignalAndWait(TimeSpan.FromSeconds(30));
                await db.Settings.Where(s => s.Key == secondKey).ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, "2"));
                await tx.CommitAsync();
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        }

        var outcomes = await Task.WhenAll(Task.Run(() => LockAsync(a, b)), Task.Run(() => LockAsync(b, a)));

        // PostgreSQL breaks the cycle by rolling one back; the other commits.
        var victim = Assert.Single(outcomes, o => o is not null)!;
        Assert.True(SqlDialect.IsDeadlock(victim), victim.ToString());
        Assert.False(SqlDialect.IsUniqueViolation(victim));
    }
}
