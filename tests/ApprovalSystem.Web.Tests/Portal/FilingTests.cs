using System.Net;
using System.Text.Json;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Features.Cases.Detail;
using ApprovalSystem.Web.Features.Cases.Filing;
using ApprovalSystem.Web.Features.Portal;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Portal;

/// <summary>
/// Filing online (issue 16): materials attached to the draft before submitting, the required ones still missing told and
/// recorded but not blocking (decision 0030), fields required only when another field has a value, the upload journalled as
/// an upload, the 已提交 message, and no complaint before the case is accepted.
/// </summary>
public sealed class FilingTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string JointMatter = TestMatters.Joint; // six required materials
    private const string IdCardMatter = "330799-GA-001"; // 居民身份证换领: 邮寄地址 only when 领取方式 is 邮政寄递

    private static async Task UploadAsync(ApiSession session, long id, string material)
    {
        var content = System.Text.Encoding.UTF8.GetBytes($"%PDF-1.4 {material} {Guid.NewGuid()}");
        var upload = new MultipartFormDataContent { { new StringContent(material), "material" }, { new ByteArrayContent(content), "file", "材料.pdf" } };
        upload.Headers.Add("X-Requested-With", "test");
        var response = await session.Client.PostAsync($"/api/cases/{id}/materials", upload);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<(ApiSession Citizen, CaseActor Actor)> CitizenAsync()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        await using var db = factory.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.UserName == "citizen");
        return (citizen, new CaseActor(user.Id, user.DisplayName, [Roles.Applicant]));
    }

    [Fact]
    public async Task Draft_KeepsItsUploadedMaterial_WhenSavedAgain_AndSubmittingFromThePageUpdatesAndFilesInOneAct()
    {
        var (citizen, actor) = await CitizenAsync();
        var form = await TestForms.RequiredAsync(factory, JointMatter);
        var id = (await citizen.PostOkAsync("/api/cases", new { matterCode = JointMatter, submit = false, formData = new { sellerName = "王测试" } }))
            .GetProperty("id").GetInt64();
        await UploadAsync(citizen, id, "存量房买卖合同");

        await factory.Get<SaveDraft.Handler>().HandleAsync(new(id, new Dictionary<string, string> { ["sellerName"] = "王测试二" }), actor);
        var filed = await factory.Get<SubmitCase.Handler>().HandleAsync(new(id, form), actor);

        Assert.Equal(CaseState.PreAcceptance, filed.State);
        Assert.Equal(form["sellerName"], filed.FormData["sellerName"]);
        Assert.True(filed.Materials.Single(m => m.Name == "存量房买卖合同").Received);
        Assert.Equal("材料.pdf", filed.Materials.Single(m => m.Name == "存量房买卖合同").FileName);
    }

    [Fact]
    public async Task Submit_WithRequiredMaterialsMissing_IsFiled_AndTheMissingListIsJournalledAndSentToTheApplicant()
    {
        var (citizen, actor) = await CitizenAsync();
        var form = await TestForms.RequiredAsync(factory, JointMatter);
        var id = (await citizen.PostOkAsync("/api/cases", new { matterCode = JointMatter, submit = false, formData = form })).GetProperty("id").GetInt64();
        await UploadAsync(citizen, id, "不动产登记申请书");

        var filed = await factory.Get<SubmitCase.Handler>().HandleAsync(new(id), actor);

        Assert.Equal(CaseState.PreAcceptance, filed.State);
        string[] missing = ["买卖双方身份证明", "不动产权证书", "存量房买卖合同", "契税及相关税费完税凭证", "婚姻状况证明"];
        Assert.Equal(missing, filed.MissingRequiredMaterials);
        await using var db = factory.CreateDbContext();
        var submit = await db.Journal.AsNoTracking().SingleAsync(e => e.CaseId == id && e.Action == nameof(CaseTrigger.Submit));
        Assert.Equal(string.Join("、", missing), JsonDocument.Parse(submit.Data).RootElement.GetProperty("missing").GetString());
        var message = await db.Notifications.AsNoTracking().SingleAsync(n => n.UserId == actor.UserId && n.Link == $"/cases/{id}" && n.Title == "已提交");
        Assert.Contains($"尚缺材料：{string.Join("、", missing)}", message.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("不动产登记申请书", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filing_SendsTheApplicantAnInboxMessage_WithTheCaseNumberAndQueryCode()
    {
        var (citizen, actor) = await CitizenAsync();

        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = JointMatter, submit = true, formData = await TestForms.RequiredAsync(factory, JointMatter) });

        var id = filed.GetProperty("id").GetInt64();
        await using var db = factory.CreateDbContext();
        var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == id);
        var message = await db.Notifications.AsNoTracking().SingleAsync(n => n.UserId == actor.UserId && n.Link == $"/cases/{id}");
        Assert.Equal("已提交", message.Title);
        Assert.Contains($"办件编号 {c.Number}", message.Body, StringComparison.Ordinal);
        Assert.Contains($"查询码 {c.QueryCode}", message.Body, StringComparison.Ordinal);
        var inbox = await factory.Get<InboxQueries>().ListAsync(actor);
        Assert.Contains(inbox, n => n.Title == "已提交" && n.Link == $"/cases/{id}");
    }

    [Fact]
    public async Task ConditionalField_IsRequiredWhenTheOtherFieldHasTheValue_AndNotOtherwise()
    {
        var (citizen, _) = await CitizenAsync();
        var form = await TestForms.RequiredAsync(factory, IdCardMatter);
        Assert.DoesNotContain("deliveryAddress", form.Keys);

        var byPost = new Dictionary<string, string>(form) { ["deliveryMethod"] = "邮政寄递" };
        var (refused, body) = await citizen.PostAsync("/api/cases", new { matterCode = IdCardMatter, submit = true, formData = byPost });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("请填写“邮寄地址”（领取方式为“邮政寄递”时必填）", body.GetProperty("errors").GetProperty("formData.deliveryAddress")[0].GetString());

        var atTheWindow = new Dictionary<string, string>(form) { ["deliveryMethod"] = "窗口自取" };
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = IdCardMatter, submit = true, formData = atTheWindow });
        Assert.Equal("PreAcceptance", filed.GetProperty("state").GetString());

        byPost["deliveryAddress"] = "云溪县城关镇人民大道66号";
        var posted = await citizen.PostOkAsync("/api/cases", new { matterCode = IdCardMatter, submit = true, formData = byPost });
        Assert.Equal("PreAcceptance", posted.GetProperty("state").GetString());
    }

    [Fact]
    public async Task ConditionalField_SubmittingASavedDraft_IsCheckedByTheSameRule()
    {
        var (citizen, actor) = await CitizenAsync();
        var form = new Dictionary<string, string>(await TestForms.RequiredAsync(factory, IdCardMatter)) { ["deliveryMethod"] = "邮政寄递" };
        var id = (await citizen.PostOkAsync("/api/cases", new { matterCode = IdCardMatter, submit = false, formData = form })).GetProperty("id").GetInt64();

        var e = await Assert.ThrowsAsync<CaseInputException>(() => factory.Get<SubmitCase.Handler>().HandleAsync(new(id), actor));

        Assert.Equal(["formData.deliveryAddress"], e.Errors.Keys);
        await using var db = factory.CreateDbContext();
        Assert.Equal(CaseState.Draft, (await db.Cases.AsNoTracking().SingleAsync(c => c.Id == id)).State);
    }

    [Fact]
    public async Task Upload_IsJournalledAsTheUploadOfThatMaterial_NotAsSavingTheDraft()
    {
        var (citizen, _) = await CitizenAsync();
        var id = (await citizen.PostOkAsync("/api/cases", new { matterCode = JointMatter, submit = false })).GetProperty("id").GetInt64();

        await UploadAsync(citizen, id, "存量房买卖合同");

        await using var db = factory.CreateDbContext();
        var entries = await db.Journal.AsNoTracking().Where(e => e.CaseId == id).OrderBy(e => e.Sequence).ToListAsync();
        var upload = entries[^1];
        Assert.Equal(nameof(CaseTrigger.AttachMaterial), upload.Action);
        Assert.Equal("上传材料：存量房买卖合同", CaseDetail.ActionText(upload));
        Assert.Equal("保存草稿", CaseDetail.ActionText(entries[0]));
    }

    [Fact]
    public async Task Complaint_BeforeAcceptance_IsRefused_AfterAcceptance_ReachesTheSupervisors()
    {
        var (citizen, actor) = await CitizenAsync();
        var id = (await citizen.PostOkAsync("/api/cases", new { matterCode = JointMatter, submit = true, formData = await TestForms.RequiredAsync(factory, JointMatter) }))
            .GetProperty("id").GetInt64();
        var feedback = factory.Get<Feedback.Handler>();

        var early = await Assert.ThrowsAsync<CaseRuleException>(() => feedback.ComplainAsync(new(id, "还没受理就想投诉"), actor));
        Assert.Equal(Feedback.NotYetComplainable, early.Message);

        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        await clerk.PostOkAsync($"/api/cases/{id}/accept", new { });
        await feedback.ComplainAsync(new(id, "受理后迟迟没有进展"), actor);

        await using var db = factory.CreateDbContext();
        Assert.Equal(["受理后迟迟没有进展"], await db.Complaints.AsNoTracking().Where(c => c.CaseId == id).Select(c => c.Content).ToListAsync());
    }
}
