namespace ApprovalSystem.Web.Data;

/// <summary>
/// A digital certificate (数字证书) bound to an applicant's account: signing in with it signs in as the account (decision 0051).
/// Bound at the first sign-in with it, after the account's password (or when the account was registered from it); removable
/// by the account's holder on 数字证书 (<c>/account/certificates</c>).
/// </summary>
public sealed class CertificateBinding
{
    public long Id { get; set; }

    public string UserId { get; set; } = "";

    /// <summary>SHA-256 of the certificate's DER encoding, upper-case hex: the key sign-in looks it up by.</summary>
    public string Thumbprint { get; set; } = "";

    /// <summary>The certificate's serial number (hex) as its issuer numbered it.</summary>
    public string SerialNumber { get; set; } = "";

    public string Issuer { get; set; } = "";

    public string Subject { get; set; } = "";

    public DateTimeOffset NotBefore { get; set; }

    public DateTimeOffset NotAfter { get; set; }

    public DateTimeOffset BoundAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>The DER encoding, so a filing's signature is verified against the very certificate the account holds.</summary>
    public byte[] Certificate { get; set; } = [];
}

/// <summary>
/// An applicant's signature of the application it submitted (申请人数字签名): a detached CMS/PKCS#7 signature, made with the
/// applicant's own key, of the case's canonical filing text (<c>FilingSignatures.Canonical</c>: the form data, the materials'
/// SHA-256 hashes and <see cref="SignedAt"/>). The server never signs for the applicant; it verifies against the stored case
/// every time it shows the result, so a later change to the stored data breaks the signature visibly (decision 0051).
/// </summary>
public sealed class CaseSignature
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    /// <summary>The signing time the applicant put in the signed text.</summary>
    public DateTimeOffset SignedAt { get; set; }

    /// <summary>The CMS SignedData (DER) with the signer's certificate, content detached.</summary>
    public byte[] Cms { get; set; } = [];

    /// <summary>SHA-256 of the signer's certificate (upper-case hex), one of the account's bindings when it was received.</summary>
    public string SignerThumbprint { get; set; } = "";

    public string SignerSubject { get; set; } = "";

    public DateTimeOffset ReceivedAt { get; set; }
}
