using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Infrastructure.Seeding;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ApprovalSystem.Web.Tests.Data;

public sealed class DatabaseTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Migrations_ApplyOnStart_AndMatchTheModel()
    {
        factory.CreateClient().Dispose();
        await using var db = factory.CreateDbContext();

        Assert.Equal(AppFactory.IsPostgres ? typeof(PostgresAppDbContext) : typeof(SqliteAppDbContext), db.GetType());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "the model changed without a migration for this provider");
    }

    [Fact]
    public void PostgresConnections_PrepareWhatTheySendAgain_AndCompileNoQueries_UnlessTheOperatorSaysOtherwise()
    {
        var tuned = new Npgsql.NpgsqlConnectionStringBuilder(DatabaseSetup.PostgresConnectionString("Host=db;Database=approval;Username=app"));
        Assert.Equal(100, tuned.MaxAutoPrepare);
        Assert.Equal(2, tuned.AutoPrepareMinUsages);
        Assert.Equal("-c jit=off", tuned.Options);
        Assert.True(tuned.NoResetOnClose, "a connection back in the pool is not reset (seven statements before each next use)");
        Assert.Equal("db", tuned.Host);

        // Named by the operator (0: a pooler in front that cannot keep prepared statements; their own server options): kept.
        var own = new Npgsql.NpgsqlConnectionStringBuilder(DatabaseSetup.PostgresConnectionString("Host=db;Max Auto Prepare=0;Options=-c jit=on"));
        Assert.Equal(0, own.MaxAutoPrepare);
        Assert.Equal("-c jit=on", own.Options);
        Assert.Equal(5, new Npgsql.NpgsqlConnectionStringBuilder(DatabaseSetup.PostgresConnectionString("Host=db;MaxAutoPrepare=5")).MaxAutoPrepare);
        Assert.False(new Npgsql.NpgsqlConnectionStringBuilder(DatabaseSetup.PostgresConnectionString("Host=db;No Reset On Close=false")).NoResetOnClose);
    }

    [Fact]
    public async Task APooledConnectionLeftInATransaction_ComesBackWithoutIt_NothingOfItKept()
    {
        factory.CreateClient().Dispose();
        string? firstProcess = null;
        await using (var abandoned = factory.CreateDbContext())
        {
            // An act abandoned mid-transaction: a row written, the context disposed before the commit.
            await abandoned.Database.BeginTransactionAsync();
            abandoned.Settings.Add(new SystemSetting { Key = "Test.Abandoned", Value = "x" });
            await abandoned.SaveChangesAsync();
            if (AppFactory.IsPostgres)
            {
                firstProcess = (await abandoned.Database.SqlQueryRaw<int>("SELECT pg_backend_pid() AS \"Value\"").SingleAsync()).ToString(
                    System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        await using var next = factory.CreateDbContext();
        await next.Database.OpenConnectionAsync();
        Assert.False(await next.Settings.AnyAsync(x => x.Key == "Test.Abandoned"));
        if (AppFactory.IsPostgres)
        {
            // The same server process (taken from the pool again, not reset), idle: not inside the abandoned transaction.
            var pid = (await next.Database.SqlQueryRaw<int>("SELECT pg_backend_pid() AS \"Value\"").SingleAsync()).ToString(
                System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(firstProcess, pid);
            Assert.Equal(0L, await next.Database.SqlQueryRaw<long>(
                "SELECT count(*) AS \"Value\" FROM pg_stat_activity WHERE pid = pg_backend_pid() AND backend_xid IS NOT NULL").SingleAsync());
        }

        next.Settings.Add(new SystemSetting { Key = "Test.Abandoned", Value = "y" });
        await next.SaveChangesAsync();
        Assert.Equal("y", await next.Settings.AsNoTracking().Where(x => x.Key == "Test.Abandoned").Select(x => x.Value).SingleAsync());
    }

    [Fact]
    public async Task OnPostgres_AQueryReadAgain_IsPreparedOnTheServer_AndNoQueryIsCompiled()
    {
        factory.CreateClient().Dispose();
        await using var db = factory.CreateDbContext();
        await db.Database.OpenConnectionAsync();
        for (var i = 0; i < 3; i++)
        {
            _ = await db.Matters.AsNoTracking().Where(m => m.Code == "330799-SCJG-011").Select(m => m.Name).FirstAsync();
        }

        if (!AppFactory.IsPostgres)
        {
            // SQLite prepares every statement on its connection already (CaseRowsTests); the CI runs this class on PostgreSQL too.
            return;
        }

        var prepared = await db.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM pg_prepared_statements").SingleAsync();
        Assert.True(prepared > 0, "nothing this connection sent three times is prepared on the server");
        Assert.Equal("off", await db.Database.SqlQueryRaw<string>("SELECT current_setting('jit') AS \"Value\"").SingleAsync());
    }

    [Fact]
    public async Task FirstStart_LoadsCatalogueAndCalendar()
    {
        factory.CreateClient().Dispose();
        await using var db = factory.CreateDbContext();
        var workflows = factory.Get<WorkflowRegistry>();

        Assert.True(await db.Departments.CountAsync() >= 36);
        Assert.True(await db.Matters.CountAsync() >= 338);
        var matters = await db.Matters.AsNoTracking().ToListAsync();
        Assert.All(matters, m => Assert.NotNull(workflows.Find(m.WorkflowId)));
        Assert.All(matters, m => Assert.True(m.PromisedLimitDays <= m.LegalLimitDays, m.Code));
        Assert.All(matters, m => Assert.NotEmpty(m.Materials));
        Assert.Equal(39, await db.CalendarDays.CountAsync(d => d.Date.Year == 2026));
        Assert.Empty(workflows.Errors);
    }

    [Fact]
    public async Task Development_SeedsEveryDemoAccount()
    {
        factory.CreateClient().Dispose();
        await using var db = factory.CreateDbContext();

        foreach (var account in DemoAccounts.All)
        {
            Assert.True(await db.Users.AnyAsync(u => u.UserName == account.UserName), account.UserName);
        }
    }

    [Fact]
    public void SqlServerMigrations_GenerateAScript()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);

        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("CREATE TABLE [Matters]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX [IX_Matters_Code]", script, StringComparison.Ordinal);
        Assert.False(db.Database.HasPendingModelChanges(), "SQL Server migrations are behind the model");
    }

    [Fact]
    public void PostgresAndSqliteMigrations_AreUpToDate()
    {
        using var pg = new PostgresDesignTimeFactory().CreateDbContext([]);
        using var lite = new SqliteDesignTimeFactory().CreateDbContext([]);

        Assert.False(pg.Database.HasPendingModelChanges());
        Assert.False(lite.Database.HasPendingModelChanges());
    }
}

public sealed class ProductionStartTests
{
    [Fact]
    public async Task Production_NeverSeedsDemoAccounts_OnlyTheConfiguredFirstAdministrator()
    {
        using var factory = new ProductionFactory();
        factory.CreateClient().Dispose();
        await using var db = factory.CreateDbContext();

        var users = await db.Users.ToListAsync();
        Assert.Equal("root-admin", Assert.Single(users).UserName);
        Assert.True(await db.Matters.AnyAsync(), "the catalogue is reference data and loads in every environment");
    }

    private sealed class ProductionFactory : AppFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("environment", "Production");
            builder.UseSetting("Database:MigrateOnStart", "true");
            builder.UseSetting("Bootstrap:AdminUserName", "root-admin");
            builder.UseSetting("Bootstrap:AdminPassword", "first-admin-2026");
        }
    }
}

