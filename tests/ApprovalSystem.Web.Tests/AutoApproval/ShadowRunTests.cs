using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Features.AutoApproval;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.AutoApproval;

/// <summary>
/// Shadow mode over cases people concluded: which the published rules of 异地就医备案 would have approved, and where people decided
/// otherwise — counted from cases seeded to land in each cell, with cases outside the period and an automatic decision left out.
/// </summary>
public sealed class ShadowRunTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string Matter = "330799-YBJ-002";

    private static readonly CaseActor Clerk = new("clerk-shadow", "李晓梅", [Roles.Clerk], "FWZX");

    private static readonly CaseActor Admin = new("admin-shadow", "系统管理员", [Roles.Administrator]);

    /// <summary>A case filed, accepted and decided at the window (the matter's immediate flow) in one act: people decided it, not the rules.</summary>
    private async Task<long> DecidedAsync(string name, string idNumber, string recordType, bool approve, bool automatically = false)
    {
        await using var db = factory.CreateDbContext();
        var matter = await db.Matters.AsNoTracking().Include(m => m.Department).FirstAsync(m => m.Code == Matter);
        var definition = await factory.Get<WorkflowCatalog>().CurrentAsync(matter.WorkflowId);
        var applicant = new ApplicantInfo { Name = name, IdType = ApplicantIdType.ResidentId, IdNumber = idNumber, Phone = "13800000009" };
        var form = new Dictionary<string, string>
        {
            ["applicantName"] = name, ["idNumber"] = idNumber, ["contactPhone"] = "13800000009", ["recordType"] = recordType, ["destinationCity"] = "上海市",
            ["startDate"] = "2026-12-01",
        };
        var c = await factory.Get<CaseStore>().CreateAsync(async ctx =>
        {
            var draft = Case.Draft(MatterSnapshot.From(matter, matter.Department!.Code), applicant, form, Clerk, ctx.Now);
            draft.AttachMaterial("异地就医备案登记表", new string('a', 64), "登记表.pdf", 1000, Clerk, ctx.Now); // the one required paper
            draft.Submit(await CaseStore.NextNumberAsync(ctx.Db, "330799", ctx.Now, default), "123456", Clerk, ctx.Now, ctx.Time);
            if (automatically)
            {
                draft.ApproveAutomatically(definition, new AutoApprovalGrant(Matter, 1, Published: true), CaseActor.AutoApprover, ctx.Now, ctx.Time);
                return draft;
            }

            draft.Accept(definition, Clerk, ctx.Now, ctx.Time);
            draft.Act(definition, draft.OpenSteps.Single().WorkItemId, approve ? Outcome.Approve : Outcome.Deny, approve ? "准予备案" : "不符合备案条件", null,
                Clerk, ctx.Now, ctx.Time);
            return draft;
        });
        return c.Id;
    }

    [Fact]
    public async Task Shadow_mode_counts_what_the_rules_would_have_approved_and_lists_where_people_decided_otherwise()
    {
        var bothApproved = await DecidedAsync("张伟", "330799198503120016", "异地长期居住", approve: true);
        var peopleOnly = await DecidedAsync("张伟", "330799198503120016", "异地转诊就医", approve: true); // the rules route a referral to people
        var rulesOnly = await DecidedAsync("张伟", "330799198503120016", "常驻异地工作", approve: false);
        var rulesOnlyToo = await DecidedAsync("王秀英", "330799195208170025", "临时外出就医", approve: false);
        var bothRefused = await DecidedAsync("赵六", "330799199001010027", "异地长期居住", approve: false); // no household record
        var contradicting = await DecidedAsync("张小伟", "330799198503120016", "异地长期居住", approve: true); // the record's name is 张伟

        // An automatic decision in the period is the rules' own, not a case people decided.
        var automatic = await DecidedAsync("张伟", "330799198503120016", "异地长期居住", approve: true, automatically: true);

        var version = (await factory.Get<AutoApprovalQueries>().VersionsAsync(Matter)).Single();
        var today = WorkingTime.LocalDate(DateTimeOffset.UtcNow);
        var result = await factory.Get<ShadowRun.Handler>().RunAsync(version.Id, today.AddDays(-30), today, Admin);

        Assert.Equal(6, result.Cases);
        Assert.Equal(3, result.WouldApprove); // bothApproved, rulesOnly, rulesOnlyToo
        Assert.Equal(3, result.PeopleApproved); // bothApproved, peopleOnly, contradicting
        Assert.Equal(1, result.BothApproved);
        Assert.Equal(2, result.WouldApproveButPeopleRefused);
        Assert.Equal(2, result.PeopleApprovedButRulesRoute);
        Assert.Equal(new[] { peopleOnly, rulesOnly, rulesOnlyToo, contradicting }.Order(), result.Differing.Select(d => d.CaseId).Order());
        Assert.DoesNotContain(result.Differing, d => d.CaseId == bothApproved || d.CaseId == bothRefused || d.CaseId == automatic);
        Assert.Equal(["参保人户籍信息正常"], result.Differing.Single(d => d.CaseId == contradicting).Failed);
        Assert.Equal(["备案类型可即时办理"], result.Differing.Single(d => d.CaseId == peopleOnly).Failed);

        // Nothing changed: no case moved, no run was stored for the people's cases.
        await using var db = factory.CreateDbContext();
        Assert.False(await db.AutoApprovalRuns.AnyAsync(r => r.CaseId == peopleOnly || r.CaseId == rulesOnly));
        Assert.Equal(CaseState.Denied, (await db.Cases.FindAsync(rulesOnly))!.State);

        // A period with none of them concluded counts nothing; only administrators and supervisors may run it.
        Assert.Equal(0, (await factory.Get<ShadowRun.Handler>().RunAsync(version.Id, today.AddDays(-60), today.AddDays(-31), Admin)).Cases);
        await Assert.ThrowsAsync<CaseRuleException>(() =>
            factory.Get<ShadowRun.Handler>().RunAsync(version.Id, today.AddDays(-30), today, new("c", "张伟", [Roles.Applicant])));
    }
}
