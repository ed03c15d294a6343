using System.Net;
using ApprovalSystem.Core.Identity;
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
    public async Task Register_CitizenWithValidId_CreatesApplicantAndSignsIn()
    {
        var session = new BrowserSession(factory.CreateBrowserClient());

        var response = await session.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["Input.Type"] = "Citizen", ["Input.Name"] = "孙小红", ["Input.IdNumber"] = "330799199001011236",
            ["Input.Phone"] = "13912345679", ["Input.Password"] = "qingshan-lushui7", ["Input.ConfirmPassword"] = "qingshan-lushui7",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("孙小红", await session.Client.GetStringAsync("/"), StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.IdNumber == "330799199001011236");
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == user.Id select r.Name).ToListAsync();
        Assert.Equal([Roles.Applicant], roles);
    }

    [Fact]
    public async Task Register_SameIdTwice_SecondIsRefused()
    {
        var fields = new Dictionary<string, string>
        {
            ["Input.Type"] = "Citizen", ["Input.Name"] = "周一", ["Input.IdNumber"] = "330799195208170025",
            ["Input.Phone"] = "13912345670", ["Input.Password"] = "qingshan-lushui7", ["Input.ConfirmPassword"] = "qingshan-lushui7",
        };
        await new BrowserSession(factory.CreateBrowserClient()).SubmitFormAsync("/account/register", fields);

        var second = await new BrowserSession(factory.CreateBrowserClient()).SubmitFormAsync("/account/register", fields);

        Assert.Contains("已注册", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
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
        var good = await new BrowserSession(factory.CreateBrowserClient()).SubmitFormAsync("/account/register?type=enterprise", fields);
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        await using var db = factory.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.CreditCode == "91330799MA28F6XG0E");
        Assert.Equal("王五", user.LegalRepresentative);
    }
}
