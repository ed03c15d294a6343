using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// Issue 16, the filing form on a walk of the applicant and agent pages: what is typed survives a reload (a connection that
/// could not be resumed reloads the page) and is forgotten on submission and sign-out (decision 0037); a case not yet
/// accepted says when its promised date comes instead of an empty value; the materials table reads as cards on a phone,
/// also in 长辈版; an agent is asked the resident's name and ID number once.
/// </summary>
[Collection(SecondBrowserTests.Name)]
public sealed class FilingFormKeepingTests(E2EFixture app)
{
    private const string Matter = "330799-GA-001"; // 居民身份证换领: 邮寄地址 only when 领取方式 is 邮政寄递
    private const string Address = "云溪县城关镇人民大道66号";

    private const string KeptCopies = "() => Object.keys(sessionStorage).filter(k => k.startsWith('apply-form:')).length";

    private static async Task ChooseAsync(IPage page, string field, string option)
    {
        await page.Locator($"[data-field={field}] .mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasText = option }).First.ClickAsync();
        await Assertions.Expect(page.Locator($"[data-field={field}] input").First).ToHaveValueAsync(option);
    }

    [Fact]
    public async Task WhatWasTyped_ComesBackAfterAReload_AndSigningOutForgetsIt()
    {
        var page = await app.NewPageAsync(E2EFixture.Phone);
        await app.SignInAsync(page, "citizen");
        await E2EFixture.GotoInteractiveAsync(page, $"/apply/{Matter}");

        await ChooseAsync(page, "deliveryMethod", "邮政寄递");
        await page.Locator("[data-field=deliveryAddress] input").FillAsync(Address);
        await page.WaitForFunctionAsync("""
            a => Object.keys(sessionStorage).some(k => k.startsWith('apply-form:')
              && JSON.parse(sessionStorage.getItem(k)).Form.deliveryAddress === a)
            """, Address);
        await Assertions.Expect(page.Locator("#autosave-note")).ToContainTextAsync("已自动暂存");

        await page.ReloadAsync();
        await E2EFixture.WaitInteractiveAsync(page);

        await Assertions.Expect(page.Locator("[data-field=deliveryAddress] input")).ToHaveValueAsync(Address);
        await Assertions.Expect(page.Locator("[data-field=deliveryMethod] input").First).ToHaveValueAsync("邮政寄递");
        await Assertions.Expect(page.Locator("#draft-note")).ToContainTextAsync("已恢复");

        // A shared computer: signing out leaves none of it in the tab.
        await page.Locator("form[action='account/logout'] button").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/apply/", StringComparison.Ordinal));
        Assert.Equal(0, await page.EvaluateAsync<int>(KeptCopies));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AFilingNotYetAccepted_SaysWhenItsDueDateComes_AndItsMaterialsReadAsCardsOnAPhone()
    {
        var page = await app.NewPageAsync(E2EFixture.Phone);
        await app.SignInAsync(page, "citizen");
        await E2EFixture.GotoInteractiveAsync(page, $"/apply/{Matter}");
        await ChooseAsync(page, "changeReason", "有效期满");
        await ChooseAsync(page, "deliveryMethod", "窗口自取");
        await page.Locator("#apply-submit").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/cases/", StringComparison.Ordinal));
        await E2EFixture.WaitInteractiveAsync(page);
        Assert.Equal(0, await page.EvaluateAsync<int>(KeptCopies)); // filed: the tab's copy is gone
        var number = (await page.Locator("#case-number").TextContentAsync())!.Trim();

        await Assertions.Expect(page.Locator("#case-due-pending")).ToContainTextAsync("受理后计算");
        await MaterialsReadAsCardsAsync(page);
        await page.Context.AddCookiesAsync([new Cookie { Name = "elder-mode", Value = "1", Url = app.BaseUrl }]);
        await page.ReloadAsync();
        await E2EFixture.WaitInteractiveAsync(page);
        await MaterialsReadAsCardsAsync(page);

        await E2EFixture.GotoInteractiveAsync(page, "/my/cases");
        var card = page.Locator("#my-cases tbody tr").Filter(new LocatorFilterOptions { HasText = number });
        await Assertions.Expect(card.Locator("td[data-label=承诺办结期限]")).ToHaveTextAsync("受理后计算");
        await page.Context.CloseAsync();
    }

    /// <summary>Every cell of the 申请材料 table is a full-width line of a card, not a column squeezed to 1–2 characters.</summary>
    private static async Task MaterialsReadAsCardsAsync(IPage page)
    {
        var cells = page.Locator("#case-materials tbody td");
        await Assertions.Expect(cells.First).ToBeVisibleAsync();
        foreach (var cell in await cells.AllAsync())
        {
            var box = await cell.BoundingBoxAsync();
            Assert.True(box!.Width >= 250, $"a cell of 申请材料 is {box.Width} px wide on a 390-px phone: {await cell.InnerTextAsync()}");
        }
    }

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1366, 768)]
    public async Task AnAgent_IsAskedTheResidentsNameAndIdNumberOnce_AndTheFormCarriesThem(int width, int height)
    {
        var page = await app.NewPageAsync(new ViewportSize { Width = width, Height = height });
        await app.SignInAsync(page, "agent");
        await E2EFixture.GotoInteractiveAsync(page, $"/apply/{Matter}");

        await page.Locator("#applicant-id").FillAsync("330799195208170025");
        await page.Locator("#applicant-name").FillAsync("王秀英");
        await page.Locator("#applicant-phone").FillAsync("13900001111");

        foreach (var (field, value) in new[] { ("applicantName", "王秀英"), ("idNumber", "330799195208170025"), ("contactPhone", "13900001111") })
        {
            var box = page.Locator($"[data-field={field}]");
            await Assertions.Expect(box).ToContainTextAsync(value);
            await Assertions.Expect(box.Locator("input")).ToHaveCountAsync(0); // not asked again
        }

        await ChooseAsync(page, "changeReason", "有效期满");
        await ChooseAsync(page, "deliveryMethod", "窗口自取");
        await page.Locator("#apply-submit").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/cases/", StringComparison.Ordinal));
        await E2EFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#case-state")).ToContainTextAsync("预受理");
        await Assertions.Expect(page.GetByText("王秀英").First).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
