using System.Net;
using System.Text.Json;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Account.Certificates;
using ApprovalSystem.Web.Features.Cases.Signatures;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Files = ApprovalSystem.Web.Features.Account.Certificates.TestCertificateAuthority.Files;

namespace ApprovalSystem.Web.Tests.Cases;

/// <summary>
/// An enterprise signs the application it files with its own key (the API client's <see cref="FilingSignatures.CertificateSigner"/>):
/// the server takes a signature only by a certificate bound to the filer's account, over the case's canonical text, and verifies
/// it against the case as stored every time; a change to the stored form data breaks it visibly.
/// </summary>
public sealed class FilingSignatureTests : IDisposable
{
    private const string Matter = TestMatters.Joint;
    private readonly AppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private string TestCa => Path.Combine(_app.DataFolder, "certificates");

    private async Task<(ApiSession Session, long Id)> FileAsEnterpriseAsync()
    {
        var session = await ApiSession.SignInAsync(_app, "enterprise");
        var form = await TestForms.RequiredAsync(_app, Matter);
        var filed = await session.PostOkAsync("/api/cases", new { matterCode = Matter, submit = true, formData = form });
        return (session, filed.GetProperty("id").GetInt64());
    }

    private async Task BindAsync(string file)
    {
        await using var db = _app.CreateDbContext(); // starts the host, which makes the test CA
        using var certificate = TestCertificateAuthority.Load(TestCa, file);
        db.CertificateBindings.Add(new CertificateBinding
        {
            UserId = await db.Users.Where(u => u.UserName == "enterprise").Select(u => u.Id).SingleAsync(),
            Thumbprint = CertificateSignIn.Thumbprint(certificate), SerialNumber = certificate.SerialNumber, Issuer = certificate.Issuer,
            Subject = certificate.Subject, NotBefore = certificate.NotBefore, NotAfter = certificate.NotAfter, BoundAt = DateTimeOffset.UtcNow,
            Certificate = certificate.RawData,
        });
        await db.SaveChangesAsync();
    }

    /// <summary>What the applicant's side does: fetch the text, sign it with its own key, send the signature.</summary>
    private async Task<(HttpResponseMessage Response, JsonElement Body)> SignAsync(ApiSession session, long id, string file)
    {
        var text = JsonDocument.Parse(await session.Client.GetStringAsync($"/api/cases/{id}/signing-text")).RootElement;
        var content = Convert.FromBase64String(text.GetProperty("content").GetString()!);
        using var key = TestCertificateAuthority.Load(TestCa, file);
        var signature = await new FilingSignatures.CertificateSigner(key).SignAsync(content);
        return await session.PostAsync($"/api/cases/{id}/signature",
            new { signedAt = text.GetProperty("signedAt").GetString(), signature = Convert.ToBase64String(signature) });
    }

