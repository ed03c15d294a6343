using System.Diagnostics;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Cases;
using ApprovalSystem.Web.Features.Cases.Notifications;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApprovalSystem.Benchmarks;

/// <summary>
/// Load harness for issue 3: "start a case on a one-task definition, then approve it" as pairs per
/// second, persisted through the real <see cref="CaseStore"/> (case row, step row, hash-chained
/// journal, optimistic concurrency), measured in the same run as a bare loop of single-row
/// INSERT+commit on the same database.
/// </summary>
public static class ApprovalThroughput
{
    /// <summary>The one-task definition both the approval and the scan benchmarks run on.</summary>
    internal const string OneTask = """
        {
          "id": "bench-one-task", "version": 1, "title": "基准：单环节", "start": "handle",
          "steps": [
            { "id": "handle", "kind": "task", "title": "办理", "department": "$lead", "role": "Officer", "limitDays": 3, "writes": "handle", "outcomes": ["approve", "deny"] },
            { "id": "approved", "kind": "end", "title": "准予", "result": "approved" },
            { "id": "denied", "kind": "end", "title": "不予", "result": "denied" }
          ],
          "connections": [
            { "from": "handle", "outcome": "approve", "to": "approved" },
            { "from": "handle", "outcome": "deny", "to": "denied" }
          ]
        }
        """;

    private static long CreateTicks;
    private static long ExecTicks;
    private static long ActTicks;

    private static double Ms(long ticks, int count) => ticks * 1000.0 / Stopwatch.Frequency / count;

    private static async Task ProbeAsync(ServiceProvider sp, IDbContextFactory<AppDbContext> dbFactory, WorkflowDefinition definition, Func<int, Task> pair, CaseActor officer)
    {
        Console.WriteLine("Single operations, per call:");
        if (Environment.GetEnvironmentVariable("BENCH_FRAMES") == "1")
        {
            await using var f = await dbFactory.CreateDbContextAsync();
            var conn = f.Database.GetDbConnection();
            await conn.OpenAsync();
            async Task<string> Pragma(string sql)
            {
                await using var cmd = conn.CreateCommand();
                cmd.CommandText = sql;
                await using var r = await cmd.ExecuteReaderAsync();
                var parts = new List<string>();
                while (await r.ReadAsync())
                {
                    for (var i = 0; i < r.FieldCount; i++)
                    {
                        parts.Add(r.GetValue(i)?.ToString() ?? "");
                    }
                }

                return string.Join(",", parts);
            }

            Console.WriteLine("  truncate: " + await Pragma("PRAGMA wal_checkpoint(TRUNCATE)"));
            await Pragma("PRAGMA wal_autocheckpoint=0");
            for (var i = 0; i < 40; i++)
            {
                await pair(i);
            }

            Console.WriteLine("  WAL frames after 40 pairs (busy, log, checkpointed): " + await Pragma("PRAGMA wal_checkpoint(PASSIVE)"));
        }

        await ApprovalProbe.TimeAsync("start+approve pair", 500, pair);
        long lastId;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            lastId = await db.Cases.MaxAsync(c => c.Id);
        }

