using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace ApprovalSystem.Web.Features.Account.Certificates;

/// <summary>
/// The test CA's national-algorithm half (国密, decision 0053): an SM2 CA (SM3withSM2) with its CRL in <c>ca/</c>, the demo
/// enterprise's SM2 certificate, a revoked one, and one from an SM2 CA nobody trusts, made with BouncyCastle (.NET makes no SM2).
/// </summary>
public static partial class TestCertificateAuthority
{
    public const string Sm2Algorithm = "SM3withSM2";

    private static void CreateSm2(string folder, DateTimeOffset now)
    {
        var random = new SecureRandom();
        var caKey = Sm2Key(random);
        var caName = Name("云溪县数字证书认证分中心（国密测试）");
        var ca = Sm2Authority(caName, caKey, now);
        var otherKey = Sm2Key(random);
        var other = Sm2Authority(Name("未知国密证书机构（测试）"), otherKey, now);

        var good = (now.AddDays(-1), now.AddYears(2));
        Sm2Leaf(folder, Files.Sm2Enterprise, ca, caKey, "云溪县绿源食品有限公司", "国密签名证书", good, 0x3001, random);
        var revoked = Sm2Leaf(folder, Files.Sm2Revoked, ca, caKey, "云溪县绿源食品有限公司", "国密已吊销", good, 0x3002, random);
        Sm2Leaf(folder, Files.Sm2UnknownCa, other, otherKey, "云溪县绿源食品有限公司", "国密签名证书", good, 0x3003, random);

        var crl = new X509V2CrlGenerator();
        crl.SetIssuerDN(ca.SubjectDN);
        crl.SetThisUpdate(now.AddMinutes(-5).UtcDateTime);
        crl.SetNextUpdate(now.AddYears(1).UtcDateTime);
        crl.AddCrlEntry(revoked.SerialNumber, now.AddHours(-1).UtcDateTime, CrlReason.KeyCompromise);
        crl.AddExtension(X509Extensions.CrlNumber, false, new CrlNumber(BigInteger.One));
        var signedCrl = crl.Generate(new Asn1SignatureFactory(Sm2Algorithm, caKey.Private));
        File.WriteAllText(Path.Combine(folder, Files.Sm2Crl), Pem("X509 CRL", signedCrl.GetEncoded()));
        File.WriteAllText(Path.Combine(folder, Files.Sm2CaCertificate), Pem("CERTIFICATE", ca.GetEncoded()));
    }

    private static AsymmetricCipherKeyPair Sm2Key(SecureRandom random)
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(GMObjectIdentifiers.sm2p256v1, random));
        return generator.GenerateKeyPair();
    }

    private static X509Name Name(string organisation, string? unit = null, string? code = null)
    {
        var order = new List<DerObjectIdentifier> { X509Name.C, X509Name.O };
        var values = new List<string> { "CN", organisation };
        if (unit is not null)
        {
            order.Add(X509Name.OU);
            values.Add(unit);
        }

        if (code is not null)
        {
            order.Add(X509Name.SerialNumber); // where Chinese CAs put the credit code
            values.Add(code);
        }

        order.Add(X509Name.CN);
        values.Add(organisation);
        return new X509Name(order, values);
    }

    private static X509Certificate Sm2Authority(X509Name name, AsymmetricCipherKeyPair key, DateTimeOffset now)
    {
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(BigInteger.ValueOf(now.ToUnixTimeSeconds()));
        generator.SetIssuerDN(name);
        generator.SetSubjectDN(name);
        generator.SetNotBefore(now.AddYears(-3).UtcDateTime);
        generator.SetNotAfter(now.AddYears(10).UtcDateTime);
        generator.SetPublicKey(key.Public);
        generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(0));
        generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign));
        generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(key.Public));
        return generator.Generate(new Asn1SignatureFactory(Sm2Algorithm, key.Private));
    }

    private static X509Certificate Sm2Leaf(string folder, string file, X509Certificate issuer, AsymmetricCipherKeyPair issuerKey, string organisation,
        string unit, (DateTimeOffset From, DateTimeOffset To) validity, int serial, SecureRandom random)
    {
        var key = Sm2Key(random);
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(BigInteger.ValueOf(serial).ShiftLeft(32).Add(BigInteger.ValueOf(random.NextInt() & 0x7FFFFFFF)));
        generator.SetIssuerDN(issuer.SubjectDN);
        generator.SetSubjectDN(Name(organisation, unit, DemoCreditCode));
        generator.SetNotBefore(validity.From.UtcDateTime);
        generator.SetNotAfter(validity.To.UtcDateTime);
        generator.SetPublicKey(key.Public);
        generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
        generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.DigitalSignature | KeyUsage.NonRepudiation));
        generator.AddExtension(X509Extensions.ExtendedKeyUsage, false,
            new ExtendedKeyUsage(KeyPurposeID.id_kp_clientAuth, KeyPurposeID.id_kp_emailProtection));
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, X509ExtensionUtilities.CreateAuthorityKeyIdentifier(issuer));
        var certificate = generator.Generate(new Asn1SignatureFactory(Sm2Algorithm, issuerKey.Private));

        var store = new Pkcs12StoreBuilder().Build();
        store.SetKeyEntry("key", new AsymmetricKeyEntry(key.Private), [new X509CertificateEntry(certificate)]);
        using var output = File.Create(Path.Combine(folder, file));
        store.Save(output, Password.ToCharArray(), random);
        return certificate;
    }

    private static string Pem(string label, byte[] der) => System.Security.Cryptography.PemEncoding.WriteString(label, der);
}
