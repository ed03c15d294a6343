using System.Net;
using System.Text.RegularExpressions;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Account;
using ApprovalSystem.Web.Infrastructure.Messaging;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ApprovalSystem.Web.Tests.Account;

/// <summary>
/// Registration does not tell who is registered (ASVS 6.3.8; issue 15 item 5; decision 0041): step 1 answers the same for a taken
/// and a free identifier and only the text to the mobile number differs; the code is hashed, lives 10 minutes and 5 tries; the
/// limits per mobile number and per address are counted in the database.
/// </summary>
public sealed partial class SmsRegistrationTests(SmsRegistrationTests.SmsFactory factory) : IClassFixture<SmsRegistrationTests.SmsFactory>
{
    /// <summary>The app on a fake clock, the client's address from a test header, and no demo box (a production page).</summary>
    public sealed class SmsFactory : AppFactory
    {
        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.Parse("2026-12-01T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

        public SignInThrottleTests.CountingHasher Hasher { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Sms:ShowOnPage", "false");
            builder.ConfigureTestServices(s =>
            {
                s.AddSingleton<TimeProvider>(Clock);
                s.AddSingleton<IPasswordHasher<ApplicationUser>>(Hasher);
                s.AddSingleton<IStartupFilter, AddressFromHeader>();
            });
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

    private static string NewIdNumber(int serial)
    {
        var first17 = $"330799198807{serial % 28 + 1:00}{serial % 1000:000}";
        return first17 + ResidentIdNumber.CheckCharacterFor(first17);
    }

    private BrowserSession From(string address)
    {
        var client = factory.CreateBrowserClient();
        client.DefaultRequestHeaders.Add("X-Test-Address", address);
        return new BrowserSession(client);
    }

    /// <summary>
    /// A page with what differs per answer by design removed: the antiforgery token, step 2's request reference and Blazor's
    /// encrypted component state.
    /// </summary>
    private static string WithoutTokens(string html) => State().Replace(Tokens().Replace(html, "${name}value=\"-\""), "<!--state-->");

    [GeneratedRegex("<!--Blazor-Server-Component-State:[^>]*-->")]
    private static partial Regex State();

    [GeneratedRegex("(?<name>name=\"(?:__RequestVerificationToken|Verify\\.Reference)\"[^>]*?)value=\"[^\"]*\"")]
    private static partial Regex Tokens();

    private async Task<PendingRegistration> LatestRequestAsync(string mobile)
    {
        await using var db = factory.CreateDbContext();
        return await db.PendingRegistrations.Where(p => p.Mobile == mobile).OrderByDescending(p => p.CreatedAt).FirstAsync();
    }

    [Fact]
    public async Task StepOne_TakenAndFreeIdentifier_AnswerTheSame_OnlyTheTextDiffers()
    {
        var taken = NewIdNumber(301);
        var owner = await RegistrationSteps.RegisterAsync(factory, From("203.0.113.10"), RegistrationSteps.Citizen("钱多多", taken, "13800001111"));
        Assert.Equal(HttpStatusCode.Redirect, owner.StatusCode);

        // Two mobile numbers that mask alike (138****2222), so the answers can be compared byte for byte.
        var hashes = factory.Hasher.Hashes;
        var takenSession = From("203.0.113.11");
        var takenAnswer = await RegistrationSteps.RequestCodeAsync(takenSession, RegistrationSteps.Citizen("钱多多", taken, "13811112222"));
        Assert.Equal(hashes + 1, factory.Hasher.Hashes); // the same password-hash work as a new account
        var free = NewIdNumber(302);
        var freeSession = From("203.0.113.12");
        var freeAnswer = await RegistrationSteps.RequestCodeAsync(freeSession, RegistrationSteps.Citizen("钱多多", free, "13822222222"));
        Assert.Equal(hashes + 2, factory.Hasher.Hashes);

        Assert.Contains("验证码已发送至 138****2222，10 分钟内有效", freeAnswer, StringComparison.Ordinal);
        Assert.Equal(WithoutTokens(freeAnswer), WithoutTokens(takenAnswer));
        Assert.DoesNotContain("已注册", takenAnswer, StringComparison.Ordinal);

        // Taken: the text says so and how to recover; no code exists anywhere, nor a password hash.
        var notice = await RegistrationSteps.LatestTextAsync(factory, "13811112222");
        Assert.Contains("已注册", notice, StringComparison.Ordinal);
        Assert.Contains("窗口办理密码重置", notice, StringComparison.Ordinal);
        Assert.Null(RegistrationSteps.CodeIn(notice));
        var takenRequest = await LatestRequestAsync("13811112222");
        Assert.Null(takenRequest.CodeHash);
        Assert.Null(takenRequest.PasswordHash);

        // Free: a code, kept only as a hash; the password only as Identity's hash.
        var code = RegistrationSteps.CodeIn(await RegistrationSteps.LatestTextAsync(factory, "13822222222"));
        Assert.NotNull(code);
        var freeRequest = await LatestRequestAsync("13822222222");
        Assert.Equal(Register.HashOf(freeRequest.Id, code), freeRequest.CodeHash);
        Assert.DoesNotContain(code, freeRequest.CodeHash!, StringComparison.Ordinal);
        Assert.StartsWith("AQAAAA", freeRequest.PasswordHash, StringComparison.Ordinal);

        // Step 2 of the taken request refuses any code as it refuses a wrong one, and creates nothing.
        var refused = await RegistrationSteps.ConfirmAsync(takenSession, takenAnswer, code);
        var refusedPage = await refused.Content.ReadAsStringAsync();
        Assert.Contains(Register.CodeRejected, refusedPage, StringComparison.Ordinal);
        var wrong = await RegistrationSteps.ConfirmAsync(freeSession, freeAnswer, code == "000000" ? "000001" : "000000");
        Assert.Equal(WithoutTokens(refusedPage), WithoutTokens(await wrong.Content.ReadAsStringAsync()));
        await using var db = factory.CreateDbContext();
        Assert.Equal(1, await db.Users.CountAsync(u => u.IdNumber == taken));
        Assert.False(await db.Users.AnyAsync(u => u.IdNumber == free));
    }

    [Fact]
    public async Task StepTwo_FiveWrongCodes_BurnTheRequest_SoTheRightCodeNoLongerWorks()
    {
        var id = NewIdNumber(311);
        var session = From("203.0.113.20");
        var stepOne = await RegistrationSteps.RequestCodeAsync(session, RegistrationSteps.Citizen("赵一", id, "13833330001"));
        var code = RegistrationSteps.CodeIn(await RegistrationSteps.LatestTextAsync(factory, "13833330001"))!;
        var wrong = code == "111111" ? "222222" : "111111";

        for (var i = 0; i < Register.MaxTries; i++)
        {
            var answer = await RegistrationSteps.ConfirmAsync(session, stepOne, wrong);
            Assert.Contains(Register.CodeRejected, await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var late = await RegistrationSteps.ConfirmAsync(session, stepOne, code);
        Assert.NotEqual(HttpStatusCode.Redirect, late.StatusCode);
        Assert.Contains(Register.CodeRejected, await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.IdNumber == id));
    }

    [Fact]
    public async Task StepTwo_AfterTenMinutes_TheCodeHasExpired_JustBeforeItStillWorks()
    {
        var session = From("203.0.113.30");
        var late = NewIdNumber(321);
        var stepOne = await RegistrationSteps.RequestCodeAsync(session, RegistrationSteps.Citizen("钱二", late, "13833330002"));
        var code = RegistrationSteps.CodeIn(await RegistrationSteps.LatestTextAsync(factory, "13833330002"))!;
        factory.Clock.Advance(Register.CodeLifetime);

        var answer = await RegistrationSteps.ConfirmAsync(session, stepOne, code);
        Assert.Contains(Register.CodeRejected, await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var onTime = NewIdNumber(322);
        var other = From("203.0.113.31");
        var second = await RegistrationSteps.RequestCodeAsync(other, RegistrationSteps.Citizen("钱三", onTime, "13833330003"));
        var secondCode = RegistrationSteps.CodeIn(await RegistrationSteps.LatestTextAsync(factory, "13833330003"))!;
        factory.Clock.Advance(Register.CodeLifetime - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Redirect, (await RegistrationSteps.ConfirmAsync(other, second, secondCode)).StatusCode);

        await using var db = factory.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.IdNumber == late));
        Assert.True(await db.Users.AnyAsync(u => u.IdNumber == onTime));
    }

    [Fact]
    public async Task MobileLimits_OneTextAMinute_FiveADay_CountedInTheDatabase_AndAlikeForTakenAndFree()
    {
        const string mobile = "13844440001";
        var taken = NewIdNumber(331);
        Assert.Equal(HttpStatusCode.Redirect,
            (await RegistrationSteps.RegisterAsync(factory, From("203.0.113.40"), RegistrationSteps.Citizen("孙一", taken, "13844449999"))).StatusCode);

        // Alternate a taken and a free identifier: the limit answers the same for both.
        for (var i = 0; i < RegistrationGuard.MobileDailyLimit; i++)
        {
            var id = i % 2 == 0 ? taken : NewIdNumber(340 + i);
            var sent = await RegistrationSteps.RequestCodeAsync(From($"198.51.100.{40 + i}"), RegistrationSteps.Citizen("孙一", id, mobile));
            Assert.Contains("验证码已发送至", sent, StringComparison.Ordinal);
            var again = await RegistrationSteps.RequestCodeAsync(From($"198.51.100.{50 + i}"), RegistrationSteps.Citizen("孙一", NewIdNumber(350 + i), mobile));
            Assert.Contains(RegistrationGuard.MobileIntervalMessage, again, StringComparison.Ordinal);
            factory.Clock.Advance(RegistrationGuard.MobileInterval);
        }

        var sixth = await RegistrationSteps.RequestCodeAsync(From("198.51.100.60"), RegistrationSteps.Citizen("孙一", NewIdNumber(360), mobile));
        Assert.Contains(RegistrationGuard.MobileDailyMessage, sixth, StringComparison.Ordinal);
        var sixthTaken = await RegistrationSteps.RequestCodeAsync(From("198.51.100.61"), RegistrationSteps.Citizen("孙一", taken, mobile));
        Assert.Contains(RegistrationGuard.MobileDailyMessage, sixthTaken, StringComparison.Ordinal);
        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(RegistrationGuard.MobileDailyLimit, await db.SmsMessages.CountAsync(m => m.Mobile == mobile));

            // What another node sees: a guard on its own context and the same database refuses this number too.
            Assert.Equal(RegistrationGuard.MobileDailyMessage, await new RegistrationGuard(db, factory.Clock).RefusalAsync(mobile, "192.0.2.1"));
        }

        factory.Clock.Advance(RegistrationGuard.MobileWindow);
        var nextDay = await RegistrationSteps.RequestCodeAsync(From("198.51.100.62"), RegistrationSteps.Citizen("孙一", NewIdNumber(361), mobile));
        Assert.Contains("验证码已发送至", nextDay, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddressLimit_CountsRequestsAnotherNodeWrote_AndHoldsOnlyThatAddress()
    {
        // Another node took ten requests from this address in the last hour: it wrote them into the shared database.
        await using (var db = factory.CreateDbContext())
        {
            for (var i = 0; i < RegistrationGuard.AddressHourlyLimit; i++)
            {
                db.PendingRegistrations.Add(new PendingRegistration
                {
                    Id = Guid.NewGuid().ToString("N"), Mobile = $"1395555{i:0000}", ClientAddress = "203.0.113.50",
                    CreatedAt = factory.Clock.GetUtcNow() - TimeSpan.FromMinutes(30), ExpiresAt = factory.Clock.GetUtcNow(),
                });
            }

            await db.SaveChangesAsync();
        }

        var held = await RegistrationSteps.RequestCodeAsync(From("203.0.113.50"), RegistrationSteps.Citizen("李四", NewIdNumber(371), "13866660001"));
        Assert.Contains(RegistrationGuard.BlockedMessage, held, StringComparison.Ordinal);
        Assert.Null(await RegistrationSteps.LatestTextAsync(factory, "13866660001"));

        var elsewhere = await RegistrationSteps.RequestCodeAsync(From("203.0.113.51"), RegistrationSteps.Citizen("李四", NewIdNumber(371), "13866660001"));
        Assert.Contains("验证码已发送至", elsewhere, StringComparison.Ordinal);
    }

    [Fact]
    public void ShowOnPage_IsHonouredOnlyByADevelopmentHost()
    {
        static bool Shown(string environment)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Sms:ShowOnPage"] = "true" }).Build();
            var services = new ServiceCollection().AddSms(configuration, new Environment { EnvironmentName = environment });
            return services.BuildServiceProvider().GetRequiredService<IOptions<SmsOptions>>().Value.ShowOnPage;
        }

        Assert.True(Shown(Environments.Development));
        Assert.False(Shown(Environments.Production));
        Assert.False(Shown(Environments.Staging));
    }

    private sealed class Environment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "";

        public string ApplicationName { get; set; } = "test";

        public string ContentRootPath { get; set; } = "";

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
