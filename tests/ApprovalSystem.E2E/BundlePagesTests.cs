using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Bundles;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// The applicant's bundle pages 一件事 on a phone (390×844, touch) and a desktop (1280×800): the guide after answering, the filing page
/// and the progress page fit the screen (no sideways scrolling), their buttons are large enough to tap, and they are photographed.
/// </summary>
[Collection(SecondBrowserTests.Name)]
public sealed class BundlePagesTests(E2EFixture app)
{
    private const string Birth = "330799-YJS-002";
    private const string Answers = "?married=是&socialCard=是&payment=银行代扣&agent=否";

    public static TheoryData<string> Screens => new() { "phone", "desktop" };

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task GuideFilingAndProgress_FitTheScreen_WithTappableButtons(string screen)
    {
        var phone = screen == "phone";
        var viewport = phone ? E2EFixture.Phone : new ViewportSize { Width = 1280, Height = 800 };
        var prefix = phone ? "phone-" : "";
        var page = await app.NewPageAsync(viewport);

        // The guide, answered: exactly the four members and the merged list, on a static page.
        await page.GotoAsync($"/guide/bundles/{Birth}{Answers}");
        await Assertions.Expect(page.Locator("#bundle-guide-members li[data-member]")).ToHaveCountAsync(4);
        await AssertFitsAsync(page, viewport, "#bundle-guide-submit", "#bundle-guide-apply");
        await ShotAsync(page, $"{prefix}bundle-guide.png");

        // The filing page carries the answers: the merged form is there at once, prefilled from the account.
        await app.SignInAsync(page, "citizen");
        await E2EFixture.GotoInteractiveAsync(page, $"/bundles/apply/{Birth}{Answers}");
        await Assertions.Expect(page.Locator("[data-field='formData.motherName'] input")).ToHaveValueAsync("张伟");
        await page.Locator("[data-field='formData.babyName'] input").FillAsync("张小满");
        await page.Locator("[data-field='formData.birthPlace'] input").FillAsync("云溪县人民医院");
        await AssertFitsAsync(page, viewport, "#bundle-apply-submit", "#bundle-apply-draft");
        await ShotAsync(page, $"{prefix}bundle-apply.png");

        // The progress page of a bundle under way: the birth certificate issued, the household registration started after it.
        var id = await BundleUnderWayAsync();
        await E2EFixture.GotoInteractiveAsync(page, $"/bundles/{id}");
        await Assertions.Expect(page.Locator("#bundle-members li[data-member-case]")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("#bundle-results .bundle-result-download").First).ToBeVisibleAsync();
        await AssertFitsAsync(page, viewport, ".bundle-result-download");
        await ShotAsync(page, $"{prefix}bundle-progress.png");
        await page.Context.CloseAsync();
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        await page.EvaluateAsync("() => window.scrollTo(0, 0)"); // a full-page shot of a scrolled page draws the fixed app bar mid-page
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, name), FullPage = true });
    }

    /// <summary>No sideways scrolling, and every named button at least 44 px tall (a finger's target).</summary>
    private static async Task AssertFitsAsync(IPage page, ViewportSize viewport, params string[] buttons)
    {
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= viewport.Width, $"{page.Url} is {width} px wide on a {viewport.Width} px screen");
        foreach (var selector in buttons)
        {
            var box = await page.Locator(selector).First.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.Height >= 44, $"{selector} on {page.Url} is {box.Height} px tall");
            Assert.True(box.X >= 0 && box.X + box.Width <= viewport.Width, $"{selector} on {page.Url} is cut off");
        }
    }

    /// <summary>A citizen's 新生儿出生一件事, accepted once, its first member approved (so the next has started) and its documents issued.</summary>
    private async Task<long> BundleUnderWayAsync()
    {
        using var scope = app.Services.CreateScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AppDbContext>();
        var citizen = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "citizen");
        var clerk = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "clerk");
        var def = (await db.Bundles.AsNoTracking().SingleAsync(b => b.Code == Birth)).Definition;
        var answers = new Dictionary<string, string> { ["married"] = "是", ["socialCard"] = "是", ["payment"] = "银行代扣", ["agent"] = "否" };
        var form = def.FieldsFor(answers).ToDictionary(f => f.Key, f => f.Type switch
        {
            FieldKind.Date => "2026-12-01",
            FieldKind.Phone => "13800000001",
            FieldKind.IdCard => "330799198503120016",
            FieldKind.Select => f.Options![0],
            _ => f.Key == "babyName" ? "张小满" : "云溪县城关镇人民大道1号",
        });
        var b = await services.GetRequiredService<FileBundle.Handler>().HandleAsync(new FileBundle.Command
        {
            BundleCode = Birth, Answers = answers, FormData = form, Submit = true,
        }, new CaseActor(citizen.Id, citizen.DisplayName, [Roles.Applicant]));
        await services.GetRequiredService<BundleActs.Handler>().AcceptAsync(new BundleActs.AcceptCommand(b.Id, [.. b.Materials.Select(m => m.Name)]),
            new CaseActor(clerk.Id, clerk.DisplayName, [Roles.Clerk], "FWZX"));

        var store = services.GetRequiredService<CaseStore>();
        var workflows = services.GetRequiredService<WorkflowCatalog>();
        var first = b.Members[0].CaseId;
        while ((await db.Cases.AsNoTracking().SingleAsync(c => c.Id == first)).OpenSteps.FirstOrDefault() is { } step)
        {
            var officer = new CaseActor($"e2e-{first}-{step.WorkItemId}", "测试" + step.Title, [step.Role], step.Department);
            await store.ExecuteAsync(first, new CaseActor("supervisor-view", "查看", [Roles.Supervisor]), async (x, ctx) =>
                x.Act(await workflows.CurrentAsync(x.WorkflowId), step.WorkItemId, Outcome.Approve, "同意", null, officer, ctx.Now, ctx.Time));
        }

        await services.GetRequiredService<Web.Documents.DocumentWorker>().DrainAsync();
        return b.Id;
    }
}
