using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Parameters;

namespace ApprovalSystem.Web.Features.Account.Certificates;

/// <summary>
/// China's national algorithms (国密, GB/T 32918 SM2, GB/T 32905 SM3) where a certificate or a signature uses them: .NET has
/// neither, so such chains and CMS signatures are checked with BouncyCastle (decision 0053). RSA and ECDSA keep .NET's path.
/// </summary>
public static class NationalAlgorithms
{
    /// <summary>SM3 (the digest).</summary>
    public const string Sm3 = "1.2.156.10197.1.401";

    /// <summary>SM3withSM2 (a certificate's or a CMS signer's signature algorithm).</summary>
    public const string Sm3WithSm2 = "1.2.156.10197.1.501";

    /// <summary>SM2 signing as GM/T 0010 names it in a CMS signer.</summary>
    public const string Sm2Signing = "1.2.156.10197.1.301.1";

    /// <summary>The SM2 curve (sm2p256v1), the parameters of an SM2 public key.</summary>
    public const string Sm2Curve = "1.2.156.10197.1.301";

    /// <summary>Whether the certificate is signed with SM2 or carries an SM2 key.</summary>
    public static bool IsSm2(X509Certificate2 certificate) => IsSm2(new Org.BouncyCastle.X509.X509Certificate(certificate.RawData));

    internal static bool IsSm2(Org.BouncyCastle.X509.X509Certificate certificate) =>
        certificate.SigAlgOid == Sm3WithSm2 || certificate.GetPublicKey() is ECPublicKeyParameters { PublicKeyParamSet.Id: Sm2Curve };

    /// <summary>
    /// Verifies a detached CMS signature made with SM2/SM3 over <paramref name="content"/>: null when it is not one (or not CMS at
    /// all: .NET's path judges it), else whether the signature holds and the signer's certificate.
    /// </summary>
    public static (bool Valid, X509Certificate2? Signer)? VerifyCms(byte[] content, byte[] signature)
    {
        CmsSignedData cms;
        try
        {
            cms = new CmsSignedData(new CmsProcessableByteArray(content), signature);
        }
        catch (Exception e) when (e is CmsException or ArgumentException or IOException or InvalidCastException)
        {
            return null;
        }

        var signers = cms.GetSignerInfos().GetSigners();
        if (signers.Count != 1 || signers.First() is not { } signer
            || !(signer.DigestAlgorithmID.Algorithm.Id == Sm3 || signer.SignatureAlgorithm.Algorithm.Id is Sm3WithSm2 or Sm2Signing))
        {
            return null;
        }

        var certificate = cms.GetCertificates().EnumerateMatches(signer.SignerID).FirstOrDefault();
        if (certificate is null)
        {
            return (false, null);
        }

        try
        {
            return (signer.Verify(certificate), X509CertificateLoader.LoadCertificate(certificate.GetEncoded()));
        }
        catch (Exception e) when (e is CmsException or Org.BouncyCastle.Security.SecurityUtilityException or InvalidOperationException)
        {
            return (false, X509CertificateLoader.LoadCertificate(certificate.GetEncoded()));
        }
    }

    /// <summary>The signer's certificate of a CMS signature (any algorithm), read with BouncyCastle.</summary>
    public static X509Certificate2? SignerOf(byte[] signature)
    {
        var cms = new CmsSignedData(signature);
        var signer = cms.GetSignerInfos().GetSigners().FirstOrDefault();
        return signer is null || cms.GetCertificates().EnumerateMatches(signer.SignerID).FirstOrDefault() is not { } certificate
            ? null
            : X509CertificateLoader.LoadCertificate(certificate.GetEncoded());
    }
}