public sealed class DemoCasesTests
{
    [Fact]
    public async Task Development_SeedsDemoCasesInEveryStageThroughTheDomain_WithAnIntactJournal()
    {
        using var factory = new WithDemoCases();
        factory.CreateClient().Dispose();
        await using var db = factory.CreateDbContext();

        var states = await db.Cases.AsNoTracking().IgnoreAutoIncludes().Select(c => c.State).ToListAsync();
        foreach (var state in new[] { Core.Cases.CaseState.PreAcceptance, Core.Cases.CaseState.SupplementRequested, Core.Cases.CaseState.Handling, Core.Cases.CaseState.Delivered, Core.Cases.CaseState.NotAccepted })
        {
            Assert.Contains(state, states);
        }

        Assert.True(await db.Set<Core.Cases.CaseStep>().CountAsync(s => s.ClosedAt == null && s.Department == "SCJG") >= 3, "SCJG officers have a worklist");
        Assert.True((await CaseJournal.VerifyAsync(db)).IsIntact);

        // The delivered case's certificate is in the register and verifiable by its code.
        var delivered = await db.Cases.AsNoTracking().IgnoreAutoIncludes().FirstAsync(c => c.State == Core.Cases.CaseState.Delivered && c.CertificateNumber != null);
        var record = await db.Certificates.AsNoTracking().SingleAsync(r => r.CaseId == delivered.Id);
        Assert.Equal(delivered.CertificateCode, record.Code);
        Assert.Contains("本证照真实有效", await factory.CreateClient().GetStringAsync($"/verify/{record.Code}"), StringComparison.Ordinal);

        // Three line systems, and a case that reached the centre only through 市场监管业务系统's pushes.
        Assert.Equal(3, await db.LineSystems.CountAsync());
        var mirrored = await db.Cases.AsNoTracking().IgnoreAutoIncludes().SingleAsync(c => c.Channel == Core.Cases.CaseChannel.LineSystem);
        Assert.Equal("YW-2026-000318", mirrored.ExternalCaseId);
        Assert.Equal(Core.Cases.CaseState.Approved, mirrored.State);
    }

    private sealed class WithDemoCases : AppFactory
    {
        protected override bool DemoCases => true;
    }
}
