using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// Issue 16 on a phone (390×844, touch): a citizen fills a matter's form, attaches a material before submitting, is shown the
/// required materials still missing, submits with a field wrong and finds that field scrolled into view below the app bar and
/// focused, fixes it, files, lands on the case with the material listed and finds the 已提交 message in 消息.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class FilingJourneyTests(E2EFixture app)
{
    private const string Matter = "330799-GA-001"; // 居民身份证换领: 邮寄地址 only when 领取方式 is 邮政寄递

    private static async Task ShotAsync(IPage page, string name, bool fullPage)
    {
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, name), FullPage = fullPage });
    }

    private static async Task ChooseAsync(IPage page, string field, string option)
    {
        await page.Locator($"[data-field={field}] .mud-select").First.TapAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasText = option }).First.TapAsync();
        await Assertions.Expect(page.Locator($"[data-field={field}] input").First).ToHaveValueAsync(option);
    }

    [Fact]
    public async Task Citizen_AttachesAMaterialBeforeSubmitting_FixesTheFieldBroughtIntoView_AndIsToldItWasFiled()
    {
        var page = await app.NewPageAsync(E2EFixture.Phone);
        await app.SignInAsync(page, "citizen");
        await E2EFixture.GotoInteractiveAsync(page, $"/apply/{Matter}");
        var phone = page.Locator("[data-field=contactPhone] input");
        var ownPhone = await phone.InputValueAsync();
        Assert.Matches("^1[0-9]{10}$", ownPhone);

        // 邮寄地址 is asked for only once 邮政寄递 is chosen, and then it is required.
        await ChooseAsync(page, "changeReason", "有效期满");
        await Assertions.Expect(page.Locator("[data-field=deliveryAddress]")).ToHaveCountAsync(0);
        await ChooseAsync(page, "deliveryMethod", "邮政寄递");
        await Assertions.Expect(page.Locator("[data-field=deliveryAddress] label")).ToContainTextAsync("邮寄地址 *");

        // A material is attached before submitting: the draft is made and named in the address; the missing list shrinks.
        await Assertions.Expect(page.Locator("#missing-materials")).ToContainTextAsync("居民户口簿");
        var upload = page.Locator(".upload-material[data-material='居民户口簿']");
        await upload.ScrollIntoViewIfNeededAsync();
        var chooser = await page.RunAndWaitForFileChooserAsync(() => upload.TapAsync());
        await chooser.SetFilesAsync(new FilePayload { Name = "户口簿.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.4\n% 户口簿\n"u8.ToArray() });
        await Assertions.Expect(page.Locator("[data-material-row='居民户口簿']")).ToContainTextAsync("户口簿.pdf");
        await page.WaitForURLAsync(url => url.Contains("?draft=", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#missing-materials")).Not.ToContainTextAsync("居民户口簿");
        await Assertions.Expect(page.Locator("#missing-materials")).ToContainTextAsync("原居民身份证");
        await ShotAsync(page, "phone-apply-materials.png", fullPage: true);

        // Submitted with the phone number wrong (at the top of the form) and the address empty: the first is brought into view.
        await phone.FillAsync("13800");
        var submit = page.Locator("#apply-submit");
        await submit.ScrollIntoViewIfNeededAsync();
        await submit.TapAsync();
        await Assertions.Expect(page.Locator("[data-field=contactPhone] .mud-input-helper-text")).ToContainTextAsync("不是有效的电话号码");
        await Assertions.Expect(page.Locator("[data-field=deliveryAddress] .mud-input-helper-text")).ToContainTextAsync("请填写“邮寄地址”");
        await Assertions.Expect(page.Locator("#apply-error")).ToContainTextAsync("有2项需要修改");
        // The first failing field (联系电话, near the top, while the finger is on 提交申请 at the bottom) is brought into view
        // below the fixed app bar, and the cursor is in it.
        await Assertions.Expect(page.Locator("[data-field=contactPhone] input")).ToBeFocusedAsync();
        var field = await page.Locator("[data-field=contactPhone]").BoundingBoxAsync();
        var bar = await page.Locator(".mud-appbar").BoundingBoxAsync();
        Assert.True(field!.Y >= bar!.Y + bar.Height && field.Y + field.Height <= E2EFixture.Phone.Height,
            $"联系电话 is at {field.Y}–{field.Y + field.Height} px; the app bar ends at {bar.Y + bar.Height} px, the screen at {E2EFixture.Phone.Height}");
        await ShotAsync(page, "phone-apply-error.png", fullPage: false);

        // Fixed, it is filed; the case shows the material, the acts come first on the phone, and 消息 says 已提交.
        await phone.FillAsync(ownPhone);
        await page.Locator("[data-field=deliveryAddress] input").FillAsync("云溪县城关镇人民大道66号");
        await submit.ScrollIntoViewIfNeededAsync();
        await submit.TapAsync();
        await page.WaitForURLAsync(url => url.Contains("/cases/", StringComparison.Ordinal));
        await E2EFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#case-state")).ToContainTextAsync("预受理");
        var number = (await page.Locator("#case-number").TextContentAsync())!;
        await Assertions.Expect(page.Locator("[data-material-row='居民户口簿']")).ToContainTextAsync("户口簿.pdf");
        await Assertions.Expect(page.GetByText("上传材料：居民户口簿")).ToBeVisibleAsync();
        var acts = await page.Locator("#case-acts").BoundingBoxAsync();
        var details = await page.GetByText("申请人与申请信息").BoundingBoxAsync();
        Assert.True(acts!.Y < details!.Y, "on a phone the upload panel comes before the case's details");
        await Assertions.Expect(page.Locator("#complaint-content")).ToHaveCountAsync(0);
        await ShotAsync(page, "phone-case-applicant.png", fullPage: true);

        await E2EFixture.GotoInteractiveAsync(page, "/inbox");
        var message = page.Locator("#inbox .mud-list-item").Filter(new LocatorFilterOptions { HasText = number });
        await Assertions.Expect(message).ToContainTextAsync("已提交");
        await Assertions.Expect(message).ToContainTextAsync("查询码");
        await page.Context.CloseAsync();
    }
}
