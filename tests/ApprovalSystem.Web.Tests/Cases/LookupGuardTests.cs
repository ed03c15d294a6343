using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ApprovalSystem.Web.Features.Cases.Queries;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ApprovalSystem.Web.Tests.Cases;

/// <summary>The public lookup cannot be used to guess query codes: wrong ones are counted per client and per number.</summary>
public sealed class LookupGuardTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task AClientPastItsWrongAttempts_IsHeldForTenMinutes_WhileOthersAreNot()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var guard = new LookupGuard(factory.Get<SharedCounters>(), clock);
        for (var i = 0; i < LookupGuard.ClientLimit; i++)
        {
            Assert.False(await guard.IsBlockedAsync("ip:10.0.0.7", $"330799-20261203-{i:0000}"));
            await guard.FailedAsync("ip:10.0.0.7", $"330799-20261203-{i:0000}");
        }

        Assert.True(await guard.IsBlockedAsync("ip:10.0.0.7", "330799-20261203-0099"));
        Assert.False(await guard.IsBlockedAsync("ip:10.0.0.8", "330799-20261203-0099"));

        clock.Advance(LookupGuard.ClientWindow + TimeSpan.FromSeconds(1));
        Assert.False(await guard.IsBlockedAsync("ip:10.0.0.7", "330799-20261203-0099"));
    }

    [Fact]
    public async Task ANumberTriedFromManyClients_IsHeldForAnHour()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var guard = new LookupGuard(factory.Get<SharedCounters>(), clock);
        for (var i = 0; i < LookupGuard.NumberLimit; i++)
        {
            await guard.FailedAsync($"page:{i}", "330799-20261203-0001");
        }

        Assert.True(await guard.IsBlockedAsync("page:new", "330799-20261203-0001"));
        Assert.False(await guard.IsBlockedAsync("page:new", "330799-20261203-0002"));
        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.True(await guard.IsBlockedAsync("page:new", "330799-20261203-0001"));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(await guard.IsBlockedAsync("page:new", "330799-20261203-0001"));
    }

    [Fact]
    public async Task TheApi_AfterTenWrongCodes_Answers429InChinese_EvenForTheRightOne()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var form = await TestForms.RequiredAsync(factory, TestMatters.Joint);
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = TestMatters.Joint, submit = true, formData = form });
        var number = filed.GetProperty("number").GetString()!;
        var code = filed.GetProperty("queryCode").GetString()!;
        var wrong = code == "000000" ? "111111" : "000000";
        var visitor = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await visitor.PostAsJsonAsync("/api/cases/lookup", new { number, code })).StatusCode);
        for (var i = 0; i < LookupGuard.ClientLimit; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await visitor.PostAsJsonAsync("/api/cases/lookup", new { number, code = wrong })).StatusCode);
        }

        var held = await visitor.PostAsJsonAsync("/api/cases/lookup", new { number, code });
        Assert.Equal(HttpStatusCode.TooManyRequests, held.StatusCode);
        var problem = JsonDocument.Parse(await held.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(LookupGuard.BlockedMessage, problem.GetProperty("detail").GetString());
        await using var db = factory.CreateDbContext();
        Assert.True(await db.Cases.AnyAsync(c => c.Number == number));
    }
}
