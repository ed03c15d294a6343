using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// A resident registers on a phone (390×844) in the demo (decision 0041): the form, the step that asks for the SMS code, and
/// the code read from the demo box a development host shows under it (no SMS leaves the demo).
/// </summary>
[Collection(SecondBrowserTests.Name)]
public sealed class RegistrationJourneyTests(E2EFixture app)
{
    [Fact]
    public async Task Resident_RegistersOnAPhone_WithTheCodeFromTheDemoBox()
    {
        var page = await app.NewPageAsync(E2EFixture.Phone);
        await page.GotoAsync("/account/register", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
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
    }
}
