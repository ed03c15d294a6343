using System.Net;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Account;
using ApprovalSystem.Web.Features.Account.Certificates;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Files = ApprovalSystem.Web.Features.Account.Certificates.TestCertificateAuthority.Files;

namespace ApprovalSystem.Web.Tests.Account.Certificates;

/// <summary>
/// Sign-in with a client certificate over real TLS (Kestrel, the app's HTTPS settings): each refusal with its words, binding at
/// first use after the password, a second certificate of the same enterprise, registering an unknown enterprise, a legal
/// person's certificate, and the bindings page.
/// </summary>
public sealed class CertificateSignInTests : IDisposable
{
    private readonly CertificateAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private async Task<(HttpStatusCode Status, string Page, string? Location)> OpenAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/account/certificate");
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task NoCertificate_IsToldToInsertOne()
    {
        var (status, page, _) = await OpenAsync(_app.CertificateClient(null));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(ClientCertificateCheck.Messages.Missing, page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Files.Expired, "过期")]
    [InlineData(Files.Revoked, "已被吊销")]
    [InlineData(Files.UnknownCa, "不是本系统认可的发证机构签发的（签发者：")]
    [InlineData(Files.NotForSignIn, ClientCertificateCheck.Messages.NotForSignIn)]
    [InlineData(Files.WrongCode, "统一社会信用代码“91330799MA2K3L4N5A”不正确（统一社会信用代码校验位不正确")]
    public async Task RefusedCertificate_SaysWhy_AndSignsNobodyIn(string file, string words)
    {
        var client = _app.CertificateClient(file);

        var (status, page, _) = await OpenAsync(client);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("id=\"certificate-error\"", page, StringComparison.Ordinal);
        Assert.Contains(words, page, StringComparison.Ordinal);
        Assert.False(await AccountTestKit.SignedInAsync(client));
        await using var db = _app.CreateDbContext();
        Assert.Equal(0, await db.CertificateBindings.CountAsync());
    }

