using System.Net;
using ApprovalSystem.Core.Bundles;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Bundles;
using ApprovalSystem.Web.Features.Cases.Filing;
using ApprovalSystem.Web.Features.Supervision;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using ApprovalSystem.Workflows;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalSystem.Web.Tests.Bundles;

/// <summary>Bundles 一件事 on a real database: filing once, one acceptance, members as ordinary cases, waits, rules, one notice.</summary>
public sealed class BundleTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string Business = "330799-YJS-001"; // 开办企业一件事: licence first, the rest after it; a refusal stops all
    private const string Birth = "330799-YJS-002";
    private const string Hiring = "330799-YJS-005"; // 员工录用一件事: four members at once; a refusal lets the others continue

    public static TheoryData<string> ShippedBundles => new() { Business, Birth, "330799-YJS-003", "330799-YJS-004", Hiring, "330799-YJS-006" };

    [Theory]
    [MemberData(nameof(ShippedBundles))]
    public async Task EveryShippedBundle_FiledAndAcceptedOnce_MakesOrdinaryNumberedMemberCases_OnTheirOwnFlowsAndDepartments(string code)
    {
        var def = await DefinitionAsync(code);
        var answers = Answers(def, yes: true);
        var filer = await FilerAsync(code is Hiring or "330799-YJS-006" ? "enterprise" : "citizen");

        var b = await FileAsync(def, answers, filer);
        await factory.Get<BundleActs.Handler>().AcceptAsync(new BundleActs.AcceptCommand(b.Id, [.. b.Materials.Select(m => m.Name)]), await Clerk());

        await using var db = factory.CreateDbContext();
        var bundle = await db.BundleCases.AsNoTracking().SingleAsync(x => x.Id == b.Id);
        Assert.Equal(BundleState.Accepted, bundle.State);
        Assert.Matches(@"^330799-YJS-\d{8}-\d{4}$", bundle.Number);
        Assert.NotNull(bundle.Deadline.DueAt);
        var selected = def.MembersFor(bundle.Answers);
        Assert.Equal(selected.Count, bundle.Members.Count);
        Assert.True(bundle.Members.Count >= 2);
        var matters = await db.Matters.AsNoTracking().Include(m => m.Department).ToListAsync();
        var numbers = new HashSet<string>();
        foreach (var m in bundle.Members)
        {
            var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == m.CaseId);
            var matter = matters.Single(x => x.Code == m.MatterCode);
            Assert.Matches(@"^330799-\d{8}-\d{4}$", c.Number);
            Assert.True(numbers.Add(c.Number!));
            Assert.Equal(matter.WorkflowId, c.WorkflowId);
            Assert.Equal(matter.Department!.Code, c.LeadDepartment);
            Assert.True(await db.BundleMemberLinks.AnyAsync(l => l.CaseId == c.Id && l.BundleCaseId == b.Id));
            if (m.After.Count == 0)
            {
                Assert.True(c.State is CaseState.Handling or CaseState.Approved, $"{c.MatterName}: {c.State}");
                Assert.NotNull(c.Promised.DueAt);
            }
            else
            {
                // Waiting: numbered, but no clock runs and no step is open, so supervision has nothing to card.
                Assert.Equal(CaseState.Draft, c.State);
                Assert.False(c.Promised.IsRunning || c.Review.IsRunning);
                Assert.Empty(c.Steps);
            }
        }
    }

    [Fact]
    public async Task MergedForm_ASharedFieldEnteredOnce_AppearsInEveryMemberCase()
    {
        var def = await DefinitionAsync(Business);
        var form = Form(def, Answers(def, yes: true));
        form["companyName"] = "云溪县青禾餐饮管理有限公司";
        form["contactPhone"] = "13912345678";

        var b = await FileAsync(def, Answers(def, yes: true), await FilerAsync("citizen"), form);

        await using var db = factory.CreateDbContext();
        var ids = b.Members.Select(m => m.CaseId).ToList();
        var cases = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync();
        Assert.Equal(5, cases.Count);
        Assert.All(cases, c => Assert.Equal("云溪县青禾餐饮管理有限公司", c.FormData["unitName"]));
        Assert.All(cases, c => Assert.Equal("13912345678", c.FormData["contactPhone"]));
        Assert.Equal("有限责任公司", cases.Single(c => c.MatterCode == "330799-SCJG-019").FormData["enterpriseType"]);
    }

    [Fact]
    public async Task Situations_ChangeTheMembersAndTheMaterials()
    {
        var def = await DefinitionAsync(Business);
        var citizen = await FilerAsync("citizen");

        var few = await FileAsync(def, Answers(def, yes: false), citizen);
        var all = await FileAsync(def, Answers(def, yes: true), citizen);

        Assert.Equal(["企业设立登记"], few.Members.Select(m => m.MatterName));
        Assert.Equal(5, all.Members.Count);
        Assert.DoesNotContain(few.Materials, m => m.Name == "授权委托书及受托人身份证明复印件");
        Assert.Contains(all.Materials, m => m.Name == "授权委托书及受托人身份证明复印件" && m.Required);
        await using var db = factory.CreateDbContext();
        var sealId = all.Members.Single(m => m.MatterCode == "330799-GA-013").CaseId;
        var seal = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == sealId);
        Assert.Equal("单位公章", seal.FormData["sealType"]);
    }

    [Fact]
    public async Task AMaterialUploadedOnce_IsAttachedToEveryMemberThatNeedsIt_SameFile()
    {
        var def = await DefinitionAsync(Business);
        var citizen = await FilerAsync("citizen");
        var b = await FileAsync(def, Answers(def, yes: true), citizen, submit: false);

        await using (var pdf = new MemoryStream("%PDF-1.4 法定代表人身份证"u8.ToArray()))
        {
            await factory.Get<BundleActs.Handler>().UploadAsync(new BundleActs.UploadCommand(b.Id, "法定代表人身份证复印件", "身份证.pdf", pdf), citizen);
        }

        await using var db = factory.CreateDbContext();
        var ids = b.Members.Select(m => m.CaseId).ToList();
        var cases = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync();
        var attached = cases.SelectMany(c => c.Materials.Where(m => m.FileSha256 is not null).Select(m => (c.MatterCode, m.Name, m.FileSha256))).ToList();
        Assert.Equal(4, attached.Count); // 公章刻制、涉税、社保、公积金 each name the ID copy their own way
        Assert.Single(attached.Select(a => a.FileSha256).Distinct());
        Assert.Contains(attached, a => a.MatterCode == "330799-SW-011" && a.Name == "经办人身份证明");
        var bundle = await db.BundleCases.AsNoTracking().SingleAsync(x => x.Id == b.Id);
        Assert.Equal(attached[0].FileSha256, bundle.Materials.Single(m => m.Name == "法定代表人身份证复印件").FileSha256);
    }

    [Fact]
    public async Task AWaitingMember_StartsWhenTheOneItWaitsForConcludes_AndNotBefore()
    {
        var (b, _) = await AcceptedAsync(Business, "citizen");
        var licence = b.Members.Single(m => m.MatterCode == "330799-SCJG-019").CaseId;
        var seal = b.Members.Single(m => m.MatterCode == "330799-GA-013").CaseId;

        await ActAsync(licence, Outcome.Approve, stepsToTake: 1);
        Assert.Equal(CaseState.Draft, (await CaseAsync(seal)).State);

        await ActAsync(licence, Outcome.Approve);

        var started = await CaseAsync(seal);
        Assert.Equal(CaseState.Handling, started.State);
        Assert.True(started.Promised.IsRunning);
        Assert.NotEmpty(started.OpenSteps);
        Assert.Contains(started.Materials, m => m.Name == "营业执照复印件" && m.Received);
        await using var db = factory.CreateDbContext();
        Assert.Contains(await db.BundleJournal.AsNoTracking().Where(j => j.BundleCaseId == b.Id).Select(j => j.Action).ToListAsync(), a => a == "StartMembers");
        Assert.Equal(0, await factory.Get<BundleProgress>().SweepAsync()); // nothing left to do: deciding again decides nothing
    }

    [Fact]
    public async Task TheNewCompanysCreditCode_RecordedAtItsRegistration_IsOnTheLicence_AndInEveryMemberStartedAfterIt()
    {
        const string Code = "91330799MA2K8P0X7X"; // another valid code than the tests' usual one, so nothing else can have put it there
        Assert.Null(Core.Forms.FieldRules.Problem("统一社会信用代码", FieldKind.CreditCode, Code, null, null, new DateOnly(2026, 12, 7)));
        var (b, _) = await AcceptedAsync(Business, "citizen"); // a resident files: the company, and so its code, does not exist yet
        var registration = b.Members.Single(m => m.MatterCode == "330799-SCJG-019").CaseId;
        var waiting = b.Members.Where(m => m.After.Count > 0).Select(m => m.CaseId).ToList();
        Assert.Equal(4, waiting.Count); // 公章刻制、涉税、社保、公积金
        Assert.All(waiting, id => Assert.False(CaseAsync(id).Result.FormData.ContainsKey("creditCode")));

        await ActAsync(registration, Outcome.Approve, stepsToTake: 2); // 承办, 审核
        var store = factory.Get<CaseStore>();
        var definition = await factory.Get<WorkflowCatalog>().CurrentAsync("business-registration");
        var step = (await CaseAsync(registration)).OpenSteps.Single();
        Assert.Equal("核准", step.Title);
        var head = new CaseActor("t-head", "测试核准", [Roles.DepartmentHead], "SCJG");
        Task Approve(Dictionary<string, string>? data) => store.ExecuteAsync(registration, head, async (x, ctx) =>
            x.Act(definition, step.WorkItemId, Outcome.Approve, "准予设立登记", data, head, ctx.Now, ctx.Time));

        var without = await Assert.ThrowsAsync<CaseInputException>(() => Approve(null));
        Assert.Contains("请填写“统一社会信用代码”", string.Join(" ", without.Errors.SelectMany(e => e.Value)), StringComparison.Ordinal);
        Assert.Equal(CaseState.Draft, (await CaseAsync(waiting[0])).State); // refused: nothing started
        await Approve(new Dictionary<string, string> { ["creditCode"] = Code });

        var licence = await CaseAsync(registration);
        var printed = Web.Documents.CertificateTypes.Build(licence, "县市场监督管理局", "https://example.test").Fields;
        Assert.Equal(Code, printed.Single(f => f.Label == "统一社会信用代码").Value); // not the legal representative's masked ID
        await using var db = factory.CreateDbContext();
        foreach (var id in waiting)
        {
            var member = await CaseAsync(id);
            Assert.Equal(CaseState.Handling, member.State);
            Assert.Equal(Code, member.FormData["creditCode"]);
            var taken = await db.Journal.AsNoTracking().Where(j => j.CaseId == id && j.Action == "SaveDraft" && j.Data.Contains("企业设立登记"))
                .Select(j => j.Data).SingleAsync();
            Assert.Contains(Code, taken, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ARefusedMember_UnderTheStopRule_StopsTheBundle_WithdrawsTheRest_AndTellsTheApplicantOnce()
    {
        var (b, filer) = await AcceptedAsync(Business, "citizen");
        var licence = b.Members.Single(m => m.MatterCode == "330799-SCJG-019").CaseId;

        await ActAsync(licence, Outcome.Deny);

        await using var db = factory.CreateDbContext();
        var bundle = await db.BundleCases.AsNoTracking().SingleAsync(x => x.Id == b.Id);
        Assert.Equal(BundleState.Stopped, bundle.State);
        Assert.Contains("整件终止", bundle.Reason, StringComparison.Ordinal);
        foreach (var m in bundle.Members.Where(m => m.CaseId != licence))
        {
            var c = await CaseAsync(m.CaseId);
            Assert.Equal(CaseState.Withdrawn, c.State);
            Assert.Null(c.Promised.DueAt);
        }

        var notices = await db.Notifications.AsNoTracking().Where(n => n.UserId == filer.UserId && n.Link == $"/bundles/{b.Id}").ToListAsync();
        Assert.Single(notices, n => n.Title == "终止通知");
        Assert.DoesNotContain(await db.Notifications.AsNoTracking().Where(n => n.UserId == filer.UserId).Select(n => n.Title).ToListAsync(), t => t == "已撤回");
    }

    [Fact]
    public async Task ARefusedMember_UnderTheContinueRule_LetsTheOthersConclude_OneNoticeNamesIt()
    {
        var (b, filer) = await AcceptedAsync(Hiring, "enterprise");
        var employment = b.Members.Single(m => m.MatterCode == "330799-RS-021").CaseId;

        await ActAsync(employment, Outcome.Deny);
        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(BundleState.Accepted, (await db.BundleCases.AsNoTracking().SingleAsync(x => x.Id == b.Id)).State);
        }

        foreach (var m in b.Members.Where(m => m.CaseId != employment))
        {
            Assert.Equal(CaseState.Handling, (await CaseAsync(m.CaseId)).State);
            await ActAsync(m.CaseId, Outcome.Approve);
        }

        await using var check = factory.CreateDbContext();
        var bundle = await check.BundleCases.AsNoTracking().SingleAsync(x => x.Id == b.Id);
        Assert.Equal(BundleState.Concluded, bundle.State);
        var notice = Assert.Single(bundle.Notices, n => n.Kind == "办结通知");
        Assert.Contains("未获准予：就业登记", notice.Text, StringComparison.Ordinal);
        Assert.Single(await check.Notifications.AsNoTracking().Where(n => n.UserId == filer.UserId && n.Title == "办结通知" && n.Link == $"/bundles/{b.Id}").ToListAsync());

        // One rating 一键评价 counts for every concluded member's department.
        var rated = await factory.Get<BundleQueries>().RateAsync(new BundleQueries.RateCommand(b.Id, 5, "一次办好"), filer);
        Assert.Equal(b.Members.Count, rated);
        Assert.Equal(b.Members.Count, await check.Ratings.CountAsync(r => b.Members.Select(m => m.CaseId).Contains(r.CaseId)));
        await Assert.ThrowsAsync<CaseRuleException>(() => factory.Get<BundleQueries>().RateAsync(new BundleQueries.RateCommand(b.Id, 4, null), filer));
    }

    [Fact]
    public async Task OneSupplementNotice_ListsEverythingMissingAcrossMembers_Once()
    {
        var def = await DefinitionAsync(Hiring);
        var filer = await FilerAsync("enterprise");
        var b = await FileAsync(def, Answers(def, yes: true), filer);
        var acts = factory.Get<BundleActs.Handler>();

        await acts.RequestSupplementAsync(new BundleActs.SupplementCommand(b.Id, ["劳动合同未签字", "缺少职工身份证复印件"]), await Clerk());

        await using var db = factory.CreateDbContext();
        var ids = b.Members.Select(m => m.CaseId).ToList();
        Assert.All(await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync(), c => Assert.Equal(CaseState.SupplementRequested, c.State));
        var titles = await db.Notifications.AsNoTracking().Where(n => n.UserId == filer.UserId).Select(n => n.Title).ToListAsync();
        Assert.Single(titles, t => t == "补正通知");
        Assert.DoesNotContain("请补正材料", titles);
        await Assert.ThrowsAsync<CaseNotFoundException>(() => acts.ResubmitAsync(b.Id, new CaseActor("someone", "他人", [Roles.Applicant])));
        await acts.ResubmitAsync(b.Id, filer);
        var clerk = await Clerk();
        var again = await Assert.ThrowsAsync<CaseRuleException>(() => acts.RequestSupplementAsync(new BundleActs.SupplementCommand(b.Id, ["再补一项"]), clerk));
        Assert.Contains("一次性告知", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApi_ShowsABundleOnlyToItsApplicant_AndAnswersWrongRequestsWithProblemDetails()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var enterprise = await ApiSession.SignInAsync(factory, "enterprise");
        var def = await DefinitionAsync(Birth);
        var answers = Answers(def, yes: true);

        var filed = await citizen.PostOkAsync("/api/bundle-cases", new { bundleCode = Birth, answers, formData = Form(def, answers) });
        var id = filed.GetProperty("id").GetInt64();
        var (other, _) = await enterprise.GetAsync($"/api/bundle-cases/{id}");
        var (unknown, problem) = await citizen.PostAsync("/api/bundle-cases", new { bundleCode = "330799-YJS-999", answers, formData = new { } });
        var (unanswered, missing) = await citizen.PostAsync("/api/bundle-cases", new { bundleCode = Birth, answers = new { }, formData = new { } });

        Assert.Equal(4, filed.GetProperty("members").GetArrayLength());
        Assert.Equal("等待前序事项", filed.GetProperty("members")[1].GetProperty("state").GetString());
        Assert.Matches(@"^\d{6}$", filed.GetProperty("queryCode").GetString());
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Contains("不存在", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unanswered.StatusCode);
        Assert.Contains("请回答", missing.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// 员工录用 starts members at once that need the employer's credit code, which the merged form does not ask: a resident filing
    /// it is told to file as the unit, in one message naming the member, and nothing is saved (found by the simulated year). The
    /// resident number here also passes the credit code's check (one in 31 does): it was taken as the employer's code before.
    /// </summary>
    [Fact]
    public async Task AnEmployersBundle_FiledByAResident_IsRefusedWithOneMessageToFileAsTheUnit_NothingSaved()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var def = await DefinitionAsync(Hiring);
        var answers = Answers(def, yes: true);
        await using var before = factory.CreateDbContext();
        var bundles = await before.BundleCases.CountAsync();
        var cases = await before.Cases.CountAsync();

        var (refused, problem) = await citizen.PostAsync("/api/bundle-cases", new { bundleCode = Hiring, answers, formData = Form(def, answers) });
        var clerk = await Clerk();
        var atWindow = await Assert.ThrowsAsync<CaseInputException>(() => factory.Get<FileBundle.Handler>().HandleAsync(new FileBundle.Command
        {
            BundleCode = Hiring, Answers = answers, FormData = Form(def, answers),
            Applicant = new FileCase.ApplicantInput { Name = "王小明", IdType = ApplicantIdType.ResidentId, IdNumber = "330799198503120016", Phone = "13800000002" },
        }, clerk));
        var resident = await FilerAsync("citizen");
        var draft = await FileAsync(def, answers, resident, submit: false);
        var submitted = await Assert.ThrowsAsync<CaseInputException>(() => factory.Get<BundleActs.Handler>().SubmitAsync(draft.Id, resident));
        var asUnit = await FileAsync(def, answers, await FilerAsync("enterprise"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("须以企业或单位名义申报", detail, StringComparison.Ordinal);
        Assert.Contains("就业登记", detail, StringComparison.Ordinal);
        Assert.Contains("须以企业或单位名义申报", atWindow.Message, StringComparison.Ordinal);
        Assert.Contains("须以企业或单位名义申报", submitted.Message, StringComparison.Ordinal); // a draft submitted later is checked the same
        Assert.Equal(BundleState.Submitted, asUnit.State);
        await using var after = factory.CreateDbContext();
        Assert.Equal(BundleState.Draft, (await after.BundleCases.AsNoTracking().SingleAsync(x => x.Id == draft.Id)).State);
        Assert.Equal(bundles + 2, await after.BundleCases.CountAsync());
        Assert.Equal(cases + draft.Members.Count + asUnit.Members.Count, await after.Cases.CountAsync());
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private async Task<BundleData> DefinitionAsync(string code)
    {
        await using var db = factory.CreateDbContext();
        return (await db.Bundles.AsNoTracking().SingleAsync(b => b.Code == code)).Definition;
    }

    /// <summary>An answer to every question asked: 是 where offered (or the first option), or 否 for the fewest members.</summary>
    internal static Dictionary<string, string> Answers(BundleData def, bool yes)
    {
        var answers = new Dictionary<string, string>();
        foreach (var q in def.Situations.Where(q => Situations.Holds(q.When, answers)))
        {
            answers[q.Key] = q.Options.Contains(yes ? "是" : "否") ? (yes ? "是" : "否") : q.Options[0];
        }

        return answers;
    }

    /// <summary>A value for every merged field asked in the situation.</summary>
    internal static Dictionary<string, string> Form(BundleData def, IReadOnlyDictionary<string, string> answers) =>
        def.FieldsFor(answers).ToDictionary(f => f.Key, f => f.Type switch
        {
            FieldKind.Number => "50",
            FieldKind.Date => "2026-12-01",
            FieldKind.Phone => "13800000001",
            FieldKind.IdCard => "330799198503120016",
            FieldKind.CreditCode => "91330799MA2K3L4N5T",
            FieldKind.Select => f.Options![0],
            _ => "测试内容",
        });

    private async Task<BundleCase> FileAsync(BundleData def, Dictionary<string, string> answers, CaseActor filer, Dictionary<string, string>? form = null,
        bool submit = true) =>
        await factory.Get<FileBundle.Handler>().HandleAsync(new FileBundle.Command
        {
            BundleCode = def.Code, Answers = answers, FormData = form ?? Form(def, answers), Submit = submit,
        }, filer);

    private async Task<(BundleCase Bundle, CaseActor Filer)> AcceptedAsync(string code, string account)
    {
        var def = await DefinitionAsync(code);
        var filer = await FilerAsync(account);
        var b = await FileAsync(def, Answers(def, yes: true), filer);
        return (await factory.Get<BundleActs.Handler>().AcceptAsync(new BundleActs.AcceptCommand(b.Id, [.. b.Materials.Select(m => m.Name)]), await Clerk()), filer);
    }

    private async Task<CaseActor> FilerAsync(string account)
    {
        await using var db = factory.CreateDbContext();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == account);
        return new CaseActor(user.Id, user.DisplayName, [Roles.Applicant]);
    }

    private async Task<CaseActor> Clerk()
    {
        await using var db = factory.CreateDbContext();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "clerk");
        return new CaseActor(user.Id, user.DisplayName, [Roles.Clerk], "FWZX");
    }

    private async Task<Case> CaseAsync(long id)
    {
        await using var db = factory.CreateDbContext();
        return await db.Cases.AsNoTracking().SingleAsync(c => c.Id == id);
    }

    /// <summary>Acts on the member's open steps as their departments' staff (a new person per step), approving or denying at the first.</summary>
    private async Task ActAsync(long caseId, Outcome outcome, int stepsToTake = int.MaxValue)
    {
        var store = factory.Get<CaseStore>();
        var workflows = factory.Get<WorkflowCatalog>();
        for (var taken = 0; taken < stepsToTake; taken++)
        {
            var c = await CaseAsync(caseId);
            if (c.OpenSteps.FirstOrDefault() is not { } step)
            {
                return;
            }

            var actor = new CaseActor($"t-{caseId}-{step.WorkItemId}", "测试" + step.Title, [step.Role], step.Department);
            await store.ExecuteAsync(caseId, new CaseActor("supervisor-view", "查看", [Roles.Supervisor]), async (x, ctx) =>
                x.ActFilled(await workflows.CurrentAsync(x.WorkflowId), step.WorkItemId, outcome, outcome == Outcome.Deny ? "不符合条件" : "同意", actor, ctx.Now,
                    ctx.Time));
            if (outcome == Outcome.Deny)
            {
                return;
            }
        }
    }
}

/// <summary>A host whose bundles hear nothing after a case act (as if it stopped between the two saves): the scan's sweep starts the waiting member.</summary>
public sealed class NoBundleObserverFactory : AppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            foreach (var d in services.Where(d => d.ImplementationType == typeof(BundleMemberObserver)).ToList())
            {
                services.Remove(d);
            }
        });
    }
}