        await ApprovalProbe.TimeAsync("context from pool + open", 2000, async _ =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
        });
        await ApprovalProbe.TimeAsync("load case tracked (with steps)", 2000, async i =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            _ = await db.Cases.FirstAsync(c => c.Id == lastId - (i % 400));
        });
        await ApprovalProbe.TimeAsync("load case untracked (with steps)", 2000, async i =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            _ = await db.Cases.AsNoTracking().FirstAsync(c => c.Id == lastId - (i % 400));
        });
        var compiled = EF.CompileAsyncQuery((AppDbContext db, long id) => db.Cases.AsNoTracking().FirstOrDefault(c => c.Id == id));
        await ApprovalProbe.TimeAsync("load case untracked compiled", 2000, async i =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            _ = await compiled(db, lastId - (i % 400));
        });
        await ApprovalProbe.TimeAsync("raw ADO: case row + step rows into object[]", 2000, async i =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var conn = db.Database.GetDbConnection();
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT * FROM \"Cases\" WHERE \"Id\" = @id; SELECT * FROM \"CaseSteps\" WHERE \"CaseId\" = @id";
            var p = cmd.CreateParameter();
            p.ParameterName = "@id";
            p.Value = lastId - (i % 400);
            cmd.Parameters.Add(p);
            await using var r = await cmd.ExecuteReaderAsync();
            do
            {
                while (await r.ReadAsync())
                {
                    var values = new object[r.FieldCount];
                    r.GetValues(values);
                }
            }
            while (await r.NextResultAsync());
        });
        await ApprovalProbe.TimeAsync("CaseRows.LoadAsync (case + steps)", 2000, async i =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            _ = await Web.Infrastructure.Persistence.CaseRows.For(db).LoadAsync(db, lastId - (i % 400), default);
        });
        await ApprovalProbe.TimeAsync("begin + commit (empty)", 2000, async i =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            await using var tx = await db.Database.BeginTransactionAsync();
            await tx.CommitAsync();
        });
        await ApprovalProbe.TimeAsync("begin + next number + commit", 2000, async i =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            await using var tx = await db.Database.BeginTransactionAsync();
            await CaseStore.NextNumberAsync(db, "330799", DateTimeOffset.UtcNow, default);
            await tx.CommitAsync();
        });
        var time = await sp.GetRequiredService<WorkingTimeProvider>().GetAsync();
        var m = new MatterSnapshot(1, "BENCH-001", "基准事项", MatterKind.Promised, "SCJG", 20, 5, 0, null, new WarningPolicy(2, null), definition.Id, [new MaterialRequirement { Name = "申请书" }]);
        var a = new ApplicantInfo { Name = "张伟", IdType = ApplicantIdType.ResidentId, IdNumber = "330799198503120016", Phone = "13800000001" };
        var filer = new CaseActor("clerk-1", "李晓梅", [Roles.Clerk], "FWZX");
        await ApprovalProbe.TimeAsync("domain: draft + submit + accept", 2000, i =>
        {
            var draft = Case.Draft(m, a, new Dictionary<string, string>(), filer, DateTimeOffset.UtcNow);
            draft.Submit("330799-20261123-" + i, "123456", filer, DateTimeOffset.UtcNow, time);
            draft.Accept(definition, filer, DateTimeOffset.UtcNow, time);
            return Task.CompletedTask;
        });
        await ApprovalProbe.TimeAsync("begin + domain + SaveAsync(new) + commit", 2000, async i =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            await using var tx = await db.Database.BeginTransactionAsync();
            var draft = Case.Draft(m, a, new Dictionary<string, string>(), filer, DateTimeOffset.UtcNow);
            draft.Submit("P-" + Guid.NewGuid().ToString("N")[..20], "123456", filer, DateTimeOffset.UtcNow, time);
            draft.Accept(definition, filer, DateTimeOffset.UtcNow, time);
            await Web.Infrastructure.Persistence.CaseRows.For(db).SaveAsync(db, draft, null, default);
            await tx.CommitAsync();
        });
        var cache = sp.GetRequiredService<ReferenceCache>();
        await ApprovalProbe.TimeAsync("notifier + outbox (create)", 2000, async i =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var draft = Case.Draft(m, a, new Dictionary<string, string>(), filer, DateTimeOffset.UtcNow);
            draft.Submit("P-" + i, "123456", filer, DateTimeOffset.UtcNow, time);
            draft.Accept(definition, filer, DateTimeOffset.UtcNow, time);
            await CaseNotifier.AddAsync(db, draft, draft.PendingRecords.ToList(), [], draft.CreatedAt, default, cache);
            await Web.Features.Exchange.Outbound.ExchangeOutbox.AddAsync(db, draft, draft.PendingRecords, default, cache);
            _ = db.ChangeTracker.HasChanges();
        });
        await ApprovalProbe.TimeAsync("load case + SaveChanges (nothing changed)", 2000, async i =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            _ = await db.Cases.FirstAsync(c => c.Id == lastId - (i % 400));
            await db.SaveChangesAsync();
        });
        await ApprovalProbe.TimeAsync("journal head read", 2000, async _ =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var head = await db.JournalHeads.FirstAsync(h => h.Id == CaseJournal.HeadId);
        });
        await ApprovalProbe.TimeAsync("department staff query (notifier)", 2000, async _ =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var department = "SCJG";
            var stepRole = Roles.Officer;
            var staff = await (from u in db.Users
                       join ur in db.UserRoles on u.Id equals ur.UserId
                       join role in db.Roles on ur.RoleId equals role.Id
                       where u.Department!.Code == department && (role.Name == stepRole || role.Name == Roles.DepartmentHead)
                       select u.Id).Distinct().ToListAsync();
        });
    }

    public sealed record Result(string Database, int Clients, int Pairs, double PairsPerSecond, int Inserts, double InsertsPerSecond, double CpuMsPerPair)
    {
        public double Ratio => PairsPerSecond / InsertsPerSecond;
    }

    /// <param name="clients">Concurrent clients, each filing and approving its own cases (a service centre's clerks and officers at once).</param>
    public static async Task<Result> RunAsync(DatabaseProvider provider, string connectionString, TimeSpan duration, bool probe = false, int clients = 1)
    {
        var folder = Path.Combine(Path.GetTempPath(), "approval-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "bench-one-task.json"), OneTask);
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            if (Environment.GetEnvironmentVariable("BENCH_SQL") == "1")
            {
                b.AddSimpleConsole().AddFilter("Microsoft.EntityFrameworkCore.Database.Command", Microsoft.Extensions.Logging.LogLevel.Information).AddFilter("Microsoft", Microsoft.Extensions.Logging.LogLevel.Warning);
            }
        });
        services.AddAppDatabase(new DatabaseOptions { Provider = provider, ConnectionString = connectionString });
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new StorageOptions(folder));
        services.AddSingleton(new WorkflowRegistry(folder));
        // The app's own registrations, so every act runs the writers it runs in production (notifications from AddCases;
        // the exchange outbox is added alone: AddExchange would also start its delivery worker).
        services.AddCaseInfrastructure();
        services.AddCases();
        services.AddSingleton<ICaseActWriter, Web.Features.Exchange.Outbound.ExchangeOutbox>();
        await using var sp = services.BuildServiceProvider();
        var writers = sp.GetServices<ICaseActWriter>().Select(w => w.GetType().Name).Order().ToList();
        if (!writers.SequenceEqual(["CaseNotifier", "ExchangeOutbox"]))
        {
            throw new InvalidOperationException("The benchmark's act writers differ from the app's: " + string.Join(", ", writers));
        }

        var dbFactory = sp.GetRequiredService<IDbContextFactory<AppDbContext>>();

        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            await db.Database.EnsureDeletedAsync();
            await db.Database.MigrateAsync();
            if (provider == DatabaseProvider.Sqlite)
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            }

            db.Departments.Add(new Department { Code = "SCJG", Name = "市场监督管理局", ShortName = "市场监管局" });
            await db.SaveChangesAsync();
            await db.Database.ExecuteSqlRawAsync("CREATE TABLE bench_insert (id BIGINT PRIMARY KEY, payload VARCHAR(200) NOT NULL)");
        }

        // The app's background services for the database (on SQLite: the log checkpointer) run as in production.
        var hosted = sp.GetServices<Microsoft.Extensions.Hosting.IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(default);
        }

        CreateTicks = ExecTicks = ActTicks = 0;
        var catalog = sp.GetRequiredService<WorkflowCatalog>();
        await catalog.SyncAsync();
        var definition = await catalog.CurrentAsync("bench-one-task");
        var matter = new MatterSnapshot(1, "BENCH-001", "基准事项", MatterKind.Promised, "SCJG", 20, 5, 0, null, new WarningPolicy(2, null), definition.Id, [new MaterialRequirement { Name = "申请书" }]);
        var applicant = new ApplicantInfo { Name = "张伟", IdType = ApplicantIdType.ResidentId, IdNumber = "330799198503120016", Phone = "13800000001" };
        var filer = new CaseActor("clerk-1", "李晓梅", [Roles.Clerk], "FWZX");
        var officer = new CaseActor("officer-1", "陈立", [Roles.Officer], "SCJG");

        async Task PairAsync(int i)
        {
            using var scope = sp.CreateScope();
            var store = scope.ServiceProvider.GetRequiredService<CaseStore>();
            var t0 = Stopwatch.GetTimestamp();
            var c = await store.CreateAsync(async ctx =>
            {
                var draft = Case.Draft(matter, applicant, new Dictionary<string, string>(), filer, ctx.Now);
                draft.Submit(await CaseStore.NextNumberAsync(ctx.Db, "330799", ctx.Now, default), "123456", filer, ctx.Now, ctx.Time);
                draft.Accept(definition, filer, ctx.Now, ctx.Time);
                return draft;
            });
            var t1 = Stopwatch.GetTimestamp();
            await store.ExecuteAsync(c.Id, officer, (x, ctx) =>
            {
                var a0 = Stopwatch.GetTimestamp();
                x.Act(definition, x.OpenSteps.Single().WorkItemId, Outcome.Approve, "同意", null, officer, ctx.Now, ctx.Time);
                Interlocked.Add(ref ActTicks, Stopwatch.GetTimestamp() - a0);
                return Task.CompletedTask;
            });
            Interlocked.Add(ref CreateTicks, t1 - t0);
            Interlocked.Add(ref ExecTicks, Stopwatch.GetTimestamp() - t1);
        }

        // Warm up EF's model, the prepared statements and the JIT before measuring: at least 2 s of
        // pairs, then on until tiered compilation has settled (fewer than 20 methods compiled in the
        // last second; at most 30 s). At a few hundred pairs a second the hot methods reach their
        // optimised tier only after several seconds, and the compiler's own thread takes a core
        // meanwhile: measuring before that reports the warm-up, not the steady state.
        var warmUp = Stopwatch.StartNew();
        var warmed = 0;
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        var lastCheck = TimeSpan.Zero;
        while (warmUp.Elapsed < TimeSpan.FromSeconds(30))
        {
            await PairAsync(warmed++);
            if (warmUp.Elapsed - lastCheck >= TimeSpan.FromSeconds(1))
            {
                var now = System.Runtime.JitInfo.GetCompiledMethodCount();
                var settled = now - compiled < 20;
                (compiled, lastCheck) = (now, warmUp.Elapsed);
                if (settled && warmUp.Elapsed >= TimeSpan.FromSeconds(2))
                {
                    break;
                }
            }
        }

        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{provider}, {clients} client(s): warmed up with {warmed} pairs in {warmUp.Elapsed.TotalSeconds:0.0} s"));

        if (probe)
        {
            await ProbeAsync(sp, dbFactory, definition, PairAsync, officer);
        }

        CreateTicks = ExecTicks = ActTicks = 0;
        var pairs = 0;
        var cpu0 = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var allocated0 = GC.GetTotalAllocatedBytes();
        var gen0 = GC.CollectionCount(0);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (watch.Elapsed < duration)
            {
                await PairAsync(Interlocked.Increment(ref pairs));
            }
        })));
        var pairSeconds = watch.Elapsed.TotalSeconds;
        var cpuPerPair = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds / pairs;
        var kbPerPair = (GC.GetTotalAllocatedBytes() - allocated0) / 1024.0 / pairs;
        var gcs = GC.CollectionCount(0) - gen0;
        // Where a pair's time goes: creating (draft, submit, accept, two saves in one transaction),
        // executing the approval (load, act, save) and, inside that, the domain act alone.
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{provider}, {clients} client(s): create {Ms(CreateTicks, pairs):0.00} ms, execute {Ms(ExecTicks, pairs):0.00} ms (domain act {Ms(ActTicks, pairs):0.00} ms) per pair; process CPU {cpuPerPair:0.00} ms per pair; {kbPerPair:0} KB allocated per pair, {gcs} gen-0 collections"));

        var inserts = 0;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            // Opened through EF Core, so the app's connection settings (SqlitePragmas: synchronous=NORMAL…) apply to it as to the acts.
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO bench_insert (id, payload) VALUES (@id, @payload)";
            var id = command.CreateParameter();
            id.ParameterName = "@id";
            command.Parameters.Add(id);
            var payload = command.CreateParameter();
            payload.ParameterName = "@payload";
            payload.Value = "330799-20261123-0001 受理 同意";
            command.Parameters.Add(payload);
            watch.Restart();
            while (watch.Elapsed < duration)
            {
                await using var tx = await connection.BeginTransactionAsync();
                command.Transaction = tx;
                id.Value = (long)++inserts;
                await command.ExecuteNonQueryAsync();
                await tx.CommitAsync();
            }
        }

        var insertSeconds = watch.Elapsed.TotalSeconds;
        foreach (var service in hosted)
        {
            await service.StopAsync(default);
        }

        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var verification = await CaseJournal.VerifyAsync(db);
            if (!verification.IsIntact)
            {
                throw new InvalidOperationException("Journal broken after the run: " + verification.Problem);
            }

            await db.Database.EnsureDeletedAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return new Result(provider.ToString(), clients, pairs, pairs / pairSeconds, inserts, inserts / insertSeconds, cpuPerPair);
    }
}