    [Fact]
    public async Task Revoked_NamesTheDayOnTheCrl()
    {
        var (_, page, _) = await OpenAsync(_app.CertificateClient(Files.Revoked));

        var day = DateTimeOffset.UtcNow.AddHours(-1).ToOffset(TimeSpan.FromHours(8));
        Assert.Contains($"吊销日期：{day.Year}年{day.Month}月{day.Day}日", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstUse_BindsAfterThePassword_ThenTheCertificateAloneSignsIn()
    {
        var client = _app.CertificateClient(Files.Enterprise);
        var (_, page, _) = await OpenAsync(client);
        Assert.Contains("id=\"certificate-bind\"", page, StringComparison.Ordinal);
        Assert.Contains("云溪县绿源食品有限公司", page, StringComparison.Ordinal);
        Assert.Contains(TestCertificateAuthority.DemoCreditCode, page, StringComparison.Ordinal);

        var session = new BrowserSession(client);
        using (var wrong = await session.SubmitFormOnAsync(page, "/account/certificate", new Dictionary<string, string> { ["Bind.Password"] = "Wrong@2026" }))
        {
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains(CertificateSignIn.PasswordWrong, await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await using (var db = _app.CreateDbContext())
        {
            Assert.Equal(0, await db.CertificateBindings.CountAsync());
        }

        using (var right = await session.SubmitFormAsync("/account/certificate", new Dictionary<string, string> { ["Bind.Password"] = "Demo@2026" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        }

        Assert.True(await AccountTestKit.SignedInAsync(client));
        await using (var db = _app.CreateDbContext())
        {
            var binding = await db.CertificateBindings.SingleAsync();
            var owner = await db.Users.SingleAsync(u => u.Id == binding.UserId);
            Assert.Equal("enterprise", owner.UserName);
            Assert.Equal(CertificateSignIn.Thumbprint(_app.Certificate(Files.Enterprise)), binding.Thumbprint);
            Assert.Contains(TestCertificateAuthority.DemoCreditCode, binding.Subject, StringComparison.Ordinal);
            Assert.True(binding.NotAfter > DateTimeOffset.UtcNow);
        }

        // Another visit with the same certificate: straight in, no password.
        var again = _app.CertificateClient(Files.Enterprise);
        var (status, _, location) = await OpenAsync(again);
        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.Equal("/", new Uri(_app.HttpsAddress, location).AbsolutePath);
        Assert.True(await AccountTestKit.SignedInAsync(again));
        await using (var db = _app.CreateDbContext())
        {
            Assert.NotNull((await db.CertificateBindings.SingleAsync()).LastUsedAt);
        }
    }

    [Fact]
    public async Task SecondCertificateOfTheEnterprise_IsBoundToo_AndRemovingOneAsksItsPasswordAgain()
    {
        await BindAsync(Files.Enterprise);
        var second = _app.CertificateClient(Files.EnterpriseSecond);
        var (_, page, _) = await OpenAsync(second);
        Assert.Contains("id=\"certificate-bind\"", page, StringComparison.Ordinal); // a certificate is bound only by a password
        second = await BindAsync(Files.EnterpriseSecond);

        var userId = await AccountTestKit.UserIdAsync(_app, "enterprise");
        var rows = await _app.Get<CertificateBindings.Handler>().ListAsync(userId);
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r.Subject.Contains("经办人证书", StringComparison.Ordinal));

        var list = await second.GetStringAsync("/account/certificates");
        Assert.Contains("经办人证书", list, StringComparison.Ordinal);
        Assert.Contains("解除绑定", list, StringComparison.Ordinal);

        var removed = rows.Single(r => r.Subject.Contains("经办人证书", StringComparison.Ordinal));
        Assert.False(await _app.Get<CertificateBindings.Handler>().RemoveAsync("someone-else", "x", removed.Id, "-"));
        Assert.True(await _app.Get<CertificateBindings.Handler>().RemoveAsync(userId, "enterprise", removed.Id, "-"));
        var (_, afterwards, _) = await OpenAsync(_app.CertificateClient(Files.EnterpriseSecond));
        Assert.Contains("id=\"certificate-bind\"", afterwards, StringComparison.Ordinal);
        var (status, _, _) = await OpenAsync(_app.CertificateClient(Files.Enterprise));
        Assert.Equal(HttpStatusCode.Redirect, status);
    }

    [Fact]
    public async Task UnknownEnterprise_RegistersFromTheCertificate()
    {
        var client = _app.CertificateClient(Files.NewEnterprise);
        var (_, page, _) = await OpenAsync(client);
        Assert.Contains("id=\"certificate-register\"", page, StringComparison.Ordinal);
        Assert.Contains("云溪县青山茶业有限公司", page, StringComparison.Ordinal);

        using var response = await new BrowserSession(client).SubmitFormOnAsync(page, "/account/certificate",
            new Dictionary<string, string>(), "register");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(await AccountTestKit.SignedInAsync(client));
        await using var db = _app.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.CreditCode == TestCertificateAuthority.NewCreditCode);
        Assert.Equal("云溪县青山茶业有限公司", user.DisplayName);
        Assert.Equal(ApplicantType.Enterprise, user.ApplicantType);
        Assert.Null(user.PasswordHash);
        Assert.Equal(user.Id, (await db.CertificateBindings.SingleAsync()).UserId);
        var roles = await db.UserRoles.Where(r => r.UserId == user.Id).Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name).ToListAsync();
        Assert.Equal([Core.Identity.Roles.Applicant], roles);

        // Registering again with the same certificate is signing in.
        var (status, _, _) = await OpenAsync(_app.CertificateClient(Files.NewEnterprise));
        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.Equal(1, await db.Users.CountAsync(u => u.CreditCode == TestCertificateAuthority.NewCreditCode));
    }

    [Fact]
    public async Task RegisterForm_ForAnEnterpriseWithAnAccount_BindsNothing()
    {
        var client = _app.CertificateClient(Files.Enterprise);
        var (_, page, _) = await OpenAsync(client);
        Assert.DoesNotContain("id=\"certificate-register\"", page, StringComparison.Ordinal);

        // A hand-made post of the registration form with this certificate: the certificate decides, and it names an existing
        // account, so the page has no registration form to take the post.
        var other = await _app.CertificateClient(Files.NewEnterprise).GetStringAsync("/account/certificate");
        using var response = await new BrowserSession(client).SubmitFormOnAsync(other, "/account/certificate", new Dictionary<string, string>(), "register");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var db = _app.CreateDbContext();
        Assert.Equal(0, await db.CertificateBindings.CountAsync());
        Assert.False(await db.Users.AnyAsync(u => u.CreditCode == TestCertificateAuthority.NewCreditCode));
    }

    [Fact]
    public async Task LegalPersonsCertificate_MapsByIdNumberToTheCitizensAccount()
    {
        var (_, page, _) = await OpenAsync(_app.CertificateClient(Files.LegalPerson));

        Assert.Contains("id=\"certificate-bind\"", page, StringComparison.Ordinal);
        Assert.Contains("账号“张伟”", page, StringComparison.Ordinal);
        Assert.Contains("身份证号码", page, StringComparison.Ordinal);
        Assert.DoesNotContain(TestCertificateAuthority.DemoIdNumber, page, StringComparison.Ordinal); // masked
    }

    [Fact]
    public async Task DisabledAccount_IsRefusedEvenWithABoundCertificate()
    {
        await BindAsync(Files.Enterprise);
        await using (var db = _app.CreateDbContext())
        {
            await db.Users.Where(u => u.UserName == "enterprise").ExecuteUpdateAsync(u => u.SetProperty(x => x.LockoutEnd, DateTimeOffset.MaxValue));
        }

        var client = _app.CertificateClient(Files.Enterprise);
        var (_, page, _) = await OpenAsync(client);

        Assert.Contains(SignIn.Disabled, page, StringComparison.Ordinal);
        Assert.False(await AccountTestKit.SignedInAsync(client));
    }

    /// <summary>Binds <paramref name="file"/>'s certificate to its account with the demo password; the client is signed in.</summary>
    private async Task<HttpClient> BindAsync(string file)
    {
        var session = new BrowserSession(_app.CertificateClient(file));
        using var response = await session.SubmitFormAsync("/account/certificate", new Dictionary<string, string> { ["Bind.Password"] = "Demo@2026" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return session.Client;
    }
}
