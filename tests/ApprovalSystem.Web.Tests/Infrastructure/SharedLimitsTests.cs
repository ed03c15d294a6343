using System.Net;
using System.Net.Http.Json;
using ApprovalSystem.Web.Features.Account;
using ApprovalSystem.Web.Features.Cases.Queries;
using ApprovalSystem.Web.Features.Exchange.Systems;
using ApprovalSystem.Web.Infrastructure.Http;
using ApprovalSystem.Web.Infrastructure.Security;
using ApprovalSystem.Web.Infrastructure.Seeding;

namespace ApprovalSystem.Web.Tests.Infrastructure;

/// <summary>Two nodes on one database with low exchange limits (3 key lookups an address, 4 calls a system, a minute).</summary>
public sealed class LowLimitPair() : NodePair(new Dictionary<string, string?>
{
    ["Exchange:RateLimit:FailedKeysPerMinute"] = "3",
    ["Exchange:RateLimit:PermitsPerMinute"] = "4",
});

/// <summary>
/// Limits are counted in the database: attempts spread over two nodes count against one budget (issue 17 item 3; decision 0042),
/// and behind the proxy the client's forwarded address is what is counted.
/// </summary>
public sealed class SharedLimitsTests(LowLimitPair nodes) : IClassFixture<LowLimitPair>
{
    private NodeFactory Node(int i) => i % 2 == 0 ? nodes.A : nodes.B;

    private static Task<HttpResponseMessage> LookupAsync(HttpClient client, string number) =>
        client.PostAsJsonAsync("/api/cases/lookup", new { number, code = "000000" });

    [Fact]
    public async Task ElevenWrongLookupCodes_SpreadOverTwoNodes_TheEleventhAnswers429()
    {
        const string number = "330799-20261205-9001";
        for (var i = 0; i < LookupGuard.ClientLimit; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await LookupAsync(Node(i).ClientFrom("203.0.113.50"), number)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await LookupAsync(nodes.A.ClientFrom("203.0.113.50"), number)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LookupAsync(nodes.B.ClientFrom("203.0.113.50"), number)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await LookupAsync(nodes.B.ClientFrom("203.0.113.51"), "330799-20261205-9002")).StatusCode);
    }

    [Fact]
    public async Task BehindTheProxy_TheLookupCountsTheForwardedClient_AndNobodyElseMayNameOne()
    {
        HttpClient Via(NodeFactory node, string from, string forwardedFor)
        {
            var client = node.ClientFrom(from);
            client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
            return client;
        }

        // nginx on the node's own host (loopback) forwards a guesser and a visitor: only the guesser is held back.
        for (var i = 0; i < LookupGuard.ClientLimit; i++)
        {
            await LookupAsync(Via(Node(i), "127.0.0.1", "198.51.100.60"), "330799-20261205-91" + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await LookupAsync(Via(nodes.A, "127.0.0.1", "198.51.100.60"), "330799-20261205-9199")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await LookupAsync(Via(nodes.B, "127.0.0.1", "198.51.100.61"), "330799-20261205-9199")).StatusCode);

        // A client that is not a configured proxy cannot pass for others: its header is ignored and its own address counted.
        for (var i = 0; i < LookupGuard.ClientLimit; i++)
        {
            await LookupAsync(Via(Node(i), "198.51.100.70", "198.51.100.7" + (i % 10)), "330799-20261205-92" + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await LookupAsync(Via(nodes.B, "198.51.100.70", "198.51.100.99"), "330799-20261205-9299")).StatusCode);
    }

    [Fact]
    public async Task WrongApiKeys_SpreadOverTwoNodes_ShareTheAddresssBudget()
    {
        HttpClient From(NodeFactory node, string key)
        {
            var client = node.ClientFrom("198.51.100.40");
            client.DefaultRequestHeaders.Add(ApiKeys.Header, key);
            return client;
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await From(Node(i), ApiKeys.New()).GetAsync("/api/exchange/resources")).StatusCode);
        }

        var limited = await From(nodes.B, ApiKeys.New()).GetAsync("/api/exchange/resources");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("请求过于频繁", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASystemsCalls_SpreadOverTwoNodes_ShareItsBudget()
    {
        var issued = await nodes.A.Get<LineSystems.Handler>().RegisterAsync(new LineSystems.Command("TWO-NODES", "两节点", "GA", null));
        HttpClient System(NodeFactory node)
        {
            var client = node.ClientFrom("203.0.113.40");
            client.DefaultRequestHeaders.Add(ApiKeys.Header, issued.ApiKey);
            return client;
        }

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await System(Node(i)).GetAsync("/api/exchange/resources")).StatusCode);
        }

        var limited = await System(nodes.B).GetAsync("/api/exchange/resources");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("请求过于频繁", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEmpty(limited.Headers.RetryAfter?.ToString() ?? "");
    }

    [Fact]
    public async Task PasswordGuesses_SpreadOverTwoNodes_HoldTheGuesserBackOnBoth()
    {
        async Task<string> SignInAsync(NodeFactory node, string password)
        {
            var client = node.ClientFrom("203.0.113.30");
            client.DefaultRequestHeaders.Add(RequestOriginGuard.ApiHeader, "XMLHttpRequest");
            var response = await new BrowserSession(client).SubmitFormAsync("/account/login",
                new Dictionary<string, string> { ["Input.Account"] = "supervisor", ["Input.Password"] = password });
            return response.StatusCode == HttpStatusCode.Redirect ? "signed in" : await response.Content.ReadAsStringAsync();
        }

        for (var i = 0; i < SignInThrottle.AccountFailures; i++)
        {
            Assert.Contains(SignIn.Wrong, await SignInAsync(Node(i), "wrong-guess-" + i), StringComparison.Ordinal);
        }

        Assert.Contains("尝试次数过多", await SignInAsync(nodes.A, DemoAccounts.Password), StringComparison.Ordinal);
        Assert.Contains("尝试次数过多", await SignInAsync(nodes.B, DemoAccounts.Password), StringComparison.Ordinal);
    }
}
