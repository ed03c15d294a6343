using System.Collections.Concurrent;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace ApprovalSystem.Web.Documents;

/// <summary>
/// Signs an issued PDF with the issuing organ's certificate (decision 0052): PAdES baseline B-B, i.e. an incremental update
/// (<see cref="PdfSignatureUpdate"/>) holding a detached CMS (<c>ETSI.CAdES.detached</c>) made by .NET's <see cref="SignedCms"/>
/// (System.Security.Cryptography.Pkcs, in the ASP.NET Core shared framework) over the file's bytes but the signature: SHA-256,
/// the signed attributes content-type, message-digest and signing-certificate-v2 (the time is the dictionary's /M, as PAdES
/// asks), the certificate and its intermediate CAs embedded. Without a key (production without a certificate) the document
/// is returned unsigned.
/// </summary>
public sealed class PadesSigner(SigningKeys keys, TimeProvider clock) : IDocumentSigner
{
    /// <summary>Room left over the measured signature: an ECDSA signature's DER varies by a few bytes.</summary>
    private const int Slack = 16;

    private readonly ConcurrentDictionary<SigningKey, int> _capacities = new();

    public SigningKeys Keys => keys;

    public Task<byte[]> SignAsync(byte[] pdf, SigningRequest request, CancellationToken ct = default)
    {
        if (keys.For(request.DepartmentCode) is not { } key)
        {
            return Task.FromResult(pdf);
        }

        var capacity = _capacities.GetOrAdd(key, k => Cms(k, [0]).Length + Slack);
        var update = PdfSignatureUpdate.Prepare(pdf, capacity, clock.GetUtcNow(), request.Organ, request.Reason);
        return Task.FromResult(update.Embed(Cms(key, update.SignedBytes())));
    }

    public IReadOnlyList<string> Describe() =>
    [
        .. keys.Centre is { } centre ? [$"centre: {centre.Describe()}"] : new[] { "centre: NONE — documents are issued UNSIGNED" },
        .. keys.Departments.Select(d => $"department {d.Key}: {d.Value.Describe()}"),
        .. keys.Notice is { } notice ? [notice] : Array.Empty<string>(),
    ];

    /// <summary>The detached CMS SignedData over <paramref name="data"/>, DER.</summary>
    internal static byte[] Cms(SigningKey key, byte[] data)
    {
        var cms = new SignedCms(new ContentInfo(data), detached: true);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, key.Certificate)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"), // SHA-256
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        signer.Certificates.AddRange(key.Chain.ToArray());
        signer.SignedAttributes.Add(SigningCertificateV2(key.Certificate));
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }

    /// <summary>
    /// ESS signing-certificate-v2 (RFC 5035), which CAdES requires: binds the signature to the certificate by its SHA-256 hash
    /// (the default algorithm, so not written) and its issuer and serial number.
    /// </summary>
    internal static AsnEncodedData SigningCertificateV2(X509Certificate2 certificate)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence()) // SigningCertificateV2
        {
            using (writer.PushSequence()) // certs
            {
                using (writer.PushSequence()) // ESSCertIDv2
                {
                    writer.WriteOctetString(SHA256.HashData(certificate.RawData));
                    using (writer.PushSequence()) // IssuerSerial
                    {
                        using (writer.PushSequence()) // GeneralNames
                        {
                            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true))) // directoryName
                            {
                                writer.WriteEncodedValue(certificate.IssuerName.RawData);
                            }
                        }

                        writer.WriteInteger(certificate.SerialNumberBytes.Span);
                    }
                }
            }
        }

        return new AsnEncodedData(new Oid("1.2.840.113549.1.9.16.2.47"), writer.Encode());
    }
}
