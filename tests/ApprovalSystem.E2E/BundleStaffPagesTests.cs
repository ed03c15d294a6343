using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Bundles;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// Issue 20's staff pages at an office screen (1366×768): the clerk finds a filed bundle 一件事 in the window's queue, checks its one
/// merged checklist and accepts it once; the administrator opens the bundle editor and checks a shipped bundle. The pictures of these
/// pages in docs/screenshots are taken here (UPDATE_SCREENSHOTS=1).
/// </summary>
[Collection(SecondBrowserTests.Name)]
public sealed class BundleStaffPagesTests(E2EFixture app)
{
    private static readonly ViewportSize Office = new() { Width = 1366, Height = 768 };

    [Fact]
    public async Task TheClerk_FindsTheBundleInTheQueue_ChecksTheOneChecklist_AndAcceptsItOnce()
    {
        var id = await FileAsync("330799-YJS-001", "citizen");
        var page = await OfficePageAsync();
        await app.SignInAsync(page, "clerk");
        await E2EFixture.GotoInteractiveAsync(page, "/window");
        var row = page.Locator($"tr[data-bundle='{id}']");
        await Assertions.Expect(row).ToContainTextAsync("一件事");
        await ShotAsync(page, "bundle-window-queue.png");

        await row.Locator("a.bundle-link").ClickAsync();
        await Assertions.Expect(page.Locator("#bundle-state")).ToHaveTextAsync("待受理");
        await Assertions.Expect(page.Locator("#bundle-members tbody tr")).ToHaveCountAsync(5);
        await ShotAsync(page, "bundle-window-review.png", fullPage: true);

        foreach (var box in await page.Locator("#bundle-checklist input[type=checkbox]:not([disabled])").AllAsync())
        {
            await box.CheckAsync();
        }

        await page.ClickAsync("#bundle-accept");
        await Assertions.Expect(page.Locator("#bundle-state")).ToHaveTextAsync("办理中");
        await Assertions.Expect(page.Locator("#bundle-notices a.bundle-print").First).ToContainTextAsync("受理通知书");
        await ShotAsync(page, "bundle-window-accepted.png", fullPage: true);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheAdministrator_OpensTheBundleEditor_AndTheShippedBundlePassesTheCheck()
    {
        var page = await OfficePageAsync();
        await app.SignInAsync(page, "admin");
        await E2EFixture.GotoInteractiveAsync(page, "/admin/bundles");
        await Assertions.Expect(page.Locator("#bundles tbody tr")).Not.ToHaveCountAsync(0);
        await ShotAsync(page, "bundle-admin-list.png");

        await E2EFixture.GotoInteractiveAsync(page, "/admin/bundles/330799-YJS-002");
        await page.ClickAsync("#bundle-check");
        await Assertions.Expect(page.Locator("#bundle-ok")).ToBeVisibleAsync();
        await ShotAsync(page, "bundle-admin-editor.png", fullPage: true);
        await page.Context.CloseAsync();
    }

    private async Task<IPage> OfficePageAsync()
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = Office });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    private static async Task ShotAsync(IPage page, string name, bool fullPage = false)
    {
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, name), FullPage = fullPage });
    }

    /// <summary>Files the bundle for the account, answering 是 where offered, every merged field filled.</summary>
    private async Task<long> FileAsync(string code, string account)
    {
        using var scope = app.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var def = (await db.Bundles.AsNoTracking().SingleAsync(b => b.Code == code)).Definition;
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == account);
        var answers = new Dictionary<string, string>();
        foreach (var q in def.Situations.Where(q => Situations.Holds(q.When, answers)))
        {
            answers[q.Key] = q.Options.Contains("是") ? "是" : q.Options[0];
        }

        var form = def.FieldsFor(answers).ToDictionary(f => f.Key, f => f.Type switch
        {
            FieldKind.Number => "50",
            FieldKind.Date => "2026-12-01",
            FieldKind.Phone => "13800000001",
            FieldKind.IdCard => "330799198503120016",
            FieldKind.CreditCode => "91330799MA2K3L4N5T",
            FieldKind.Select => f.Options![0],
            _ => "云溪县青禾餐饮管理有限公司",
        });
        var b = await scope.ServiceProvider.GetRequiredService<FileBundle.Handler>().HandleAsync(new FileBundle.Command
        {
            BundleCode = code, Answers = answers, FormData = form, Submit = true,
        }, new CaseActor(user.Id, user.DisplayName, [Roles.Applicant]));
        return b.Id;
    }
}
