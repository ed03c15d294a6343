using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.X509;

namespace ApprovalSystem.Web.Features.Account.Certificates;

/// <summary>Why a client certificate was not accepted.</summary>
public enum CertificateProblem
{
    None,
    Missing,
    Expired,
    NotYetValid,
    UnknownIssuer,
    Revoked,
    RevocationUnknown,
    NotForSignIn,
}

/// <summary>A check's answer: no problem, or what was wrong with the words to show.</summary>
public sealed record CertificateVerdict(CertificateProblem Problem, string? Message)
{
    public static readonly CertificateVerdict Valid = new(CertificateProblem.None, null);

    public bool IsValid => Problem == CertificateProblem.None;
}

/// <summary>
/// Checks a client certificate (数字证书) the way sign-in and a filing's signature need: within its validity, issued under one of
/// the configured CA certificates (.NET's chain builder with a custom root trust), not revoked — by the configured CRL files,
/// read with BouncyCastle since .NET's chain builder takes no CRL file, or online — and meant for client authentication or
/// signing. The CA folder and the CRLs are read at each check, so a new CRL counts at once without a restart (decision 0051).
/// </summary>
public sealed class ClientCertificateCheck(IOptions<CertificateSignInOptions> options, TimeProvider time)
{
    private static readonly string[] CertificateExtensions = [".crt", ".cer", ".pem"];
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    private const string AnyExtendedKeyUsage = "2.5.29.37.0";

    /// <summary>Checks <paramref name="certificate"/> for signing in (client authentication).</summary>
    public CertificateVerdict Check(X509Certificate2? certificate) => Check(certificate, forSigning: false);

    /// <summary>Checks <paramref name="certificate"/>; <paramref name="forSigning"/> asks for a signing key usage instead of client authentication.</summary>
    public CertificateVerdict Check(X509Certificate2? certificate, bool forSigning, DateTimeOffset? at = null)
    {
        if (certificate is null)
        {
            return new(CertificateProblem.Missing, Messages.Missing);
        }

        var now = at ?? time.GetUtcNow();
        if (certificate.NotAfter.ToUniversalTime() < now.UtcDateTime)
        {
            return new(CertificateProblem.Expired, Messages.Expired(Day(certificate.NotAfter)));
        }

        if (certificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
        {
            return new(CertificateProblem.NotYetValid, Messages.NotYetValid(Day(certificate.NotBefore)));
        }

        if (!ForUse(certificate, forSigning))
        {
            return new(CertificateProblem.NotForSignIn, forSigning ? Messages.NotForSigning : Messages.NotForSignIn);
        }

        var settings = options.Value;
        if (NationalAlgorithms.IsSm2(certificate))
        {
            return CheckSm2(certificate, settings, now); // .NET's chain builder knows no SM2 (decision 0053)
        }

        var authorities = LoadAuthorities(settings.CaFolder);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        // Online: a certificate naming an OCSP responder is asked with BouncyCastle below (OcspCheck); others by the chain builder.
        var ocsp = settings.Revocation == RevocationCheck.Online && OcspCheck.UrlOf(DotNetUtilities(certificate)) is not null;
        chain.ChainPolicy.RevocationMode = settings.Revocation == RevocationCheck.Online && !ocsp ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
        chain.ChainPolicy.RevocationFlag = X509RevocationFlag.ExcludeRoot;
        chain.ChainPolicy.UrlRetrievalTimeout = TimeSpan.FromSeconds(5);
        foreach (var authority in authorities)
        {
            (authority.SubjectName.RawData.AsSpan().SequenceEqual(authority.IssuerName.RawData)
                ? chain.ChainPolicy.CustomTrustStore
                : chain.ChainPolicy.ExtraStore).Add(authority);
        }

        try
        {
            if (!chain.Build(certificate))
            {
                var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
                if ((flags & X509ChainStatusFlags.Revoked) != 0)
                {
                    return new(CertificateProblem.Revoked, Messages.Revoked("—"));
                }

                if ((flags & (X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation)) != 0
                    && (flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) == 0)
                {
                    return new(CertificateProblem.RevocationUnknown, Messages.RevocationUnknown);
                }

                if ((flags & X509ChainStatusFlags.NotTimeValid) != 0 && (flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) == 0)
                {
                    return new(CertificateProblem.Expired, Messages.IssuerExpired(certificate.Issuer));
                }

                return new(CertificateProblem.UnknownIssuer, Messages.UnknownIssuer(certificate.Issuer));
            }

            return settings.Revocation == RevocationCheck.Crl ? CheckCrls([.. chain.ChainElements.Select(e => DotNetUtilities(e.Certificate))], settings, now)
                : ocsp ? CheckOnline([.. chain.ChainElements.Select(e => DotNetUtilities(e.Certificate))], now)
                : CertificateVerdict.Valid;
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                if (!ReferenceEquals(element.Certificate, certificate))
                {
                    element.Certificate.Dispose();
                }
            }

            foreach (var authority in authorities)
            {
                authority.Dispose();
            }
        }
    }

