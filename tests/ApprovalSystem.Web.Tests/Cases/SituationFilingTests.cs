using System.Net;
using System.Text.Json;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Cases.Filing;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Cases;

/// <summary>
/// The guide's questions 情形 on the shipped catalogue: the public guide asks them and lists exactly the materials of the situation;
/// filing needs every asked question answered; the answers decide the case's checklist and the fields asked, and are kept on the case.
/// </summary>
public sealed class SituationFilingTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string Household = "330799-GA-008"; // 户口簿换领补领: 换领还是补领？ (fills the form's 申请类型) + 委托他人？

    private const string Rent = "330799-GJJ-004"; // 公积金提取（租赁）: 按实际租金提取？ asks the monthly rent and the lease

    private static Dictionary<string, string> CitizenForm(params (string Key, string Value)[] more)
    {
        var form = new Dictionary<string, string> { ["applicantName"] = "张伟", ["idNumber"] = "330799198503120016", ["contactPhone"] = "13800000001" };
        foreach (var (k, v) in more)
        {
            form[k] = v;
        }

        return form;
    }

    private static List<string> Materials(JsonElement c) => [.. c.GetProperty("materials").EnumerateArray().Select(m => m.GetProperty("name").GetString()!)];

    [Fact]
    public async Task Submitting_without_answers_names_each_question_and_the_answers_decide_the_checklist()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var form = CitizenForm(("applyType", "补领"), ("familyCount", "3"));

        var (refused, problem) = await citizen.PostAsync("/api/cases", new { matterCode = Household, formData = form, submit = true });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var errors = problem.GetProperty("errors");
        Assert.Equal("请回答：换领还是补领？", errors.GetProperty("situation.applyType")[0].GetString());
        Assert.Equal("请回答：是否委托他人代为办理？", errors.GetProperty("situation.agent")[0].GetString());

        var (wrong, wrongProblem) = await citizen.PostAsync("/api/cases",
            new { matterCode = Household, formData = form, submit = true, situation = new Dictionary<string, string> { ["applyType"] = "补办", ["agent"] = "否" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        Assert.Equal("“换领还是补领？”的回答应为换领、补领之一", wrongProblem.GetProperty("errors").GetProperty("situation.applyType")[0].GetString());

        var lost = await citizen.PostOkAsync("/api/cases",
            new { matterCode = Household, formData = form, submit = true, situation = new Dictionary<string, string> { ["applyType"] = "补领", ["agent"] = "否" } });
        Assert.Equal(["户口簿换领补领申请表", "申请人居民身份证", "户口簿遗失声明"], Materials(lost));
        Assert.Equal("补领", lost.GetProperty("situation").GetProperty("applyType").GetString());

        var exchanged = await citizen.PostOkAsync("/api/cases", new
        {
            matterCode = Household, formData = CitizenForm(("applyType", "换领"), ("familyCount", "2")), submit = true,
            situation = new Dictionary<string, string> { ["applyType"] = "换领", ["agent"] = "是" },
        });
        Assert.Equal(["户口簿换领补领申请表", "申请人居民身份证", "原居民户口簿", "授权委托书及受托人身份证明复印件"], Materials(exchanged));
    }

    [Fact]
    public async Task A_field_is_required_only_in_the_situation_that_asks_for_it()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var form = CitizenForm(("bankAccount", "6222020200112233445"));

        var (refused, problem) = await citizen.PostAsync("/api/cases",
            new { matterCode = Rent, formData = form, submit = true, situation = new Dictionary<string, string> { ["actualRent"] = "是", ["agent"] = "否" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.StartsWith("请填写“月租金", problem.GetProperty("errors").GetProperty("formData.monthlyRent")[0].GetString(), StringComparison.Ordinal);

        var filed = await citizen.PostOkAsync("/api/cases",
            new { matterCode = Rent, formData = form, submit = true, situation = new Dictionary<string, string> { ["actualRent"] = "否", ["agent"] = "否" } });
        Assert.Equal(["住房公积金提取申请表", "申请人居民身份证"], Materials(filed));
    }

    [Fact]
    public async Task A_drafts_changed_answers_change_its_checklist_keeping_what_was_handed_in_and_are_journalled()
    {
        factory.CreateClient().Dispose();
        var citizen = await factory.Get<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>().FindByNameAsync("citizen");
        var actor = new CaseActor(citizen!.Id, "张伟", [Roles.Applicant]);
        var draft = await factory.Get<FileCase.Handler>().HandleAsync(new FileCase.Command
        {
            MatterCode = Household, FormData = CitizenForm(("applyType", "换领")), Submit = false,
            Situation = new() { ["applyType"] = "换领", ["agent"] = "否" },
        }, actor);
        Assert.Contains("原居民户口簿", draft.Materials.Select(m => m.Name));

        var store = factory.Get<ApprovalSystem.Web.Infrastructure.CaseStore>();
        await store.ExecuteAsync(draft.Id, actor, (c, ctx) =>
        {
            c.AttachMaterial("户口簿换领补领申请表", new string('b', 64), "申请表.pdf", 1000, actor, ctx.Now);
            return Task.CompletedTask;
        });

        var changed = await factory.Get<SaveDraft.Handler>().HandleAsync(new SaveDraft.Command(draft.Id, CitizenForm(("applyType", "补领")), null,
            new() { ["applyType"] = "补领", ["agent"] = "是" }), actor);

        Assert.Equal(["户口簿换领补领申请表", "申请人居民身份证", "户口簿遗失声明", "授权委托书及受托人身份证明复印件"], changed.Materials.Select(m => m.Name));
        Assert.True(changed.Materials[0].Received);
        Assert.Equal(new Dictionary<string, string> { ["applyType"] = "补领", ["agent"] = "是" }, changed.Situation);

        await using var db = await factory.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var stored = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == draft.Id);
        Assert.Equal("补领", stored.Situation["applyType"]);
        var journal = await db.Journal.AsNoTracking().Where(j => j.CaseId == draft.Id).Select(j => j.Data).ToListAsync();
        Assert.Contains(journal, d => d.Contains("户口簿遗失声明", StringComparison.Ordinal) && d.Contains("situation", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_public_guide_asks_the_questions_then_lists_exactly_the_situations_materials_and_carries_the_answers_to_filing()
    {
        var visitor = factory.CreateClient();

        var unanswered = await visitor.GetStringAsync("/guide/330799-GA-005");
        Assert.Contains("情形引导", unanswered, StringComparison.Ordinal);
        Assert.Contains("迁入地是否在浙江省内？", unanswered, StringComparison.Ordinal);
        Assert.Contains("迁入地准予迁入证明复印件", unanswered, StringComparison.Ordinal); // every material, each with when it applies
        Assert.Contains("适用情形：迁入地是否在浙江省内：否", unanswered, StringComparison.Ordinal);
        Assert.DoesNotContain("$centre", unanswered, StringComparison.Ordinal); // the flow's steps name the centre, not its placeholder
        Assert.Contains("行政服务中心", unanswered[unanswered.IndexOf("办理流程", StringComparison.Ordinal)..], StringComparison.Ordinal);

        var inProvince = await visitor.GetStringAsync("/guide/330799-GA-005?inProvince=" + Uri.EscapeDataString("是") + "&agent=" + Uri.EscapeDataString("否"));
        var needed = inProvince[inProvince.IndexOf("id=\"guide-materials\"", StringComparison.Ordinal)..];
        Assert.Contains("您需要准备的材料（共3项）", needed, StringComparison.Ordinal);
        Assert.DoesNotContain("迁入地准予迁入证明复印件", needed, StringComparison.Ordinal);
        Assert.DoesNotContain("授权委托书", needed, StringComparison.Ordinal);
        Assert.Contains("returnUrl=" + Uri.EscapeDataString("/apply/330799-GA-005?inProvince=" + Uri.EscapeDataString("是") + "&agent="), inProvince,
            StringComparison.Ordinal);

        // The cached page of one situation is never served for another (the output cache keys on the whole address).
        var across = await visitor.GetStringAsync("/guide/330799-GA-005?inProvince=" + Uri.EscapeDataString("否") + "&agent=" + Uri.EscapeDataString("是"));
        Assert.Contains("您需要准备的材料（共5项）", across, StringComparison.Ordinal);
        Assert.Contains("迁入地准予迁入证明复印件", across, StringComparison.Ordinal);

        // A follow-up question appears once the answer it depends on is given; until it is answered the list stays whole.
        var dissolve = await visitor.GetStringAsync("/guide/330799-MZJ-002?certLost=" + Uri.EscapeDataString("是"));
        Assert.Contains("还有问题需要回答", dissolve, StringComparison.Ordinal);
        Assert.Contains("请回答：双方是否有未满18周岁的子女？", dissolve, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_least_twenty_shipped_matters_ask_real_questions_and_every_condition_names_an_asked_question()
    {
        await using var db = await factory.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var matters = (await db.Matters.AsNoTracking().ToListAsync()).Where(m => m.Situations.Count > 0).ToList();

        Assert.True(matters.Count >= 20, $"{matters.Count} matters ask situation questions");
        foreach (var m in matters)
        {
            Assert.Empty(Situations.Check(m.Situations, m.Materials.Select(x => (x.Name, x.When)).Concat(m.FormFields.Select(f => (f.Label, f.When)))));
            Assert.Contains(m.Materials, x => x.When is not null); // a question that selects nothing is not a situation
        }
    }
}
