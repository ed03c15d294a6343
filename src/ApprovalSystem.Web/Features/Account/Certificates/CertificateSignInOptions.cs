using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace ApprovalSystem.Web.Features.Account.Certificates;

/// <summary>How revocation of a client certificate is checked.</summary>
public enum RevocationCheck
{
    /// <summary>Against the CRL files in <see cref="CertificateSignInOptions.CrlPath"/> (checked with BouncyCastle).</summary>
    Crl,

    /// <summary>Online, by the certificate's own OCSP responder or CRL distribution point (.NET's chain builder).</summary>
    Online,

    /// <summary>Not at all (only for a test bench).</summary>
    None,
}

/// <summary>
/// Sign-in with a digital certificate (数字证书登录, mutual TLS; section <c>CertificateSignIn</c>, decision 0051). The sign-in
/// endpoint is a port of its own (<see cref="Port"/>) whose TLS handshake asks for a client certificate; behind a reverse proxy
/// that terminates TLS, the proxy forwards the certificate in <see cref="ForwardedHeader"/> instead.
/// </summary>
public sealed class CertificateSignInOptions
{
    public const string Section = "CertificateSignIn";

    /// <summary>The HTTPS port that asks for a client certificate; none binds no port (a proxy in front may still forward).</summary>
    public int? Port { get; set; }

    /// <summary>The address the port listens on (an IP address, <c>localhost</c> or <c>*</c>).</summary>
    public string ListenAddress { get; set; } = "localhost";

    /// <summary>
    /// Whether the handshake requires a certificate or only asks for one. Asking (the default) lets a browser without one
    /// reach the page that says in Chinese what to do; requiring ends such a handshake with the browser's own error.
    /// </summary>
    public ClientCertificateMode Mode { get; set; } = ClientCertificateMode.AllowCertificate;

    /// <summary>The TLS server certificate of the port (.p12/.pfx); in Development the test CA's <c>server.p12</c>.</summary>
    public string? ServerCertificate { get; set; }

    public string? ServerCertificatePassword { get; set; }

    /// <summary>
    /// The address people open to sign in with a certificate (the sign-in page links it), e.g.
    /// <c>https://ca.zwfw.example.gov.cn/account/certificate</c>; by default this host on <see cref="Port"/>.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>A folder of the trusted CA certificates (roots and intermediates; .crt, .cer or .pem, PEM or DER).</summary>
    public string? CaFolder { get; set; }

    /// <summary>A CRL file, or a folder of them (*.crl); by default the CA folder. Re-read at every sign-in.</summary>
    public string? CrlPath { get; set; }

    public RevocationCheck Revocation { get; set; } = RevocationCheck.Crl;

    /// <summary>
    /// Where in the subject the unified social credit code (or a legal person's ID number) is looked for, in order: attribute
    /// names <c>serialNumber</c>, <c>OU</c>, <c>CN</c>, <c>O</c>, <c>UID</c>, or a dotted OID.
    /// </summary>
    public IList<string> IdentifierFields { get; } = ["serialNumber", "OU", "CN"];

    /// <summary>
    /// The request header a TLS-terminating proxy puts the client certificate in (nginx: <c>$ssl_client_escaped_cert</c>, a
    /// URL-escaped PEM); unset, no header is read. Read only from <see cref="TrustedProxies"/> (or a Unix socket).
    /// </summary>
    public string? ForwardedHeader { get; set; }

    /// <summary>The proxies' addresses whose <see cref="ForwardedHeader"/> is believed.</summary>
    public IList<string> TrustedProxies { get; } = [];

    /// <summary>In Development, whether the first start makes a test CA under the data folder (when no CA folder is configured).</summary>
    public bool DevelopmentCa { get; set; } = true;
}
