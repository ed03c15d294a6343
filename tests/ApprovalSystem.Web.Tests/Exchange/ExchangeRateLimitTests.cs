using System.Net;
using ApprovalSystem.Web.Features.Exchange.Systems;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace ApprovalSystem.Web.Tests.Exchange;

/// <summary>The app with a tiny exchange rate limit, to see it bite.</summary>
public sealed class LowRateLimitFactory : AppFactory
{
    protected override bool FromTemplate => true; // settings of its own, the same first start

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Exchange:RateLimit:PermitsPerMinute", "3");
    }
}

/// <summary>Every exchange endpoint is rate-limited per calling system.</summary>
public sealed class ExchangeRateLimitTests(LowRateLimitFactory factory) : IClassFixture<LowRateLimitFactory>
{
    private async Task<HttpClient> SystemAsync(string code)
    {
        var issued = await factory.Get<LineSystems.Handler>().RegisterAsync(new LineSystems.Command(code, code, "GA", null));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeys.Header, issued.ApiKey);
        return client;
    }

    [Fact]
    public async Task OverTheLimit_Gets429Problem_OtherSystemsAreUnaffected()
    {
        var busy = await SystemAsync("BUSY-1");
        var quiet = await SystemAsync("QUIET-1");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/api/exchange/resources")).StatusCode);
        }

        var limited = await busy.GetAsync("/api/exchange/resources");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("请求过于频繁", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await quiet.GetAsync("/api/exchange/resources")).StatusCode);
    }
}
