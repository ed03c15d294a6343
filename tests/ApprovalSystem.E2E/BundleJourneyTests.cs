using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// Issue 20's browser journey, 新生儿出生一件事 (decisions 0054–0057): a mother answers the guide's questions on her phone, files the
/// four matters once with one form and one set of materials, the window clerk accepts the whole bundle once, the birth certificate's
/// department acts (three people), which starts household registration, which starts medical insurance and the social security
/// card (decided at the window); the mother then downloads every result from one page and rates once for all departments.
/// </summary>
[Collection(SecondBrowserTests.Name)]
public sealed class BundleJourneyTests(E2EFixture app)
{
    private const string Bundle = "330799-YJS-002";

    private static readonly string[] Members = ["出生医学证明首次签发", "出生登记", "城乡居民基本医疗保险参保登记", "社会保障卡申领"];

    private static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, name), FullPage = true });
    }

    private static async Task AssertFitsThePhoneAsync(IPage page)
    {
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= E2EFixture.Phone.Width, $"{page.Url} is {width} px wide on a {E2EFixture.Phone.Width} px screen");
    }

    private static async Task ChooseAsync(IPage page, string field, string option)
    {
        await page.Locator($"[data-field='formData.{field}'] .mud-select").First.TapAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = option }).First.TapAsync();
        await Assertions.Expect(page.Locator($"[data-field='formData.{field}'] input").First).ToHaveValueAsync(option);
    }

    private static async Task UploadAsync(IPage page, string material)
    {
        var button = page.Locator($".upload-material[data-material='{material}']");
        await button.ScrollIntoViewIfNeededAsync();
        var chooser = await page.RunAndWaitForFileChooserAsync(() => button.TapAsync());
        await chooser.SetFilesAsync(new FilePayload { Name = "材料.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.4\n% 新生儿材料\n"u8.ToArray() });
        await Assertions.Expect(page.Locator($"[data-material-row='{material}']")).ToContainTextAsync("重新上传");
    }

    /// <summary>One person's approval of the member case's open step (the step form's choice fields take their first option).</summary>
    private async Task ApproveAsync(string account, string caseUrl, string opinion)
    {
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, account);
        await E2EFixture.GotoInteractiveAsync(page, caseUrl);
        var approve = page.Locator("[id^=approve-]").First;
        await Assertions.Expect(approve).ToBeVisibleAsync();
        var id = (await approve.GetAttributeAsync("id"))!["approve-".Length..];
        var choice = page.Locator($"[id^='field-{id}-checkResult']");
        if (await choice.CountAsync() > 0)
        {
            await choice.First.ClickAsync();
            await page.Locator(".mud-popover-open .mud-list-item").First.ClickAsync();
        }

        await page.Locator($"#opinion-{id}").FillAsync(opinion);
        await approve.ClickAsync();
        await Assertions.Expect(page.GetByText("已同意，办件已流转")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Newborn_AnsweredAndFiledOnAPhone_AcceptedOnce_EachDepartmentActs_AllResultsOnOnePage_RatedOnce()
    {
        // The guide asks first; the answers decide the members (the social security card only when asked for) and the materials.
        var mother = await app.NewPageAsync(E2EFixture.Phone);
        await app.SignInAsync(mother, "citizen");
        await mother.GotoAsync($"/guide/bundles/{Bundle}");
        await mother.Locator("[data-question=married] input[value='是']").CheckAsync();
        await mother.Locator("[data-question=socialCard] input[value='是']").CheckAsync();
        await mother.Locator("[data-question=payment] input[value='银行代扣']").CheckAsync();
        await mother.Locator("[data-question=agent] input[value='否']").CheckAsync();
        await mother.Locator("#bundle-guide-submit").TapAsync();
        // Every tick counts, the first made before the page's live connection started too (it redraws the questions).
        await mother.WaitForURLAsync(url => url.Contains("socialCard=", StringComparison.Ordinal) && url.Contains("married=", StringComparison.Ordinal));
        await Assertions.Expect(mother.Locator("#bundle-guide-members")).ToContainTextAsync("社会保障卡申领");
        await Assertions.Expect(mother.Locator("#bundle-guide-materials")).ToContainTextAsync("父母双方结婚证复印件");
        await Assertions.Expect(mother.Locator("#bundle-guide-materials")).Not.ToContainTextAsync("授权委托书");
        await AssertFitsThePhoneAsync(mother);
        await ShotAsync(mother, "journey-bundle-guide.png");

        // 重新选择 on the live page starts afresh (the page stayed with the old answers while its parameters did not change).
        var answered = mother.Url;
        await E2EFixture.WaitInteractiveAsync(mother);
        await mother.Locator("#bundle-guide-reset").TapAsync();
        await mother.WaitForURLAsync(url => !url.Contains("married=", StringComparison.Ordinal));
        await Assertions.Expect(mother.Locator("[data-question=married] input[value='是']")).Not.ToBeCheckedAsync();
        await Assertions.Expect(mother.Locator("#bundle-guide-reset")).ToHaveCountAsync(0);
        await mother.GotoAsync(answered);

        // One form: the mother's name, ID and phone come from her account; what several departments need is typed once.
        await mother.Locator("#bundle-guide-apply").TapAsync();
        await mother.WaitForURLAsync(url => url.Contains("/bundles/apply/", StringComparison.Ordinal));
        await E2EFixture.WaitInteractiveAsync(mother);
        await Assertions.Expect(mother.Locator("#bundle-apply-members")).ToContainTextAsync("社会保障卡申领");
        await Assertions.Expect(mother.Locator("[data-field='formData.motherName'] input")).ToHaveValueAsync("张伟");
        await mother.Locator("[data-field='formData.fatherName'] input").FillAsync("李明");
        await mother.Locator("[data-field='formData.babyName'] input").FillAsync("李小禾");
        await mother.Locator("[data-field='formData.babyBirthDate'] input").FillAsync("2026-11-28");
        await ChooseAsync(mother, "babyGender", "女");
        await mother.Locator("[data-field='formData.birthPlace'] input").FillAsync("云溪县人民医院");
        await mother.Locator("[data-field='formData.registerAddress'] input").FillAsync("云溪县城关镇人民大道66号3幢502室");
        await ChooseAsync(mother, "residentType", "未成年人");
        await ChooseAsync(mother, "paymentMethod", "银行代扣");
        await ChooseAsync(mother, "bankName", "中国农业银行");
        await ChooseAsync(mother, "deliveryMethod", "邮寄到家");
        foreach (var material in new[] { "新生儿出生一件事申请表", "父母双方居民身份证", "分娩机构出具的新生儿出生信息记录", "父母双方居民户口簿", "父母双方结婚证复印件" })
        {
            await UploadAsync(mother, material);
        }

        await AssertFitsThePhoneAsync(mother);
        await ShotAsync(mother, "journey-bundle-apply.png");
        await mother.Locator("#bundle-apply-submit").ScrollIntoViewIfNeededAsync();
        await mother.Locator("#bundle-apply-submit").TapAsync();
        await mother.WaitForURLAsync(new Regex(@"/bundles/\d+$"));
        await E2EFixture.WaitInteractiveAsync(mother);
        var bundleUrl = new Uri(mother.Url).AbsolutePath;
        var number = Regex.Match((await mother.Locator("#bundle-number").TextContentAsync())!, @"\d{6}-YJS-\d{8}-\d{4}").Value;
        Assert.NotEmpty(number);
        foreach (var member in Members)
        {
            await Assertions.Expect(mother.Locator("#bundle-members")).ToContainTextAsync(member);
        }

        // Four member cases, each with its own number: a bundle is not one big matter.
        var memberLinks = mother.Locator("#bundle-members [data-member-case]");
        await Assertions.Expect(memberLinks).ToHaveCountAsync(4);
        var caseIds = new Dictionary<string, string>();
        for (var i = 0; i < 4; i++)
        {
            var row = memberLinks.Nth(i);
            var name = (await row.Locator("a b").First.TextContentAsync() ?? "").Trim();
            caseIds[name] = (await row.GetAttributeAsync("data-member-case"))!;
        }

        Assert.Equal(Members.Order(), caseIds.Keys.Order());

        // The window accepts the whole bundle once, with one checklist.
        var clerk = await app.NewPageAsync();
        await app.SignInAsync(clerk, "clerk");
        await E2EFixture.GotoInteractiveAsync(clerk, "/window");
        await Assertions.Expect(clerk.Locator("body")).ToContainTextAsync(number);
        await E2EFixture.GotoInteractiveAsync(clerk, bundleUrl.Replace("/bundles/", "/window/bundles/", StringComparison.Ordinal));
        await Assertions.Expect(clerk.Locator("#bundle-checklist")).ToContainTextAsync("分娩机构出具的新生儿出生信息记录");
        await clerk.Locator("#bundle-opinion").FillAsync("材料齐全，一次受理");
        await ShotAsync(clerk, "journey-bundle-window.png");
        await clerk.Locator("#bundle-accept").ClickAsync();
        await Assertions.Expect(clerk.Locator("#bundle-state")).ToContainTextAsync("办理中");

        // The birth certificate first: the health commission's three people; then registration starts by itself at the window.
        var birth = $"/cases/{caseIds["出生医学证明首次签发"]}";
        await ApproveAsync("officer.wj", birth, "出生信息核对无误");
        await ApproveAsync("officer2.wj", birth, "审核通过");
        await ApproveAsync("head.wj", birth, "准予签发");
        foreach (var member in new[] { "出生登记", "城乡居民基本医疗保险参保登记", "社会保障卡申领" })
        {
            await ApproveAsync("clerk", $"/cases/{caseIds[member]}", $"{member}：符合条件，准予办理");
        }

        // One page: every member concluded, every result downloadable, one rating for all departments.
        await E2EFixture.GotoInteractiveAsync(mother, bundleUrl);
        await Assertions.Expect(mother.Locator("#bundle-state")).ToContainTextAsync("办结");
        var results = mother.Locator("#bundle-results .bundle-result-download");
        Assert.True(await results.CountAsync() >= 1, "no result to download");
        await Assertions.Expect(mother.Locator("#bundle-results")).ToContainTextAsync("出生医学证明首次签发");
        for (var i = 0; i < await results.CountAsync(); i++)
        {
            var href = (await results.Nth(i).GetAttributeAsync("href"))!;
            var response = await mother.Context.APIRequest.GetAsync(href);
            Assert.Equal(200, response.Status);
            Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString((await response.BodyAsync())[..4]), StringComparison.Ordinal);
        }

        await mother.Locator("#bundle-rate input[data-level='5']").CheckAsync();
        await mother.Locator("#bundle-rate-comment").FillAsync("一次申请，四件事都办好了");
        await mother.Locator("#bundle-rate-submit").TapAsync();
        await Assertions.Expect(mother.Locator("#bundle-rate-done")).ToContainTextAsync("4 个事项");
        await AssertFitsThePhoneAsync(mother);
        await ShotAsync(mother, "journey-bundle-progress.png");

        // Rated once: the form does not come back.
        await E2EFixture.GotoInteractiveAsync(mother, bundleUrl);
        await Assertions.Expect(mother.Locator("#bundle-rate-done")).ToContainTextAsync("非常满意");
        await Assertions.Expect(mother.Locator("#bundle-rate-submit")).ToHaveCountAsync(0);
        await mother.Context.CloseAsync();
        await clerk.Context.CloseAsync();
    }
}
