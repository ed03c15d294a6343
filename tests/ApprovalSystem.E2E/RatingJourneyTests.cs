using ApprovalSystem.Core.Cases;
using ApprovalSystem.Workflows;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Cases.Acceptance;
using ApprovalSystem.Web.Features.Cases.Filing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// Issue 21's 好差评 loop in the browser: on a phone the citizen gives a concluded case a 差评 with an indicator's stars; the
/// department's officer records the call-back and the fix on 差评整改; the citizen confirms on the case page; the supervisor sees the
/// figures on the performance page. Screens saved as docs/screenshots/rating-*.png (with UPDATE_SCREENSHOTS=1).
/// </summary>
[Collection(SecondBrowserTests.Name)]
public sealed class RatingJourneyTests(E2EFixture app)
{
    private const string Matter = "330799-BDC-001";

    private static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, $"rating-{name}.png"), FullPage = true });
    }

    /// <summary>A citizen's filing the window refused: concluded, so the point after conclusion is open.</summary>
    private async Task<long> RefusedCaseAsync()
    {
        using var scope = app.Services.CreateScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AppDbContext>();
        var citizen = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "citizen");
        var clerk = await db.Users.AsNoTracking().Include(u => u.Department).SingleAsync(u => u.UserName == "clerk");
        var matter = await db.Matters.AsNoTracking().SingleAsync(m => m.Code == Matter);
        var form = matter.FormFields.Where(f => f.Required).ToDictionary(f => f.Key, f => f.Type switch
        {
            FieldKind.Number => "500",
            FieldKind.Date => "2026-12-01",
            FieldKind.Phone => "13800000001",
            FieldKind.IdCard => "330799198503120016",
            FieldKind.CreditCode => "91330799MA2K3L4N5T",
            FieldKind.Select => f.Options![0],
            _ => "测试内容",
        });
        var c = await services.GetRequiredService<FileCase.Handler>().HandleAsync(new FileCase.Command { MatterCode = Matter, FormData = form, Submit = true },
            new CaseActor(citizen.Id, citizen.DisplayName, [Roles.Applicant]));
        await services.GetRequiredService<RefuseCase.Handler>().HandleAsync(new RefuseCase.Command(c.Id, "不动产坐落不在本县"),
            new CaseActor(clerk.Id, clerk.DisplayName, [Roles.Clerk], clerk.Department?.Code));
        return c.Id;
    }

    [Fact]
    public async Task ABadRating_IsCalledBack_Fixed_AndConfirmed_InTheBrowser()
    {
        var caseId = await RefusedCaseAsync();
        var caseUrl = $"/cases/{caseId}";

        // The citizen, on a phone: 不满意, two stars for 办事效率, a reason.
        var phone = await app.NewPageAsync(E2EFixture.Phone);
        await app.SignInAsync(phone, "citizen");
        await E2EFixture.GotoInteractiveAsync(phone, caseUrl);
        await Assertions.Expect(phone.Locator("#rating-point")).ToContainTextAsync("办结后");
        await Assertions.Expect(phone.Locator("#rating-indicators [data-indicator]")).ToHaveCountAsync(4);
        await phone.Locator("#rating-levels .mud-radio").Filter(new LocatorFilterOptions { HasText = "不满意" }).First.TapAsync();
        await phone.Locator("[data-indicator='办事效率'] .mud-rating-item").Nth(1).TapAsync();
        await Assertions.Expect(phone.Locator("[data-indicator='办事效率']")).ToContainTextAsync("不满意");
        await phone.Locator("#rating-comment").FillAsync("不予受理的理由没有当面讲清楚");
        await phone.Locator("#rating-panel").ScrollIntoViewIfNeededAsync();
        await ShotAsync(phone, "phone-rate");
        await phone.Locator("#rate").TapAsync();
        await Assertions.Expect(phone.Locator("#rating-done")).ToContainTextAsync("不满意");
        await Assertions.Expect(phone.Locator("[id^=rectification-]")).ToContainTextAsync("待回访");
        // The applicant is told the last day the department has (the same day the officer's list gives, checked below).
        var promised = System.Text.RegularExpressions.Regex.Match(await phone.Locator("#rect-due").InnerTextAsync(), @"最迟于(\d{4})年(\d{1,2})月(\d{1,2})日整改或答复");
        Assert.True(promised.Success, await phone.Locator("#rect-due").InnerTextAsync());
        await phone.Locator("#rect-due").ScrollIntoViewIfNeededAsync();
        await ShotAsync(phone, "phone-rect-due");
        var width = await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= E2EFixture.Phone.Width, $"the case page is {width} px wide on a phone");

        // The department's officer: the rectification in the list, the call-back, the fix.
        var officer = await app.NewPageAsync();
        await app.SignInAsync(officer, "officer.bdc");
        await E2EFixture.GotoInteractiveAsync(officer, "/ratings/rectifications");
        var row = officer.Locator("#rectifications tbody tr").Filter(new LocatorFilterOptions { HasText = "不满意" }).First;
        await row.Locator(".open-rectification").ClickAsync();
        await Assertions.Expect(officer.Locator("#rectification-detail")).ToContainTextAsync("不予受理的理由没有当面讲清楚");
        var promisedDay = $"{promised.Groups[1].Value}-{int.Parse(promised.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture):00}-{int.Parse(promised.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture):00}";
        await Assertions.Expect(officer.Locator("#rectification-detail")).ToContainTextAsync($"整改期限 {promisedDay}");
        await officer.Locator("#callback-whom").FillAsync("申请人本人（138****0001）");
        await officer.Locator("#callback-notes").FillAsync("电话回访：申请人希望了解不予受理的依据，已当面说明管辖规定");
        await officer.Locator("#record-callback").ClickAsync();
        await Assertions.Expect(officer.Locator("#rect-callback")).ToContainTextAsync("申请人本人");
        await officer.Locator("#resolution-text").FillAsync("窗口不予受理时一并出具管辖说明，已培训窗口人员");
        await officer.Locator("#resolve").ClickAsync();
        await Assertions.Expect(officer.Locator("#rectification-detail")).ToHaveAttributeAsync("data-state", "Resolved");
        await ShotAsync(officer, "officer-rectification");

        // Back on the phone: the citizen contests once; the department has five working days again, and says so.
        await E2EFixture.GotoInteractiveAsync(phone, caseUrl);
        await Assertions.Expect(phone.Locator("[id^=rectification-]")).ToContainTextAsync("已整改");
        await phone.Locator("#rect-contest-reason").FillAsync("管辖说明里没有写应当去哪个部门办理");
        await phone.Locator("#rect-contest").TapAsync();
        await Assertions.Expect(phone.Locator("#rect-reopened-due")).ToContainTextAsync("最迟于");
        await Assertions.Expect(phone.Locator("#rect-reopened-due")).ToContainTextAsync("重新整改或答复");
        await ShotAsync(phone, "phone-contested");
        await E2EFixture.GotoInteractiveAsync(officer, "/ratings/rectifications");
        await Assertions.Expect(officer.Locator("#rectifications tbody tr").Filter(new LocatorFilterOptions { HasText = "不满意" }).First)
            .ToContainTextAsync("重新整改");
        await officer.Locator("#rectifications tbody tr").Filter(new LocatorFilterOptions { HasText = "不满意" }).First.Locator(".open-rectification").ClickAsync();
        await Assertions.Expect(officer.Locator("#rectification-detail")).ToContainTextAsync("重新整改期限");
        await officer.Locator("#resolution-text").FillAsync("已在管辖说明中写明受理部门及地址、电话");
        await officer.Locator("#resolve").ClickAsync();
        await Assertions.Expect(officer.Locator("#rectification-detail")).ToHaveAttributeAsync("data-state", "Resolved");

        // The citizen confirms.
        await E2EFixture.GotoInteractiveAsync(phone, caseUrl);
        await Assertions.Expect(phone.Locator("[id^=rectification-]")).ToContainTextAsync("已在管辖说明中写明受理部门");
        await phone.Locator("#rect-confirm").TapAsync();
        await Assertions.Expect(phone.Locator("[id^=rectification-]")).ToContainTextAsync("已办结");
        await ShotAsync(phone, "phone-confirmed");

        // The supervisor's figures.
        var supervisor = await app.NewPageAsync();
        await app.SignInAsync(supervisor, "supervisor");
        await E2EFixture.GotoInteractiveAsync(supervisor, "/supervision/performance");
        await Assertions.Expect(supervisor.Locator("#rating-figures")).ToContainTextAsync("按时整改率");
        await supervisor.Locator("#rating-figures").ScrollIntoViewIfNeededAsync();
        await ShotAsync(supervisor, "performance");
        foreach (var page in new[] { phone, officer, supervisor })
        {
            await page.Context.CloseAsync();
        }
    }
}
