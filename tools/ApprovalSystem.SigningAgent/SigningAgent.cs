using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Utilities.Collections;
using Org.BouncyCastle.X509;

namespace ApprovalSystem.SigningAgent;

/// <summary>What the agent runs with: the key it signs with, the web origins it answers, its port and who confirms a signature.</summary>
/// <param name="Key">The certificate with its private key (from a .p12), standing in for a USB key.</param>
/// <param name="Origins">The application's origins (<c>https://host:port</c>) whose pages may call the agent; no other site may.</param>
/// <param name="Port">The loopback port (18199 by default; 0 picks a free one).</param>
/// <param name="Confirm">Asked before each signature with its description; false answers "cancelled" (a real agent's PIN dialog).</param>
public sealed record AgentSettings(SigningKey Key, IReadOnlyCollection<string> Origins, int Port = 18199, Func<string, bool>? Confirm = null);

/// <summary>
/// The reference signing agent (数字证书助手): a small HTTP service on 127.0.0.1 that a case page's script calls to sign a
/// filing with the applicant's own key, the way Chinese CAs' USB-key components work. The protocol (docs/signing-agent.md):
/// <c>GET /status</c> lists the certificates, <c>POST /sign</c> returns a detached CMS/PKCS#7 signature of the given bytes.
/// CORS is granted only to the configured origins, so another web site cannot make the agent sign.
/// </summary>
public static class Agent
{
    public const int Protocol = 1;

    /// <summary>The agent's answer to <c>GET /status</c>.</summary>
    public sealed record Status(string Agent, int Protocol, IReadOnlyList<CertificateInfo> Certificates);

    public sealed record CertificateInfo(string Thumbprint, string Subject, string Issuer, DateTimeOffset NotBefore, DateTimeOffset NotAfter,
        string Certificate);

    /// <summary>The body of <c>POST /sign</c>: base64 bytes to sign, optionally which certificate and what to show the user.</summary>
    public sealed record SignRequest(string? Content, string? CertificateThumbprint, string? Description);

    public sealed record SignAnswer(string Cms);

    public sealed record Refusal(string Error, string Message);

    /// <summary>The SHA-256 thumbprint (upper-case hex) of the certificate's DER: how the application names bound certificates.</summary>
    public static string Thumbprint(X509Certificate certificate) => Convert.ToHexString(SHA256.HashData(certificate.GetEncoded()));

    /// <summary>Builds the agent listening on 127.0.0.1 only.</summary>
    public static WebApplication Build(AgentSettings settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, settings.Port));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase);
        var app = builder.Build();
        var origins = settings.Origins.Select(o => o.TrimEnd('/')).ToHashSet(StringComparer.OrdinalIgnoreCase);

        app.Use(async (context, next) =>
        {
            var origin = context.Request.Headers.Origin.ToString();
            if (origin.Length > 0)
            {
                if (!origins.Contains(origin))
                {
                    // No CORS grant: the browser keeps the answer from the other site's script, and nothing is signed.
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    await context.Response.WriteAsJsonAsync(new Refusal("origin", $"此证书助手只为 {string.Join("、", origins)} 签名"));
                    return;
                }

                context.Response.Headers.AccessControlAllowOrigin = origin;
                context.Response.Headers.Vary = "Origin";
                if (HttpMethods.IsOptions(context.Request.Method))
                {
                    context.Response.Headers.AccessControlAllowMethods = "GET, POST";
                    context.Response.Headers.AccessControlAllowHeaders = "Content-Type";
                    context.Response.Headers.AccessControlMaxAge = "600";
                    if (context.Request.Headers.ContainsKey("Access-Control-Request-Private-Network"))
                    {
                        context.Response.Headers["Access-Control-Allow-Private-Network"] = "true"; // a public site calling loopback (Chromium)
                    }

                    context.Response.StatusCode = StatusCodes.Status204NoContent;
                    return;
                }
            }

            context.Response.Headers.CacheControl = "no-store";
            await next(context);
        });

        app.MapGet("/status", () => TypedResults.Ok(new Status("ApprovalSystem.SigningAgent（参考实现）", Protocol, [Info(settings.Key.Certificate)])));
        app.MapPost("/sign", (SignRequest request) => Sign(settings, request));
        return app;
    }

    private static IResult Sign(AgentSettings settings, SignRequest request)
    {
        byte[] content;
        try
        {
            content = Convert.FromBase64String(request.Content ?? "");
        }
        catch (FormatException)
        {
            return TypedResults.BadRequest(new Refusal("bad-request", "content 应为待签名内容的 Base64 编码"));
        }

        if (content.Length == 0)
        {
            return TypedResults.BadRequest(new Refusal("bad-request", "没有待签名的内容"));
        }

        if (request.CertificateThumbprint is { Length: > 0 } wanted
            && !string.Equals(wanted, Thumbprint(settings.Key.Certificate), StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.NotFound(new Refusal("no-certificate", "证书助手中没有所要求的数字证书，请插入对应的 USB Key"));
        }

        if (settings.Confirm is { } confirm && !confirm(request.Description ?? "签名"))
        {
            return TypedResults.Conflict(new Refusal("cancelled", "用户取消了签名"));
        }

        return TypedResults.Ok(new SignAnswer(Convert.ToBase64String(settings.Key.Sign(content))));
    }

    private static CertificateInfo Info(X509Certificate certificate) => new(Thumbprint(certificate), certificate.SubjectDN.ToString(),
        certificate.IssuerDN.ToString(), certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime(),
        Convert.ToBase64String(certificate.GetEncoded()));
}

/// <summary>
/// The key in the "USB key": a .p12 read with BouncyCastle (which also reads SM2 keys, unlike .NET), signing a detached CMS
/// SignedData with the signer's certificate: SHA-256 with ECDSA or RSA, or SM3 with SM2 (GB/T 35275) for a national-algorithm key.
/// </summary>
public sealed class SigningKey
{
    private const string Sm2Curve = "1.2.156.10197.1.301";

    private SigningKey(AsymmetricKeyParameter key, X509Certificate certificate)
    {
        PrivateKey = key;
        Certificate = certificate;
    }

    public X509Certificate Certificate { get; }

    private AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>Reads the first key and its certificate from a .p12 file.</summary>
    public static SigningKey Load(string path, string? password)
    {
        using var stream = File.OpenRead(path);
        var store = new Pkcs12StoreBuilder().Build();
        store.Load(stream, (password ?? "").ToCharArray());
        var alias = store.Aliases.First(store.IsKeyEntry);
        return new SigningKey(store.GetKey(alias).Key, store.GetCertificate(alias).Certificate);
    }

    /// <summary>The signature algorithm for the key: SM3withSM2 on the SM2 curve, else SHA-256 with the key's own algorithm.</summary>
    public string Algorithm => PrivateKey switch
    {
        ECPrivateKeyParameters { PublicKeyParamSet: { } curve } when curve.Id == Sm2Curve => "SM3withSM2",
        ECPrivateKeyParameters => "SHA256withECDSA",
        RsaKeyParameters => "SHA256withRSA",
        _ => throw new NotSupportedException("证书助手不支持此类密钥"),
    };

    public byte[] Sign(byte[] content)
    {
        var generator = new CmsSignedDataGenerator();
        generator.AddSignerInfoGenerator(new SignerInfoGeneratorBuilder().Build(new Asn1SignatureFactory(Algorithm, PrivateKey), Certificate));
        generator.AddCertificates(CollectionUtilities.CreateStore(new[] { Certificate }));
        return generator.Generate(new CmsProcessableByteArray(content), encapsulate: false).GetEncoded();
    }
}
