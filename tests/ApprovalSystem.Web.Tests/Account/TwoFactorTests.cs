using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ApprovalSystem.Web.Infrastructure.Seeding;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace ApprovalSystem.Web.Tests.Account;

/// <summary>A second factor by authenticator app (TOTP), and staff made to turn it on by configuration (issue 15 item 5; decision 0028).</summary>
public sealed partial class TwoFactorTests(TwoFactorTests.RequiredFactory factory) : IClassFixture<TwoFactorTests.RequiredFactory>
{
    /// <summary>The app with <c>Security:RequireStaffSecondFactor</c> on.</summary>
    public sealed class RequiredFactory : AppFactory
    {
        protected override bool FromTemplate => true; // settings of its own, the same first start

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Security:RequireStaffSecondFactor", "true");
        }
    }

    /// <summary>RFC 6238 as an authenticator app computes it: HMAC-SHA1 over the 30-second step, 6 digits.</summary>
    internal static string Code(string base32Key, DateTimeOffset at)
    {
        var key = Base32(base32Key);
        var step = BitConverter.GetBytes(at.ToUnixTimeSeconds() / 30);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(step);
        }

#pragma warning disable CA5350 // RFC 6238 authenticator apps use HMAC-SHA1: the test computes what the phone computes
        var hash = HMACSHA1.HashData(key, step);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var value = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (value % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var buffer = 0;
        var bytes = new List<byte>();
        foreach (var c in text.ToUpperInvariant().Where(c => c != '=' && c != ' '))
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. bytes];
    }

    private static async Task<string> EnrolAsync(BrowserSession session) => (await EnrolAtAsync(session)).Secret;

    /// <summary>Turns the second factor on with the code of this moment; returns the key and that moment.</summary>
    private static async Task<(string Secret, DateTimeOffset At)> EnrolAtAsync(BrowserSession session)
    {
        var page = await session.Client.GetStringAsync("/account/two-factor");
        var key = KeyRegex().Match(page);
        Assert.True(key.Success, "the page shows the key to type into an authenticator app");
        Assert.Contains("data:image/png;base64,", page, StringComparison.Ordinal); // and its QR code
        var secret = key.Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);

        var wrong = await session.SubmitFormAsync("/account/two-factor", new Dictionary<string, string> { ["On.Code"] = "000000" }, "two-factor-on");
        Assert.Contains("验证码不正确", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var at = DateTimeOffset.UtcNow;
        var right = await session.SubmitFormAsync("/account/two-factor",
            new Dictionary<string, string> { ["On.Code"] = Code(secret, at) }, "two-factor-on");
        Assert.Contains("双重验证已启用", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        return (secret, at);
    }

    [Fact]
    public async Task AStaffMemberWithoutASecondFactor_ReachesOnlyTheSetUpPage_UntilTheyTurnItOn_AndApplicantsAreNotAsked()
    {
        var clerk = new BrowserSession(factory.CreateBrowserClient());
        await clerk.SignInAsync("clerk", DemoAccounts.Password);
        var citizen = new BrowserSession(factory.CreateBrowserClient());
        await citizen.SignInAsync("citizen", DemoAccounts.Password);

        using var window = await clerk.Client.GetAsync("/window");
        using var api = await clerk.Client.GetAsync("/api/cases/mine");
        Assert.Equal(HttpStatusCode.Redirect, window.StatusCode);
        Assert.Equal("/account/two-factor", window.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Contains("本系统要求工作人员账号启用双重验证", await clerk.Client.GetStringAsync("/account/two-factor"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await citizen.Client.GetAsync("/my/cases")).StatusCode);

        await EnrolAsync(clerk);

        Assert.Equal(HttpStatusCode.OK, (await clerk.Client.GetAsync("/window")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clerk.Client.GetAsync("/api/cases/mine")).StatusCode);
    }

    [Fact]
    public async Task OnceOn_SigningIn_AsksForTheCodeAfterThePassword_AndAWrongCodeLetsNobodyIn()
    {
        var first = new BrowserSession(factory.CreateBrowserClient());
        await first.SignInAsync("supervisor", DemoAccounts.Password);
        var secret = await EnrolAsync(first);

        var next = new BrowserSession(factory.CreateBrowserClient());
        using var password = await next.SubmitFormAsync("/account/login",
            new Dictionary<string, string> { ["Input.Account"] = "supervisor", ["Input.Password"] = DemoAccounts.Password });
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.Contains("/account/login-code", password.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await next.Client.GetAsync("/api/cases/mine")).StatusCode);

        using var wrong = await next.SubmitFormAsync("/account/login-code", new Dictionary<string, string> { ["Input.Code"] = "123456" }, "login-code");
        Assert.Contains("验证码不正确", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await next.Client.GetAsync("/api/cases/mine")).StatusCode);

        // The next 30-second step's code: the one shown when turning it on has been used (each code signs in once).
        using var right = await next.SubmitFormAsync("/account/login-code",
            new Dictionary<string, string> { ["Input.Code"] = Code(secret, DateTimeOffset.UtcNow.AddSeconds(30)) }, "login-code");
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await next.Client.GetAsync("/api/cases/mine")).StatusCode);
        Assert.DoesNotContain("关闭双重验证", await next.Client.GetStringAsync("/account/two-factor"), StringComparison.Ordinal); // required for staff
    }

    [Fact]
    public async Task EachCode_SignsInOnce_WithinOneStepOfThePhonesClock_AndIsRefusedWhenUsedAgain()
    {
        var first = new BrowserSession(factory.CreateBrowserClient());
        await first.SignInAsync("head.sw", DemoAccounts.Password);
        var (secret, at) = await EnrolAtAsync(first);

        async Task<HttpResponseMessage> SignInWithAsync(BrowserSession session, string code)
        {
            using var password = await session.SubmitFormAsync("/account/login",
                new Dictionary<string, string> { ["Input.Account"] = "head.sw", ["Input.Password"] = DemoAccounts.Password });
            Assert.Contains("/account/login-code", password.Headers.Location!.OriginalString, StringComparison.Ordinal);
            return await session.SubmitFormAsync("/account/login-code", new Dictionary<string, string> { ["Input.Code"] = code }, "login-code");
        }

        // The code typed to turn the factor on is still inside its validity window, but it has been used.
        var replayed = new BrowserSession(factory.CreateBrowserClient());
        using (var refused = await SignInWithAsync(replayed, Code(secret, at)))
        {
            Assert.Contains("验证码不正确", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await replayed.Client.GetAsync("/api/cases/mine")).StatusCode);

        // A code two minutes ahead is outside the one-step allowance for a phone's clock (ASVS 6.5.5: 30 seconds a code).
        var ahead = new BrowserSession(factory.CreateBrowserClient());
        using (var early = await SignInWithAsync(ahead, Code(secret, at.AddSeconds(120))))
        {
            Assert.Contains("验证码不正确", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var next = Code(secret, at.AddSeconds(30));
        var second = new BrowserSession(factory.CreateBrowserClient());
        using (var accepted = await SignInWithAsync(second, next))
        {
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await second.Client.GetAsync("/api/cases/mine")).StatusCode);

        // The same code again, from another browser, a moment later: refused.
        var third = new BrowserSession(factory.CreateBrowserClient());
        using (var again = await SignInWithAsync(third, next))
        {
            Assert.Contains("验证码不正确", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await third.Client.GetAsync("/api/cases/mine")).StatusCode);
    }

    [GeneratedRegex("id=\"two-factor-key\">([a-z2-7 ]+)<")]
    private static partial Regex KeyRegex();
}
