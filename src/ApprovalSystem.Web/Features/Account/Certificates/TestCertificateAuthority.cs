using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ApprovalSystem.Core.Identity;

namespace ApprovalSystem.Web.Features.Account.Certificates;

/// <summary>
/// A test CA for development and tests (测试证书), made in code with .NET's certificate builder: a CA certificate and its CRL in
/// <c>ca/</c> (the folder <see cref="CertificateSignInOptions.CaFolder"/> points at), and .p12 files, password
/// <see cref="Password"/>: the demo enterprise's certificate and a second one of the same enterprise, an enterprise not yet
/// registered, the demo citizen's (a legal person's) certificate, an expired one, a revoked one (on the CRL), one from an
/// unknown CA, one with a credit code whose check character is wrong, one not meant for sign-in, and the sign-in port's TLS
/// server certificate for localhost. Never for production: the CA key is thrown away, and its certificates say 测试.
/// </summary>
public static partial class TestCertificateAuthority
{
    public const string Password = "Demo@2026";

    /// <summary>The demo enterprise (云溪县绿源食品有限公司), as seeded.</summary>
    public const string DemoCreditCode = "91330799MA2K3L4N5T";

    /// <summary>The demo citizen 张伟, as seeded.</summary>
    public const string DemoIdNumber = "330799198503120016";

    /// <summary>A valid code no account has: 云溪县青山茶业有限公司.</summary>
    public static readonly string NewCreditCode = "91330799MA2Q8R7T3" + CreditCode.CheckCharacterFor("91330799MA2Q8R7T3");

    public const string CaFolderName = "ca";

    /// <summary>The files <see cref="Create"/> writes, by the use they are for.</summary>
    public static class Files
    {
        public const string Enterprise = "enterprise.p12";
        public const string EnterpriseSecond = "enterprise-2.p12";
        public const string NewEnterprise = "new-enterprise.p12";
        public const string LegalPerson = "legal-person.p12";
        public const string Expired = "expired.p12";
        public const string Revoked = "revoked.p12";
        public const string UnknownCa = "unknown-ca.p12";
        public const string WrongCode = "wrong-code.p12";
        public const string NotForSignIn = "not-for-sign-in.p12";
        public const string Server = "server.p12";
        public const string OcspResponder = "ocsp-responder.p12";
        public const string Sm2Enterprise = "sm2-enterprise.p12";
        public const string Sm2UnknownCa = "sm2-unknown-ca.p12";
        public const string Sm2Revoked = "sm2-revoked.p12";
        public const string CaCertificate = "ca/ca.crt";
        public const string Sm2CaCertificate = "ca/sm2-ca.crt";
        public const string Sm2Crl = "ca/sm2-ca.crl";
        public const string Crl = "ca/ca.crl";
    }

    /// <summary>Whether <paramref name="folder"/> holds a test CA already.</summary>
    public static bool Exists(string folder) => File.Exists(Path.Combine(folder, Files.CaCertificate)) && File.Exists(Path.Combine(folder, Files.Enterprise));

