using System.Net;
using System.Text.Json;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Features.Bundles;
using ApprovalSystem.Web.Features.Cases.Filing;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Bundles;

/// <summary>
/// A matter a published bundle replaces (decision 0058): no new filing — the API says which bundle to use (422) — while its cases and
/// drafts already filed run to the end on the matter's own flow.
/// </summary>
public sealed class ReplacedMatterTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private static readonly string[] OldJointMatters =
        [.. Enumerable.Range(1, 10).Select(i => $"330799-SCJG-{i:000}"), "330799-FG-001", "330799-BDC-006", "330799-BDC-007"];

    [Fact]
    public async Task EveryOldJointMatter_IsReplacedByAPublishedBundle()
    {
        var replaced = await factory.Get<ReplacedMatters>().AllAsync();

        Assert.Equal(OldJointMatters.Order(), replaced.Keys.Order());
        Assert.Equal(("330799-YJS-001", "开办企业一件事"), (replaced[TestMatters.Replaced].BundleCode, replaced[TestMatters.Replaced].BundleName));
        Assert.Equal("330799-YJS-016", replaced["330799-BDC-006"].BundleCode);
        Assert.Null(await factory.Get<ReplacedMatters>().ForAsync(TestMatters.Joint));
    }

    [Fact]
    public async Task FilingAReplacedMatter_OrSavingANewDraftOfIt_Is422NamingTheBundle_AndFilesNothing()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        await using var db = factory.CreateDbContext();
        var before = await db.Cases.CountAsync();

        foreach (var code in OldJointMatters)
        {
            var form = await TestForms.RequiredAsync(factory, code);
            foreach (var submit in new[] { true, false })
            {
                var (response, body) = await citizen.PostAsync("/api/cases", new { matterCode = code, submit, formData = form });

                Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
                var message = body.GetProperty("errors").GetProperty("matterCode")[0].GetString()!;
                Assert.Matches("^本事项已纳入“.+”，请通过一件事办理（/guide/bundles/330799-YJS-0\\d\\d）$", message);
            }
        }

        var (_, shop) = await citizen.PostAsync("/api/cases", new { matterCode = "330799-SCJG-003", submit = true, formData = new { } });
        Assert.Contains("本事项已纳入“开办便利店一件事”，请通过一件事办理", shop.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await db.Cases.CountAsync());
    }

    [Fact]
    public async Task ARunningCaseOfAReplacedMatter_IsAcceptedAndConcludedOnItsJointFlow_AfterTheBundleIsPublished()
    {
        // Filed before the bundle took the matter in (as the demo's running cases were): accepted, then every department acts.
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        var id = (await FiledBeforeAsync(submit: true)).Id;

        var accepted = await clerk.PostOkAsync($"/api/cases/{id}/accept", new { opinion = "材料齐全，予以受理" });
        var scjg = await ApiSession.SignInAsync(factory, "officer.scjg");
        var c = await scjg.PostOkAsync($"/api/cases/{id}/tasks/{OpenItem(accepted, "SCJG")}/act", new { outcome = "approve", opinion = "名称、住所审查通过",
            data = new Dictionary<string, string> { ["creditCode"] = "92330799MA2J8K3Q1X" } });
        foreach (var (dept, account) in new[] { ("SW", "officer.sw"), ("GA", "officer.ga"), ("RS", "officer.rs"), ("GJJ", "officer.gjj") })
        {
            var officer = await ApiSession.SignInAsync(factory, account);
            c = await officer.PostOkAsync($"/api/cases/{id}/tasks/{OpenItem(c, dept)}/act", new { outcome = "approve", opinion = $"{dept}同意" });
        }

        var concluded = await scjg.PostOkAsync($"/api/cases/{id}/tasks/{OpenItem(c, "SCJG")}/act", new { outcome = "approve", opinion = "准予设立登记" });

        Assert.Equal("Approved", concluded.GetProperty("state").GetString());
        Assert.Equal(TestMatters.Replaced, concluded.GetProperty("matterCode").GetString());
        Assert.Equal("Approved", (await citizen.GetOkAsync($"/api/cases/{id}")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task ADraftOfAReplacedMatterSavedBefore_CanStillBeSavedAndSubmitted()
    {
        var draft = await FiledBeforeAsync(submit: false);
        var actor = await CitizenAsync();
        var form = await TestForms.RequiredAsync(factory, TestMatters.Replaced);

        await factory.Get<SaveDraft.Handler>().HandleAsync(new(draft.Id, form), actor);
        var filed = await factory.Get<SubmitCase.Handler>().HandleAsync(new(draft.Id, form), actor);

        Assert.Equal(CaseState.PreAcceptance, filed.State);
        Assert.NotNull(filed.Number);
    }

    [Fact]
    public async Task WithdrawingTheBundle_OffersTheMatterAgain_PublishingItReplacesItAgain()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var form = await TestForms.RequiredAsync(factory, "330799-SCJG-009");
        await SetPublishedAsync("330799-YJS-013", false);
        try
        {
            Assert.Null(await factory.Get<ReplacedMatters>().ForAsync("330799-SCJG-009"));
            var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = "330799-SCJG-009", submit = false, formData = form });
            Assert.Equal("Draft", filed.GetProperty("state").GetString());
        }
        finally
        {
            await SetPublishedAsync("330799-YJS-013", true);
        }

        var (again, _) = await citizen.PostAsync("/api/cases", new { matterCode = "330799-SCJG-009", submit = false, formData = form });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
    }

    [Fact]
    public async Task AChangeToWhatABundleReplaces_ShowsAtTheNextAsk_ThoughTheAnswerIsKeptBetweenChanges()
    {
        var replaced = factory.Get<ReplacedMatters>();
        Assert.Equal("330799-YJS-013", (await replaced.ForAsync("330799-SCJG-009"))!.BundleCode);
        Assert.Equal("330799-YJS-013", (await replaced.ForAsync("330799-SCJG-009"))!.BundleCode); // kept: the bundles did not change

        // Another node (here: another context) edits the bundle's definition: no longer replacing the matter.
        await EditReplacesAsync("330799-YJS-013", r => r.Remove("330799-SCJG-009"));
        try
        {
            Assert.Null(await replaced.ForAsync("330799-SCJG-009"));
        }
        finally
        {
            await EditReplacesAsync("330799-YJS-013", r => r.Add("330799-SCJG-009"));
        }

        Assert.Equal("330799-YJS-013", (await replaced.ForAsync("330799-SCJG-009"))!.BundleCode);
    }

    private async Task EditReplacesAsync(string bundleCode, Action<List<string>> edit)
    {
        await using var db = factory.CreateDbContext();
        var bundle = await db.Bundles.SingleAsync(b => b.Code == bundleCode);
        edit(bundle.Definition.Replaces); // the definition's comparer sees a change made in place
        await db.SaveChangesAsync();
    }

    private static string OpenItem(JsonElement c, string department) =>
        c.GetProperty("steps").EnumerateArray().First(s => s.GetProperty("open").GetBoolean() && s.GetProperty("department").GetString() == department)
            .GetProperty("workItemId").GetString()!;

    private async Task<CaseActor> CitizenAsync()
    {
        await using var db = factory.CreateDbContext();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "citizen");
        return new CaseActor(user.Id, user.DisplayName, [Roles.Applicant]);
    }

    /// <summary>A case (or draft) of the replaced matter as filed before its bundle was published: written through the store, not FileCase.</summary>
    private async Task<Case> FiledBeforeAsync(bool submit)
    {
        var actor = await CitizenAsync();
        await using var db = factory.CreateDbContext();
        var matter = await db.Matters.AsNoTracking().Include(m => m.Department).SingleAsync(m => m.Code == TestMatters.Replaced);
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "citizen");
        var applicant = new ApplicantInfo { Name = user.DisplayName, IdType = ApplicantIdType.ResidentId, IdNumber = user.IdNumber!, Phone = user.PhoneNumber! };
        return await factory.Get<CaseStore>().CreateAsync(async ctx =>
        {
            var c = Case.Draft(MatterSnapshot.From(matter, matter.Department!.Code), applicant, await TestForms.RequiredAsync(factory, matter.Code), actor, ctx.Now);
            if (submit)
            {
                c.Submit(await CaseStore.NextNumberAsync(ctx.Db, "330799", ctx.Now, default), CaseStore.NewQueryCode(), actor, ctx.Now, ctx.Time);
            }

            return c;
        });
    }

    private async Task SetPublishedAsync(string bundleCode, bool published)
    {
        await using var db = factory.CreateDbContext();
        var bundle = await db.Bundles.SingleAsync(b => b.Code == bundleCode);
        bundle.IsPublished = published;
        await db.SaveChangesAsync();
    }
}
