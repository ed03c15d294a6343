using System.Net;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Infrastructure.Seeding;
using ApprovalSystem.Web.Tests.Infrastructure;

namespace ApprovalSystem.Web.Tests.Account;

public sealed class SignInTests(AppFactory factory) : IClassFixture<AppFactory>
{
    public static TheoryData<string, string> RoleHomes => new()
    {
        { "admin", "系统维护" },
        { "clerk", "今日窗口时限参考" },
        { "supervisor", "收费监察基准" },
        { "agent", "城关镇便民服务中心" },
        { "citizen", "我的信息" },
        { "enterprise", "统一社会信用代码" },
        { "officer.scjg", "云溪县市场监督管理局" },
        { "head.sw", "本部门人员" },
    };

    [Theory]
    [MemberData(nameof(RoleHomes))]
    public async Task SignIn_EachDemoRole_SeesChineseHomePageForThatRole(string account, string expected)
    {
        var session = new BrowserSession(factory.CreateBrowserClient());
        await session.SignInAsync(account, DemoAccounts.Password);

        var home = await session.Client.GetStringAsync("/");

        Assert.Contains(expected, home, StringComparison.Ordinal);
        var demo = DemoAccounts.All.Single(a => a.UserName == account);
        Assert.Contains(demo.DisplayName, home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsChineseMessageAndNoCookie()
    {
        var session = new BrowserSession(factory.CreateBrowserClient());

        var response = await session.SubmitFormAsync("/account/login", new Dictionary<string, string> { ["Input.Account"] = "clerk", ["Input.Password"] = "wrong-password1" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("账号或密码不正确", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("approval.auth", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SignIn_CitizenByResidentIdNumber_Works()
    {
        var session = new BrowserSession(factory.CreateBrowserClient());
        var citizen = DemoAccounts.All.Single(a => a.UserName == "citizen");

        await session.SignInAsync(citizen.IdNumber!, DemoAccounts.Password);

        Assert.Contains("我的信息", await session.Client.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("clerk")]
    [InlineData("citizen")]
    [InlineData("supervisor")]
    [InlineData("officer.scjg")]
    public async Task AdminPages_RefuseOtherRoles(string account)
    {
        var session = new BrowserSession(factory.CreateBrowserClient());
        await session.SignInAsync(account, DemoAccounts.Password);

        foreach (var url in new[] { "/admin/matters", "/admin/calendar", "/admin/departments", "/admin/catalogue", "/admin/api/catalogue.xlsx" })
        {
            var response = await session.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AdminPages_SendAnonymousVisitorsToSignIn()
    {
        var response = await factory.CreateBrowserClient().GetAsync("/admin/matters");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminPages_OpenForAdministrator()
    {
        var session = new BrowserSession(factory.CreateBrowserClient());
        await session.SignInAsync("admin", DemoAccounts.Password);

        var response = await session.Client.GetAsync("/admin/matters");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("事项目录管理", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HangfireDashboard_OnlyForAdministrators()
    {
        var clerk = new BrowserSession(factory.CreateBrowserClient());
        await clerk.SignInAsync("clerk", DemoAccounts.Password);
        var admin = new BrowserSession(factory.CreateBrowserClient());
        await admin.SignInAsync("admin", DemoAccounts.Password);

        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateBrowserClient().GetAsync("/hangfire")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await clerk.Client.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public void DemoAccounts_CoverEveryRole()
    {
        Assert.All(Roles.All, role => Assert.Contains(DemoAccounts.All, a => a.Role == role));
        Assert.True(DemoAccounts.All.Count(a => a.Role == Roles.Officer) >= 5, "officers for several departments");
    }
}
