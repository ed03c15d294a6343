using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Supervision;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using ApprovalSystem.Web.Tests.Supervision;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ApprovalSystem.Web.Tests.Cluster;

/// <summary>
/// Two nodes' supervision scans at the same moment on one database: each crossed clock gets exactly one card, and the
/// scan that comes second skips what the first raised as an expected race — counted, never logged as an error (issue 17
/// item 5: 574–619 <c>fail:</c> lines per node before).
/// </summary>
public sealed class ConcurrentScanTests : IDisposable
{
    private const int Cases = 12;

    private readonly NodeFactory _a = new();
    private NodeFactory? _b;

    public void Dispose()
    {
        _b?.Dispose();
        _a.Dispose();
    }

    private static readonly CaseActor Clerk = new("clerk-test", "李晓梅", [Roles.Clerk], "FWZX");

    private static WorkflowDefinition Definition() => new WorkflowLoader().LoadFromJson("race.json", """
        {
          "id": "race-test", "version": 1, "title": "并发监察测试", "start": "handle",
          "steps": [
            { "id": "handle", "kind": "task", "title": "承办", "department": "$lead", "role": "Officer", "limitDays": 1, "writes": "handle", "outcomes": ["approve"] },
            { "id": "approved", "kind": "end", "title": "准予", "result": "approved" }
          ],
          "connections": [ { "from": "handle", "outcome": "approve", "to": "approved" } ]
        }
        """).Definitions.Single();

    private async Task AcceptedCaseAsync(WorkflowDefinition definition)
    {
        await using var db = _a.CreateDbContext();
        var matter = await db.Matters.AsNoTracking().FirstAsync(m => m.Code == "330799-SCJG-001");
        var snapshot = new MatterSnapshot(matter.Id, matter.Code, matter.Name, MatterKind.Promised, "SCJG", 20, 2, 0, null, new WarningPolicy(1, null),
            definition.Id, []);
        var applicant = new ApplicantInfo { Name = "王芳", IdType = ApplicantIdType.ResidentId, IdNumber = "330799198503120016", Phone = "13800000001" };
        await _a.Get<CaseStore>().CreateAsync(async ctx =>
        {
            var c = Case.Draft(snapshot, applicant, new Dictionary<string, string>(), Clerk, ctx.Now);
            c.Submit(await CaseStore.NextNumberAsync(ctx.Db, "330799", ctx.Now, default), "123456", Clerk, ctx.Now, ctx.Time);
            c.Accept(definition, Clerk, ctx.Now, ctx.Time);
            return c;
        });
    }

    private static async Task<ScanJob.ScanResult> ScanAsync(NodeFactory node)
    {
        await Task.Yield();
        using var scope = node.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ScanJob>().ScanAsync();
    }

    [Fact]
    public async Task TwoNodesScanAtOnce_EachClockCardedOnce_TheRaceCountedNotLoggedAsError()
    {
        _a.Clock.SetUtcNow(ClockedAppFactory.At("2026-12-01T09:00")); // Tuesday
        _ = _a.Services;
        _b = _a.SecondNode();
        _ = _b.Services;
        var definition = Definition();
        for (var i = 0; i < Cases; i++)
        {
            await AcceptedCaseAsync(definition);
        }

        // Only what the scans log counts (a host's start logs the database it is about to create as missing).
        _a.Logged.Clear();
        _b.Logged.Clear();

        // After a weekend of downtime both nodes' first scan finds every clock crossed: case and step, yellow and red.
        _a.Clock.SetUtcNow(ClockedAppFactory.At("2026-12-10T09:00"));
        ScanJob.ScanResult[] results;
        if (AppFactory.IsPostgres)
        {
            // Make the race certain: no card can be written until both scans have read their candidates and wait to write.
            await using var holder = new NpgsqlConnection(_a.ConnectionString);
            await holder.OpenAsync();
            await using var tx = await holder.BeginTransactionAsync();
            string cards;
            await using (var db = _a.CreateDbContext())
            {
                cards = db.Model.FindEntityType(typeof(CardRecord))!.GetTableName()!;
            }

            await using (var lockCards = new NpgsqlCommand($"LOCK TABLE \"{cards}\" IN EXCLUSIVE MODE", holder, tx))
            {
                await lockCards.ExecuteNonQueryAsync();
            }

            var scans = new[] { ScanAsync(_a), ScanAsync(_b) };
            await WaitForLockWaitersAsync(_a.ConnectionString, 2);
            await tx.CommitAsync();
            results = await Task.WhenAll(scans);
        }
        else
        {
            results = await Task.WhenAll(ScanAsync(_a), ScanAsync(_b));
        }

        await using (var db = _a.CreateDbContext())
        {
            var all = await db.SupervisionCards.AsNoTracking().Select(c => new { c.CaseId, c.SubjectKey, c.Kind }).ToListAsync();
            Assert.Equal(Cases * 4, all.Count); // per case: its promised clock and its step's, yellow and red
            Assert.Equal(all.Count, all.Select(c => (c.SubjectKey, c.Kind)).Distinct().Count());
            Assert.All(all.GroupBy(c => c.CaseId), g => Assert.Equal(4, g.Count()));
            Assert.True((await CaseJournal.VerifyAsync(db)).IsIntact);
        }

        Assert.Equal(Cases * 4, results.Sum(r => r.Yellow + r.Red));
        var errors = _a.Logged.Concat(_b.Logged).Where(e => e.Level >= LogLevel.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(5).Select(e => $"{e.Category}: {e.Message}")));
        if (AppFactory.IsPostgres)
        {
            Assert.True(results.Sum(r => r.Races) > 0, "the second scan should have found cards the first raised meanwhile");
        }
    }

    /// <summary>Until <paramref name="count"/> sessions of the test's database wait for a lock (both scans blocked), at most 30 s.</summary>
    private static async Task WaitForLockWaitersAsync(string connectionString, int count)
    {
        await using var probe = new NpgsqlConnection(connectionString);
        await probe.OpenAsync();
        await using var query = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", probe);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((long)(await query.ExecuteScalarAsync())! < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the two scans did not both wait to write within 30 s");
            await Task.Delay(20);
        }
    }
}
