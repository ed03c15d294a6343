using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Text.Json;
using ApprovalSystem.Web.Features.Exchange.Systems;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalSystem.Web.Tests.Exchange;

/// <summary>
/// The app with 3 key lookups a minute per address and 4 calls a minute per system; a request's client address is taken from the
/// test-only header <see cref="AddressHeader"/> (in the app it comes from the connection).
/// </summary>
public sealed class FailedKeysFactory : AppFactory
{
    protected override bool FromTemplate => true; // settings of its own, the same first start

    public const string AddressHeader = "X-Test-Remote-Address";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Exchange:RateLimit:FailedKeysPerMinute", "3");
        builder.UseSetting("Exchange:RateLimit:PermitsPerMinute", "4");
        builder.ConfigureServices(s =>
        {
            s.AddSingleton<IStartupFilter, RemoteAddressFromHeader>();
            s.ConfigureDbContext<Web.Data.SqliteAppDbContext>(o => o.AddInterceptors(Lookups), ServiceLifetime.Singleton);
            s.ConfigureDbContext<Web.Data.PostgresAppDbContext>(o => o.AddInterceptors(Lookups), ServiceLifetime.Singleton);
        });
    }

    /// <summary>The database commands this app ran with each parameter value: a key's lookup carries its hash.</summary>
    public KeyLookups Lookups { get; } = new();

    private sealed class RemoteAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[AddressHeader].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>Wrong API keys are limited per client address before they cost a database lookup (ASVS V2.4 anti-automation).</summary>
public sealed class FailedKeyLimitTests(FailedKeysFactory factory) : IClassFixture<FailedKeysFactory>
{
    private HttpClient From(string address, string key)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(FailedKeysFactory.AddressHeader, address);
        client.DefaultRequestHeaders.Add(ApiKeys.Header, key);
        return client;
    }

    [Fact]
    public async Task WrongKeys_OverTheBudgetOfOneAddress_Get429WithoutALookup_WhileGoodKeysAndOtherAddressesGoOn()
    {
        var issued = await factory.Get<LineSystems.Handler>().RegisterAsync(new LineSystems.Command("FK-" + Guid.NewGuid().ToString("N")[..6], "限流", "GA", null));
        const string guesser = "198.51.100.7";
        var lookups = factory.Lookups;

        // The system's key, accepted once (here from its own address): a key this node knows is no guess.
        Assert.Equal(HttpStatusCode.OK, (await From("203.0.113.20", issued.ApiKey).GetAsync("/api/exchange/resources")).StatusCode);

        var wrong = Enumerable.Range(0, 4).Select(_ => ApiKeys.New()).ToList();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await From(guesser, wrong[i]).GetAsync("/api/exchange/resources")).StatusCode);
            Assert.Equal(1, lookups.Of(wrong[i]));
        }

        var limited = await From(guesser, wrong[3]).GetAsync("/api/exchange/resources");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(0, lookups.Of(wrong[3]));
        var problem = JsonDocument.Parse(await limited.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("请求过于频繁", problem.GetProperty("title").GetString());
        var retryAfter = int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);

        // Another address is not affected; the good key works from the guesser's address too, until its own limit (4 a minute).
        Assert.Equal(HttpStatusCode.Unauthorized, (await From("198.51.100.8", ApiKeys.New()).GetAsync("/api/exchange/resources")).StatusCode);
        var good = From(guesser, issued.ApiKey);
        for (var i = 1; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await good.GetAsync("/api/exchange/resources")).StatusCode);
        }

        var own = await good.GetAsync("/api/exchange/resources");
        Assert.Equal(HttpStatusCode.TooManyRequests, own.StatusCode);
        Assert.True(own.Headers.Contains("Retry-After"), "the system's own limit says when to retry too");
    }

    [Fact]
    public void Addresses_AreCountedWhole_IPv6ByTheirSlash64()
    {
        Assert.Equal(ApiKeyAttempts.Partition(IPAddress.Parse("2001:db8:1:2::5")), ApiKeyAttempts.Partition(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.NotEqual(ApiKeyAttempts.Partition(IPAddress.Parse("2001:db8:1:2::5")), ApiKeyAttempts.Partition(IPAddress.Parse("2001:db8:1:3::5")));
        Assert.Equal(ApiKeyAttempts.Partition(IPAddress.Parse("192.0.2.1")), ApiKeyAttempts.Partition(IPAddress.Parse("::ffff:192.0.2.1")));
        Assert.NotEqual(ApiKeyAttempts.Partition(IPAddress.Parse("192.0.2.1")), ApiKeyAttempts.Partition(IPAddress.Parse("192.0.2.2")));
    }
}

/// <summary>Counts the database commands that carry a key's hash: its lookups.</summary>
public sealed class KeyLookups : DbCommandInterceptor
{
    private readonly List<string> _parameters = [];

    public int Of(string key)
    {
        var hash = ApiKeys.Hash(key);
        lock (_parameters)
        {
            return _parameters.Count(p => p == hash);
        }
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    private void Record(DbCommand command)
    {
        lock (_parameters)
        {
            _parameters.AddRange(command.Parameters.Cast<DbParameter>().Select(p => p.Value as string ?? ""));
        }
    }
}
