using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Account.Certificates;
using ApprovalSystem.Web.Features.Cases.Signatures;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using AgentKey = ApprovalSystem.SigningAgent.SigningKey;
using Files = ApprovalSystem.Web.Features.Account.Certificates.TestCertificateAuthority.Files;

namespace ApprovalSystem.Web.Tests.Cases;

/// <summary>
/// A filing signed with an SM2 certificate (国密, SM3withSM2, decision 0053): .NET's SignedCms cannot check it, BouncyCastle does;
/// the chain is built over the SM2 test CA in the CA folder and its CRL. The signature is made as the reference signing agent
/// makes it (BouncyCastle's CMS generator), never by the server.
/// </summary>
public sealed class Sm2FilingSignatureTests : IDisposable
{
    private const string Matter = TestMatters.Joint;
    private readonly AppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private string TestCa => Path.Combine(_app.DataFolder, "certificates");

    private AgentKey Key(string file) => AgentKey.Load(Path.Combine(TestCa, file), TestCertificateAuthority.Password);

    private X509Certificate2 Certificate(string file) => X509CertificateLoader.LoadCertificate(Key(file).Certificate.GetEncoded());

    private async Task BindAsync(string file)
    {
        await using var db = _app.CreateDbContext(); // starts the host, which makes the test CA
        using var certificate = Certificate(file);
        db.CertificateBindings.Add(new CertificateBinding
        {
            UserId = await db.Users.Where(u => u.UserName == "enterprise").Select(u => u.Id).SingleAsync(),
            Thumbprint = CertificateSignIn.Thumbprint(certificate), SerialNumber = certificate.SerialNumber, Issuer = certificate.Issuer,
            Subject = certificate.Subject, NotBefore = certificate.NotBefore, NotAfter = certificate.NotAfter, BoundAt = DateTimeOffset.UtcNow,
            Certificate = certificate.RawData,
        });
        await db.SaveChangesAsync();
    }

    private async Task<(ApiSession Session, long Id)> FileAsEnterpriseAsync()
    {
        var session = await ApiSession.SignInAsync(_app, "enterprise");
        var filed = await session.PostOkAsync("/api/cases", new { matterCode = Matter, submit = true, formData = await TestForms.RequiredAsync(_app, Matter) });
        return (session, filed.GetProperty("id").GetInt64());
    }

    private async Task<(HttpResponseMessage Response, JsonElement Body)> SignAsync(ApiSession session, long id, string file)
    {
        var text = JsonDocument.Parse(await session.Client.GetStringAsync($"/api/cases/{id}/signing-text")).RootElement;
        var signature = Key(file).Sign(Convert.FromBase64String(text.GetProperty("content").GetString()!));
        return await session.PostAsync($"/api/cases/{id}/signature",
            new { signedAt = text.GetProperty("signedAt").GetString(), signature = Convert.ToBase64String(signature) });
    }

    [Fact]
    public async Task Sm2SignedFiling_IsVerified_ThenAChangeToTheStoredFormBreaksIt()
    {
        await BindAsync(Files.Sm2Enterprise);
        var (session, id) = await FileAsEnterpriseAsync();
        Assert.Equal(TestCertificateAuthority.Sm2Algorithm, Key(Files.Sm2Enterprise).Algorithm);

        var (response, body) = await SignAsync(session, id, Files.Sm2Enterprise);

        Assert.True(response.IsSuccessStatusCode, body.ToString());
        Assert.Equal(FilingSignatures.Verified, body.GetProperty("text").GetString());
        await using (var db = _app.CreateDbContext())
        {
            var stored = await db.CaseSignatures.SingleAsync(s => s.CaseId == id);
            Assert.Contains("国密签名证书", stored.SignerSubject, StringComparison.Ordinal);
            var c = await db.Cases.SingleAsync(x => x.Id == id);
            var field = c.FormData.Keys.Order(StringComparer.Ordinal).Last();
            c.FormData[field] += "（改）";
            db.Entry(c).Property(x => x.FormData).IsModified = true;
            await db.SaveChangesAsync();
        }

        var broken = JsonDocument.Parse(await session.Client.GetStringAsync($"/api/cases/{id}/signature")).RootElement;
        Assert.False(broken.GetProperty("valid").GetBoolean());
        Assert.StartsWith("签名验证失败：签名与申请内容不一致", broken.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Files.Sm2UnknownCa, "不是本系统认可的发证机构签发的")]
    [InlineData(Files.Sm2Revoked, "已被吊销")]
    public async Task Sm2SignatureByAnUnknownCaOrARevokedCertificate_IsRefused(string file, string words)
    {
        await BindAsync(file);
        var (session, id) = await FileAsEnterpriseAsync();

        var (response, body) = await SignAsync(session, id, file);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(words, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await using var db = _app.CreateDbContext();
        Assert.Equal(0, await db.CaseSignatures.CountAsync());
    }

    [Fact]
    public async Task Sm2Chain_PassesTheSignInCheck_UnlessItsCaIsUnknownOrItIsRevoked()
    {
        await using (_app.CreateDbContext())
        {
            // the host is started: the test CA is made
        }

        var check = _app.Services.GetRequiredService<ClientCertificateCheck>();
        using var good = Certificate(Files.Sm2Enterprise);
        using var unknown = Certificate(Files.Sm2UnknownCa);
        using var revoked = Certificate(Files.Sm2Revoked);

        Assert.True(NationalAlgorithms.IsSm2(good));
        Assert.Equal(CertificateProblem.None, check.Check(good).Problem);
        Assert.Equal(CertificateProblem.UnknownIssuer, check.Check(unknown).Problem);
        Assert.Equal(CertificateProblem.Revoked, check.Check(revoked).Problem);
    }
}