    /// <summary>
    /// An SM2 chain, built and checked with BouncyCastle: each certificate signed (SM3withSM2) by a CA certificate of the CA folder
    /// that is a CA and valid at <paramref name="now"/>, up to a self-signed one there; then its CRLs, as for any chain. Online
    /// revocation of an SM2 chain is not checked by .NET, so it counts as unknown (fail closed) unless an OCSP check says otherwise.
    /// </summary>
    private CertificateVerdict CheckSm2(X509Certificate2 certificate, CertificateSignInOptions settings, DateTimeOffset now)
    {
        var authorities = LoadAuthorities(settings.CaFolder);
        var candidates = authorities.Select(DotNetUtilities).ToList();
        foreach (var authority in authorities)
        {
            authority.Dispose();
        }

        var chain = new List<Org.BouncyCastle.X509.X509Certificate> { DotNetUtilities(certificate) };
        while (!IsSelfSigned(chain[^1]))
        {
            var current = chain[^1];
            var issuer = candidates.FirstOrDefault(c => c.SubjectDN.Equivalent(current.IssuerDN) && c.GetBasicConstraints() >= 0 && SignedBy(current, c));
            if (issuer is null || chain.Count > 8)
            {
                return new(CertificateProblem.UnknownIssuer, Messages.UnknownIssuer(certificate.Issuer));
            }

            if (!issuer.IsValid(now.UtcDateTime))
            {
                return new(CertificateProblem.Expired, Messages.IssuerExpired(certificate.Issuer));
            }

            chain.Add(issuer);
        }

        if (chain.Count == 1)
        {
            return new(CertificateProblem.UnknownIssuer, Messages.UnknownIssuer(certificate.Issuer)); // a self-signed end certificate
        }

        return settings.Revocation switch
        {
            RevocationCheck.Crl => CheckCrls(chain, settings, now),
            RevocationCheck.Online => CheckOnline(chain, now),
            _ => CertificateVerdict.Valid,
        };
    }

    /// <summary>Every certificate of the chain below its root asked of its OCSP responder; one without a responder is unknown (fail closed).</summary>
    private static CertificateVerdict CheckOnline(List<Org.BouncyCastle.X509.X509Certificate> chain, DateTimeOffset now)
    {
        for (var i = 0; i < chain.Count - 1; i++)
        {
            if (OcspCheck.Check(chain[i], chain[i + 1], now) is { IsValid: false } verdict)
            {
                return verdict;
            }
        }

        return CertificateVerdict.Valid;
    }

    private static bool IsSelfSigned(Org.BouncyCastle.X509.X509Certificate certificate) =>
        certificate.SubjectDN.Equivalent(certificate.IssuerDN) && SignedBy(certificate, certificate);

