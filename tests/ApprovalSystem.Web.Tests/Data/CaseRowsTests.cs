using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Infrastructure.Persistence;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalSystem.Web.Tests.Data;

/// <summary>
/// The case engine's own reads and writes (<see cref="CaseRows"/>) against EF Core's: every column
/// of every case and step reads back the same both ways, and a stale copy is never written.
/// </summary>
/// <remarks>One app with the demo cases for the class: a second app started in a test would race the others on Hangfire's process-wide storage.</remarks>
public sealed class CaseRowsTests(CaseRowsTests.WithDemoCases factory) : IClassFixture<CaseRowsTests.WithDemoCases>
{
    private static readonly CaseActor Clerk = new("clerk-rows", "周敏", [Roles.Clerk], "FWZX");

    private static readonly string Sha = new('a', 64);

    [Fact]
    public async Task EveryCaseWrittenByTheHotPath_ReadsTheSame_ThroughEfAndThroughCaseRows()
    {
        factory.CreateClient().Dispose();
        await using var db = factory.CreateDbContext();
        var rows = CaseRows.For(db);
        var cases = db.Model.FindEntityType(typeof(Case))!;
        var steps = db.Model.FindEntityType(typeof(CaseStep))!;
        var caseTable = TableMap.For(cases);
        var stepTable = TableMap.For(steps);
        var ids = await db.Cases.Select(c => c.Id).ToListAsync();

        // The demo data went through the store: filings, acceptances, joint steps, special
        // procedures, certificates, archives, line-system mirrors.
        Assert.True(ids.Count >= 10, $"only {ids.Count} demo cases");
        Assert.True(await db.Cases.AnyAsync(c => c.CertificateCode != null));
        Assert.True(await db.Cases.AnyAsync(c => c.Steps.Count > 1));
        var filled = new HashSet<string>();
        foreach (var id in ids)
        {
            var viaEf = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == id);
            var loaded = await rows.LoadAsync(db, id, default);
            Assert.NotNull(loaded);
            var (viaRows, snapshot) = loaded.Value;

            var expected = caseTable.ProviderValues(viaEf);
            Assert.Equal(expected, caseTable.ProviderValues(viaRows));
            Assert.Equal(expected, snapshot.Row);
            filled.UnionWith(caseTable.Columns.Where((column, i) => expected[i] is not null).Select(column => column.Name));

            Assert.Equal(viaEf.Steps.Select(s => s.WorkItemId), viaRows.Steps.Select(s => s.WorkItemId));
            foreach (var (ef, fast) in viaEf.Steps.Zip(viaRows.Steps))
            {
                Assert.Equal(stepTable.ProviderValues(ef, _ => id), stepTable.ProviderValues(fast, _ => id));
            }
        }

