using ApprovalSystem.Core.Bundles;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Features.Bundles;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Bundles;

/// <summary>
/// Every bundle the catalogue ships — not a chosen few — filed with its merged form in each kind of situation, accepted once, and handled
/// member by member to the end: every member case gets every field its matter requires, and the waiting members start in their order.
/// </summary>
public sealed class ShippedBundlesTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task EveryShippedBundle_InEverySituationKind_IsFiledAcceptedAndConcluded_AndEveryMemberCaseHasItsRequiredFields()
    {
        List<BundleData> shipped;
        await using (var db = factory.CreateDbContext())
        {
            shipped = [.. (await db.Bundles.AsNoTracking().OrderBy(b => b.Code).ToListAsync()).Select(b => b.Definition)];
        }

        Assert.True(shipped.Count >= 16, $"{shipped.Count} bundles shipped");
        var problems = new List<string>();
        foreach (var def in shipped)
        {
            foreach (var (situation, answers) in Situations(def))
            {
                try
                {
                    problems.AddRange(await FileAndConcludeAsync(def, answers));
                }
                catch (Exception e) when (e is CaseRuleException or InvalidOperationException)
                {
                    problems.Add($"{def.Name}（{situation}）：{e.Message}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Answers with every question 是 (or its first option), every question 否 (or its last option): the most and the fewest members.</summary>
    private static IEnumerable<(string Name, Dictionary<string, string> Answers)> Situations(BundleData def)
    {
        foreach (var (name, yes) in new[] { ("全部选是", true), ("全部选否", false) })
        {
            var answers = new Dictionary<string, string>();
            foreach (var q in def.Situations.Where(q => Core.Catalogue.Situations.Holds(q.When, answers)))
            {
                answers[q.Key] = q.Options.Contains(yes ? "是" : "否") ? (yes ? "是" : "否") : (yes ? q.Options[0] : q.Options[^1]);
            }

            yield return (name, answers);
        }
    }

    private async Task<List<string>> FileAndConcludeAsync(BundleData def, Dictionary<string, string> answers)
    {
        // Opening a business or registering a birth is a person's filing; a unit files the rest (hiring, deregistration, investment).
        var person = def.LifeEvent is "企业开办" or "出生" or "二手房交易";
        var filer = await ActorAsync(person ? "citizen" : "enterprise", Roles.Applicant);

        var filed = await factory.Get<FileBundle.Handler>().HandleAsync(new FileBundle.Command
        {
            BundleCode = def.Code, Answers = answers, FormData = BundleTests.Form(def, answers), Submit = true,
        }, filer);
        await factory.Get<BundleActs.Handler>().AcceptAsync(new BundleActs.AcceptCommand(filed.Id, [.. filed.Materials.Select(m => m.Name)]),
            await ActorAsync("clerk", Roles.Clerk, "FWZX"));

        // Every open step of every member approved, round after round: a member that waits starts when the one before concludes.
        for (var round = 0; round < 40 && await OpenStepsAsync(filed.Id) is { Count: > 0 } open; round++)
        {
            foreach (var (caseId, step) in open)
            {
                await ApproveAsync(caseId, step);
            }
        }

        await using var db = factory.CreateDbContext();
        var bundle = await db.BundleCases.AsNoTracking().SingleAsync(b => b.Id == filed.Id);
        var problems = new List<string>();
        var label = $"{def.Name}（{string.Join("，", answers.Select(a => $"{a.Key}={a.Value}"))}）";
        if (bundle.State != BundleState.Concluded)
        {
            problems.Add($"{label}：一件事未办结（{BundleCase.Name(bundle.State)}）");
        }

        Assert.Equal(def.MembersFor(answers).Count, bundle.Members.Count);
        var ids = bundle.Members.Select(m => m.CaseId).ToList();
        var cases = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync();
        var matters = await db.Matters.AsNoTracking().Where(m => bundle.Members.Select(x => x.MatterCode).Contains(m.Code)).ToListAsync();
        foreach (var member in bundle.Members)
        {
            var c = cases.Single(x => x.Id == member.CaseId);
            if (BundleCase.OutcomeOf(c) != MemberOutcome.Approved) // approved, or reported up with the county's approval (上报件)
            {
                problems.Add($"{label}：成员“{c.MatterName}”未准予（{CaseLifecycle.Name(c.State)}）");
            }

            var matter = matters.Single(m => m.Code == member.MatterCode);
            var missing = matter.FormFields
                .Where(f => f.IsRequiredFor(c.FormData) && Core.Catalogue.Situations.Holds(f.When, bundle.Answers) && string.IsNullOrWhiteSpace(c.FormData.GetValueOrDefault(f.Key)))

                // A waiting permit's credit code is the licence's, issued by the member it waits for: a person filing has none yet.
                .Where(f => !(member.After.Count > 0 && f.Type == FieldKind.CreditCode && person))
                .Select(f => f.Label).ToList();
            if (missing.Count > 0)
            {
                problems.Add($"{label}：成员“{c.MatterName}”缺少必填字段 {string.Join("、", missing)}");
            }
        }

        return problems;
    }

    private async Task<List<(long CaseId, CaseStep Step)>> OpenStepsAsync(long bundleId)
    {
        await using var db = factory.CreateDbContext();
        var bundle = await db.BundleCases.AsNoTracking().SingleAsync(b => b.Id == bundleId);
        var ids = bundle.Members.Select(m => m.CaseId).ToList();
        var cases = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync();
        return [.. cases.SelectMany(c => c.OpenSteps.Select(s => (c.Id, s)))];
    }

    private async Task ApproveAsync(long caseId, CaseStep step)
    {
        var workflows = factory.Get<WorkflowCatalog>();
        var actor = new CaseActor($"t-{caseId}-{step.WorkItemId}", "测试" + step.Title, [step.Role], step.Department);
        await factory.Get<CaseStore>().ExecuteAsync(caseId, new CaseActor("supervisor-view", "查看", [Roles.Supervisor]), async (x, ctx) =>
            x.ActFilled(await workflows.CurrentAsync(x.WorkflowId), step.WorkItemId, Outcome.Approve, "同意", actor, ctx.Now, ctx.Time));
    }

    private async Task<CaseActor> ActorAsync(string account, string role, string? department = null)
    {
        await using var db = factory.CreateDbContext();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == account);
        return new CaseActor(user.Id, user.DisplayName, [role], department);
    }
}
