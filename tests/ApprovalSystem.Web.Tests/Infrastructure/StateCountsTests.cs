using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Cases.Queries;
using ApprovalSystem.Web.Features.Exchange;
using ApprovalSystem.Web.Features.Exchange.Outbound;
using ApprovalSystem.Web.Features.Exchange.Systems;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Infrastructure;

/// <summary>
/// The counts per state kept by the writes (decision 0021): the window's queue headings and the exchange's delivery counts
/// read them instead of counting the tables. After every kind of write, folded or not, folded by several at once while acts
/// run, they equal a recount of the table.
/// </summary>
public sealed class StateCountsTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private async Task<Dictionary<CaseState, int>> RecountCasesAsync()
    {
        await using var db = factory.CreateDbContext();
        var counts = await db.Cases.IgnoreAutoIncludes().GroupBy(c => c.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        return Enum.GetValues<CaseState>().ToDictionary(s => s, s => counts.SingleOrDefault(c => c.Key == s)?.Count ?? 0);
    }

    /// <summary>Each department's cases: those it leads or has a step in (what an officer's case list shows).</summary>
    private async Task<Dictionary<string, (int Recount, int Kept)>> DepartmentsAsync()
    {
        await using var db = factory.CreateDbContext();
        var departments = await db.Departments.Select(d => d.Code).ToListAsync();
        var counts = new Dictionary<string, (int, int)>();
        foreach (var d in departments)
        {
            counts[d] = (await db.Cases.IgnoreAutoIncludes().CountAsync(c => c.LeadDepartment == d || c.Steps.Any(s => s.Department == d)),
                await StateCounts.ReadAsync(db, StateCounts.CaseDepartment, d));
        }

        return counts;
    }

    private async Task<Dictionary<DeliveryStatus, int>> RecountDeliveriesAsync()
    {
        await using var db = factory.CreateDbContext();
        var counts = await db.Outbox.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        return Enum.GetValues<DeliveryStatus>().ToDictionary(s => s, s => counts.SingleOrDefault(c => c.Key == s)?.Count ?? 0);
    }

    private async Task<Dictionary<TState, int>> KeptAsync<TState>(string scope)
        where TState : struct, Enum
    {
        await using var db = factory.CreateDbContext();
        return await StateCounts.ReadAsync<TState>(db, scope);
    }

    private async Task<int> FoldAsync()
    {
        await using var db = factory.CreateDbContext();
        return await StateCounts.CompactAsync(db);
    }

    private async Task<int> RowsAsync(string scope)
    {
        await using var db = factory.CreateDbContext();
        return await db.RowCounts.CountAsync(r => r.Scope == scope);
    }

    [Fact]
    public async Task CasesPerState_EqualARecount_AfterFilingsAndLaterActs_FoldedWhileTheyRun_ByTwoAtOnce()
    {
        factory.CreateClient().Dispose();
        Assert.Equal(await RecountCasesAsync(), await KeptAsync<CaseState>(StateCounts.CaseState));
        var departments = await DepartmentsAsync();
        Assert.All(departments, d => Assert.Equal(d.Value.Recount, d.Value.Kept));
        var before = await RecountCasesAsync();

        // Filings from four writers at once (a third withdrawn in the same act), while two folders fold again and again.
        using var stop = new CancellationTokenSource();
        var folds = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            var removed = 0;
            while (!stop.IsCancellationRequested)
            {
                removed += await FoldAsync();
                await Task.Delay(5);
            }

            return removed;
        })).ToList();
        var filed = await Task.WhenAll(Enumerable.Range(0, 4).Select(w => BulkCases.FileAsync(factory, 25,
            i => new CaseActor($"citizen-count-{w}-{i}", "欧阳娜娜", [Roles.Applicant], null), _ => "欧阳娜娜", withdraw: false,
            then: (i, c, ctx, at) =>
            {
                if (i % 3 == 0)
                {
                    c.Withdraw("不再办理", new CaseActor($"citizen-count-{w}-{i}", "欧阳娜娜", [Roles.Applicant], null), at, ctx.Time);
                }

                return Task.CompletedTask;
            })));

        // Later acts on filed cases move them between states: withdrawn by their filer in an act of its own.
        var store = factory.Get<CaseStore>();
        foreach (var (w, i) in Enumerable.Range(0, 4).SelectMany(w => new[] { 1, 2, 4, 5 }.Select(i => (w, i))))
        {
            var actor = new CaseActor($"citizen-count-{w}-{i}", "欧阳娜娜", [Roles.Applicant], null);
            await store.ExecuteAsync(filed[w][i], actor, (c, ctx) =>
            {
                c.Withdraw("重复申请", actor, ctx.Now, ctx.Time);
                return Task.CompletedTask;
            });
        }

        // Property registrations accepted onto a flow that opens steps in two departments at once (不动产 and 税务): each case
        // now touches both.
        var registrations = await BulkCases.FileAsync(factory, 8, i => new CaseActor($"citizen-count-bdc-{i}", "欧阳娜娜", [Roles.Applicant], null),
            _ => "欧阳娜娜", matterCode: "330799-BDC-001");
        var definition = await factory.Get<WorkflowCatalog>().CurrentAsync("property-registration");
        var clerk = new CaseActor("clerk-count", "孙丽", [Roles.Clerk], null);
        foreach (var id in registrations)
        {
            await store.ExecuteAsync(id, clerk, (c, ctx) =>
            {
                c.Accept(definition, clerk, ctx.Now, ctx.Time);
                return Task.CompletedTask;
            });
        }

        await stop.CancelAsync();
        var removedWhileRunning = (await Task.WhenAll(folds)).Sum();

        var recount = await RecountCasesAsync();
        Assert.Equal(before[CaseState.PreAcceptance] + 100 - 36 - 16, recount[CaseState.PreAcceptance]); // the stream did what it says
        Assert.Equal(before[CaseState.Withdrawn] + 36 + 16, recount[CaseState.Withdrawn]);
        Assert.Equal(before[CaseState.Handling] + 8, recount[CaseState.Handling]);
        Assert.Equal(recount, await KeptAsync<CaseState>(StateCounts.CaseState));
        Assert.True(removedWhileRunning > 0, "the folders folded while the acts ran");

        // Folded to one row a state, still exact; the queries the pages call read the same.
        await FoldAsync();
        Assert.Equal(recount.Count(c => c.Value != 0), await RowsAsync(StateCounts.CaseState));
        Assert.Equal(recount, await KeptAsync<CaseState>(StateCounts.CaseState));
        var queries = factory.Get<CaseQueries>();
        CaseState[] archive = [CaseState.Delivered, CaseState.Withdrawn];
        Assert.Equal(recount[CaseState.Withdrawn], (await queries.CountByStateAsync(archive))[CaseState.Withdrawn]);
        Assert.Equal(recount[CaseState.Delivered] + recount[CaseState.Withdrawn], (await queries.WindowQueueAsync(archive, 0, 10)).Total);

        // Each department's cases, and the lists that show them unsearched: an officer's department, the window's all.
        var after = await DepartmentsAsync();
        Assert.All(after, d => Assert.Equal(d.Value.Recount, d.Value.Kept));
        Assert.Equal(departments["SCJG"].Recount + 100, after["SCJG"].Recount);
        Assert.Equal((departments["BDC"].Recount + 8, departments["SW"].Recount + 8), (after["BDC"].Recount, after["SW"].Recount));
        var officer = new CaseActor("officer-count", "郑强", [Roles.Officer], "SCJG");
        Assert.Equal(after["SCJG"].Recount, (await queries.MineAsync(officer, 0, 10)).Total);
        Assert.Equal(recount.Values.Sum(), (await queries.MineAsync(new CaseActor("clerk-count", "孙丽", [Roles.Clerk], null), 0, 10)).Total);
        await using var db = factory.CreateDbContext();
        var named = await db.Cases.IgnoreAutoIncludes().CountAsync(c => (c.LeadDepartment == "SCJG" || c.Steps.Any(s => s.Department == "SCJG"))
            && c.Applicant.Name.Contains("欧阳"));
        Assert.True(named >= 100);
        Assert.Equal(named, (await queries.MineAsync(officer, 0, 10, "欧阳")).Total); // searched: counted among the matches
    }

    [Fact]
    public async Task DeliveriesPerStatus_EqualARecount_AfterAdds_DispatcherMoves_Retries_EditsAndRemovals()
    {
        factory.CreateClient().Dispose();
        var system = (await factory.Get<LineSystems.Handler>().RegisterAsync(new LineSystems.Command("CNT-YW", "计数系统", "ZJ", null))).System.Id;
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        await using (var db = factory.CreateDbContext())
        {
            // A stopped subscription: every attempt fails ("订阅已停用"), the last one gives up.
            var stopped = new WebhookSubscription { SystemId = system, Url = "https://cnt.example/hook", Secret = "s", CreatedAt = now, Active = false };
            db.WebhookSubscriptions.Add(stopped);
            await db.SaveChangesAsync();
            for (var i = 0; i < 30; i++)
            {
                db.Outbox.Add(new OutboxMessage
                {
                    EventId = $"cnt-{i:D3}", SubscriptionId = stopped.Id, Kind = "filed", CaseId = i, CaseNumber = $"330799-20260401-{i:D4}", CreatedAt = now,
                    NextAttemptAt = i < 10 ? now : now.AddYears(1), Attempts = i < 5 ? WebhookDispatcher.MaxAttempts - 1 : 0,
                    Status = i % 10 == 9 ? DeliveryStatus.Delivered : DeliveryStatus.Pending,
                });
            }

            await db.SaveChangesAsync();
        }

        Assert.Equal(await RecountDeliveriesAsync(), await KeptAsync<DeliveryStatus>(StateCounts.DeliveryStatus));

        // The dispatcher: five give up (Failed), four stay pending with a later attempt; an administrator retries two.
        var dispatcher = factory.Get<WebhookDispatcher>();
        Assert.Equal(0, await dispatcher.DeliverDueAsync(now));
        await using (var db = factory.CreateDbContext())
        {
            var failed = await db.Outbox.Where(m => m.EventId.StartsWith("cnt-") && m.Status == DeliveryStatus.Failed).Select(m => m.Id).ToListAsync();
            Assert.Equal(5, failed.Count);
            await dispatcher.RetryAsync(failed[0], now);
            await dispatcher.RetryAsync(failed[1], now);
            await dispatcher.RetryAsync(failed[1], now); // already pending again: nothing moves
        }

        Assert.Equal(await RecountDeliveriesAsync(), await KeptAsync<DeliveryStatus>(StateCounts.DeliveryStatus));

        // Tracked edits and removals count themselves, and a fold keeps the sums.
        await using (var db = factory.CreateDbContext())
        {
            var rows = await db.Outbox.Where(m => m.EventId.StartsWith("cnt-02")).OrderBy(m => m.Id).ToListAsync();
            rows[0].Status = DeliveryStatus.Failed;
            rows[1].Attempts++;
            db.Outbox.Remove(rows[2]);
            db.Outbox.Remove(rows[9]);
            await db.SaveChangesAsync();
        }

        var recount = await RecountDeliveriesAsync();
        Assert.Equal(recount, await KeptAsync<DeliveryStatus>(StateCounts.DeliveryStatus));
        await FoldAsync();
        Assert.Equal(recount, await KeptAsync<DeliveryStatus>(StateCounts.DeliveryStatus));
        Assert.Equal(recount.Count(c => c.Value != 0), await RowsAsync(StateCounts.DeliveryStatus));
        Assert.Equal(recount, await factory.Get<ExchangeQueries>().DeliveryCountsAsync());
        Assert.Equal(recount.Values.Sum(), (await factory.Get<ExchangeQueries>().DeliveriesAsync(null, null, 0, 5)).Total);
        Assert.Equal(recount[DeliveryStatus.Failed], (await factory.Get<ExchangeQueries>().DeliveriesAsync(DeliveryStatus.Failed, null, 0, 5)).Total);
    }

    [Fact]
    public async Task Rebuild_CountsRowsWrittenAroundTheApp()
    {
        factory.CreateClient().Dispose();
        await using var db = factory.CreateDbContext();

        // Counts gone wrong (a restore, a bulk load around the app): the rebuild counts the tables again.
        db.RowCounts.Add(new RowCount { Scope = StateCounts.CaseState, Bucket = nameof(CaseState.Handling), Delta = 1_000 });
        db.RowCounts.Add(new RowCount { Scope = StateCounts.DeliveryStatus, Bucket = nameof(DeliveryStatus.Failed), Delta = -7 });
        await db.SaveChangesAsync();
        Assert.NotEqual(await RecountCasesAsync(), await KeptAsync<CaseState>(StateCounts.CaseState));

        await StateCounts.RebuildAsync(db);
        Assert.Equal(await RecountCasesAsync(), await KeptAsync<CaseState>(StateCounts.CaseState));
        Assert.Equal(await RecountDeliveriesAsync(), await KeptAsync<DeliveryStatus>(StateCounts.DeliveryStatus));
    }
}
