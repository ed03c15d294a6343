using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// A resident registers on a phone (390×844) in the demo (decision 0041): the form, the step that asks for the SMS code, and
/// the code read from the demo box a development host shows under it (no SMS leaves the demo); then 我的信息 (address, a new
/// mobile number by texted code) and the 个人信息保护说明 from the footer.
/// </summary>
[Collection(SecondBrowserTests.Name)]
public sealed class RegistrationJourneyTests(E2EFixture app)
{
    [Fact]
    public async Task Resident_RegistersOnAPhone_WithTheCodeFromTheDemoBox()
    {
        var page = await app.NewPageAsync(E2EFixture.Phone);
        await page.GotoAsync("/account/register", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await Assertions.Expect(page.Locator("#register-privacy-notice")).ToContainTextAsync("个人信息保护说明");
        const string first17 = "33079919950316002";
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var idNumber = first17 + "10X98765432"[first17.Select((ch, i) => (ch - '0') * weights[i]).Sum() % 11];
        await page.FillAsync("#name", "林小溪");
        await page.FillAsync("#idNumber", idNumber);
        await page.FillAsync("#phone", "13912398765");
        await page.FillAsync("#password", "xiaoxi-qingshan-8");
        await page.FillAsync("#confirmPassword", "xiaoxi-qingshan-8");
        await page.Locator("button.submit").TapAsync();

        await Assertions.Expect(page.Locator("#code-sent")).ToContainTextAsync("验证码已发送至 139****8765，10 分钟内有效");
        await Assertions.Expect(page.Locator("#demo-sms")).ToContainTextAsync("演示环境：短信未真正发送，内容为：");
        var text = await page.Locator("#demo-sms-text").InnerTextAsync();
        var code = System.Text.RegularExpressions.Regex.Match(text, @"(?<!\d)\d{6}(?!\d)").Value;
        Assert.Equal(6, code.Length);
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= E2EFixture.Phone.Width, $"the code step is {width} px wide on a {E2EFixture.Phone.Width} px screen");
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, "phone-register-code.png"), FullPage = true });

        await page.FillAsync("#code", code);
        await page.Locator("button.submit").TapAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/register", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("林小溪");

        // 我的信息 from the home page: the address saved, then a new mobile number with the code texted to it (the demo box).
        await E2EFixture.WaitInteractiveAsync(page);
        await page.Locator("#home-profile-link").TapAsync();
        await page.WaitForURLAsync(url => url.Contains("/account/profile", StringComparison.Ordinal));
        await page.FillAsync("#address", "云溪县城关镇䶮山路𠈌号3幢");
        await page.Locator("form:has(#address) button").TapAsync();
        await Assertions.Expect(page.Locator("#address-saved")).ToContainTextAsync("地址已保存");
        await page.FillAsync("#new-mobile", "13912398766");
        await page.FillAsync("#phone-password", "xiaoxi-qingshan-8");
        await page.Locator("form:has(#new-mobile) button").TapAsync();
        await Assertions.Expect(page.Locator("#phone-code-sent")).ToContainTextAsync("验证码已发送至 139****8766");
        var changeCode = System.Text.RegularExpressions.Regex.Match(await page.Locator("#demo-sms-text").InnerTextAsync(), @"(?<!\d)\d{6}(?!\d)").Value;
        await page.FillAsync("#phone-code", changeCode);
        await page.Locator("form:has(#phone-code) button").TapAsync();
        await Assertions.Expect(page.Locator("#phone-changed")).ToContainTextAsync("手机号码已更换");
        await Assertions.Expect(page.Locator("#profile-mobile")).ToHaveTextAsync("139****8766");
        await AssertFitsAsync(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, "phone-profile.png"), FullPage = true });

        // The notice, from every page's footer.
        await page.Locator("#app-footer a[href='privacy']").TapAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/privacy", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("个人信息保护说明");
        await AssertFitsAsync(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, "phone-privacy.png"), FullPage = true });
    }

    private static async Task AssertFitsAsync(IPage page)
    {
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= E2EFixture.Phone.Width, $"{page.Url} is {width} px wide on a {E2EFixture.Phone.Width} px screen");
    }
}
