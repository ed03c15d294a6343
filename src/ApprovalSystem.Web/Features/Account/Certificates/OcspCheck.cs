using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace ApprovalSystem.Web.Features.Account.Certificates;

/// <summary>
/// Revocation by the CA's OCSP responder (RFC 6960), asked with BouncyCastle where <c>Revocation: Online</c> is configured and a
/// certificate names a responder in its AIA (decision 0053). Done here rather than by .NET's chain builder: on Linux that one
/// keeps its answers in a per-user disk cache, cannot be told which responder to trust, and reports an unreachable responder
/// and a missing one alike. The answer must be signed by the issuer or by a responder certificate the issuer gave OCSP signing,
/// name this certificate, and be current; anything else — no answer, a refusal, "unknown" — refuses (fail closed).
/// </summary>
public static class OcspCheck
{
    private const string OcspSigning = "1.3.6.1.5.5.7.3.9";

    /// <summary>How long a responder may take; a sign-in waits for it.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>An answer's thisUpdate may be this much in the future (the responder's clock).</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = Timeout })
    {
        Timeout = Timeout,
    };

    /// <summary>The OCSP responder's address in the certificate's Authority Information Access, or null.</summary>
    public static string? UrlOf(X509Certificate certificate)
    {
        if (certificate.GetExtensionValue(X509Extensions.AuthorityInfoAccess) is not { } value)
        {
            return null;
        }

        var access = AuthorityInformationAccess.GetInstance(X509ExtensionUtilities.FromExtensionValue(value));
        return access.GetAccessDescriptions()
            .Where(d => d.AccessMethod.Equals(AccessDescription.IdADOcsp) && d.AccessLocation.TagNo == GeneralName.UniformResourceIdentifier)
            .Select(d => DerIA5String.GetInstance(d.AccessLocation.Name).GetString())
            .FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || u.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Asks <paramref name="subject"/>'s responder whether it is revoked; <paramref name="issuer"/> issued it.</summary>
    public static CertificateVerdict Check(X509Certificate subject, X509Certificate issuer, DateTimeOffset now)
    {
        if (UrlOf(subject) is not { } url)
        {
            return new(CertificateProblem.RevocationUnknown, ClientCertificateCheck.Messages.RevocationUnknown);
        }

        var id = new CertificateID(CertificateID.DigestSha1, issuer, subject.SerialNumber);
        var request = new OcspReqGenerator();
        request.AddRequest(id);
        byte[] answer;
        try
        {
            using var content = new ByteArrayContent(request.Generate().GetEncoded());
            content.Headers.ContentType = new("application/ocsp-request");
            using var response = Http.Send(new HttpRequestMessage(HttpMethod.Post, url) { Content = content });
            if (!response.IsSuccessStatusCode)
            {
                return Unreachable;
            }

            using var stream = response.Content.ReadAsStream();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            answer = buffer.ToArray();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return Unreachable;
        }

        try
        {
            var response = new OcspResp(answer);
            if (response.Status != OcspRespStatus.Successful || response.GetResponseObject() is not BasicOcspResp basic || !SignedFor(basic, issuer, now))
            {
                return Unknown;
            }

            var single = basic.Responses.FirstOrDefault(r => r.GetCertID().Equals(id));
            if (single is null || single.ThisUpdate > now.UtcDateTime + Skew || single.NextUpdate is { } next && next < now.UtcDateTime)
            {
                return Unknown;
            }

            return single.GetCertStatus() switch
            {
                null => CertificateVerdict.Valid, // CertificateStatus.Good
                RevokedStatus revoked => new(CertificateProblem.Revoked, ClientCertificateCheck.Messages.Revoked(
                    revoked.RevocationTime.ToUniversalTime().AddHours(8).ToString("yyyy年M月d日", System.Globalization.CultureInfo.InvariantCulture))),
                _ => Unknown,
            };
        }
        catch (Exception e) when (e is OcspException or IOException or ArgumentException or InvalidCastException)
        {
            return Unknown;
        }
    }

    /// <summary>The answer is signed by the issuer itself, or by a responder certificate the issuer signed for OCSP signing.</summary>
    private static bool SignedFor(BasicOcspResp basic, X509Certificate issuer, DateTimeOffset now)
    {
        if (Verifies(basic, issuer))
        {
            return true;
        }

        return basic.GetCerts().Any(responder => responder.IssuerDN.Equivalent(issuer.SubjectDN) && responder.IsValid(now.UtcDateTime)
            && responder.GetExtendedKeyUsage()?.Any(k => k.Id == OcspSigning) == true && ClientCertificateCheck.SignedBy(responder, issuer)
            && Verifies(basic, responder));
    }

    private static bool Verifies(BasicOcspResp basic, X509Certificate signer)
    {
        try
        {
            return basic.Verify(signer.GetPublicKey());
        }
        catch (Exception e) when (e is OcspException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    private static CertificateVerdict Unreachable => new(CertificateProblem.RevocationUnknown, ClientCertificateCheck.Messages.OcspUnreachable);

    private static CertificateVerdict Unknown => new(CertificateProblem.RevocationUnknown, ClientCertificateCheck.Messages.OcspUnknown);
}