    [Fact]
    public async Task SignedFiling_IsVerified_ThenAChangeToTheStoredFormBreaksIt()
    {
        await BindAsync(Files.Enterprise);
        var (session, id) = await FileAsEnterpriseAsync();

        var (response, body) = await SignAsync(session, id, Files.Enterprise);

        Assert.True(response.IsSuccessStatusCode, body.ToString());
        Assert.Equal(FilingSignatures.Verified, body.GetProperty("text").GetString());
        var shown = JsonDocument.Parse(await session.Client.GetStringAsync($"/api/cases/{id}/signature")).RootElement;
        Assert.True(shown.GetProperty("valid").GetBoolean());
        Assert.Equal("云溪县绿源食品有限公司", shown.GetProperty("signer").GetString());
        var window = await ApiSession.SignInAsync(_app, "clerk");
        var page = await window.Client.GetStringAsync($"/cases/{id}");
        Assert.Contains(FilingSignatures.Verified, page, StringComparison.Ordinal);
        // The signature is in the hash-chained journal 全程留痕: its certificate, time and hash, chained with the case's acts.
        await using (var db = _app.CreateDbContext())
        {
            var entry = await db.Journal.AsNoTracking().SingleAsync(e => e.CaseId == id && e.Action == FilingSignatures.JournalAction);
            var stored = await db.CaseSignatures.AsNoTracking().SingleAsync(s => s.CaseId == id);
            var data = JsonDocument.Parse(entry.Data).RootElement;
            Assert.Equal(stored.SignerThumbprint, data.GetProperty("certificate").GetString());
            Assert.Equal("云溪县绿源食品有限公司", data.GetProperty("signer").GetString());
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stored.Cms)), data.GetProperty("signatureSha256").GetString());
            Assert.True((await Web.Infrastructure.CaseJournal.VerifyCaseAsync(db, id)).IsIntact);
            Assert.True((await Web.Infrastructure.CaseJournal.VerifyAsync(db)).IsIntact);
        }

        // Someone edits the stored form data behind the system's back.
        await using (var db = _app.CreateDbContext())
        {
            var c = await db.Cases.SingleAsync(x => x.Id == id);
            var field = c.FormData.Keys.Order(StringComparer.Ordinal).First();
            c.FormData[field] += "（改）";
            db.Entry(c).Property(x => x.FormData).IsModified = true;
            await db.SaveChangesAsync();
        }

        var broken = JsonDocument.Parse(await session.Client.GetStringAsync($"/api/cases/{id}/signature")).RootElement;
        Assert.False(broken.GetProperty("valid").GetBoolean());
        Assert.StartsWith("签名验证失败：签名与申请内容不一致", broken.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("签名验证失败：", await window.Client.GetStringAsync($"/cases/{id}"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Files.EnterpriseSecond, "没有绑定到提交申请的账号")]
    [InlineData(Files.Revoked, "已被吊销")]
    public async Task SignatureByACertificateNotBoundOrRevoked_IsRefused(string file, string words)
    {
        await BindAsync(Files.Enterprise);
        if (file == Files.Revoked)
        {
            await BindAsync(Files.Revoked);
        }

        var (session, id) = await FileAsEnterpriseAsync();

        var (response, body) = await SignAsync(session, id, file);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(words, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await using var db = _app.CreateDbContext();
        Assert.Equal(0, await db.CaseSignatures.CountAsync());
        Assert.False(await db.Journal.AnyAsync(e => e.Action == FilingSignatures.JournalAction)); // a refusal leaves no record
    }

    [Fact]
    public async Task SignatureOfAnotherText_IsRefused()
    {
        await BindAsync(Files.Enterprise);
        var (session, id) = await FileAsEnterpriseAsync();
        var text = JsonDocument.Parse(await session.Client.GetStringAsync($"/api/cases/{id}/signing-text")).RootElement;
        using var key = TestCertificateAuthority.Load(TestCa, Files.Enterprise);
        var signature = await new FilingSignatures.CertificateSigner(key).SignAsync("{\"v\":1}"u8.ToArray());

        var (response, body) = await session.PostAsync($"/api/cases/{id}/signature",
            new { signedAt = text.GetProperty("signedAt").GetString(), signature = Convert.ToBase64String(signature) });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("签名与申请内容不一致", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CanonicalText_SortsTheFormAndKeepsChineseAsUtf8()
    {
        var (_, id) = await FileAsEnterpriseAsync();
        await using var db = _app.CreateDbContext();
        var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == id);

        var text = System.Text.Encoding.UTF8.GetString(FilingSignatures.Canonical(c, new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero)));

        Assert.StartsWith($"{{\"v\":1,\"id\":{id},\"number\":\"{c.Number}\",\"matter\":\"{Matter}\",\"form\":{{", text, StringComparison.Ordinal);
        Assert.EndsWith(",\"signedAt\":\"2026-12-05T08:00:00Z\"}", text, StringComparison.Ordinal);
        var keys = JsonDocument.Parse(text).RootElement.GetProperty("form").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.DoesNotContain("\\u", text, StringComparison.Ordinal);
    }
}