        // Most columns hold a value in some case, so the comparison above covered them.
        Assert.True(filled.Count >= caseTable.Columns.Count * 3 / 4, $"{filled.Count} of {caseTable.Columns.Count} columns ever filled");
    }

    [Fact]
    public async Task StepOutcomes_AreStoredAsTheNamesTheColumnHasAlwaysHeld_AndReadBackAsTheEnum()
    {
        factory.CreateClient().Dispose();
        await using var db = factory.CreateDbContext();

        var stored = await db.Database.SqlQueryRaw<string>("SELECT \"Outcome\" AS \"Value\" FROM \"CaseSteps\" WHERE \"Outcome\" IS NOT NULL").Distinct().ToListAsync();
        var read = await db.Cases.AsNoTracking().SelectMany(c => c.Steps).Where(s => s.Outcome != null).Select(s => s.Outcome!.Value).Distinct().ToListAsync();

        Assert.Contains("approve", stored);
        Assert.Subset(new HashSet<string> { "approve", "deny", "return", "cancelled" }, stored.ToHashSet());
        Assert.Equal(stored.Order(), read.Select(o => o.ToName()).Order());
        // A query on the enum is translated to the stored name.
        Assert.Equal(
            await db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM \"CaseSteps\" WHERE \"Outcome\" = 'approve'").SingleAsync(),
            await db.Cases.AsNoTracking().SelectMany(c => c.Steps).CountAsync(s => s.Outcome == StepOutcome.Approve));
    }

    [Fact]
    public async Task ACopyLoadedBeforeAnotherWriterActed_IsNotWritten()
    {
        factory.CreateClient().Dispose();
        var store = factory.Get<CaseStore>();
        var draft = await store.CreateAsync(async ctx =>
        {
            var matter = await ctx.Db.Matters.AsNoTracking().Include(m => m.Department).FirstAsync(m => m.Materials.Count > 0);
            return Case.Draft(MatterSnapshot.From(matter, matter.Department!.Code), Applicant, new Dictionary<string, string>(), Clerk, ctx.Now);
        });
        var material = draft.Materials[0].Name;

        await using var db = factory.CreateDbContext();
        var rows = CaseRows.For(db);
        var (stale, snapshot) = (await rows.LoadAsync(db, draft.Id, default))!.Value;

        // Another clerk marks the material received meanwhile.
        await store.ExecuteAsync(draft.Id, Clerk, (c, ctx) =>
        {
            c.AttachMaterial(material, null, null, null, Clerk, ctx.Now);
            return Task.CompletedTask;
        });

        stale.AttachMaterial(material, null, null, null, Clerk, DateTimeOffset.UtcNow);
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => rows.SaveAsync(db, stale, snapshot, default));
        }

        await using var check = factory.CreateDbContext();
        Assert.Equal(2, await check.Journal.CountAsync(e => e.CaseId == draft.Id));
        Assert.True((await CaseJournal.VerifyAsync(check)).IsIntact);
    }

    [Fact]
    public async Task NumbersAreDrawnOnlyInsideAnAct()
    {
        factory.CreateClient().Dispose();
        await using var db = factory.CreateDbContext();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => CaseStore.NextNumberAsync(db, "330799", DateTimeOffset.UtcNow, default));
        Assert.Contains("inside a case act", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaseActsOnSqlite_ReuseAnOpenConnection_WhosePreparedStatementsAreNeverParsedAgain()
    {
        factory.CreateClient().Dispose();
        var contexts = factory.Services.GetService<SqliteActContexts>();
        if (AppFactory.IsPostgres)
        {
            // PostgreSQL prepares on the server; acts take pooled contexts.
            Assert.Null(contexts);
            return;
        }

        Assert.NotNull(contexts);
        var store = factory.Get<CaseStore>();
        var used = new List<AppDbContext>();
        var draft = await store.CreateAsync(async ctx =>
        {
            used.Add(ctx.Db);
            var matter = await ctx.Db.Matters.AsNoTracking().Include(m => m.Department).FirstAsync(m => m.Materials.Count > 0);
            return Case.Draft(MatterSnapshot.From(matter, matter.Department!.Code), Applicant, new Dictionary<string, string>(), Clerk, ctx.Now);
        });
        var material = draft.Materials[0].Name;

        async Task AttachAsync()
        {
            await store.ExecuteAsync(draft.Id, Clerk, (c, ctx) =>
            {
                // Nothing from an earlier act is still tracked by the lent context.
                Assert.Empty(ctx.Db.ChangeTracker.Entries());
                used.Add(ctx.Db);
                c.AttachMaterial(material, null, null, null, Clerk, ctx.Now);
                return Task.CompletedTask;
            });

            // The rest of the application meanwhile opens and closes pooled connections.
            await using var other = factory.CreateDbContext();
            Assert.True(await other.Cases.AnyAsync(c => c.Id == draft.Id));
        }

        for (var i = 0; i < 5; i++)
        {
            await AttachAsync();
        }

        // One context served every act, on one native connection, and SQLite never had to
        // prepare the case engine's statements again (EF Core re-registering its functions on a
        // re-opened connection would have expired them).
        Assert.Single(used.Distinct());
        var handle = ((Microsoft.Data.Sqlite.SqliteConnection)used[0].Database.GetDbConnection()).Handle!;
        var (statements, reprepared) = RowSession.SqliteSession.Status(handle);
        Assert.True(statements >= 5, $"{statements} statements prepared");
        Assert.Equal(0, reprepared);

        // An act that fails gives its context up; the next act gets a fresh one.
        await Assert.ThrowsAsync<CaseRuleException>(() => store.ExecuteAsync(draft.Id, Clerk, (c, ctx) =>
        {
            used.Add(ctx.Db);
            ctx.Db.Notifications.Add(new Notification { UserId = "nobody", Title = "不应保存", Body = "", CreatedAt = ctx.Now });
            throw new CaseRuleException("测试：办理被拒绝");
        }));
        var failed = used[^1];
        await AttachAsync();
        Assert.NotSame(failed, used[^1]);

        await using var check = factory.CreateDbContext();
        Assert.False(await check.Notifications.AnyAsync(n => n.Title == "不应保存"));
        Assert.Equal(7, await check.Journal.CountAsync(e => e.CaseId == draft.Id));
        Assert.True((await CaseJournal.VerifyAsync(check)).IsIntact);
    }

    [Fact]
    public async Task TheCaseRowsRecords_AreStoredWithoutTheirDefaults_AndRowsWrittenBeforeStillRead()
    {
        factory.CreateClient().Dispose();
        await using var db = factory.CreateDbContext();
        var materials = db.Model.FindEntityType(typeof(Case))!.FindProperty(nameof(Case.Materials))!.GetValueConverter()!;
        List<CaseMaterial> list =
        [
            new() { Name = "申请书", Required = true, Received = true },
            new() { Name = "营业执照", FileSha256 = Sha, FileName = "执照.pdf", FileSize = 12_345 },
        ];

        var stored = (string)materials.ConvertToProvider(list)!;

        // Issue 14 (bytes a case): a material at its defaults writes only what differs from them.
        var file = $$"""{"name":"营业执照","fileSha256":"{{Sha}}","fileName":"执照.pdf","fileSize":12345}""";
        Assert.Equal("""[{"name":"申请书","required":true,"received":true},""" + file + "]", stored);
        Assert.Equal(list, (List<CaseMaterial>)materials.ConvertFromProvider(stored)!);
        var before = """[{"name":"申请书","required":true,"replacedByCommitment":false,"received":true,"fileSha256":null,"fileName":null,"fileSize":null},"""
            + file.Replace("\"fileSha256\"", "\"required\":false,\"replacedByCommitment\":false,\"received\":false,\"fileSha256\"", StringComparison.Ordinal) + "]";
        Assert.Equal(list, (List<CaseMaterial>)materials.ConvertFromProvider(before)!);

        // The demo cases went through the store: their rows carry no nulls in these columns, and every case still reads.
        var raw = await db.Database.SqlQueryRaw<string>("SELECT \"Materials\" AS \"Value\" FROM \"Cases\"").ToListAsync();
        Assert.NotEmpty(raw);
        Assert.All(raw, m => Assert.DoesNotContain(":null", m, StringComparison.Ordinal));
        Assert.Contains(await db.Cases.AsNoTracking().ToListAsync(), c => c.Materials.Count > 0 && c.WorkflowState is not null);
    }

    public sealed class WithDemoCases : AppFactory
    {
        protected override bool FromTemplate => true; // settings of its own, the same first start

        protected override bool DemoCases => true;
    }

    private static ApplicantInfo Applicant => new() { Name = "吴芳", IdType = ApplicantIdType.ResidentId, IdNumber = "330799199001010027", Phone = "13900000002" };
}
