using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Supervision;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using ApprovalSystem.Workflows;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ApprovalSystem.Web.Features.Supervision.Performance;
using ApprovalSystem.Web.Features.Supervision.Alerts;

namespace ApprovalSystem.Web.Tests.Supervision;

/// <summary>The real app with a clock the test moves (FakeTimeProvider), on a fresh database.</summary>
public sealed class ClockedAppFactory : AppFactory
{
    private static readonly DateTimeOffset Start = At("2026-09-29T10:00");

    public FakeTimeProvider Clock { get; } = new(Start);

    /// <summary>A host started with the clock where it began is the template made at that instant; one moved before the start seeds anew.</summary>
    protected override bool FromTemplate => Clock.GetUtcNow() == Start;

    protected override DateTimeOffset? StartsAt => Start;

    public static DateTimeOffset At(string chinaLocal) => new DateTimeOffset(DateTime.Parse(chinaLocal, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromHours(8)).ToUniversalTime();

    /// <summary>A test's act run once just before a chosen save: another writer's act between a handler's read and its save.</summary>
    public BeforeSave BeforeSave { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(Clock);
            s.ConfigureDbContext<SqliteAppDbContext>(o => o.AddInterceptors(BeforeSave), ServiceLifetime.Singleton);
            s.ConfigureDbContext<PostgresAppDbContext>(o => o.AddInterceptors(BeforeSave), ServiceLifetime.Singleton);
        });
    }
}

/// <summary>Runs an act once, just before the first save that <c>when</c> picks (the act's own saves pass: it is disarmed first).</summary>
public sealed class BeforeSave : Microsoft.EntityFrameworkCore.Diagnostics.SaveChangesInterceptor
{
    private Func<DbContext, bool>? _when;
    private Func<Task>? _act;

    public bool Ran { get; private set; }

    public void Once(Func<DbContext, bool> when, Func<Task> act) => (_when, _act, Ran) = (when, act, false);

    public override async ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int>> SavingChangesAsync(
        Microsoft.EntityFrameworkCore.Diagnostics.DbContextEventData eventData, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (_act is { } act && eventData.Context is { } context && _when!(context))
        {
            _act = null;
            await act();
            Ran = true;
        }

        return result;
    }
}

/// <summary>
/// The supervision scan on the real database with a fake clock: yellow and red cards at the exact
/// working-day moments (across the 2026 National Day holiday and its make-up Saturday), none while
/// suspended, re-armed after a return, each card once however often or concurrently the scan runs.
/// </summary>
public sealed class SupervisionScanTests : IDisposable
{
    // A fresh app and database per test: the fake clock only moves forward, and so does the scan.
    private readonly ClockedAppFactory factory = new();

    public void Dispose() => factory.Dispose();

    private static readonly CaseActor Clerk = new("clerk-test", "李晓梅", [Roles.Clerk], "FWZX");
    private static readonly CaseActor Officer = new("officer-test", "陈立", [Roles.Officer], "SCJG");

    /// <summary>Two steps: 承办 (handle) then 审核 (review), which may return the case to 承办.</summary>
    private static WorkflowDefinition Definition(int handleDays, int reviewDays) => new WorkflowLoader().LoadFromJson("test.json", $$"""
        {
          "id": "scan-test-{{handleDays}}-{{reviewDays}}", "version": 1, "title": "监察测试", "start": "handle",
          "steps": [
            { "id": "handle", "kind": "task", "title": "承办", "department": "$lead", "role": "Officer", "limitDays": {{handleDays}}, "writes": "handle", "outcomes": ["approve", "deny"] },
            { "id": "review", "kind": "task", "title": "审核", "department": "$lead", "role": "Officer", "limitDays": {{reviewDays}}, "writes": "review", "outcomes": ["approve", "deny", "return"] },
            { "id": "approved", "kind": "end", "title": "准予", "result": "approved" },
            { "id": "denied", "kind": "end", "title": "不予", "result": "denied" }
          ],
          "connections": [
            { "from": "handle", "outcome": "approve", "to": "review" },
            { "from": "handle", "outcome": "deny", "to": "denied" },
            { "from": "review", "outcome": "approve", "to": "approved" },
            { "from": "review", "outcome": "deny", "to": "denied" }
          ]
        }
        """).Definitions.Single();