public sealed class BundleCrashTests(NoBundleObserverFactory factory) : IClassFixture<NoBundleObserverFactory>
{
    [Fact]
    public async Task AStartLostBetweenTwoSaves_IsMadeByTheSupervisionScansSweep()
    {
        await using var db = factory.CreateDbContext();
        var def = (await db.Bundles.AsNoTracking().SingleAsync(b => b.Code == "330799-YJS-002")).Definition;
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "citizen");
        var clerkUser = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "clerk");
        var citizen = new CaseActor(user.Id, user.DisplayName, [Roles.Applicant]);
        var answers = BundleTests.Answers(def, yes: false);
        var b = await factory.Get<FileBundle.Handler>().HandleAsync(new FileBundle.Command { BundleCode = def.Code, Answers = answers,
            FormData = BundleTests.Form(def, answers) }, citizen);
        await factory.Get<BundleActs.Handler>().AcceptAsync(new BundleActs.AcceptCommand(b.Id), new CaseActor(clerkUser.Id, clerkUser.DisplayName, [Roles.Clerk], "FWZX"));
        var certificate = b.Members[0].CaseId;
        var registration = b.Members[1].CaseId;

        // The birth certificate concludes; no observer hears of it.
        var store = factory.Get<CaseStore>();
        for (var i = 0; i < 5; i++)
        {
            var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == certificate);
            if (c.OpenSteps.FirstOrDefault() is not { } step)
            {
                break;
            }

            await store.ExecuteAsync(certificate, new CaseActor("sup", "查看", [Roles.Supervisor]), async (x, ctx) => x.ActFilled(
                await factory.Get<WorkflowCatalog>().CurrentAsync(x.WorkflowId), step.WorkItemId, Outcome.Approve, "同意",
                new CaseActor($"t-{i}", "测试", [step.Role], step.Department), ctx.Now, ctx.Time));
        }

        Assert.Equal(CaseState.Draft, (await db.Cases.AsNoTracking().SingleAsync(x => x.Id == registration)).State);

        await factory.Get<ScanJob>().RunAsync();

        Assert.Equal(CaseState.Handling, (await db.Cases.AsNoTracking().SingleAsync(x => x.Id == registration)).State);
        await factory.Get<ScanJob>().RunAsync();
        Assert.Equal(1, await db.BundleJournal.CountAsync(j => j.BundleCaseId == b.Id && j.Action == "StartMembers"));
    }
}
