using System.Security.Cryptography.X509Certificates;
using ApprovalSystem.Web.Features.Account.Certificates;
using Microsoft.Extensions.Options;
using Files = ApprovalSystem.Web.Features.Account.Certificates.TestCertificateAuthority.Files;

namespace ApprovalSystem.Web.Tests.Account.Certificates;

/// <summary>The certificate check and the subject's mapping on their own, with a test CA made for this class.</summary>
public sealed class ClientCertificateCheckTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "approval-tests", "ca-" + Guid.NewGuid().ToString("N"));

    public ClientCertificateCheckTests() => TestCertificateAuthority.Create(_folder, DateTimeOffset.UtcNow);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private ClientCertificateCheck Check(Action<CertificateSignInOptions>? configure = null)
    {
        var options = new CertificateSignInOptions { CaFolder = Path.Combine(_folder, "ca") };
        configure?.Invoke(options);
        return new ClientCertificateCheck(Options.Create(options), TimeProvider.System);
    }

    private X509Certificate2 Load(string file) => TestCertificateAuthority.Load(_folder, file);

    [Fact]
    public void Enterprise_IsValid()
    {
        Assert.True(Check().Check(Load(Files.Enterprise)).IsValid);
    }

    [Fact]
    public void WithoutAnyCrlForTheIssuer_RevocationIsUnknown_AndSignInRefused()
    {
        var crlFolder = Path.Combine(_folder, "no-crls");
        Directory.CreateDirectory(crlFolder);

        var verdict = Check(o => o.CrlPath = crlFolder).Check(Load(Files.Enterprise));

        Assert.Equal(CertificateProblem.RevocationUnknown, verdict.Problem);
    }

    [Fact]
    public void CrlSignedBySomeoneElse_DoesNotCount()
    {
        // A CRL naming the issuer but not signed with its key (another test CA of the same name) is no CRL of it.
        var forged = Path.Combine(_folder, "forged");
        Directory.CreateDirectory(forged);
        var other = Path.Combine(_folder, "other");
        TestCertificateAuthority.Create(other, DateTimeOffset.UtcNow); // same CA name, another key
        File.Copy(Path.Combine(other, Files.Crl), Path.Combine(forged, "ca.crl"));

        var verdict = Check(o => o.CrlPath = forged).Check(Load(Files.Enterprise));

        Assert.Equal(CertificateProblem.RevocationUnknown, verdict.Problem);
    }

    [Fact]
    public void Revoked_LaterThanTheCheckedMoment_WasValidThen()
    {
        var revoked = Load(Files.Revoked);

        Assert.Equal(CertificateProblem.Revoked, Check().Check(revoked, forSigning: false).Problem);
        Assert.True(Check().Check(revoked, forSigning: true, at: DateTimeOffset.UtcNow.AddHours(-2)).IsValid);
    }

    [Fact]
    public void EmptyCaFolder_TrustsNobody()
    {
        var empty = Path.Combine(_folder, "empty");
        Directory.CreateDirectory(empty);

        Assert.Equal(CertificateProblem.UnknownIssuer, Check(o => o.CaFolder = empty).Check(Load(Files.Enterprise)).Problem);
    }

    [Fact]
    public void NotForSignIn_IsNotForSigningEither()
    {
        Assert.Equal(CertificateProblem.NotForSignIn, Check().Check(Load(Files.NotForSignIn), forSigning: true).Problem);
    }

    [Fact]
    public void Subject_CodeInsideTheCommonName_IsFound_InTheConfiguredOrder()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new CertificateRequest($"CN=云溪县绿源食品有限公司({TestCertificateAuthority.DemoCreditCode}), OU=330799198503120016, C=CN", key,
            System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var today = new DateOnly(2026, 12, 5);

        var byName = CertificateSubject.Read(certificate, ["CN", "OU"], today);
        var byUnit = CertificateSubject.Read(certificate, ["OU", "CN"], today);

        Assert.Equal(TestCertificateAuthority.DemoCreditCode, byName.CreditCode);
        Assert.Equal("云溪县绿源食品有限公司", byName.Name);
        Assert.Equal("330799198503120016", byUnit.IdNumber);
        Assert.Null(byUnit.CreditCode);
        Assert.Equal(CertificateSubject.NoIdentifier, CertificateSubject.Read(certificate, ["serialNumber"], today).Problem);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ForwardedCertificate_UrlEscapedPemOrBase64Der_IsRead(bool pem)
    {
        var certificate = Load(Files.Enterprise);
        var value = pem ? Uri.EscapeDataString(certificate.ExportCertificatePem()) : Convert.ToBase64String(certificate.RawData);

        using var read = CertificateSignInSetup.Parse(value);

        Assert.Equal(certificate.Thumbprint, read!.Thumbprint);
        Assert.Null(CertificateSignInSetup.Parse(""));
        Assert.Null(CertificateSignInSetup.Parse("not a certificate"));
    }
}