    /// <summary>A case accepted now, promised in <paramref name="promisedDays"/> working days, yellow with one working day left.</summary>
    private async Task<Case> AcceptedCaseAsync(WorkflowDefinition definition, int promisedDays, decimal? feeCharged = null, TimeSpan? reviewTook = null)
    {
        await using var db = factory.CreateDbContext();
        var matter = await db.Matters.AsNoTracking().FirstAsync(m => m.Code == "330799-SCJG-001");
        var snapshot = new MatterSnapshot(matter.Id, matter.Code, matter.Name, MatterKind.Promised, "SCJG", 20, promisedDays, 0, null, new WarningPolicy(1, null), definition.Id, []);
        var applicant = new ApplicantInfo { Name = "王芳", IdType = ApplicantIdType.ResidentId, IdNumber = "330799198503120016", Phone = "13800000001" };
        return await factory.Get<CaseStore>().CreateAsync(async ctx =>
        {
            var filedAt = ctx.Now - (reviewTook ?? TimeSpan.Zero);
            var c = Case.Draft(snapshot, applicant, new Dictionary<string, string>(), Clerk, filedAt);
            c.Submit(await CaseStore.NextNumberAsync(ctx.Db, "330799", ctx.Now, default), "123456", Clerk, filedAt, ctx.Time);
            c.Accept(definition, Clerk, ctx.Now, ctx.Time, feeCharged: feeCharged);
            return c;
        });
    }

    private async Task<ScanJob.ScanResult> ScanAtAsync(string chinaLocal)
    {
        factory.Clock.SetUtcNow(ClockedAppFactory.At(chinaLocal));
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ScanJob>().ScanAsync();
    }

    private async Task<List<CardRecord>> CardsAsync(long caseId)
    {
        await using var db = factory.CreateDbContext();
        return await db.SupervisionCards.AsNoTracking().Where(c => c.CaseId == caseId).OrderBy(c => c.Id).ToListAsync();
    }

    private async Task<Case> ActAsync(long caseId, WorkflowDefinition definition, Outcome outcome) =>
        await factory.Get<CaseStore>().ExecuteAsync(caseId, Officer, (c, ctx) =>
        {
            c.Act(definition, c.OpenSteps.Single().WorkItemId, outcome, "意见", null, Officer, ctx.Now, ctx.Time);
            return Task.CompletedTask;
        });

    [Fact]
    public async Task CaseCards_AtTheExactWorkingDayMoments_AcrossNationalDayAndItsMakeUpSaturday()
    {
        // Accepted Tue 29 Sep 2026, 5 working days: 30 Sep (1), [1–7 Oct holiday], 8 Oct (2), 9 Oct (3),
        // Sat 10 Oct make-up workday (4), Mon 12 Oct (5). Due at the end of 12 Oct; yellow with one day
        // left, i.e. at the end of the make-up Saturday.
        factory.Clock.SetUtcNow(ClockedAppFactory.At("2026-09-29T10:00"));
        var definition = Definition(handleDays: 20, reviewDays: 20);
        var c = await AcceptedCaseAsync(definition, promisedDays: 5);
        var key = CardRecord.CaseKey(c.Id);
        await ScanAtAsync("2026-09-29T10:01"); // a scan before anything is due sets the starting point

        await ScanAtAsync("2026-10-10T23:59");
        Assert.DoesNotContain(await CardsAsync(c.Id), x => x.SubjectKey == key);

        await ScanAtAsync("2026-10-11T00:00");
        var yellow = Assert.Single(await CardsAsync(c.Id), x => x.SubjectKey == key);
        Assert.Equal(CardKind.Yellow, yellow.Kind);
        Assert.Equal(ClockedAppFactory.At("2026-10-11T00:00"), yellow.Moment);

        await ScanAtAsync("2026-10-12T23:59");
        Assert.Single(await CardsAsync(c.Id), x => x.SubjectKey == key);

        await ScanAtAsync("2026-10-13T00:01");
        var cards = (await CardsAsync(c.Id)).Where(x => x.SubjectKey == key).ToList();
        Assert.Equal([CardKind.Yellow, CardKind.Red], cards.Select(x => x.Kind));
        Assert.Equal(ClockedAppFactory.At("2026-10-13T00:00"), cards[1].Moment);

        // The supervisors and the department's head heard about it; the journal has the card.
        await using var db = factory.CreateDbContext();
        var supervisor = await db.Users.SingleAsync(u => u.UserName == "supervisor");
        Assert.Contains(await db.Notifications.Where(n => n.UserId == supervisor.Id).ToListAsync(), n => n.Title == "红牌警告" && n.Link == $"/cases/{c.Id}");
        var contact = await db.Users.SingleAsync(u => u.UserName == "officer3.scjg"); // 王建华, SCJG's supervision contact
        var head = await db.Users.SingleAsync(u => u.UserName == "head.scjg");
        var other = await db.Users.SingleAsync(u => u.UserName == "officer2.scjg");
        Assert.Contains(await db.Notifications.Where(n => n.UserId == contact.Id).ToListAsync(), n => n.Title == "红牌警告");
        Assert.Contains(await db.Notifications.Where(n => n.UserId == head.Id).ToListAsync(), n => n.Title == "黄牌预警");
        Assert.DoesNotContain(await db.Notifications.Where(n => n.UserId == other.Id).ToListAsync(), n => n.Title == "红牌警告");
        Assert.Contains(await db.Journal.Where(e => e.CaseId == c.Id).ToListAsync(), e => e.Action == "红牌警告");
        Assert.True((await CaseJournal.VerifyAsync(db)).IsIntact);

        // The cards are the supervision's dealings with the department: staff read them in the case's journal, the applicant and
        // the agent who filed for them read the case's acts without them.
        var queries = factory.Get<ApprovalSystem.Web.Features.Cases.Queries.CaseQueries>();
        var staffView = await queries.JournalAsync(c.Id, Officer);
        Assert.Equal([CaseJournal.Supervision.YellowCard, CaseJournal.Supervision.RedCard],
            staffView.Where(e => CaseJournal.Supervision.Actions.Contains(e.Action)).Select(e => e.Action));
        foreach (var outsider in new[] { new CaseActor("applicant-test", "王芳", [Roles.Applicant]), new CaseActor("agent-test", "代办员", [Roles.Agent]) })
        {
            var applicantView = await queries.JournalAsync(c.Id, outsider);
            Assert.Contains(applicantView, e => e.Action == nameof(CaseTrigger.Accept));
            Assert.DoesNotContain(applicantView, e => CaseJournal.Supervision.Actions.Contains(e.Action));
            Assert.Equal(staffView.Count - 2, applicantView.Count);
        }
    }

