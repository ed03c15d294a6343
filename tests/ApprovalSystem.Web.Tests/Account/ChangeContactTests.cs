using System.Net;
using ApprovalSystem.Web.Features.Account;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Account;

/// <summary>
/// An applicant corrects their own account's contact data at 我的信息 (PIPL Art. 46; docs/privacy.md): the address at once; the
/// mobile number after the password again and a code texted to the new number, the old number told, other sessions ended.
/// </summary>
public sealed class ChangeContactTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string Page = "/account/profile";

    /// <summary>A new applicant of the test's own, signed in twice: here (where the change is made) and elsewhere.</summary>
    private async Task<(BrowserSession Here, HttpClient Elsewhere, string IdNumber)> RegisterAsync(string name, string idNumber, string phone)
    {
        var here = new BrowserSession(factory.CreateBrowserClient());
        var registered = await RegistrationSteps.RegisterAsync(factory, here, RegistrationSteps.Citizen(name, idNumber, phone));
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        var (_, cookies) = await SessionTests.SignInAsync(factory, idNumber, RegistrationSteps.Password);
        return (here, SessionTests.Thief(factory, cookies), idNumber);
    }

    private async Task<Web.Data.ApplicationUser> UserAsync(string idNumber)
    {
        await using var db = factory.CreateDbContext();
        return await db.Users.AsNoTracking().SingleAsync(u => u.IdNumber == idNumber);
    }

    private static async Task<string> PostAsync(BrowserSession session, string form, Dictionary<string, string> fields, string? page = null)
    {
        using var response = page is null
            ? await session.SubmitFormAsync(Page, fields, form)
            : await session.SubmitFormOnAsync(page, Page, fields, form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheAddress_IsSavedAsTyped_RareCharactersIncluded_AndAControlCharacterOrOneTooManyIsRefusedWithNothingSaved()
    {
        var (here, _, id) = await RegisterAsync("许𠈌", "330799199203150015", "13922220001");

        var saved = await PostAsync(here, "address", new() { ["Address.Value"] = " 云溪县城关镇䶮山路𠈌号 " });

        Assert.Contains("地址已保存", saved, StringComparison.Ordinal);
        Assert.Equal("云溪县城关镇䶮山路𠈌号", (await UserAsync(id)).Address);
        Assert.Contains("云溪县城关镇䶮山路𠈌号", WebUtility.HtmlDecode(await here.Client.GetStringAsync("/")), StringComparison.Ordinal);

        var control = await PostAsync(here, "address", new() { ["Address.Value"] = "城关镇\u0007人民路" });
        Assert.Contains("地址含有不可见的控制字符", control, StringComparison.Ordinal);
        var tooLong = await PostAsync(here, "address", new() { ["Address.Value"] = new string('路', ChangeContact.AddressLength + 1) });
        Assert.Contains($"地址不能超过{ChangeContact.AddressLength}个字", tooLong, StringComparison.Ordinal);
        Assert.Equal("云溪县城关镇䶮山路𠈌号", (await UserAsync(id)).Address);
    }

    [Fact]
    public async Task TheMobileNumber_ChangesOnlyWithThePasswordAndTheCodeTextedToIt_TheOldNumberIsTold_AndOtherSessionsEnd()
    {
        const string oldPhone = "13922220002", newPhone = "13922229992";
        var (here, elsewhere, id) = await RegisterAsync("司马小雨", "330799199203150031", oldPhone);

        // A wrong password texts nothing.
        var wrong = await PostAsync(here, "phone", new() { ["Phone.Mobile"] = newPhone, ["Phone.Password"] = "not-my-password" });
        Assert.Contains("登录密码不正确", wrong, StringComparison.Ordinal);
        Assert.Null(await RegistrationSteps.LatestTextAsync(factory, newPhone));

        var stepOne = await PostAsync(here, "phone", new() { ["Phone.Mobile"] = newPhone, ["Phone.Password"] = RegistrationSteps.Password });
        Assert.Contains("验证码已发送至 139****9992", stepOne, StringComparison.Ordinal);
        var code = RegistrationSteps.CodeIn(await RegistrationSteps.LatestTextAsync(factory, newPhone));
        Assert.NotNull(code);

        // A wrong code (and the right code for another number) change nothing, and end nothing.
        var otherCode = code == "000000" ? "000001" : "000000";
        Assert.Contains(ChangeContact.CodeRejected, await PostAsync(here, "phone-code", new() { ["Code.Value"] = otherCode }, stepOne),
            StringComparison.Ordinal);
        Assert.Contains(ChangeContact.CodeRejected, await PostAsync(here, "phone-code", new() { ["Code.Value"] = code, ["Code.Mobile"] = "13922228888" },
            stepOne), StringComparison.Ordinal);
        Assert.Equal(oldPhone, (await UserAsync(id)).PhoneNumber);
        Assert.Equal(HttpStatusCode.OK, await SessionTests.MineAsync(elsewhere));

        var done = await PostAsync(here, "phone-code", new() { ["Code.Value"] = code }, stepOne);

        Assert.Contains("手机号码已更换", done, StringComparison.Ordinal);
        var user = await UserAsync(id);
        Assert.Equal(newPhone, user.PhoneNumber);
        Assert.True(user.PhoneNumberConfirmed);
        Assert.Contains("已更换为 139****9992", await RegistrationSteps.LatestTextAsync(factory, oldPhone), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, await SessionTests.MineAsync(elsewhere));
        Assert.Equal(HttpStatusCode.OK, await SessionTests.MineAsync(here.Client));
        Assert.Contains("139****9992", await here.Client.GetStringAsync(Page), StringComparison.Ordinal);
        // The new number signs in; the old one no longer does.
        await SessionTests.SignInAsync(factory, newPhone, RegistrationSteps.Password);
        var old = await new BrowserSession(factory.CreateBrowserClient()).SubmitFormAsync("/account/login",
            new Dictionary<string, string> { ["Input.Account"] = oldPhone, ["Input.Password"] = RegistrationSteps.Password });
        Assert.Contains("账号或密码不正确", WebUtility.HtmlDecode(await old.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiveWrongCodes_HoldTheAccountsChangesBack_EvenTheRightCode()
    {
        const string oldPhone = "13922220003", newPhone = "13922229993";
        var (here, _, id) = await RegisterAsync("欧阳一", "330799199203150058", oldPhone);
        var stepOne = await PostAsync(here, "phone", new() { ["Phone.Mobile"] = newPhone, ["Phone.Password"] = RegistrationSteps.Password });
        var code = RegistrationSteps.CodeIn(await RegistrationSteps.LatestTextAsync(factory, newPhone))!;
        var wrongCode = code == "000000" ? "000001" : "000000";

        for (var i = 0; i < ChangeContact.MaxTries; i++)
        {
            Assert.Contains(ChangeContact.CodeRejected, await PostAsync(here, "phone-code", new() { ["Code.Value"] = wrongCode }, stepOne),
                StringComparison.Ordinal);
        }

        Assert.Contains(ChangeContact.TooManyTries, await PostAsync(here, "phone-code", new() { ["Code.Value"] = code }, stepOne), StringComparison.Ordinal);
        Assert.Equal(oldPhone, (await UserAsync(id)).PhoneNumber);
        Assert.Contains(ChangeContact.TooManyTries, await PostAsync(here, "phone", new()
        {
            ["Phone.Mobile"] = "13922227773", ["Phone.Password"] = RegistrationSteps.Password,
        }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaffAndVisitors_CannotOpenThePage()
    {
        using var visitor = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var anonymous = await visitor.GetAsync(Page);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/account/login", anonymous.Headers.Location!.ToString(), StringComparison.Ordinal);

        var (clerk, _) = await SessionTests.SignInAsync(factory, "clerk");
        using var refused = await clerk.Client.GetAsync(Page);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/account/access-denied", refused.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}
