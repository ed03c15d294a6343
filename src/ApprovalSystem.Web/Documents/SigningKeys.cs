using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ApprovalSystem.Web.Documents;

/// <summary>
/// The document-signing certificates (decision 0052), from configuration: <c>Documents:Signing:Certificate</c> for the centre and
/// <c>Documents:Signing:Departments:{code}</c> for a department that signs with its own, each a <c>Path</c> to a .p12 file
/// (the key, its certificate and the chain up to the CA) and its <c>Password</c> (an environment variable or secret, never
/// appsettings.json). In Development, without a configured centre certificate, the first start makes a signing CA and a
/// centre certificate under the data folder (<see cref="DevelopmentFolder"/>). Elsewhere without one, documents are issued
/// unsigned with a warning at start and in the health check, unless <c>Documents:Signing:Required</c> is true: then the
/// start stops and says what is missing.
/// </summary>
public sealed class SigningKeys
{
    /// <summary>Where a development start keeps its signing CA and the centre's certificate, under the data folder.</summary>
    public const string DevelopmentFolder = "signing";

    /// <summary>The development centre certificate with its key and chain (no password: a development key only).</summary>
    public const string DevelopmentP12 = "centre-signing.p12";

    /// <summary>The development CA's certificate (PEM), to trust in a PDF reader or an NSS database for pdfsig.</summary>
    public const string DevelopmentCa = "centre-signing-ca.crt";

    private SigningKeys(SigningKey? centre, IReadOnlyDictionary<string, SigningKey> departments, string? notice)
    {
        Centre = centre;
        Departments = departments;
        Notice = notice;
    }

    /// <summary>The centre's key, or null when documents are issued unsigned.</summary>
    public SigningKey? Centre { get; }

    /// <summary>Departments that sign with their own certificate, by department code.</summary>
    public IReadOnlyDictionary<string, SigningKey> Departments { get; }

    /// <summary>What a person starting the system must know (a development certificate made, or documents unsigned).</summary>
    public string? Notice { get; }

    /// <summary>Every key in use: the centre's and the departments'.</summary>
    public IEnumerable<SigningKey> All => Departments.Values.Prepend(Centre).OfType<SigningKey>();

    /// <summary>The key an organ signs with: its own when configured, else the centre's.</summary>
    public SigningKey? For(string? departmentCode) =>
        departmentCode is not null && Departments.TryGetValue(departmentCode, out var own) ? own : Centre;

    public static SigningKeys Load(IConfiguration configuration, IHostEnvironment environment, string dataFolder, TimeProvider clock)
    {
        var section = configuration.GetSection("Documents:Signing");
        var departments = section.GetSection("Departments").GetChildren()
            .Where(d => d["Path"] is { Length: > 0 })
            .ToDictionary(d => d.Key, d => SigningKey.Load(d["Path"]!, d["Password"], $"Documents:Signing:Departments:{d.Key}"), StringComparer.Ordinal);
        if (section["Certificate:Path"] is { Length: > 0 } path)
        {
            return new(SigningKey.Load(path, section["Certificate:Password"], "Documents:Signing:Certificate"), departments, null);
        }

        if (environment.IsDevelopment())
        {
            var folder = Path.Combine(dataFolder, DevelopmentFolder);
            var file = Path.Combine(folder, DevelopmentP12);
            var made = !File.Exists(file);
            if (made)
            {
                CreateDevelopmentCertificate(folder, clock.GetUtcNow());
            }

            var key = SigningKey.Load(file, null, file);
            return new(key, departments, made
                ? $"Made a development signing CA and centre certificate in {folder} (trust {DevelopmentCa} to check signatures; never use it in production)"
                : null);
        }

        const string missing = "No document-signing certificate: set Documents:Signing:Certificate:Path (a .p12 with its chain) and "
            + "Documents:Signing:Certificate:Password (e.g. the environment variable Documents__Signing__Certificate__Password)";
        return section.GetValue("Required", false)
            ? throw new InvalidOperationException(missing + ". Documents:Signing:Required is true, so the system does not start without it.")
            : new(null, departments, missing + ". Documents are issued UNSIGNED until it is configured.");
    }

    /// <summary>A signing CA and a centre certificate it issued, ECDSA P-256 (fast to make on every test's start, small signatures).</summary>
    internal static void CreateDevelopmentCertificate(string folder, DateTimeOffset now, string organ = "云溪县行政服务中心")
    {
        Directory.CreateDirectory(folder);
        static CertificateRequest Request(ECDsa key, string organ, string commonName)
        {
            var name = new X500DistinguishedNameBuilder();
            name.AddCountryOrRegion("CN");
            name.AddOrganizationName(organ);
            name.AddCommonName(commonName);
            return new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256);
        }

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = Request(caKey, organ, $"{organ}文书签名CA（开发用）");
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(20));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Request(key, organ, $"{organ}（开发用文书签名证书）");
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        // No extended key usage: NSS (pdfsig) then accepts it for signatures; a CA's document-signing certificate may name
        // emailProtection and documentSigning (RFC 9336).
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(ca, now.AddDays(-1), now.AddYears(10), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        var p12 = new X509Certificate2Collection { withKey, X509CertificateLoader.LoadCertificate(ca.RawData) }.Export(X509ContentType.Pkcs12)!;
        File.WriteAllBytes(Path.Combine(folder, DevelopmentP12), p12);
        File.WriteAllText(Path.Combine(folder, DevelopmentCa), ca.ExportCertificatePem() + "\n");
    }
}

/// <summary>One organ's signing certificate with its private key, and the chain to embed (up to, not including, the root).</summary>
public sealed class SigningKey
{
    private SigningKey(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain, IReadOnlyList<X509Certificate2> roots, string source)
    {
        Certificate = certificate;
        Chain = chain;
        Roots = roots;
        Source = source;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificates between the signing certificate and the root: embedded in every signature.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>The self-signed CA certificates of the .p12: not embedded (a verifier trusts its own copy), but trusted by our own check.</summary>
    public IReadOnlyList<X509Certificate2> Roots { get; }

    /// <summary>Where it was loaded from (the file or the setting), for messages.</summary>
    public string Source { get; }

    public static SigningKey Load(string path, string? password, string setting)
    {
        X509Certificate2Collection all;
        try
        {
            all = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{setting}: cannot read the signing certificate {path} ({e.Message}); check the path and its Password.", e);
        }

        var signer = all.FirstOrDefault(c => c.HasPrivateKey)
            ?? throw new InvalidOperationException($"{setting}: {path} holds no private key; export the certificate with its key (.p12/.pfx).");
        var others = all.Where(c => !ReferenceEquals(c, signer)).ToList();
        var roots = others.Where(c => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData)).ToList();
        return new SigningKey(signer, [.. others.Except(roots)], roots, path);
    }

    public string Describe() => $"{Certificate.GetNameInfo(X509NameType.SimpleName, false)} "
        + $"(SHA-256 {Certificate.GetCertHashString(HashAlgorithmName.SHA256)[..16]}…, "
        + $"valid until {Certificate.NotAfter:yyyy-MM-dd}, chain {Chain.Count} + {Roots.Count} root{(Roots.Count == 1 ? "" : "s")}, from {Source})";
}
