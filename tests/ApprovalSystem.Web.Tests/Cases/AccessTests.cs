using System.Net;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Cases;

/// <summary>Each page and API refuses the wrong role, the wrong department and the wrong station.</summary>
public sealed class AccessTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Theory]
    [InlineData("citizen", "/work")]
    [InlineData("citizen", "/window")]
    [InlineData("officer.scjg", "/window")]
    [InlineData("officer.scjg", "/my/cases")]
    [InlineData("clerk", "/work")]
    [InlineData("clerk", "/my/cases")]
    [InlineData("supervisor", "/apply/330799-SCJG-011")]
    [InlineData("officer.scjg", "/apply/330799-SCJG-011")]
    public async Task Page_RefusesTheWrongRole(string account, string url)
    {
        var session = new BrowserSession(factory.CreateBrowserClient());
        await session.SignInAsync(account, Web.Infrastructure.Seeding.DemoAccounts.Password);

        var response = await session.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("officer.scjg", "/work", "部门待办")]
    [InlineData("head.scjg", "/work", "部门待办")]
    [InlineData("clerk", "/window", "窗口受理")]
    [InlineData("citizen", "/my/cases", "我的办件")]
    [InlineData("agent", "/my/cases", "本站代办件")]
    [InlineData("citizen", "/apply/330799-SCJG-011", "申请表")]
    public async Task Page_OpensForItsRole(string account, string url, string expected)
    {
        var session = new BrowserSession(factory.CreateBrowserClient());
        await session.SignInAsync(account, Web.Infrastructure.Seeding.DemoAccounts.Password);

        var html = await session.Client.GetStringAsync(url);

        Assert.Contains(expected, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CasePage_ForAnOfficerOfAnUninvolvedDepartment_ShowsNothingOfTheCase()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = TestMatters.Joint, submit = false });
        var id = filed.GetProperty("id").GetInt64();
        var officer = new BrowserSession(factory.CreateBrowserClient());
        await officer.SignInAsync("officer.wj", Web.Infrastructure.Seeding.DemoAccounts.Password);

        var html = await officer.Client.GetStringAsync($"/cases/{id}");

        Assert.Contains("办件不存在，或您无权查看", html, StringComparison.Ordinal);
        Assert.DoesNotContain("330799198503120016", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_SeesOnlyTheirStationsCases()
    {
        await CreateAgentAsync("agent.xq", "XQZ");
        var agentA = await ApiSession.SignInAsync(factory, "agent");
        var agentB = await ApiSession.SignInAsync(factory, "agent.xq", "Agent@2026-yx");
        var filed = await agentA.PostOkAsync("/api/cases", new
        {
            matterCode = TestMatters.Joint,
            submit = false,
            applicant = new { name = "赵老汉", idType = "ResidentId", idNumber = "330799195208170025", phone = "13911112222" },
        });
        var id = filed.GetProperty("id").GetInt64();

        Assert.Equal("Agent", filed.GetProperty("channel").GetString());
        var (hidden, _) = await agentB.GetAsync($"/api/cases/{id}");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.DoesNotContain((await agentB.GetOkAsync("/api/cases/mine")).EnumerateArray(), c => c.GetProperty("id").GetInt64() == id);
        Assert.Contains((await agentA.GetOkAsync("/api/cases/mine")).EnumerateArray(), c => c.GetProperty("id").GetInt64() == id);
        var journal = await agentA.GetOkAsync($"/api/cases/{id}/journal");
        Assert.Contains("王芳", journal[0].GetProperty("actor").GetString(), StringComparison.Ordinal);
        Assert.Contains("CGZ", journal[0].GetProperty("data").GetString(), StringComparison.Ordinal);
    }

    private async Task CreateAgentAsync(string userName, string stationCode)
    {
        factory.CreateClient().Dispose();
        await using var db = factory.CreateDbContext();
        var station = await db.Stations.FirstOrDefaultAsync(s => s.Code == stationCode)
            ?? await db.Stations.OrderBy(s => s.Id).Skip(1).FirstAsync();
        var users = factory.Get<UserManager<ApplicationUser>>();
        if (await users.FindByNameAsync(userName) is not null)
        {
            return;
        }

        var user = new ApplicationUser { UserName = userName, DisplayName = "孙代办", StationId = station.Id, CreatedAt = DateTimeOffset.UtcNow };
        Assert.True((await users.CreateAsync(user, "Agent@2026-yx")).Succeeded);
        await users.AddToRoleAsync(user, Roles.Agent);
    }
}