    [Fact]
    public async Task NoCardWhileSuspended_AndTheResumedClockWarnsLater()
    {
        factory.Clock.SetUtcNow(ClockedAppFactory.At("2026-11-02T09:00")); // Monday
        var definition = Definition(handleDays: 20, reviewDays: 20);
        var c = await AcceptedCaseAsync(definition, promisedDays: 3);
        await ScanAtAsync("2026-11-02T09:01");
        factory.Clock.SetUtcNow(ClockedAppFactory.At("2026-11-03T09:00"));
        await factory.Get<CaseStore>().ExecuteAsync(c.Id, Officer, (x, ctx) =>
        {
            x.StartSpecialProcedure("专家评审", "需组织专家论证", Officer, ctx.Now, ctx.Time);
            return Task.CompletedTask;
        });

        // Long past the original due moment (end of Thu 5 Nov), but the clock is stopped.
        await ScanAtAsync("2026-11-20T12:00");
        Assert.Empty(await CardsAsync(c.Id));

        // Resumed Fri 20 Nov with 2 days left (1 used): due end of Tue 24 Nov, yellow at end of Mon 23 Nov.
        await factory.Get<CaseStore>().ExecuteAsync(c.Id, Officer, (x, ctx) =>
        {
            x.EndSpecialProcedure("论证通过", Officer, ctx.Now, ctx.Time);
            return Task.CompletedTask;
        });
        await ScanAtAsync("2026-11-23T23:59");
        Assert.DoesNotContain(await CardsAsync(c.Id), x => x.WorkItemId is null);
        await ScanAtAsync("2026-11-24T00:00");
        Assert.Equal(CardKind.Yellow, Assert.Single(await CardsAsync(c.Id), x => x.WorkItemId is null).Kind);
    }

