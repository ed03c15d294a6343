using ApprovalSystem.Core.AutoApproval;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.AutoApproval;
using ApprovalSystem.Web.Features.Cases.Filing;
using ApprovalSystem.Web.Features.Supervision.Alerts;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Infrastructure.Seeding;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalSystem.Web.Tests.AutoApproval;

/// <summary>
/// 秒批 on the shipped catalogue and the demo's shared records: a filing that passes every condition is accepted, approved and
/// certified by 秒批系统 inside the filing act, with the explanation stored; a form value that contradicts the shared record goes to
/// people with the failed condition shown; a draft version never runs; the process rule flags a decision on an unpublished version.
/// </summary>
public sealed class AutoApprovalTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string ShopChange = "330799-SCJG-023"; // 个体工商户变更登记: household + individual-business register, issues a business licence

    private const string Seal = "330799-GA-013"; // 公章刻制备案: the market-entity register

    private static readonly CaseActor Admin = new("admin-test", "系统管理员", [Roles.Administrator]);

    private static Dictionary<string, string> ShopForm(string shopName = "云溪县张记小吃店", string changeItem = "经营范围") => new()
    {
        ["applicantName"] = "张伟", ["idNumber"] = "330799198503120016", ["contactPhone"] = "13800000001", ["shopName"] = shopName, ["changeItem"] = changeItem,
    };

    /// <summary>
    /// Files as the demo account the way the filing page does: a draft, the required application uploaded, then 提交 (SubmitCase).
    /// </summary>
    private async Task<long> FileAsync(string account, string matter, Dictionary<string, string> form)
    {
        var user = (await factory.Get<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>().FindByNameAsync(account))!;
        var actor = new CaseActor(user.Id, user.DisplayName, [Roles.Applicant]);
        var draft = await factory.Get<FileCase.Handler>().HandleAsync(new FileCase.Command { MatterCode = matter, FormData = form, Submit = false }, actor);
        foreach (var m in draft.Materials.Where(m => m.Required))
        {
            await factory.Get<CaseStore>().ExecuteAsync(draft.Id, actor, (c, ctx) =>
            {
                c.AttachMaterial(m.Name, new string('a', 64), "申请书.pdf", 1000, actor, ctx.Now);
                return Task.CompletedTask;
            });
        }

        return (await factory.Get<SubmitCase.Handler>().HandleAsync(new SubmitCase.Command(draft.Id), actor)).Id;
    }

    [Fact]
    public async Task A_filing_that_passes_every_condition_is_accepted_approved_and_certified_by_the_system_actor_within_the_filing_act()
    {
        var first = await FileAsync("citizen", ShopChange, ShopForm());
        var second = await FileAsync("citizen", ShopChange, ShopForm(changeItem: "名称")); // the second use, not only the demo

        await using var db = factory.CreateDbContext();
        foreach (var id in new[] { first, second })
        {
            var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == id);
            Assert.Equal(CaseState.CertificateIssued, c.State);
            Assert.Equal(CaseActor.AutoApproverName, c.AcceptedBy);
            Assert.True(c.AutoApproved);
            Assert.Empty(c.Steps); // no person's step was opened
            Assert.NotNull(c.CertificateNumber);

            var journal = await db.Journal.AsNoTracking().Where(j => j.CaseId == id).OrderBy(j => j.Sequence).ToListAsync();
            var filing = journal.SkipWhile(j => j.Action != "Submit").ToList();
            Assert.Equal(["Submit", "Accept", "AutoApprove", "IssueCertificate"], filing.Select(j => j.Action));
            Assert.Equal([CaseActor.AutoApproverName], filing.Skip(1).Select(j => j.ActorName).Distinct());
            Assert.Single(filing.Select(j => j.At).Distinct()); // one act: filed, accepted, approved and certified at the same instant
            Assert.Contains("\"ruleVersion\":\"1\"", filing[2].Data, StringComparison.Ordinal);

            var run = await db.AutoApprovalRuns.AsNoTracking().SingleAsync(r => r.CaseId == id);
            Assert.True(run.Approved);
            Assert.Equal(1, run.RuleVersion);
            var outcomes = AutoApprover.Outcomes(run);
            Assert.All(outcomes, o => Assert.True(o.Passed));
            var name = outcomes.Single(o => o.Name == "个体工商户名称与登记一致");
            Assert.Equal("云溪县张记小吃店", name.Inputs["shop.shopName"]);
            Assert.Equal("云溪县张记小吃店", name.Inputs["form.shopName"]);

            Assert.Equal(CertificateStatus.Valid, (await db.Certificates.AsNoTracking().SingleAsync(x => x.CaseId == id)).Status);
            var told = await db.Notifications.AsNoTracking().Where(n => n.Link == $"/cases/{id}").Select(n => n.Title).ToListAsync();
            Assert.Equal(["秒批已办结"], told);
        }

        Assert.NotEqual((await db.Cases.FindAsync(first))!.CertificateNumber, (await db.Cases.FindAsync(second))!.CertificateNumber);

        // Every shared read went through the catalogue: as the matter's department, logged with the purpose 秒批.
        var reads = await db.ResourceReadLog.AsNoTracking().Where(l => l.Purpose == AutoApprover.Purpose && l.Consumer == "SCJG").ToListAsync();
        Assert.True(reads.Count >= 4); // two sources a filing
        Assert.All(reads, r => Assert.Equal(CaseActor.AutoApproverName, r.Reader));
    }

    [Fact]
    public async Task A_form_value_that_contradicts_the_shared_record_sends_the_case_to_people_with_the_failed_condition_on_the_case_page()
    {
        var id = await FileAsync("citizen", ShopChange, ShopForm(shopName: "云溪县李记小吃店"));

        // Through the API without the signed application: the built-in check fails too, named with what is missing.
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var bare = (await citizen.PostOkAsync("/api/cases", new { matterCode = ShopChange, formData = ShopForm(), submit = true })).GetProperty("id").GetInt64();

        await using (var db = factory.CreateDbContext())
        {
            var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == id);
            Assert.Equal(CaseState.PreAcceptance, c.State);
            Assert.Null(c.AcceptedAt);
            var run = await db.AutoApprovalRuns.AsNoTracking().SingleAsync(r => r.CaseId == id);
            Assert.False(run.Approved);
            var failed = AutoApprover.Outcomes(run).Where(o => !o.Passed).ToList();
            var only = Assert.Single(failed);
            Assert.Equal("个体工商户名称与登记一致", only.Name);
            Assert.Equal("云溪县张记小吃店", only.Inputs["shop.shopName"]);
            Assert.Equal("云溪县李记小吃店", only.Inputs["form.shopName"]);
            Assert.Contains("已提交", await db.Notifications.AsNoTracking().Where(n => n.Link == $"/cases/{id}").Select(n => n.Title).ToListAsync());

            Assert.Equal(CaseState.PreAcceptance, (await db.Cases.FindAsync(bare))!.State);
            var materials = Assert.Single(AutoApprover.Outcomes(await db.AutoApprovalRuns.SingleAsync(r => r.CaseId == bare)), o => !o.Passed);
            Assert.Equal(AutoApprovalEvaluator.MaterialsCheck, materials.Name);
            Assert.Equal("个体工商户变更登记申请书", materials.Inputs["缺少材料"]);
        }

        // The window (who accepts it now) sees why.
        var clerk = new BrowserSession(factory.CreateBrowserClient());
        await clerk.SignInAsync("clerk", DemoAccounts.Password);
        var page = await clerk.Client.GetStringAsync($"/cases/{id}");
        Assert.Contains("秒批核验", page, StringComparison.Ordinal);
        Assert.Contains("转人工办理。未通过的条件：", page, StringComparison.Ordinal);
        Assert.Contains("个体工商户名称与登记一致", page, StringComparison.Ordinal);
        Assert.Contains("云溪县李记小吃店", page, StringComparison.Ordinal);

        // The applicant does not get the staff's explanation panel.
        var own = new BrowserSession(factory.CreateBrowserClient());
        await own.SignInAsync("citizen", DemoAccounts.Password);
        Assert.DoesNotContain("秒批核验", await own.Client.GetStringAsync($"/cases/{id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_enterprise_whose_register_says_otherwise_or_which_is_another_enterprise_is_not_approved()
    {
        var form = new Dictionary<string, string>
        {
            ["unitName"] = "云溪县绿源食品有限公司", ["creditCode"] = "91330799MA2K3L4N5T", ["legalRep"] = "陈明", ["contactPhone"] = "13800000002",
            ["sealType"] = "合同专用章", ["sealCount"] = "1", ["sealMaker"] = "云溪县刻章社",
        };
        var passed = await FileAsync("enterprise", Seal, form);
        var wrongRep = await FileAsync("enterprise", Seal, new(form) { ["legalRep"] = "李强" });
        var revoked = await FileAsync("enterprise", Seal, new(form) { ["creditCode"] = "91330799MA2B7C8D95", ["unitName"] = "云溪县山水茶业有限公司", ["legalRep"] = "吴丽" });

        await using var db = factory.CreateDbContext();
        Assert.Equal(CaseState.Approved, (await db.Cases.FindAsync(passed))!.State); // a filing 备案 issues no certificate
        Assert.Equal(CaseState.PreAcceptance, (await db.Cases.FindAsync(wrongRep))!.State);
        Assert.Equal(CaseState.PreAcceptance, (await db.Cases.FindAsync(revoked))!.State);
        var failedRevoked = AutoApprover.Outcomes(await db.AutoApprovalRuns.SingleAsync(r => r.CaseId == revoked)).Where(o => !o.Passed).Select(o => o.Name);
        Assert.Equal(["市场主体登记存续", "申请单位即本单位"], failedRevoked);
    }

    [Fact]
    public async Task A_draft_version_never_runs_and_publishing_it_retires_the_one_it_replaces()
    {
        const string Matter = "330799-YBJ-002";
        var versions = factory.Get<RuleVersions.Handler>();
        var published = (await factory.Get<AutoApprovalQueries>().VersionsAsync(Matter)).Single();
        await versions.RetireAsync(Matter, Admin);
        var stricter = published.Rules with { Conditions = [.. published.Rules.Conditions, new RuleCondition("仅限异地长期居住", "form.recordType == '异地长期居住'")] };
        var draft = await versions.SaveDraftAsync(Matter, stricter, "只对长期居住秒批", Admin);
        Assert.Equal(2, draft.Version);
        Assert.Equal(RuleVersionStatus.Draft, draft.Status);

        var form = new Dictionary<string, string>
        {
            ["applicantName"] = "张伟", ["idNumber"] = "330799198503120016", ["contactPhone"] = "13800000001", ["recordType"] = "异地长期居住",
            ["destinationCity"] = "杭州市", ["startDate"] = "2026-12-10",
        };
        var whileDraft = await FileAsync("citizen", Matter, form);
        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(CaseState.PreAcceptance, (await db.Cases.FindAsync(whileDraft))!.State);
            Assert.False(await db.AutoApprovalRuns.AnyAsync(r => r.CaseId == whileDraft)); // nothing ran
        }

        // Only administrators edit rules, and rules that check nothing shared are refused.
        await Assert.ThrowsAsync<CaseRuleException>(() => versions.SaveDraftAsync(Matter, stricter, null, new("o", "经办人", [Roles.Officer], "YBJ")));
        var formOnly = new AutoApprovalRuleSet([], [new RuleCondition("只看表单", "form.recordType == '异地长期居住'")]);
        var refused = await Assert.ThrowsAsync<CaseInputException>(() => versions.SaveDraftAsync(Matter, formOnly, null, Admin));
        Assert.Contains("至少要有一条条件核验共享数据", refused.Message, StringComparison.Ordinal);

        await versions.PublishAsync(draft.Id, Admin);
        await Assert.ThrowsAsync<CaseRuleException>(() => versions.PublishAsync(draft.Id, Admin)); // a published version is not changed again
        var approved = await FileAsync("citizen", Matter, form);
        var routed = await FileAsync("citizen", Matter, new(form) { ["recordType"] = "临时外出就医" });
        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(CaseState.Approved, (await db.Cases.FindAsync(approved))!.State);
            Assert.Equal(2, (await db.AutoApprovalRuns.SingleAsync(r => r.CaseId == approved)).RuleVersion);
            Assert.Equal(CaseState.PreAcceptance, (await db.Cases.FindAsync(routed))!.State);
            var all = await db.AutoApprovalRuleVersions.AsNoTracking().Where(v => v.MatterCode == Matter).OrderBy(v => v.Version).ToListAsync();
            Assert.Equal([RuleVersionStatus.Retired, RuleVersionStatus.Published], all.Select(v => v.Status));
        }
    }

    [Fact]
    public async Task A_decision_on_a_version_not_published_at_the_time_is_flagged_by_process_supervision_and_listed_for_supervisors()
    {
        const string Matter = "330799-GA-019";
        var form = new Dictionary<string, string>
        {
            ["applicantName"] = "张伟", ["idNumber"] = "330799198503120016", ["contactPhone"] = "13800000001", ["licenceNo"] = "330700123456", ["licenceClass"] = "C1",
        };
        var clean = await FileAsync("citizen", Matter, form);
        var tampered = await FileAsync("citizen", Matter, form);

        await using var db = factory.CreateDbContext();
        var version = await db.AutoApprovalRuleVersions.SingleAsync(v => v.MatterCode == Matter);
        var rules = factory.Services.CreateScope().ServiceProvider.GetServices<ISupervisionRuleSet>().OfType<ProcessRuleSet>().Single();
        var time = await factory.Get<WorkingTimeProvider>().GetAsync();
        var flag = SupervisionAlerts.RuleKey(AlertKind.AutoApprovalUnpublishedRules);

        Assert.DoesNotContain(await rules.EvaluateAsync(db, (await db.Cases.FindAsync(clean))!, time, DateTimeOffset.UtcNow, default), a => a.Rule == flag);

        // The version's publication moved after the decision (as if the row had been written outside the approver).
        var decidedAt = (await db.Cases.FindAsync(tampered))!.DecidedAt!.Value;
        version.PublishedAt = decidedAt.AddMinutes(5);
        await db.SaveChangesAsync();
        var alerts = await rules.EvaluateAsync(db, (await db.Cases.AsNoTracking().SingleAsync(c => c.Id == tampered)), time, DateTimeOffset.UtcNow, default);
        var alert = Assert.Single(alerts, a => a.Rule == flag);
        Assert.Contains("规则第1版", alert.Message, StringComparison.Ordinal);

        // The supervisors' list: automatic decisions of the matter, paged, with the exact total.
        var page = await factory.Get<AutoApprovalQueries>().ListAsync(Matter, null, null, approvedOnly: true, 0, 1);
        Assert.Equal(2, page.Total);
        Assert.Single(page.Rows);
        var supervisor = new BrowserSession(factory.CreateBrowserClient());
        await supervisor.SignInAsync("supervisor", DemoAccounts.Password);
        var html = await supervisor.Client.GetStringAsync($"/supervision/auto-approvals?matter={Matter}");
        Assert.Contains("秒批记录", html, StringComparison.Ordinal);
        Assert.Contains((await db.Cases.FindAsync(tampered))!.Number!, html, StringComparison.Ordinal);
    }
}