    /// <summary>
    /// Writes a new test CA and its certificates to <paramref name="folder"/>, valid from <paramref name="now"/>; with
    /// <paramref name="ocspUrl"/> the client certificates name it as their OCSP responder (AIA), whose delegated signing
    /// certificate is <see cref="Files.OcspResponder"/>.
    /// </summary>
    public static void Create(string folder, DateTimeOffset now, string? ocspUrl = null)
    {
        Directory.CreateDirectory(Path.Combine(folder, CaFolderName));
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = Authority("云溪县数字证书认证分中心（测试）", caKey, now);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = Authority("未知证书机构（测试）", otherKey, now);

        var good = (now.AddDays(-1), now.AddYears(2));
        X509Extension[] leaf = ocspUrl is null ? ClientAndSigning : [.. ClientAndSigning, new X509AuthorityInformationAccessExtension([ocspUrl], null)];
        Leaf(folder, Files.Enterprise, ca, Enterprise("云溪县绿源食品有限公司", DemoCreditCode), good, 0x1001, leaf);
        Leaf(folder, Files.EnterpriseSecond, ca, Enterprise("云溪县绿源食品有限公司", DemoCreditCode, "经办人证书"), good, 0x1002, leaf);
        Leaf(folder, Files.NewEnterprise, ca, Enterprise("云溪县青山茶业有限公司", NewCreditCode), good, 0x1003, leaf);
        Leaf(folder, Files.LegalPerson, ca, Person("张伟", DemoIdNumber), good, 0x1004, leaf);
        Leaf(folder, Files.Expired, ca, Enterprise("云溪县绿源食品有限公司", DemoCreditCode, "已过期"), (now.AddYears(-2), now.AddDays(-30)), 0x1005,
            leaf);
        var revoked = Leaf(folder, Files.Revoked, ca, Enterprise("云溪县绿源食品有限公司", DemoCreditCode, "已吊销"), good, 0x1006, leaf);
        Leaf(folder, Files.UnknownCa, other, Enterprise("云溪县绿源食品有限公司", DemoCreditCode), good, 0x1007, leaf);
        Leaf(folder, Files.WrongCode, ca, Enterprise("云溪县错码商贸有限公司", "91330799MA2K3L4N5A"), good, 0x1008, leaf);
        Leaf(folder, Files.NotForSignIn, ca, Enterprise("云溪县绿源食品有限公司", DemoCreditCode, "加密证书"), good, 0x1009,
            [new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment, true)]);
        Leaf(folder, Files.Server, ca, Server(), good, 0x2001, ServerExtensions());
        Leaf(folder, Files.OcspResponder, ca, Responder(), good, 0x2002,
        [
            new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true),
            new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.9")], true), // OCSP signing: a delegated responder (RFC 6960 4.2.2.2)
            new X509Extension("1.3.6.1.5.5.7.48.1.5", [0x05, 0x00], false), // id-pkix-ocsp-nocheck
        ]).Dispose();

        var crl = new CertificateRevocationListBuilder();
        crl.AddEntry(revoked, now.AddHours(-1), X509RevocationReason.KeyCompromise);
        File.WriteAllText(Path.Combine(folder, Files.Crl),
            PemEncoding.WriteString("X509 CRL", crl.Build(ca, 1, now.AddYears(1), HashAlgorithmName.SHA256, thisUpdate: now.AddMinutes(-5))));
        File.WriteAllText(Path.Combine(folder, Files.CaCertificate), ca.ExportCertificatePem());
        revoked.Dispose();
        CreateSm2(folder, now);
    }

    private static readonly X509Extension[] ClientAndSigning =
    [
        new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true),
        new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2"), new Oid("1.3.6.1.5.5.7.3.4")], false),
    ];

    private static X509Extension[] ServerExtensions()
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        return
        [
            new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true),
            new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false),
            names.Build(),
        ];
    }

    private static X509Certificate2 Authority(string name, ECDsa key, DateTimeOffset now)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCountryOrRegion("CN");
        subject.AddOrganizationName(name);
        subject.AddCommonName(name);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddYears(-3), now.AddYears(10));
    }

    private static X500DistinguishedName Enterprise(string name, string code, string? unit = null)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCountryOrRegion("CN");
        subject.AddOrganizationName(name);
        if (unit is not null)
        {
            subject.AddOrganizationalUnitName(unit);
        }

        subject.Add("2.5.4.5", code, UniversalTagNumber.PrintableString); // serialNumber: where Chinese CAs put the code
        subject.AddCommonName(name);
        return subject.Build();
    }

    private static X500DistinguishedName Person(string name, string idNumber)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCountryOrRegion("CN");
        subject.Add("2.5.4.5", idNumber, UniversalTagNumber.PrintableString);
        subject.AddCommonName(name);
        return subject.Build();
    }

    private static X500DistinguishedName Responder()
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName("云溪县数字证书认证分中心（测试）");
        subject.AddCommonName("证书状态服务（OCSP，测试）");
        return subject.Build();
    }

    private static X500DistinguishedName Server()
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName("云溪县政务服务中心（测试）");
        subject.AddCommonName("localhost");
        return subject.Build();
    }

    private static X509Certificate2 Leaf(string folder, string file, X509Certificate2 issuer, X500DistinguishedName subject,
        (DateTimeOffset From, DateTimeOffset To) validity, int serial, IEnumerable<X509Extension> extensions)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        foreach (var extension in extensions)
        {
            request.CertificateExtensions.Add(extension);
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var serialNumber = new byte[8];
        RandomNumberGenerator.Fill(serialNumber);
        serialNumber[0] = (byte)(0x10 | (serial >> 8 & 0x0F)); // positive, and distinct per kind
        serialNumber[1] = (byte)serial;
        using var certificate = request.Create(issuer, validity.From, validity.To, serialNumber);
        using var withKey = certificate.CopyWithPrivateKey(key);
        File.WriteAllBytes(Path.Combine(folder, file), withKey.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, Password));
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    /// <summary>Loads one of the files <see cref="Create"/> wrote, with its private key.</summary>
    public static X509Certificate2 Load(string folder, string file) =>
        X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(folder, file), Password, X509KeyStorageFlags.Exportable);
}