    /// <summary>Whether <paramref name="issuer"/>'s key signed <paramref name="certificate"/> (any algorithm BouncyCastle knows, SM2 included).</summary>
    internal static bool SignedBy(Org.BouncyCastle.X509.X509Certificate certificate, Org.BouncyCastle.X509.X509Certificate issuer)
    {
        try
        {
            certificate.Verify(issuer.GetPublicKey());
            return true;
        }
        catch (Exception e) when (e is Org.BouncyCastle.Security.InvalidKeyException or Org.BouncyCastle.Security.SignatureException
            or Org.BouncyCastle.Security.Certificates.CertificateException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Every certificate of the chain below its root must be on no CRL its issuer signed, and such a CRL must be at hand and current.</summary>
    private static CertificateVerdict CheckCrls(List<Org.BouncyCastle.X509.X509Certificate> chain, CertificateSignInOptions settings,
        DateTimeOffset now)
    {
        var crls = LoadCrls(string.IsNullOrEmpty(settings.CrlPath) ? settings.CaFolder : settings.CrlPath);
        for (var i = 0; i < chain.Count - 1; i++)
        {
            var subject = chain[i];
            var issuer = chain[i + 1];
            var current = crls.Where(c => c.IssuerDN.Equivalent(issuer.SubjectDN) && Verifies(c, issuer)).ToList();
            if (current.Count == 0 || current.All(c => c.NextUpdate is { } next && next < now.UtcDateTime))
            {
                return new(CertificateProblem.RevocationUnknown, Messages.RevocationUnknown);
            }

            if (current.Select(c => c.GetRevokedCertificate(subject.SerialNumber)).FirstOrDefault(e => e is not null) is { } entry
                && entry.RevocationDate <= now.UtcDateTime)
            {
                return new(CertificateProblem.Revoked, Messages.Revoked(Day(entry.RevocationDate)));
            }
        }

        return CertificateVerdict.Valid;
    }

    private static bool Verifies(X509Crl crl, Org.BouncyCastle.X509.X509Certificate issuer)
    {
        try
        {
            crl.Verify(issuer.GetPublicKey());
            return true;
        }
        catch (Exception e) when (e is Org.BouncyCastle.Security.InvalidKeyException or Org.BouncyCastle.Security.SignatureException
            or Org.BouncyCastle.Security.Certificates.CrlException or InvalidOperationException)
        {
            return false;
        }
    }

    private static Org.BouncyCastle.X509.X509Certificate DotNetUtilities(X509Certificate2 certificate) => new(certificate.RawData);

    private static bool ForUse(X509Certificate2 certificate, bool forSigning)
    {
        if (certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage
            && (usage.KeyUsages & (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation)) == 0)
        {
            return false;
        }

        if (forSigning || certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is not { } extended)
        {
            return true;
        }

        return extended.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value is ClientAuthentication or AnyExtendedKeyUsage);
    }

    /// <summary>The CA certificates in <paramref name="folder"/> (each file PEM, possibly several, or DER).</summary>
    internal static List<X509Certificate2> LoadAuthorities(string? folder)
    {
        var found = new List<X509Certificate2>();
        if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
        {
            return found;
        }

        foreach (var file in Directory.EnumerateFiles(folder).Where(f => CertificateExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order())
        {
            var bytes = File.ReadAllBytes(file);
            try
            {
                if (bytes.AsSpan().StartsWith("-----"u8))
                {
                    var collection = new X509Certificate2Collection();
                    collection.ImportFromPem(System.Text.Encoding.ASCII.GetString(bytes));
                    found.AddRange(collection);
                }
                else
                {
                    found.Add(X509CertificateLoader.LoadCertificate(bytes));
                }
            }
            catch (CryptographicException)
            {
                // Not a certificate (a README, a key): the folder may hold other files.
            }
        }

        return found;
    }

    private static List<X509Crl> LoadCrls(string? path)
    {
        var files = File.Exists(path) ? [path]
            : Directory.Exists(path) ? Directory.EnumerateFiles(path, "*.crl").Order().ToList()
            : new List<string>();
        var parser = new X509CrlParser();
        var crls = new List<X509Crl>();
        foreach (var file in files)
        {
            try
            {
                crls.AddRange(parser.ReadCrls(File.ReadAllBytes(file)));
            }
            catch (Org.BouncyCastle.Security.Certificates.CrlException)
            {
                // An unreadable file counts as no CRL: revocation is then unknown and sign-in refused, never let through.
            }
        }

        return crls;
    }

    private static string Day(DateTime value) => value.ToUniversalTime().AddHours(8).ToString("yyyy年M月d日", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The words for each problem (Simplified Chinese; each says what to do).</summary>
    public static class Messages
    {
        public const string Missing = "未收到数字证书：请插入企业数字证书（USB Key）后，从“数字证书登录”入口进入，浏览器询问时选择您的证书。";

        public static string Expired(string day) => $"数字证书已于{day}过期，请到发证机构（CA）办理证书更新后再登录，或改用密码登录。";

        public static string IssuerExpired(string issuer) => $"签发该数字证书的机构证书（{issuer}）已过期，请联系发证机构（CA）。";

        public static string NotYetValid(string day) => $"数字证书尚未生效（{day}起生效），请在生效后再使用。";

        public static string UnknownIssuer(string issuer) =>
            $"该数字证书不是本系统认可的发证机构签发的（签发者：{issuer}），请使用县数字证书认证分中心签发的企业数字证书。";

        public static string Revoked(string day) => $"该数字证书已被吊销（吊销日期：{day}），不能再使用，请到发证机构（CA）重新办理。";

        public const string RevocationUnknown = "暂时无法确认该数字证书是否已被吊销（证书吊销列表不可用或已过期），请稍后再试或改用密码登录；多次出现请联系政务服务中心。";
        public const string OcspUnreachable =
            "暂时无法连接发证机构的证书状态服务（OCSP），无法确认该数字证书是否已被吊销，请稍后再试或改用密码登录；多次出现请联系政务服务中心。";

        public const string OcspUnknown = "发证机构的证书状态服务（OCSP）没有给出该数字证书的有效状态，请稍后再试或改用密码登录；多次出现请联系发证机构（CA）。";

        public const string NotForSignIn = "该数字证书不能用于登录（证书用途不含身份认证），请使用企业的身份认证证书。";
        public const string NotForSigning = "该数字证书不能用于签名（证书用途不含数字签名），请使用企业的签名证书。";
    }
}
