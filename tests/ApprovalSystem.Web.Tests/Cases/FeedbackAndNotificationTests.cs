using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Features.Portal;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Cases;

public sealed class FeedbackAndNotificationTests(AppFactory factory) : IClassFixture<AppFactory>
{
    /// <summary>A complete draft of the citizen's, ready to submit.</summary>
    private async Task<(long Id, string Owner)> CompleteDraftAsync()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = TestMatters.Joint, submit = false });
        var id = filed.GetProperty("id").GetInt64();
        await using var db = factory.CreateDbContext();
        var owner = (await db.Cases.AsNoTracking().SingleAsync(c => c.Id == id)).OwnerUserId!;
        var form = await TestForms.RequiredAsync(factory, TestMatters.Joint);
        await factory.Get<Features.Cases.Filing.SaveDraft.Handler>().HandleAsync(new(id, form), new CaseActor(owner, "张伟", [Roles.Applicant]));
        return (id, owner);
    }

    [Fact]
    public async Task Rating_OnlyAfterConclusion_OnlyOnce_AndABadOneNeedsAReason()
    {
        var (id, owner) = await CompleteDraftAsync();
        var handler = factory.Get<Feedback.Handler>();
        var citizen = new CaseActor(owner, "张伟", [Roles.Applicant]);

        var early = await Assert.ThrowsAsync<CaseRuleException>(() => handler.RateAsync(new(id, 5, null), citizen));
        Assert.Contains("办结后", early.Message, StringComparison.Ordinal);

        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        var citizenApi = await ApiSession.SignInAsync(factory, "citizen");
        await citizenApi.PostOkAsync($"/api/cases/{id}/submit");
        await clerk.PostOkAsync($"/api/cases/{id}/refuse", new { reason = "不属于本县管辖" });

        await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => handler.RateAsync(new(id, 1, ""), citizen));
        await handler.RateAsync(new(id, 2, "等待时间长"), citizen);
        var twice = await Assert.ThrowsAsync<CaseRuleException>(() => handler.RateAsync(new(id, 5, null), citizen));
        Assert.Contains("只能评价一次", twice.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await handler.RatingAsync(id))!.Level);

        var stranger = new CaseActor("someone-else", "李四", [Roles.Applicant]);
        await Assert.ThrowsAsync<CaseRuleException>(() => handler.ComplainAsync(new(id, "投诉"), stranger));
    }

    [Fact]
    public async Task Complaint_ReachesTheSupervisors()
    {
        var (id, owner) = await CompleteDraftAsync();
        var citizenApi = await ApiSession.SignInAsync(factory, "citizen");
        await citizenApi.PostOkAsync($"/api/cases/{id}/submit");
        await (await ApiSession.SignInAsync(factory, "clerk")).PostOkAsync($"/api/cases/{id}/refuse", new { reason = "不属于本县管辖" });

        await factory.Get<Feedback.Handler>().ComplainAsync(new(id, "窗口要求提供法律没有规定的材料"), new CaseActor(owner, "张伟", [Roles.Applicant]));

        await using var db = factory.CreateDbContext();
        var supervisor = await db.Users.SingleAsync(u => u.UserName == "supervisor");
        Assert.Contains(await db.Notifications.Where(n => n.UserId == supervisor.Id).ToListAsync(), n => n.Title == "新的投诉" && n.Body.Contains("法律没有规定", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Acceptance_NotifiesTheApplicant_AndTheDepartmentWhoseStepOpened()
    {
        var (id, _) = await CompleteDraftAsync();
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        await citizen.PostOkAsync($"/api/cases/{id}/submit");
        await clerk.PostOkAsync($"/api/cases/{id}/accept", new { });

        await using var db = factory.CreateDbContext();
        var owner = (await db.Cases.AsNoTracking().SingleAsync(c => c.Id == id)).OwnerUserId!;
        var officer = await db.Users.SingleAsync(u => u.UserName == "officer.bdc"); // 登记审核 opens with 契税征收 (SW) beside it
        var tax = await db.Users.SingleAsync(u => u.UserName == "officer.sw");
        var wj = await db.Users.SingleAsync(u => u.UserName == "officer.wj");
        Assert.Contains(await db.Notifications.Where(n => n.UserId == owner).ToListAsync(), n => n.Title == "申请已受理" && n.Link == $"/cases/{id}");
        Assert.Contains(await db.Notifications.Where(n => n.UserId == officer.Id).ToListAsync(), n => n.Title == "新的待办" && n.Link == $"/cases/{id}");
        Assert.Contains(await db.Notifications.Where(n => n.UserId == tax.Id).ToListAsync(), n => n.Title == "新的待办" && n.Link == $"/cases/{id}");
        Assert.DoesNotContain(await db.Notifications.Where(n => n.UserId == wj.Id).ToListAsync(), n => n.Link == $"/cases/{id}");
    }
}
