using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// Issue 4's journey in Chromium: a citizen files online with an upload → the clerk requests a
/// supplement → the citizen supplements → the clerk accepts → two departments approve in parallel on
/// a joint definition → the head concludes → the citizen sees the result; and a walk-in immediate case.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class CaseJourneyTests(E2EFixture app)
{
    private const string Matter = "330799-BDC-001"; // 二手房转移登记及税费联办: BDC + SW in parallel, then BDC head

    private static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, name) });
    }

    private static async Task<string> CaseUrlAsync(IPage page)
    {
        await page.WaitForURLAsync(url => url.Contains("/cases/", StringComparison.Ordinal));
        await E2EFixture.WaitInteractiveAsync(page);
        return new Uri(page.Url).AbsolutePath;
    }

    private static async Task UploadAsync(IPage page, string material)
    {
        var chooser = await page.RunAndWaitForFileChooserAsync(() => page.Locator($".upload-material[data-material='{material}']").ClickAsync());
        await chooser.SetFilesAsync(new FilePayload { Name = "材料.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.4\n% 测试材料\n"u8.ToArray() });
        await Assertions.Expect(page.GetByText($"已上传：{material}")).ToBeVisibleAsync();
    }

    /// <param name="prefilled">Fields the step form must show already filled (from the application or an earlier department), with where they came from.</param>
    /// <param name="fields">What the officer enters into the step's fields.</param>
    private async Task ActAsync(string account, string caseUrl, string opinion, Dictionary<string, (string Value, string Source)>? prefilled = null, Dictionary<string, string>? fields = null)
    {
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, account);
        await E2EFixture.GotoInteractiveAsync(page, caseUrl);
        var approve = page.Locator("[id^=approve-]").First;
        var id = (await approve.GetAttributeAsync("id"))!["approve-".Length..];
        foreach (var (key, (value, source)) in prefilled ?? [])
        {
            await Assertions.Expect(page.Locator($"#field-{id}-{key}")).ToHaveValueAsync(value);
            await Assertions.Expect(page.GetByText($"取自：{source}").First).ToBeVisibleAsync();
        }

        foreach (var (key, value) in fields ?? [])
        {
            await page.Locator($"#field-{id}-{key}").FillAsync(value);
        }

        await page.Locator($"#opinion-{id}").FillAsync(opinion);
        if (account == "officer.sw")
        {
            // The officer's step form, filled, just before approving.
            await approve.ScrollIntoViewIfNeededAsync();
            await ShotAsync(page, "case-officer.png");
        }

        await approve.ClickAsync();
        await Assertions.Expect(page.GetByText("已同意，办件已流转")).ToBeVisibleAsync();

        if (account == "head.bdc")
        {
            await E2EFixture.GotoInteractiveAsync(page, "/work");
            await ShotAsync(page, "worklist.png");
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Citizen_Files_Supplements_IsAccepted_JointApproval_Concludes()
    {
        // The citizen files online; name, ID and phone come from the account (no second entry).
        var citizen = await app.NewPageAsync();
        await app.SignInAsync(citizen, "citizen");
        await E2EFixture.GotoInteractiveAsync(citizen, $"/apply/{Matter}");
        await Assertions.Expect(citizen.Locator("[data-field=buyerName] input")).ToHaveValueAsync("张伟");
        await citizen.Locator("[data-field=sellerName] input").FillAsync("王五");
        await citizen.Locator("[data-field=propertyAddress] input").FillAsync("云溪县城关镇人民大道66号3幢502室");
        await citizen.Locator("[data-field=buildingArea] input").FillAsync("98.5");
        await citizen.Locator("[data-field=transactionPrice] input").FillAsync("86");
        await citizen.Locator("[data-field=loanType] .mud-select").First.ClickAsync();
        await citizen.Locator(".mud-popover-open .mud-list-item").First.ClickAsync();
        await ShotAsync(citizen, "apply-online.png");
        await citizen.ClickAsync("#apply-submit");
        var caseUrl = await CaseUrlAsync(citizen);
        await UploadAsync(citizen, "不动产登记申请书");
        var number = await citizen.Locator("#case-number").TextContentAsync();
        var queryCode = await citizen.Locator("#query-code").TextContentAsync();

        // The clerk asks once for everything missing.
        var clerk = await app.NewPageAsync();
        await app.SignInAsync(clerk, "clerk");
        await E2EFixture.GotoInteractiveAsync(clerk, "/window");
        await Assertions.Expect(clerk.GetByText(number!)).ToBeVisibleAsync();
        await E2EFixture.GotoInteractiveAsync(clerk, caseUrl);
        await clerk.Locator("#supplement-extra").FillAsync("买卖合同须双方签字");
        await clerk.ClickAsync("#request-supplement");
        await Assertions.Expect(clerk.Locator("#case-state")).ToContainTextAsync("待补正");

        // The citizen sees the one-time list, uploads and resubmits.
        await E2EFixture.GotoInteractiveAsync(citizen, caseUrl);
        await Assertions.Expect(citizen.Locator("#supplement-items")).ToContainTextAsync("买卖合同须双方签字");
        await UploadAsync(citizen, "买卖双方身份证明");
        await citizen.ClickAsync("#resubmit");
        await Assertions.Expect(citizen.Locator("#case-state")).ToContainTextAsync("预受理");

        // The clerk accepts; the two departments act in parallel; the head concludes.
        await E2EFixture.GotoInteractiveAsync(clerk, caseUrl);
        foreach (var box in await clerk.Locator(".mud-checkbox input").AllAsync())
        {
            if (!await box.IsCheckedAsync())
            {
                await box.CheckAsync();
            }
        }

        await clerk.ClickAsync("#accept");
        await Assertions.Expect(clerk.Locator("#case-state")).ToContainTextAsync("办理中");
        await ShotAsync(clerk, "case-accepted.png");

        // Each department enters its own data; what the applicant or an earlier department entered is
        // already there, so nobody types it twice.
        const string unitNo = "330799001001GB00018F00030502";
        await ActAsync("officer.bdc", caseUrl, "权属清晰，同意登记",
            prefilled: new() { ["propertyAddress"] = ("云溪县城关镇人民大道66号3幢502室", "申请表"), ["buildingArea"] = ("98.5", "申请表") },
            fields: new() { ["unitNo"] = unitNo });
        await ActAsync("officer.sw", caseUrl, "契税已缴纳",
            prefilled: new() { ["transactionPrice"] = ("86", "申请表") },
            fields: new() { ["deedTaxAmount"] = "25800", ["taxVoucherNo"] = "333079926000123456" });
        await ActAsync("head.bdc", caseUrl, "准予转移登记",
            prefilled: new() { ["unitNo"] = (unitNo, "不动产登记审核") },
            fields: new() { ["certificateNo"] = "浙(2026)云溪县不动产权第0001234号" });

        // The citizen sees the result on the case and on the public lookup.
        await E2EFixture.GotoInteractiveAsync(citizen, caseUrl);
        await Assertions.Expect(citizen.Locator("#case-state")).ToContainTextAsync("准予");
        await Assertions.Expect(citizen.GetByText("准予转移登记").First).ToBeVisibleAsync();
        await Assertions.Expect(citizen.Locator("#case-sections")).ToContainTextAsync($"不动产单元号：{unitNo}");
        await Assertions.Expect(citizen.Locator("#case-sections")).ToContainTextAsync("契税税额：25800 元");
        await ShotAsync(citizen, "case-citizen-approved.png");
        await citizen.Locator("#rating-levels .mud-radio").Filter(new LocatorFilterOptions { HasText = "非常满意" }).ClickAsync();
        await citizen.Locator("#rating-comment").FillAsync("一次办好，不用跑腿");
        await citizen.ClickAsync("#rate");
        await Assertions.Expect(citizen.Locator("#rating-done")).ToContainTextAsync("非常满意");
        await E2EFixture.GotoInteractiveAsync(citizen, "/inbox");
        await Assertions.Expect(citizen.Locator("#inbox")).ToContainTextAsync("请补正材料");
        await Assertions.Expect(citizen.Locator("#inbox")).ToContainTextAsync("办件已办结");
        await ShotAsync(citizen, "inbox-citizen.png");

        var visitor = await app.NewPageAsync();
        await visitor.GotoAsync("/lookup"); // a static form
        await visitor.Locator("#lookup-number").FillAsync(number!);
        await visitor.Locator("#lookup-code").FillAsync(queryCode!);
        await visitor.ClickAsync("#lookup-submit");
        await Assertions.Expect(visitor.Locator("#lookup-result")).ToContainTextAsync("准予许可");
        await Assertions.Expect(visitor.Locator("#lookup-result")).ToContainTextAsync("张*");
    }

    [Fact]
    public async Task Clerk_WalkInImmediateMatter_IsDecidedOnTheSpot()
    {
        var clerk = await app.NewPageAsync();
        await app.SignInAsync(clerk, "clerk");
        await E2EFixture.GotoInteractiveAsync(clerk, "/guide?q=" + Uri.EscapeDataString("食品经营许可（注销）"));
        await clerk.Locator("tbody tr td a").First.ClickAsync();
        await E2EFixture.WaitInteractiveAsync(clerk);
        await clerk.ClickAsync("#apply-button");
        await clerk.WaitForURLAsync(url => url.Contains("/apply/", StringComparison.Ordinal));
        await E2EFixture.WaitInteractiveAsync(clerk);

        await clerk.GetByText("企业/单位").ClickAsync();
        await clerk.Locator("#applicant-id").FillAsync("91330799MA2K3L4N5T");
        await clerk.ClickAsync("#applicant-lookup");
        await Assertions.Expect(clerk.Locator("#applicant-name")).ToHaveValueAsync("云溪县绿源食品有限公司");
        // The form's 单位名称 is not asked again: it shows the applicant block's value (decision 0037).
        await Assertions.Expect(clerk.Locator("[data-field=unitName]")).ToContainTextAsync("云溪县绿源食品有限公司");
        await Assertions.Expect(clerk.Locator("[data-field=unitName] input")).ToHaveCountAsync(0);
        foreach (var input in await clerk.Locator("[data-field] input:not([readonly])").AllAsync())
        {
            if (string.IsNullOrEmpty(await input.InputValueAsync()))
            {
                await input.FillAsync((await input.GetAttributeAsync("type")) == "number" ? "10" : "云溪县城关镇测试食品店");
            }
        }

        foreach (var select in await clerk.Locator("[data-field] .mud-select.mud-input-control").AllAsync())
        {
            await select.ClickAsync();
            await clerk.Locator(".mud-popover-open .mud-list-item").First.ClickAsync();
        }

        await ShotAsync(clerk, "walk-in.png");
        await clerk.ClickAsync("#apply-submit");
        await CaseUrlAsync(clerk);
        await clerk.ClickAsync("#accept-decide");

        await Assertions.Expect(clerk.Locator("#case-state")).ToContainTextAsync("准予");
        await Assertions.Expect(clerk.Locator("#query-code")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^\\d{6}$"));
        await ShotAsync(clerk, "walk-in-decided.png");
    }
}
