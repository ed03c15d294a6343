using System.Net;
using ApprovalSystem.Web.Features.Account.Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Pkcs;
using Files = ApprovalSystem.Web.Features.Account.Certificates.TestCertificateAuthority.Files;

namespace ApprovalSystem.Web.Tests.Account.Certificates;

/// <summary>
/// <c>Revocation: Online</c> with the CA's OCSP responder (decision 0053): the test CA's certificates name a responder on this
/// machine (their AIA), which answers here with BouncyCastle's <see cref="BasicOcspRespGenerator"/>, signed by the CA's delegated
/// OCSP certificate. Good passes, revoked is told so, and a responder that cannot be reached refuses (fail closed) in words.
/// </summary>
public sealed class OcspCheckTests : IAsyncLifetime
{
    /// <summary>The responder's port (this helper's range); nothing listens on <see cref="DeadPort"/>.</summary>
    private const int Port = 5712;
    private const int DeadPort = 5713;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "approval-tests", "ocsp-" + Guid.NewGuid().ToString("N"));
    private readonly string _dead = Path.Combine(Path.GetTempPath(), "approval-tests", "ocsp-dead-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _responder;
    private int _asked;

    public async Task InitializeAsync()
    {
        TestCertificateAuthority.Create(_folder, DateTimeOffset.UtcNow, $"http://127.0.0.1:{Port}/ocsp");
        TestCertificateAuthority.Create(_dead, DateTimeOffset.UtcNow, $"http://127.0.0.1:{DeadPort}/ocsp");
        var revokedSerial = new Org.BouncyCastle.X509.X509Certificate(TestCertificateAuthority.Load(_folder, Files.Revoked).RawData).SerialNumber;
        var store = new Pkcs12StoreBuilder().Build();
        await using (var p12 = File.OpenRead(Path.Combine(_folder, Files.OcspResponder)))
        {
            store.Load(p12, TestCertificateAuthority.Password.ToCharArray());
        }

        var alias = store.Aliases.First(store.IsKeyEntry);
        var key = store.GetKey(alias).Key;
        var certificate = store.GetCertificate(alias).Certificate;

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, Port));
        _responder = builder.Build();
        _responder.MapPost("/ocsp", async (HttpRequest request) =>
        {
            Interlocked.Increment(ref _asked);
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            var ocsp = new OcspReq(body.ToArray());
            var answer = new BasicOcspRespGenerator(new RespID(certificate.SubjectDN));
            foreach (var asked in ocsp.GetRequestList())
            {
                var id = asked.GetCertID();
                answer.AddResponse(id, id.SerialNumber.Equals(revokedSerial)
                    ? new RevokedStatus(DateTime.UtcNow.AddHours(-2), CrlReason.KeyCompromise)
                    : CertificateStatus.Good, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddHours(1), null);
            }

            var basic = answer.Generate(new Asn1SignatureFactory("SHA256withECDSA", key), [certificate], DateTime.UtcNow);
            return Results.Bytes(new OCSPRespGenerator().Generate(OCSPRespGenerator.Successful, basic).GetEncoded(), "application/ocsp-response");
        });
        await _responder.StartAsync();
    }

    private static ClientCertificateCheck Online(string folder) =>
        new(Options.Create(new CertificateSignInOptions { CaFolder = Path.Combine(folder, "ca"), Revocation = RevocationCheck.Online }), TimeProvider.System);

    [Fact]
    public void GoodCertificate_IsAskedOfItsResponder_AndPasses()
    {
        using var certificate = TestCertificateAuthority.Load(_folder, Files.Enterprise);

        var verdict = Online(_folder).Check(certificate);

        Assert.True(verdict.IsValid, verdict.Message);
        Assert.Equal(1, _asked);
    }

    [Fact]
    public void RevokedCertificate_IsRefused_AsRevoked()
    {
        using var certificate = TestCertificateAuthority.Load(_folder, Files.Revoked);

        var verdict = Online(_folder).Check(certificate, forSigning: true);

        Assert.Equal(CertificateProblem.Revoked, verdict.Problem);
        Assert.StartsWith("该数字证书已被吊销（吊销日期：", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnreachableResponder_RefusesTheCertificate_SayingWhy()
    {
        using var certificate = TestCertificateAuthority.Load(_dead, Files.Enterprise);

        var verdict = Online(_dead).Check(certificate);

        Assert.Equal(CertificateProblem.RevocationUnknown, verdict.Problem);
        Assert.Equal(ClientCertificateCheck.Messages.OcspUnreachable, verdict.Message);
        Assert.Equal(0, _asked);
    }

    [Fact]
    public void AnswerSignedByAnotherCasResponder_DoesNotCount()
    {
        // The responder signs with this CA's delegated key; a certificate of another CA (same name, other key) asking it is unknown.
        var other = Path.Combine(Path.GetTempPath(), "approval-tests", "ocsp-other-" + Guid.NewGuid().ToString("N"));
        TestCertificateAuthority.Create(other, DateTimeOffset.UtcNow, $"http://127.0.0.1:{Port}/ocsp");
        try
        {
            using var certificate = TestCertificateAuthority.Load(other, Files.Enterprise);

            var verdict = Online(other).Check(certificate);

            Assert.Equal(CertificateProblem.RevocationUnknown, verdict.Problem);
            Assert.Equal(ClientCertificateCheck.Messages.OcspUnknown, verdict.Message);
            Assert.Equal(1, _asked);
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    public async Task DisposeAsync()
    {
        if (_responder is not null)
        {
            await _responder.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
        Directory.Delete(_dead, recursive: true);
    }
}
