using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ApprovalSystem.Web.Documents;

/// <summary>What our own check found in a PDF's last signature.</summary>
public enum SignatureState
{
    /// <summary>No signature at all (not issued by this system, or issued before signing, or printed and scanned).</summary>
    NoSignature,

    /// <summary>A signature whose bytes do not match: the file was changed after signing (or the signature is damaged).</summary>
    Broken,

    /// <summary>A sound signature that does not cover the whole file: something was appended after signing.</summary>
    Extended,

    /// <summary>A sound signature over the whole file, but by a certificate that is not one of ours.</summary>
    NotOurs,

    /// <summary>A sound signature over the whole file by one of our signing certificates (or one our CAs issued).</summary>
    Valid,
}

/// <summary>The outcome of <see cref="PdfSignatureCheck.Check"/>: the state, and for a sound signature who signed and when.</summary>
public sealed record SignatureFinding(SignatureState State, string? Signer = null, DateTimeOffset? SignedAt = null);

/// <summary>
/// Our own check of an uploaded PDF's signature (the one <see cref="PadesSigner"/> writes, or any PAdES/adbe.pkcs7.detached
/// one): the last /ByteRange must cover the whole file but its /Contents, the CMS must verify over those bytes, and its
/// certificate must be one of ours or chain to one of our CAs (no revocation check: it answers "did we sign these bytes").
/// </summary>
public sealed class PdfSignatureCheck(SigningKeys keys)
{
    public SignatureFinding Check(ReadOnlySpan<byte> pdf)
    {
        var at = pdf.LastIndexOf("/ByteRange"u8);
        if (at < 0 || !TryByteRange(pdf, at + 10, out var range))
        {
            return new(SignatureState.NoSignature);
        }

        var (start, length1, offset2, length2) = range;
        if (start != 0 || length1 <= 0 || offset2 <= length1 + 1 || offset2 > pdf.Length || length2 < 0 || (long)offset2 + length2 > pdf.Length
            || pdf[length1] != '<' || pdf[offset2 - 1] != '>')
        {
            return new(SignatureState.Broken);
        }

        SignedCms cms;
        try
        {
            var der = Convert.FromHexString(Encoding.ASCII.GetString(pdf[(length1 + 1)..(offset2 - 1)]));
            // The placeholder's zeros follow the DER: read exactly one encoded value.
            AsnDecoder.ReadEncodedValue(der, AsnEncodingRules.BER, out _, out _, out var used);
            cms = new SignedCms(new ContentInfo([.. pdf[..length1], .. pdf.Slice(offset2, length2)]), detached: true);
            cms.Decode(der.AsSpan(0, used));
            cms.CheckSignature(verifySignatureOnly: true);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or AsnContentException or ArgumentException)
        {
            return new(SignatureState.Broken);
        }

        var certificate = cms.SignerInfos[0].Certificate;
        var signer = certificate?.GetNameInfo(X509NameType.SimpleName, false);
        var signedAt = SignedAt(pdf[offset2..][..Math.Min(400, pdf.Length - offset2)]) ?? SignedAt(pdf[Math.Max(0, length1 - 400)..length1]);
        if ((long)offset2 + length2 != pdf.Length)
        {
            return new(SignatureState.Extended, signer, signedAt);
        }

        return certificate is not null && IsOurs(certificate, cms.Certificates)
            ? new(SignatureState.Valid, signer, signedAt)
            : new(SignatureState.NotOurs, signer, signedAt);
    }

    private bool IsOurs(X509Certificate2 certificate, X509Certificate2Collection embedded)
    {
        if (keys.All.Any(k => k.Certificate.RawData.AsSpan().SequenceEqual(certificate.RawData)))
        {
            return true;
        }

        // A certificate of an organ that one of our CAs issued (a renewed one, or one no longer configured): its chain to our roots.
        var roots = keys.All.SelectMany(k => k.Roots).ToList();
        if (roots.Count == 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots.ToArray());
        chain.ChainPolicy.ExtraStore.AddRange(embedded);
        chain.ChainPolicy.ExtraStore.AddRange(keys.All.SelectMany(k => k.Chain).ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTimeIgnored = true;
        return chain.Build(certificate);
    }

    private static bool TryByteRange(ReadOnlySpan<byte> pdf, int p, out (int, int, int, int) range)
    {
        range = default;
        var numbers = new List<int>(4);
        p = RawPdf.SkipSpace(pdf, p);
        if (p >= pdf.Length || pdf[p] != '[')
        {
            return false;
        }

        for (p++; numbers.Count < 4; )
        {
            p = RawPdf.SkipSpace(pdf, p);
            var begin = p;
            while (p < pdf.Length && char.IsAsciiDigit((char)pdf[p]) && p - begin < 10)
            {
                p++;
            }

            if (p == begin || !int.TryParse(pdf[begin..p], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }

            numbers.Add(n);
        }

        range = (numbers[0], numbers[1], numbers[2], numbers[3]);
        return true;
    }

    /// <summary>The /M of the signature dictionary (D:yyyyMMddHHmmss+08'00'), searched beside /Contents; null when absent.</summary>
    private static DateTimeOffset? SignedAt(ReadOnlySpan<byte> before)
    {
        var at = before.IndexOf("/M (D:"u8);
        if (at < 0 || before.Length < at + 6 + 14)
        {
            return null;
        }

        var text = Encoding.ASCII.GetString(before.Slice(at + 6, Math.Min(21, before.Length - at - 6)));
        var offset = text.Length >= 20 && text[14] is '+' or '-'
            && int.TryParse(text.AsSpan(15, 2), CultureInfo.InvariantCulture, out var h)
            && int.TryParse(text.AsSpan(18, 2), CultureInfo.InvariantCulture, out var m)
            ? new TimeSpan(h, m, 0) * (text[14] == '-' ? -1 : 1) : TimeSpan.Zero;
        return DateTime.TryParseExact(text[..14], "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, offset) : null;
    }
}
