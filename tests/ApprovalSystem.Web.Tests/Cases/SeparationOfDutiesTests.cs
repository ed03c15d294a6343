using System.Net;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Features.Cases.Queries;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Cases;

/// <summary>Separation of duties 不相容岗位分离 on the shipped promised-matter flow: 承办, 审核 and 审批 are three people.</summary>
public sealed class SeparationOfDutiesTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string Matter = "330799-SCJG-011"; // 食品经营许可（新办） on promised-single

    private async Task<CaseActor> ActorAsync(string userName, string role)
    {
        await using var db = factory.CreateDbContext();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == userName);
        return new CaseActor(user.Id, user.DisplayName, [role], "SCJG");
    }

    private static string OpenItem(System.Text.Json.JsonElement c) =>
        c.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("open").GetBoolean()).GetProperty("workItemId").GetString()!;

    [Fact]
    public async Task TheHandlersWorklist_DoesNotOfferTheReview_ActingOnItIsRefused_AnotherOfficerReviews()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        var officer = await ApiSession.SignInAsync(factory, "officer.scjg");
        var reviewer = await ApiSession.SignInAsync(factory, "officer2.scjg");
        var head = await ApiSession.SignInAsync(factory, "head.scjg");
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = Matter, submit = true, formData = await TestForms.RequiredAsync(factory, Matter) });
        var id = filed.GetProperty("id").GetInt64();
        var c = await clerk.PostOkAsync($"/api/cases/{id}/accept", new { });
        var queries = factory.Get<Features.Work.WorklistQueries>();
        // Read just before the act: what the list keeps from a reader is reused for a moment, but never across an act.
        Assert.Contains((await queries.PageAsync(await ActorAsync("officer.scjg", Roles.Officer), Features.Work.WorkFilter.All, 0, 200)).Rows,
            r => r.WorkItemId == OpenItem(c));
        c = await officer.PostOkAsync($"/api/cases/{id}/tasks/{OpenItem(c)}/act", new { outcome = "approve", opinion = "符合条件" });
        var review = OpenItem(c);

        var handlerList = (await queries.PageAsync(await ActorAsync("officer.scjg", Roles.Officer), Features.Work.WorkFilter.All, 0, 200)).Rows;
        var reviewerList = (await queries.PageAsync(await ActorAsync("officer2.scjg", Roles.Officer), Features.Work.WorkFilter.All, 0, 200)).Rows;
        Assert.DoesNotContain(handlerList, r => r.WorkItemId == review);
        Assert.Contains(reviewerList, r => r.WorkItemId == review && r.StepTitle == "审核");

        // Nor does the head take the review: their 审批 is kept apart from it, and nobody else could approve.
        var headList = (await queries.PageAsync(await ActorAsync("head.scjg", Roles.DepartmentHead), Features.Work.WorkFilter.All, 0, 200)).Rows;
        Assert.DoesNotContain(headList, r => r.CaseId == id && r.WorkItemId == review);
        var (headClaim, headClaimBody) = await head.PostAsync($"/api/cases/{id}/tasks/{review}/claim");
        Assert.Equal(HttpStatusCode.Conflict, headClaim.StatusCode);
        Assert.Equal("不相容岗位分离：“审批”由部门负责人办理并须与“审核”分离，“审核”须由经办人员办理", headClaimBody.GetProperty("detail").GetString());

        var (claimed, claimBody) = await officer.PostAsync($"/api/cases/{id}/tasks/{review}/claim");
        Assert.Equal(HttpStatusCode.Conflict, claimed.StatusCode);
        Assert.Contains("不相容岗位分离", claimBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var (acted, actBody) = await officer.PostAsync($"/api/cases/{id}/tasks/{review}/act", new { outcome = "approve", opinion = "同意" });
        Assert.Equal(HttpStatusCode.Conflict, acted.StatusCode);
        Assert.Equal("不相容岗位分离：您已办理本件的“承办”环节，“审核”须由其他工作人员办理", actBody.GetProperty("detail").GetString());

        // The head cannot hand the review to the officer who handled the case either.
        var handlerId = (await ActorAsync("officer.scjg", Roles.Officer)).UserId;
        var (assigned, _) = await head.PostAsync($"/api/cases/{id}/tasks/{review}/assign", new { assigneeUserId = handlerId });
        Assert.Equal(HttpStatusCode.Conflict, assigned.StatusCode);

        c = await reviewer.PostOkAsync($"/api/cases/{id}/tasks/{review}/act", new { outcome = "approve", opinion = "同意承办意见" });
        c = await head.PostOkAsync($"/api/cases/{id}/tasks/{OpenItem(c)}/act", new { outcome = "approve", opinion = "准予许可" });
        Assert.Equal("Approved", c.GetProperty("state").GetString());
    }

    [Fact]
    public async Task TheReviewSaysItIsKeptFromTheHead_AHeadsListReadsThat_AndAStepOpenedBeforeStepsSaidSo_IsDecidedByItsCase()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        var officer = await ApiSession.SignInAsync(factory, "officer.scjg");
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = Matter, submit = true, formData = await TestForms.RequiredAsync(factory, Matter) });
        var id = filed.GetProperty("id").GetInt64();
        var c = await clerk.PostOkAsync($"/api/cases/{id}/accept", new { });
        c = await officer.PostOkAsync($"/api/cases/{id}/tasks/{OpenItem(c)}/act", new { outcome = "approve", opinion = "符合条件" });
        var review = OpenItem(c);
        IQueryable<CaseStep> Step(Web.Data.AppDbContext db) =>
            db.Set<CaseStep>().Where(s => EF.Property<long>(s, "CaseId") == id && s.WorkItemId == review);
        await using (var db = factory.CreateDbContext())
        {
            Assert.True((await Step(db).SingleAsync()).KeptFromHead); // 审批 is kept apart from 审核
        }

        var queries = factory.Get<Features.Work.WorklistQueries>();
        var head = await ActorAsync("head.scjg", Roles.DepartmentHead);
        async Task<bool> HeadSeesAsync()
        {
            var rows = (await queries.PageAsync(head, Features.Work.WorkFilter.All, 0, 200)).Rows;
            var counts = await queries.CountsAsync(head);
            Assert.Equal(rows.Count, counts.All); // the tab's count follows the same rule as its rows
            return rows.Any(r => r.CaseId == id && r.WorkItemId == review);
        }

        Assert.False(await HeadSeesAsync());

        // A step opened before steps carried the flag: the case's definition decides, as it did.
        await using (var db = factory.CreateDbContext())
        {
            await Step(db).ExecuteUpdateAsync(u => u.SetProperty(s => s.KeptFromHead, (bool?)null));
        }

        Assert.False(await HeadSeesAsync());

        // The list reads the step's flag (a step its flow does not reserve is the head's to take).
        await using (var db = factory.CreateDbContext())
        {
            await Step(db).ExecuteUpdateAsync(u => u.SetProperty(s => s.KeptFromHead, false));
        }

        Assert.True(await HeadSeesAsync());
        await using (var db = factory.CreateDbContext())
        {
            await Step(db).ExecuteUpdateAsync(u => u.SetProperty(s => s.KeptFromHead, true)); // as its flow says, for the class's other tests
        }
    }

    [Fact]
    public async Task Countersigners_EachKeepTheirOwnEntries_OnTheCasePage()
    {
        const string matter = "330799-WJ-005"; // 医疗机构设置审批 on countersign-review
        var enterprise = await ApiSession.SignInAsync(factory, "enterprise");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        var filed = await enterprise.PostOkAsync("/api/cases", new { matterCode = matter, submit = true, formData = await TestForms.RequiredAsync(factory, matter) });
        var id = filed.GetProperty("id").GetInt64();
        var c = await clerk.PostOkAsync($"/api/cases/{id}/accept", new { });
        c = await (await ApiSession.SignInAsync(factory, "officer.wj")).PostOkAsync($"/api/cases/{id}/tasks/{OpenItem(c)}/act", new { outcome = "approve", opinion = "符合设置规划" });
        var signatures = c.GetProperty("steps").EnumerateArray().Where(s => s.GetProperty("open").GetBoolean()).Select(s => s.GetProperty("workItemId").GetString()!).ToList();

        await (await ApiSession.SignInAsync(factory, "officer2.wj")).PostOkAsync($"/api/cases/{id}/tasks/{signatures[0]}/act",
            new { outcome = "approve", opinion = "同意", data = new Dictionary<string, string> { ["countersignNotes"] = "选址符合区域卫生规划" } });
        await (await ApiSession.SignInAsync(factory, "head.wj")).PostOkAsync($"/api/cases/{id}/tasks/{signatures[1]}/act",
            new { outcome = "approve", opinion = "同意", data = new Dictionary<string, string> { ["countersignNotes"] = "床位数需按批复执行" } });

        await using var db = factory.CreateDbContext();
        var stored = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == id);
        var definition = await factory.Get<ApprovalSystem.Web.Infrastructure.WorkflowCatalog>().OfCaseAsync(stored);
        var sections = Features.Cases.Detail.CaseDetail.Sections(stored, definition!);
        var signed = sections.Where(s => s.Title.StartsWith("会签 · ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, signed.Count);
        Assert.Contains(signed, s => s.Values.Contains(("会签意见要点", "选址符合区域卫生规划")));
        Assert.Contains(signed, s => s.Values.Contains(("会签意见要点", "床位数需按批复执行")));
        Assert.Contains(signed, s => s.Title == "会签 · 曹颖"); // head.wj, by name, not by user id
    }
}
