using System.Net;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Features.Account;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Account;

public sealed class RegisterTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Register_CitizenWithWrongCheckCharacter_IsRefusedWithMessageAndNothingSaved()
    {
        var session = new BrowserSession(factory.CreateBrowserClient());

        var response = await session.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["Input.Type"] = "Citizen", ["Input.Name"] = "钱多多", ["Input.IdNumber"] = "330799199001011235",
            ["Input.Phone"] = "13912345678", ["Input.Password"] = "qingshan-lushui7", ["Input.ConfirmPassword"] = "qingshan-lushui7",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("校验位不正确", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.DisplayName == "钱多多"));
    }

    [Fact]
    public async Task Register_CitizenWithValidId_CreatesNothingBeforeTheCode_ThenTheApplicantSignedIn()
    {
        var session = new BrowserSession(factory.CreateBrowserClient());
        var fields = RegistrationSteps.Citizen("孙小红", "330799199001011236", "13912345679");

        var stepOne = await RegistrationSteps.RequestCodeAsync(session, fields);
        Assert.Contains("验证码已发送至 139****5679，10 分钟内有效", stepOne, StringComparison.Ordinal);
        await using (var before = factory.CreateDbContext())
        {
            Assert.False(await before.Users.AnyAsync(u => u.IdNumber == "330799199001011236"));
        }

        var code = RegistrationSteps.CodeIn(await RegistrationSteps.LatestTextAsync(factory, "13912345679"));
        var response = await RegistrationSteps.ConfirmAsync(session, stepOne, code!);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("孙小红", await session.Client.GetStringAsync("/"), StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.IdNumber == "330799199001011236");
        Assert.True(user.PhoneNumberConfirmed);
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == user.Id select r.Name).ToListAsync();
        Assert.Equal([Roles.Applicant], roles);

        // The request keeps no password hash nor code once used; the code does not work twice.
        var request = await db.PendingRegistrations.SingleAsync(p => p.Identifier == "330799199001011236");
        Assert.Null(request.PasswordHash);
        Assert.Null(request.CodeHash);
        var again = await factory.Get<Register.Handler>().ConfirmAsync(request.Id, code, "test", signInAfterwards: false);
        Assert.Equal(Register.CodeRejected, again.Errors["Code"]);
    }

    [Fact]
    public async Task Register_SameIdTwice_SecondGetsTheNoticeByText_NotOnThePage()
    {
        var fields = RegistrationSteps.Citizen("周一", "330799195208170025", "13912345670");
        var first = await RegistrationSteps.RegisterAsync(factory, new BrowserSession(factory.CreateBrowserClient()), fields);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);

        fields["Input.Phone"] = "13912345680";
        var second = await RegistrationSteps.RequestCodeAsync(new BrowserSession(factory.CreateBrowserClient()), fields);

        // The page says only that a text was sent; the development host's demo box shows the text, which tells.
        var demoBox = second.IndexOf("id=\"demo-sms\"", StringComparison.Ordinal);
        Assert.True(demoBox > 0, "a development host shows the text under step 2 (Sms:ShowOnPage)");
        Assert.DoesNotContain("已注册", second[..demoBox], StringComparison.Ordinal);
        Assert.Contains("验证码已发送至", second, StringComparison.Ordinal);
        var text = await RegistrationSteps.LatestTextAsync(factory, "13912345680");
        Assert.Contains("已注册", text, StringComparison.Ordinal);
        Assert.Contains(text!, System.Net.WebUtility.HtmlDecode(second[demoBox..]), StringComparison.Ordinal);
        Assert.Null(RegistrationSteps.CodeIn(text));
    }

    [Fact]
    public async Task Register_EnterpriseWithBadCreditCode_IsRefused_AndWithValidCode_Succeeds()
    {
        var fields = new Dictionary<string, string>
        {
            ["Input.Type"] = "Enterprise", ["Input.Name"] = "云溪县测试建材有限公司", ["Input.CreditCode"] = "91330799MA28F6XG0A",
            ["Input.LegalRepresentative"] = "王五", ["Input.Phone"] = "13700000000", ["Input.Password"] = "qingshan-lushui7", ["Input.ConfirmPassword"] = "qingshan-lushui7",
        };

        var bad = await new BrowserSession(factory.CreateBrowserClient()).SubmitFormAsync("/account/register?type=enterprise", fields);
        Assert.Contains("统一社会信用代码校验位不正确", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        fields["Input.CreditCode"] = "91330799MA28F6XG0E";
        var good = await RegistrationSteps.RegisterAsync(factory, new BrowserSession(factory.CreateBrowserClient()), fields, "/account/register?type=enterprise");
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        await using var db = factory.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.CreditCode == "91330799MA28F6XG0E");
        Assert.Equal("王五", user.LegalRepresentative);
    }
}
