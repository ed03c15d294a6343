using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Portal;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Portal;

/// <summary>
/// The portal's reads and the inbox's writes keep to their reader: one's own notifications only; an applicant's known data
/// only for those who file for others.
/// </summary>
public sealed class PortalQueryTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private async Task<(CaseActor Citizen, CaseActor Enterprise)> ApplicantsAsync()
    {
        factory.CreateClient().Dispose();
        await using var db = factory.CreateDbContext();
        var citizen = await db.Users.SingleAsync(u => u.UserName == "citizen");
        var enterprise = await db.Users.SingleAsync(u => u.UserName == "enterprise");
        return (new CaseActor(citizen.Id, citizen.DisplayName, [Roles.Applicant]), new CaseActor(enterprise.Id, enterprise.DisplayName, [Roles.Applicant]));
    }

    private async Task<long> NotifyAsync(CaseActor to, string title)
    {
        await using var db = factory.CreateDbContext();
        var n = new Notification { UserId = to.UserId, Title = title, Body = "测试消息", Link = "/inbox", CreatedAt = DateTimeOffset.UtcNow };
        db.Notifications.Add(n);
        await db.SaveChangesAsync();
        return n.Id;
    }

    [Fact]
    public async Task Inbox_ListsAndCountsOnlyTheReadersOwnNotifications()
    {
        var (citizen, enterprise) = await ApplicantsAsync();
        await NotifyAsync(citizen, "给张伟的消息");
        await NotifyAsync(enterprise, "给绿源公司的消息");
        var queries = factory.Get<InboxQueries>();

        var mine = await queries.ListAsync(citizen);

        Assert.Contains(mine, n => n.Title == "给张伟的消息");
        Assert.All(mine, n => Assert.Equal(citizen.UserId, n.UserId));
        Assert.DoesNotContain(mine, n => n.Title == "给绿源公司的消息");
        Assert.Equal(mine.Count(n => n.ReadAt is null), await queries.UnreadCountAsync(citizen.UserId));
    }

    [Fact]
    public async Task MarkingRead_NeverTouchesAnotherUsersNotification()
    {
        var (citizen, enterprise) = await ApplicantsAsync();
        var theirs = await NotifyAsync(enterprise, "绿源公司的未读消息");
        var mine = await NotifyAsync(citizen, "张伟的未读消息");
        var acts = factory.Get<InboxActs.Handler>();
        var queries = factory.Get<InboxQueries>();
        var unreadBefore = await queries.UnreadCountAsync(enterprise.UserId);

        Assert.Equal(0, await acts.MarkReadAsync(theirs, citizen));
        await acts.MarkAllReadAsync(citizen);

        Assert.Equal(unreadBefore, await queries.UnreadCountAsync(enterprise.UserId));
        Assert.Equal(0, await queries.UnreadCountAsync(citizen.UserId));
        await using var db = factory.CreateDbContext();
        Assert.Null((await db.Notifications.AsNoTracking().SingleAsync(n => n.Id == theirs)).ReadAt);
        Assert.NotNull((await db.Notifications.AsNoTracking().SingleAsync(n => n.Id == mine)).ReadAt);

        Assert.Equal(1, await acts.MarkReadAsync(theirs, enterprise));
        Assert.Equal(0, await acts.MarkReadAsync(theirs, enterprise));
    }

    [Fact]
    public async Task KnownApplicant_IsForThoseWhoFileForOthers_NotForApplicants()
    {
        var (citizen, _) = await ApplicantsAsync();
        var queries = factory.Get<ApplyQueries>();
        var clerk = new CaseActor("clerk-id", "李晓梅", [Roles.Clerk], "FWZX");
        var agent = new CaseActor("agent-id", "代办员", [Roles.Agent], null, "CGZ");

        var forClerk = await queries.KnownApplicantAsync(" 330799198503120016 ", clerk);
        var forAgent = await queries.KnownApplicantAsync("330799198503120016", agent);

        Assert.Equal((true, "张伟"), (forClerk!.Registered, forClerk.Name));
        Assert.Equal("张伟", forAgent!.Name);
        Assert.Null(await queries.KnownApplicantAsync("330799198503120016", citizen));
        Assert.Null(await queries.KnownApplicantAsync("330799199001010000", clerk));
    }
}
