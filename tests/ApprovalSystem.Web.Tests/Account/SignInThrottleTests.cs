using System.Net;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Account;
using ApprovalSystem.Web.Infrastructure.Security;
using ApprovalSystem.Web.Infrastructure.Seeding;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ApprovalSystem.Web.Tests.Account;

/// <summary>
/// Guessing passwords is slowed per account and address, a real user is never locked out by someone else, and an unknown
/// account answers like a real one (issue 15, item 5; decision 0027).
/// </summary>
public sealed class SignInThrottleTests(SignInThrottleTests.AddressedFactory factory) : IClassFixture<SignInThrottleTests.AddressedFactory>
{
    /// <summary>The app, with each request's client address taken from a test header, and password checks counted.</summary>
    public sealed class AddressedFactory : AppFactory
    {
        public CountingHasher Hasher { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(s =>
            {
                s.AddSingleton<IPasswordHasher<ApplicationUser>>(Hasher);
                s.AddSingleton<IStartupFilter, AddressFromHeader>();
            });
        }
    }

    public sealed class CountingHasher : IPasswordHasher<ApplicationUser>
    {
        private readonly PasswordHasher<ApplicationUser> _inner = new();
        private int _verifications;
        private int _hashes;

        public int Verifications => Volatile.Read(ref _verifications);

        public int Hashes => Volatile.Read(ref _hashes);

        public string HashPassword(ApplicationUser user, string password)
        {
            Interlocked.Increment(ref _hashes);
            return _inner.HashPassword(user, password);
        }

        public PasswordVerificationResult VerifyHashedPassword(ApplicationUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    private sealed class AddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate n) =>
            {
                if (IPAddress.TryParse(context.Request.Headers["X-Test-Address"], out var ip))
                {
                    context.Connection.RemoteIpAddress = ip;
                }

                return n(context);
            });
            next(app);
        };
    }

    private async Task<string> SignInAsync(string account, string password, string address)
    {
        var client = factory.CreateBrowserClient();
        client.DefaultRequestHeaders.Add("X-Test-Address", address);
        var response = await new BrowserSession(client).SubmitFormAsync("/account/login",
            new Dictionary<string, string> { ["Input.Account"] = account, ["Input.Password"] = password });
        return response.StatusCode == HttpStatusCode.Redirect ? "signed in" : await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task GuessesFromOneAddress_HoldBackThatAddress_NotTheClerk()
    {
        for (var i = 0; i < SignInThrottle.AccountFailures; i++)
        {
            Assert.Contains(SignIn.Wrong, await SignInAsync("clerk", "wrong-guess-" + i, "203.0.113.7"), StringComparison.Ordinal);
        }

        // The guesser now waits, even with the right password; the clerk at the window signs in as always.
        Assert.Contains("尝试次数过多", await SignInAsync("clerk", DemoAccounts.Password, "203.0.113.7"), StringComparison.Ordinal);
        Assert.Equal("signed in", await SignInAsync("clerk", DemoAccounts.Password, "10.1.2.3"));
    }

    [Fact]
    public async Task AnUnknownAccount_GetsTheSameAnswer_TheSameWait_AndAPasswordCheck()
    {
        var before = factory.Hasher.Verifications;
        var unknown = await SignInAsync("no-such-person", "wrong-guess-0", "198.51.100.9");
        Assert.Equal(before + 1, factory.Hasher.Verifications); // the same work as checking a real account's password
        var known = await SignInAsync("supervisor", "wrong-guess-0", "198.51.100.9");

        Assert.Contains(SignIn.Wrong, unknown, StringComparison.Ordinal);
        Assert.Contains(SignIn.Wrong, known, StringComparison.Ordinal);
        Assert.DoesNotContain("锁定", unknown + known, StringComparison.Ordinal);
        for (var i = 1; i < SignInThrottle.AccountFailures; i++)
        {
            await SignInAsync("no-such-person", "wrong-guess-" + i, "198.51.100.9");
        }

        Assert.Contains("尝试次数过多", await SignInAsync("no-such-person", "x", "198.51.100.9"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BehindTheProxy_TheClientsOwnAddressIsCounted_AndNobodyElseMayNameIt()
    {
        async Task<string> ViaAsync(string from, string forwardedFor, string password)
        {
            var client = factory.CreateBrowserClient();
            client.DefaultRequestHeaders.Add("X-Test-Address", from);
            client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
            var response = await new BrowserSession(client).SubmitFormAsync("/account/login",
                new Dictionary<string, string> { ["Input.Account"] = "officer.scjg", ["Input.Password"] = password });
            return response.StatusCode == HttpStatusCode.Redirect ? "signed in" : await response.Content.ReadAsStringAsync();
        }

        // nginx on the same host (loopback) forwards two clients: the guesser is held back, the officer is not.
        for (var i = 0; i < SignInThrottle.AccountFailures; i++)
        {
            await ViaAsync("127.0.0.1", "203.0.113.77", "wrong-guess-" + i);
        }

        Assert.Contains("尝试次数过多", await ViaAsync("127.0.0.1", "203.0.113.77", DemoAccounts.Password), StringComparison.Ordinal);
        Assert.Equal("signed in", await ViaAsync("127.0.0.1", "203.0.113.78", DemoAccounts.Password));

        // A client that is not the proxy cannot pass for another address: its header is ignored, its own address counted.
        for (var i = 0; i < SignInThrottle.AccountFailures; i++)
        {
            await ViaAsync("198.51.100.20", "203.0.113.90", "wrong-guess-" + i);
        }

        Assert.Contains("尝试次数过多", await ViaAsync("198.51.100.20", "203.0.113.91", DemoAccounts.Password), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheWait_GrowsWithEachFurtherFailure_AndPassesWithTime()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var throttle = new SignInThrottle(factory.Get<Web.Infrastructure.SharedCounters>(), clock);
        var guesser = IPAddress.Parse("192.0.2.1");
        for (var i = 0; i < SignInThrottle.AccountFailures; i++)
        {
            Assert.Equal(TimeSpan.Zero, await throttle.WaitAsync("clerk", guesser));
            await throttle.FailedAsync("clerk", guesser);
        }

        Assert.Equal(TimeSpan.FromMinutes(1), await throttle.WaitAsync("clerk", guesser));
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(TimeSpan.Zero, await throttle.WaitAsync("clerk", guesser));
        await throttle.FailedAsync("clerk", guesser);
        Assert.Equal(TimeSpan.FromMinutes(2), await throttle.WaitAsync("clerk", guesser));
        await throttle.FailedAsync("clerk", guesser);
        Assert.Equal(TimeSpan.FromMinutes(4), await throttle.WaitAsync("clerk", guesser));
        Assert.Equal(TimeSpan.Zero, await throttle.WaitAsync("clerk", IPAddress.Parse("192.0.2.2")));

        // Twenty failures over many accounts from one address hold the address back for every account.
        var sprayer = IPAddress.Parse("192.0.2.9");
        for (var i = 0; i < SignInThrottle.AddressFailures; i++)
        {
            await throttle.FailedAsync("account" + i, sprayer);
        }

        Assert.True(await throttle.WaitAsync("someone-else", sprayer) > TimeSpan.Zero);
    }
}