    [Fact]
    public async Task AReturnedAndReEnteredStep_IsReArmed_AndAnOverdueStepInATimelyCaseIsAnAlert()
    {
        factory.Clock.SetUtcNow(ClockedAppFactory.At("2026-11-09T09:00")); // Monday
        var definition = Definition(handleDays: 2, reviewDays: 2);
        var c = await AcceptedCaseAsync(definition, promisedDays: 15);
        await ScanAtAsync("2026-11-09T09:01");

        // 承办 (2 days: due end of Wed 11 Nov, yellow end of Tue 10 Nov) runs late.
        await ScanAtAsync("2026-11-12T08:00");
        var first = (await CardsAsync(c.Id)).Where(x => x.StepTitle == "承办").ToList();
        Assert.Equal([CardKind.Yellow, CardKind.Red], first.Select(x => x.Kind));
        await using (var db = factory.CreateDbContext())
        {
            var alert = Assert.Single(await db.SupervisionAlerts.Where(a => a.CaseId == c.Id).ToListAsync());
            Assert.Equal(SupervisionRuleNames.StepOverdue, alert.Rule);
            Assert.Contains("承办", alert.Message, StringComparison.Ordinal);
        }

        // Done, reviewed, returned: 承办 opens again on Thu 12 Nov with a fresh 2-day clock.
        await ActAsync(c.Id, definition, Outcome.Approve);
        await ActAsync(c.Id, definition, Outcome.Return);
        await ScanAtAsync("2026-11-13T12:00");
        Assert.Equal(2, (await CardsAsync(c.Id)).Count(x => x.StepTitle == "承办")); // the old entry's cards only
        await ScanAtAsync("2026-11-14T00:00"); // end of Fri 13 Nov: one day left on the new entry
        var again = (await CardsAsync(c.Id)).Where(x => x.StepTitle == "承办").ToList();
        Assert.Equal(3, again.Count);
        Assert.NotEqual(again[0].SubjectKey, again[2].SubjectKey);
        Assert.Equal(CardKind.Yellow, again[2].Kind);

        // The first entry's cards left the active list when it closed; the records stay.
        Assert.All(again.Take(2), x => Assert.NotNull(x.ClosedAt));
        Assert.Null(again[2].ClosedAt);
    }

    [Fact]
    public async Task RunTwiceOrConcurrently_EachCardOnce()
    {
        factory.Clock.SetUtcNow(ClockedAppFactory.At("2026-12-01T09:00")); // Tuesday
        var definition = Definition(handleDays: 1, reviewDays: 1);
        var cases = new List<Case>();
        for (var i = 0; i < 5; i++)
        {
            cases.Add(await AcceptedCaseAsync(definition, promisedDays: 2));
        }

        // Late after downtime: the first scan in days finds every crossing at once.
        factory.Clock.SetUtcNow(ClockedAppFactory.At("2026-12-10T09:00"));
        var scans = Enumerable.Range(0, 3).Select(async _ =>
        {
            using var scope = factory.Services.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<ScanJob>().ScanAsync();
        });
        var results = await Task.WhenAll(scans);
        await ScanAtAsync("2026-12-10T09:01");

        foreach (var c in cases)
        {
            var cards = await CardsAsync(c.Id);
            // Case: yellow + red; step 承办: yellow + red — each exactly once.
            Assert.Equal(4, cards.Count);
            Assert.Equal(4, cards.Select(x => (x.SubjectKey, x.Kind)).Distinct().Count());
        }

        Assert.Equal(20, results.Sum(r => r.Yellow + r.Red));
    }

    [Fact]
    public async Task ProcessRules_RunOnTheCasesThatChanged_EachFindingOnce()
    {
        factory.Clock.SetUtcNow(ClockedAppFactory.At("2026-11-16T10:00")); // Monday
        var definition = Definition(handleDays: 5, reviewDays: 5);
        await ScanAtAsync("2026-11-16T10:00");
        var fee = await AcceptedCaseAsync(definition, promisedDays: 10, feeCharged: 50m); // the matter is free
        var late = await AcceptedCaseAsync(definition, promisedDays: 10, reviewTook: TimeSpan.FromDays(14)); // filed Mon 2 Nov
        var clean = await AcceptedCaseAsync(definition, promisedDays: 10, feeCharged: 0m);

        var first = await ScanAtAsync("2026-11-16T10:05");
        var second = await ScanAtAsync("2026-11-16T10:10");

        await using var db = factory.CreateDbContext();
        var alerts = await db.SupervisionAlerts.AsNoTracking().ToListAsync();
        var feeAlert = Assert.Single(alerts, a => a.CaseId == fee.Id);
        Assert.Equal("fee-mismatch", feeAlert.Rule);
        Assert.Contains("50", feeAlert.Evidence, StringComparison.Ordinal);
        Assert.Equal("late-acceptance", Assert.Single(alerts, a => a.CaseId == late.Id).Rule);
        Assert.DoesNotContain(alerts, a => a.CaseId == clean.Id);
        Assert.Equal(2, first.Alerts);
        Assert.Equal(0, second.Alerts);
    }

