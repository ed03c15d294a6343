using System.Net;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Core.Ratings;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Cases.Notifications;
using ApprovalSystem.Web.Features.Portal;
using ApprovalSystem.Web.Features.Ratings;
using ApprovalSystem.Web.Features.Supervision;
using ApprovalSystem.Web.Features.Supervision.Performance;
using ApprovalSystem.Web.Tests.Infrastructure;
using ApprovalSystem.Web.Tests.Supervision;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalSystem.Web.Tests.Ratings;

/// <summary>
/// 好差评 per GB/T 39734-2020 on the real app and database with a clock the test moves: ratings per point and indicator, one per
/// point; a 差评's rectification on the working-day clock, carded when overdue; call-back → fixed → confirmed, and the one contest;
/// an upheld appeal takes the rating out of the satisfaction rate; the export's columns keep a rare character.
/// </summary>
public sealed class ServiceReviewTests : IDisposable
{
    // A fresh app per test: the fake clock and the scan only move forward. Tue 29 Sep 2026, 10:00 China time.
    private readonly ClockedAppFactory factory = new();

    public void Dispose() => factory.Dispose();

    private static readonly CaseActor Supervisor = new("supervisor-test", "纪检员", [Roles.Supervisor]);

    /// <summary>An online filing of the citizen's, submitted; its owner as an actor and its lead department.</summary>
    private async Task<(long Id, CaseActor Owner, string Department)> FiledAsync()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = TestMatters.Joint, submit = false });
        var id = filed.GetProperty("id").GetInt64();
        await using var db = factory.CreateDbContext();
        var c = await db.Cases.AsNoTracking().IgnoreAutoIncludes().SingleAsync(x => x.Id == id);
        var owner = new CaseActor(c.OwnerUserId!, "张伟", [Roles.Applicant]);
        await factory.Get<Features.Cases.Filing.SaveDraft.Handler>().HandleAsync(new(id, await TestForms.RequiredAsync(factory, TestMatters.Joint)), owner);
        await citizen.PostOkAsync($"/api/cases/{id}/submit");
        return (id, owner, c.LeadDepartment);
    }

    /// <summary>A filing the window refused: concluded, never accepted.</summary>
    private async Task<(long Id, CaseActor Owner, string Department)> RefusedAsync()
    {
        var filed = await FiledAsync();
        await (await ApiSession.SignInAsync(factory, "clerk")).PostOkAsync($"/api/cases/{filed.Id}/refuse", new { reason = "不属于本县管辖" });
        return filed;
    }

    private static CaseActor OfficerOf(string department) => new("officer-test", "陈立", [Roles.Officer], department);

    private async Task<Rectification> RectificationAsync(long caseId)
    {
        await using var db = factory.CreateDbContext();
        return await db.Rectifications.AsNoTracking().SingleAsync(r => r.CaseId == caseId);
    }

    private async Task<ScanJob.ScanResult> ScanAtAsync(string chinaLocal)
    {
        factory.Clock.SetUtcNow(ClockedAppFactory.At(chinaLocal));
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ScanJob>().ScanAsync();
    }

    [Fact]
    public async Task Points_OpenAfterAcceptanceAndAfterConclusion_OneRatingEach_WithTheChannelsIndicators_AndAnInvitationInTheInbox()
    {
        var feedback = factory.Get<Feedback.Handler>();

        // Accepted, not concluded: only the point after acceptance is open; the online indicators, not the window's.
        var accepted = await FiledAsync();
        await (await ApiSession.SignInAsync(factory, "clerk")).PostOkAsync($"/api/cases/{accepted.Id}/accept", new { });
        var early = await Assert.ThrowsAsync<CaseRuleException>(() => feedback.RateAsync(new(accepted.Id, 5, null, RatingPoint.Conclusion), accepted.Owner));
        Assert.Contains("办结后", early.Message, StringComparison.Ordinal);
        var wrong = await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => feedback.RateAsync(
            new(accepted.Id, 5, null, RatingPoint.Acceptance, new Dictionary<string, int> { ["服务态度"] = 5 }), accepted.Owner));
        Assert.Contains("办事效率", wrong.Message, StringComparison.Ordinal);

        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var (viaApi, _) = await citizen.PostAsync($"/api/cases/{accepted.Id}/ratings",
            new { point = "Acceptance", level = 4, indicators = new Dictionary<string, int> { ["办事效率"] = 5, ["平台操作性"] = 3 } });
        Assert.Equal(HttpStatusCode.NoContent, viaApi.StatusCode);
        var (again, problem) = await citizen.PostAsync($"/api/cases/{accepted.Id}/ratings", new { point = "Acceptance", level = 5 });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("只能评价一次", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var (badIndicator, _) = await citizen.PostAsync($"/api/cases/{accepted.Id}/ratings",
            new { point = "Conclusion", level = 5, indicators = new Dictionary<string, int> { ["办事效率"] = 9 } });
        Assert.Equal(HttpStatusCode.Conflict, badIndicator.StatusCode); // not concluded yet: the state answers first

        var ratings = await citizen.GetOkAsync($"/api/cases/{accepted.Id}/ratings");
        var only = Assert.Single(ratings.EnumerateArray());
        Assert.Equal("Acceptance", only.GetProperty("point").GetString());
        Assert.Equal("线上", only.GetProperty("channel").GetString());
        Assert.Equal(5, only.GetProperty("indicators").GetProperty("办事效率").GetInt32());

        // Refused: concluded without acceptance — only the point after conclusion.
        var refused = await RefusedAsync();
        await Assert.ThrowsAsync<CaseRuleException>(() => feedback.RateAsync(new(refused.Id, 5, null, RatingPoint.Acceptance), refused.Owner));
        await feedback.RateAsync(new(refused.Id, 5, "很好"), refused.Owner);
        Assert.Equal(5, (await feedback.RatingAsync(refused.Id))!.Level);
        Assert.Empty(await factory.CreateDbContext().Rectifications.AsNoTracking().ToListAsync()); // good ratings open nothing

        await using var db = factory.CreateDbContext();
        var invitations = await db.Notifications.AsNoTracking()
            .Where(n => n.UserId == accepted.Owner.UserId && n.Title == CaseNotifier.RatingInvitation).ToListAsync();
        Assert.Contains(invitations, n => n.Link == $"/cases/{accepted.Id}" && n.Body.Contains("受理服务", StringComparison.Ordinal));
        Assert.Contains(invitations, n => n.Link == $"/cases/{refused.Id}" && n.Body.Contains("已办结", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BadRating_WhenAnotherWriterMovesTheJournalFirst_IsSavedOnTheNextTry_NotRefusedAsAlreadyRated()
    {
        var (id, owner, _) = await RefusedAsync();

        // Between the rating's read and its save, another act (here a department-level event) is chained into the journal.
        factory.BeforeSave.Once(context => context.ChangeTracker.Entries<CaseRating>().Any(e => e.State == EntityState.Added), async () =>
        {
            await using var other = factory.CreateDbContext();
            await ApprovalSystem.Web.Infrastructure.CaseJournal.AppendEventAsync(other, 0, null, factory.Clock.GetUtcNow(), Supervisor, "同时写入", "", null, null, default);
            await other.SaveChangesAsync();
        });
        await factory.Get<Feedback.Handler>().RateAsync(new(id, 2, "窗口让我跑了三次"), owner);

        Assert.True(factory.BeforeSave.Ran);
        await using var db = factory.CreateDbContext();
        var rating = Assert.Single(await db.Ratings.AsNoTracking().Where(r => r.CaseId == id).ToListAsync());
        Assert.Equal(2, rating.Level);
        Assert.Single(await db.Rectifications.AsNoTracking().Where(r => r.CaseId == id).ToListAsync());
        var journal = await db.Journal.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(["同时写入", "差评"], journal.Where(e => e.Action is "同时写入" or "差评").Select(e => e.Action));
        Assert.True((await ApprovalSystem.Web.Infrastructure.CaseJournal.VerifyAsync(db)).IsIntact);

        // A second rating of the same point is still refused as rated.
        var again = await Assert.ThrowsAsync<CaseRuleException>(() => factory.Get<Feedback.Handler>().RateAsync(new(id, 5, null), owner));
        Assert.Contains("只能评价一次", again.Message, StringComparison.Ordinal);

        // The department's call-back, raced the same way, is saved too (before: "该整改记录刚被他人办理", which nobody had).
        var r = await RectificationAsync(id);
        factory.BeforeSave.Once(context => context.ChangeTracker.Entries<Rectification>().Any(e => e.State == EntityState.Modified), async () =>
        {
            await using var other = factory.CreateDbContext();
            await ApprovalSystem.Web.Infrastructure.CaseJournal.AppendEventAsync(other, 0, null, factory.Clock.GetUtcNow(), Supervisor, "同时写入", "", null, null, default);
            await other.SaveChangesAsync();
        });
        await factory.Get<Rectifications.Handler>().CallBackAsync(new(r.Id, factory.Clock.GetUtcNow().AddMinutes(-5), "张伟", "已电话回访"), OfficerOf(r.Department));
        Assert.True(factory.BeforeSave.Ran);
        Assert.Equal(RectificationState.CalledBack, (await RectificationAsync(id)).State);
        await using var after = factory.CreateDbContext();
        Assert.True((await ApprovalSystem.Web.Infrastructure.CaseJournal.VerifyAsync(after)).IsIntact);
    }

    [Fact]
    public async Task BadRating_OpensARectificationForTheDepartment_WhoseClockIsCardedYellowThenRed_OnTheWorkingCalendar()
    {
        var (id, owner, department) = await RefusedAsync();
        await ScanAtAsync("2026-09-29T10:00"); // the scan's starting point
        await factory.Get<Feedback.Handler>().RateAsync(new(id, 2, "窗口让我跑了三次"), owner);

        // Five working days from Tue 29 Sep: 30 Sep, [1–7 Oct National Day], 8, 9, Sat 10 Oct (make-up workday), Mon 12 Oct.
        var r = await RectificationAsync(id);
        Assert.Equal(department, r.Department);
        Assert.Equal(RectificationState.Open, r.State);
        Assert.Equal(ClockedAppFactory.At("2026-10-13T00:00"), r.DueAt);
        Assert.Equal(ClockedAppFactory.At("2026-10-11T00:00"), r.WarnAt);
        await using (var db = factory.CreateDbContext())
        {
            Assert.Contains(await db.Journal.AsNoTracking().Where(e => e.CaseId == id).ToListAsync(), e => e.Action == "差评");
            var head = await db.Users.Include(u => u.Department).FirstAsync(u => u.Department!.Code == department);
            Assert.Contains(await db.Notifications.AsNoTracking().Where(n => n.UserId == head.Id).ToListAsync(), n => n.Title == "收到差评，请整改");
        }

        var subject = new CardSubject(id, r.CardWorkItem).ToString();
        async Task<List<CardRecord>> CardsAsync()
        {
            await using var db = factory.CreateDbContext();
            return await db.SupervisionCards.AsNoTracking().Where(c => c.SubjectKey == subject).ToListAsync();
        }

        await ScanAtAsync("2026-10-10T23:59");
        Assert.Empty(await CardsAsync());
        await ScanAtAsync("2026-10-11T00:00");
        Assert.Equal([CardKind.Yellow], (await CardsAsync()).Select(c => c.Kind));
        await ScanAtAsync("2026-10-12T23:59");
        Assert.Single(await CardsAsync());
        await ScanAtAsync("2026-10-13T00:00");
        var cards = await CardsAsync();
        Assert.Equal([CardKind.Yellow, CardKind.Red], cards.OrderBy(c => c.Id).Select(c => c.Kind));
        Assert.All(cards, c => Assert.Equal(department, c.Department));
        Assert.Contains("差评整改已超过整改期限", CardRaiserText(cards.Single(c => c.Kind == CardKind.Red)), StringComparison.Ordinal);
        await ScanAtAsync("2026-10-14T10:00");
        Assert.Equal(2, (await CardsAsync()).Count); // once each

        // Late, but resolved: the cards leave the active list on the next scan, and it was not on time.
        var rectifications = factory.Get<Rectifications.Handler>();
        await rectifications.CallBackAsync(new(r.Id, factory.Clock.GetUtcNow().AddHours(-1), "张伟 138****0001", "申请人反映多次往返"), OfficerOf(department));
        await rectifications.ResolveAsync(new(r.Id, RectificationResolution.Fixed, "已在办事指南中列明全部材料"), OfficerOf(department));
        await ScanAtAsync("2026-10-14T10:05");
        Assert.All(await CardsAsync(), c => Assert.NotNull(c.ClosedAt));
        Assert.False((await RectificationAsync(id)).OnTime);
    }

    private static string CardRaiserText(CardRecord card) => Features.Supervision.Cards.CardRaiser.CardText(card);

    [Fact]
    public async Task AContestedRectification_RunsASecondClock_CardedAndClosedLikeTheFirst()
    {
        var (id, owner, department) = await RefusedAsync();
        await ScanAtAsync("2026-09-29T10:00");
        await factory.Get<Feedback.Handler>().RateAsync(new(id, 1, "材料清单前后不一"), owner);
        var r = await RectificationAsync(id);
        var handler = factory.Get<Rectifications.Handler>();
        await handler.CallBackAsync(new(r.Id, factory.Clock.GetUtcNow().AddMinutes(-5), "张伟", "申请人反映清单前后不一"), OfficerOf(department));
        await handler.ResolveAsync(new(r.Id, RectificationResolution.Fixed, "清单已统一"), OfficerOf(department));
        await handler.ContestAsync(new(r.Id, "清单仍缺一项"), owner);

        // Before, a contested rectification had no clock: nobody was carded however long it waited. Now five working days again.
        r = await RectificationAsync(id);
        Assert.True(r.OnTime);
        Assert.Equal(ClockedAppFactory.At("2026-10-13T00:00"), r.ReopenedDueAt);
        Assert.Equal(ClockedAppFactory.At("2026-10-11T00:00"), r.ReopenedWarnAt);
        await using (var db = factory.CreateDbContext())
        {
            var head = await db.Users.Include(u => u.Department).FirstAsync(u => u.Department!.Code == department);
            Assert.Contains(await db.Notifications.AsNoTracking().Where(n => n.UserId == head.Id).ToListAsync(),
                n => n.Title == "申请人对整改结果有异议" && n.Body.Contains("请于2026年10月13日前重新整改", StringComparison.Ordinal));
        }

        async Task<List<CardRecord>> CardsAsync(string workItem)
        {
            await using var db = factory.CreateDbContext();
            var subject = new CardSubject(id, workItem).ToString();
            return await db.SupervisionCards.AsNoTracking().Where(c => c.SubjectKey == subject).OrderBy(c => c.Id).ToListAsync();
        }

        await ScanAtAsync("2026-10-10T23:59");
        Assert.Empty(await CardsAsync(r.ReopenedCardWorkItem));
        await ScanAtAsync("2026-10-11T00:00");
        Assert.Equal([CardKind.Yellow], (await CardsAsync(r.ReopenedCardWorkItem)).Select(c => c.Kind));
        await ScanAtAsync("2026-10-13T00:00");
        var cards = await CardsAsync(r.ReopenedCardWorkItem);
        Assert.Equal([CardKind.Yellow, CardKind.Red], cards.Select(c => c.Kind));
        Assert.Contains("差评重新整改已超过整改期限", CardRaiserText(cards[1]), StringComparison.Ordinal);
        Assert.All(cards, c => Assert.Equal(department, c.Department));
        Assert.Empty(await CardsAsync(r.CardWorkItem)); // the first round was resolved in time
        await ScanAtAsync("2026-10-13T09:00");
        Assert.True((await handler.ListAsync(OfficerOf(department), openOnly: true)).Single(x => x.Item.Id == r.Id).Overdue);
        Assert.Equal(2, (await CardsAsync(r.ReopenedCardWorkItem)).Count); // once each

        // Resolved again: the second round's cards close on the next scan.
        await handler.ResolveAsync(new(r.Id, RectificationResolution.Fixed, "清单已补齐契税完税证明"), OfficerOf(department));
        await ScanAtAsync("2026-10-13T10:00");
        Assert.All(await CardsAsync(r.ReopenedCardWorkItem), c => Assert.NotNull(c.ClosedAt));
    }

    [Fact]
    public async Task CallBack_ThenFixed_ThenConfirmed_AndAContestReopensItOnlyOnce_AllJournalled()
    {
        var (id, owner, department) = await RefusedAsync();
        await factory.Get<Feedback.Handler>().RateAsync(new(id, 1, "材料要求反复变化"), owner);
        var r = await RectificationAsync(id);
        var handler = factory.Get<Rectifications.Handler>();
        var officer = OfficerOf(department);

        var noCall = await Assert.ThrowsAsync<CaseRuleException>(() => handler.ResolveAsync(new(r.Id, RectificationResolution.Fixed, "已改"), officer));
        Assert.Contains("先回访", noCall.Message, StringComparison.Ordinal);
        var other = OfficerOf("NOT-" + department);
        await Assert.ThrowsAsync<CaseRuleException>(() => handler.CallBackAsync(new(r.Id, factory.Clock.GetUtcNow(), "张伟", "回访"), other));

        // The time as the officer types it, in China's time (the page and the API take +08:00): stored as the same instant.
        var called = factory.Clock.GetUtcNow().AddMinutes(-5).ToOffset(TimeSpan.FromHours(8));
        await handler.CallBackAsync(new(r.Id, called, "张伟（申请人本人）", "申请人反映补正通知前后不一致"), officer);
        await handler.ResolveAsync(new(r.Id, RectificationResolution.Fixed, "统一一次性告知清单，窗口人员已培训"), officer);
        Assert.Equal(RectificationState.Resolved, (await RectificationAsync(id)).State);

        var stranger = new CaseActor("someone-else", "李四", [Roles.Applicant]);
        await Assert.ThrowsAsync<CaseRuleException>(() => handler.ConfirmAsync(r.Id, stranger));
        await handler.ContestAsync(new(r.Id, "清单仍缺一项"), owner);
        Assert.Equal(RectificationState.Reopened, (await RectificationAsync(id)).State);
        await handler.ResolveAsync(new(r.Id, RectificationResolution.Fixed, "清单已补齐契税完税证明"), officer);
        var twice = await Assert.ThrowsAsync<CaseRuleException>(() => handler.ContestAsync(new(r.Id, "还是不满意"), owner));
        Assert.Contains("投诉", twice.Message, StringComparison.Ordinal);
        await handler.ConfirmAsync(r.Id, owner);

        var done = await RectificationAsync(id);
        Assert.Equal(RectificationState.Confirmed, done.State);
        Assert.True(done.OnTime);
        Assert.Equal("张伟（申请人本人）", done.CalledWhom);
        Assert.Equal(called.UtcDateTime, done.CalledBackAt!.Value.UtcDateTime);
        await using var db = factory.CreateDbContext();
        var actions = await db.Journal.AsNoTracking().Where(e => e.CaseId == id).OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync();
        Assert.Equal(["差评", "差评回访", "差评已整改", "整改异议", "差评已整改", "整改确认"], actions.SkipWhile(a => a != "差评"));
        Assert.Contains(await db.Notifications.AsNoTracking().Where(n => n.UserId == owner.UserId).ToListAsync(), n => n.Title == "整改结果待您确认");
    }

    [Fact]
    public async Task AnAppealUpheld_TakesTheRatingOutOfTheSatisfactionRate_AndTheRectificationIsClosed()
    {
        var good = await RefusedAsync();
        var bad = await RefusedAsync();
        var feedback = factory.Get<Feedback.Handler>();
        await feedback.RateAsync(new(good.Id, 5, null), good.Owner);
        await feedback.RateAsync(new(bad.Id, 1, "恶意：不给办就差评"), bad.Owner);
        var today = WorkingTimeToday();
        await factory.Get<PerformanceAggregator>().RefreshAsync(today, today);
        var performance = factory.Get<PerformanceQueries>();
        var month = new DateOnly(2026, 9, 1);
        var before = (await performance.TalliesAsync(month, month.AddMonths(1), PerformanceDimension.Department))[bad.Department];
        Assert.Equal((2, 1, 0.5m), (before.Ratings, before.GoodRatings, before.SatisfactionRate!.Value));

        var r = await RectificationAsync(bad.Id);
        var handler = factory.Get<Rectifications.Handler>();
        await Assert.ThrowsAsync<CaseRuleException>(() => handler.DecideAsync(new(r.Id, true, "成立"), Supervisor)); // nothing to decide yet
        await handler.AppealAsync(new(r.Id, AppealGround.Malicious, "申请人事先声明不予受理就差评，有录音"), OfficerOf(bad.Department));
        await Assert.ThrowsAsync<CaseRuleException>(() => handler.AppealAsync(new(r.Id, AppealGround.Wrong, "再申诉"), OfficerOf(bad.Department)));
        await Assert.ThrowsAsync<CaseRuleException>(() => handler.DecideAsync(new(r.Id, true, "成立"), OfficerOf(bad.Department)));
        await handler.DecideAsync(new(r.Id, true, "经核录音，属恶意差评"), Supervisor);

        var after = (await performance.TalliesAsync(month, month.AddMonths(1), PerformanceDimension.Department))[bad.Department];
        Assert.Equal((1, 1, 1m), (after.Ratings, after.GoodRatings, after.SatisfactionRate!.Value));
        var figures = (await factory.Get<RatingFigures>().ComputeAsync(month, month.AddMonths(1), PerformanceDimension.Department))
            .Single(f => f.Key == bad.Department);
        Assert.Equal((1, 1m, 1, 0), (figures.Ratings, figures.SatisfactionRate!.Value, figures.AppealsUpheld, figures.Rectifications));
        Assert.Equal(RectificationState.Voided, (await RectificationAsync(bad.Id)).State);
        await using var db = factory.CreateDbContext();
        Assert.True((await db.Ratings.AsNoTracking().SingleAsync(x => x.CaseId == bad.Id)).Excluded);
        Assert.Contains(await db.Journal.AsNoTracking().Where(e => e.CaseId == bad.Id).ToListAsync(), e => e.Action == "申诉成立");
    }

    private DateOnly WorkingTimeToday() => Core.Cases.WorkingTime.LocalDate(factory.Clock.GetUtcNow());

    [Fact]
    public async Task Export_NamesTheStandardsColumns_AndKeepsARareCharacterInTheComment()
    {
        var (id, owner, _) = await RefusedAsync();
        await factory.Get<Feedback.Handler>().RateAsync(new(id, 2, "𠈌先生的名字被打成了问号", Point: RatingPoint.Conclusion,
            Indicators: new Dictionary<string, int> { ["办事效率"] = 2, ["办事指南精确度"] = 1 }), owner);

        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var (refusedToCitizen, _) = await citizen.GetAsync("/api/ratings/export.xlsx?from=2026-09-01&to=2026-09-30");
        Assert.Equal(HttpStatusCode.Forbidden, refusedToCitizen.StatusCode);
        var supervisor = await ApiSession.SignInAsync(factory, "supervisor");
        var (wrongPeriod, _) = await supervisor.GetAsync("/api/ratings/export.xlsx?from=2026-09-30&to=2026-09-01");
        Assert.Equal(HttpStatusCode.BadRequest, wrongPeriod.StatusCode);

        var bytes = await supervisor.Client.GetByteArrayAsync("/api/ratings/export.xlsx?from=2026-09-01&to=2026-09-30");
        using var stream = new MemoryStream(bytes);
        Assert.Equal(RatingFigures.Columns, MiniExcelLibs.MiniExcel.GetColumns(stream, useHeaderRow: true).Cast<string>());
        stream.Position = 0;
        var row = (IDictionary<string, object>)Assert.Single(MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: true));
        Assert.Equal("𠈌先生的名字被打成了问号", row["文字评价"]);
        Assert.Equal("不满意", row["整体满意度"]);
        Assert.Equal("非常不满意", row["办事指南精确度"]);
        Assert.Equal("线上", row["评价渠道"]);
        Assert.Equal("办结后", row["评价节点"]);
        Assert.Equal("待回访", row["差评整改状态"]);
        Assert.Equal("是", row["是否计入统计"]);
        Assert.Equal(TestMatters.Joint, row["事项编码"]);
    }
}