    [Fact]
    public async Task Performance_DaysSumToTheMonth_WithTheHandComputedScore()
    {
        // Mon 2 Nov: A is promised 3 days and concluded the same day (early, on time); B is promised
        // 1 day, gets its yellow and red cards and is concluded on Thu 5 Nov, 2 days late.
        factory.Clock.SetUtcNow(ClockedAppFactory.At("2026-11-02T09:00"));
        var definition = Definition(handleDays: 20, reviewDays: 20);
        await ScanAtAsync("2026-11-02T09:00");
        var a = await AcceptedCaseAsync(definition, promisedDays: 3);
        var b = await AcceptedCaseAsync(definition, promisedDays: 1);
        await ActAsync(a.Id, definition, Outcome.Approve);
        await ActAsync(a.Id, definition, Outcome.Approve);
        await ScanAtAsync("2026-11-05T10:00");
        await ActAsync(b.Id, definition, Outcome.Approve);
        await ActAsync(b.Id, definition, Outcome.Approve);

        using var scope = factory.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<PerformanceAggregator>().RefreshAsync(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30));
        var queries = scope.ServiceProvider.GetRequiredService<PerformanceQueries>();
        var row = Assert.Single(await queries.EvaluateAsync(new PerformanceQueries.Months(2026, 11, 1), PerformanceDimension.Department));
        var t = row.Tally;
        Assert.Equal("SCJG", row.Key);
        Assert.Equal((2, 2, 2), (t.Received, t.Accepted, t.Concluded));
        Assert.Equal((1, 1, 1), (t.OnTime, t.Early, t.Overdue));
        Assert.Equal(3, t.UsedDays); // A 0 days, B 3 days (3, 4, 5 Nov)
        Assert.Equal((1, 1), (t.YellowCards, t.RedCards));
        // 100 − 5 (yellow) − 10 (red) + 5 (early rate 50%: 1 + 4 steps of 10%) + 9 (promised 4 of legal 40 days, 90% shorter: 3 + 6 steps).
        Assert.Equal(99m, row.Score);
        Assert.Null(row.Grade);

        // The days hold the same sums as the month: 2 Nov and 5 Nov (and the cards' day).
        var days = await queries.TalliesAsync(new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 3), PerformanceDimension.Department);
        Assert.Equal((2, 1), (days["SCJG"].Received, days["SCJG"].Concluded));
        var quarter = Assert.Single(await queries.EvaluateAsync(new PerformanceQueries.Months(2026, 10, 3), PerformanceDimension.Department));
        Assert.Equal(t, quarter.Tally);
        Assert.Equal(Grade.Excellent, quarter.Grade); // (100 for Oct + 99 for Nov) / 2 months so far

        // The same table as Excel for supervisors; a wrong period is a Chinese problem, not a crash.
        var supervisor = await ApiSession.SignInAsync(factory, "supervisor");
        var excel = await supervisor.Client.GetAsync("/api/supervision/performance.xlsx?year=2026&period=m11&dimension=Department");
        Assert.Equal(System.Net.HttpStatusCode.OK, excel.StatusCode);
        var rows = MiniExcelLibs.MiniExcel.Query(await excel.Content.ReadAsStreamAsync(), useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(99m, Convert.ToDecimal(Assert.Single(rows)["得分"], System.Globalization.CultureInfo.InvariantCulture));
        var wrong = await supervisor.GetAsync("/api/supervision/performance.xlsx?year=1&period=q9");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, wrong.Response.StatusCode);
        Assert.Contains("季度", wrong.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await clerk.Client.GetAsync("/api/supervision/performance.xlsx?year=2026")).StatusCode);
    }

    [Fact]
    public async Task ADecidedCaseNotArchivedWithinTenWorkingDays_IsReportedOnce()
    {
        factory.Clock.SetUtcNow(ClockedAppFactory.At("2026-11-02T09:00")); // Monday
        var definition = Definition(handleDays: 5, reviewDays: 5);
        await ScanAtAsync("2026-11-02T09:00");
        var c = await AcceptedCaseAsync(definition, promisedDays: 10);
        await ActAsync(c.Id, definition, Outcome.Approve);
        await ActAsync(c.Id, definition, Outcome.Approve); // decided Mon 2 Nov: archive due at the end of Mon 16 Nov

        await ScanAtAsync("2026-11-16T18:00");
        await using (var db = factory.CreateDbContext())
        {
            Assert.DoesNotContain(await db.SupervisionAlerts.Where(a => a.CaseId == c.Id).ToListAsync(), a => a.Rule == "not-archived");
        }

        await ScanAtAsync("2026-11-17T09:00");
        await ScanAtAsync("2026-11-18T09:00");
        await using (var db = factory.CreateDbContext())
        {
            Assert.Single(await db.SupervisionAlerts.Where(a => a.CaseId == c.Id && a.Rule == "not-archived").ToListAsync());
        }
    }
}
