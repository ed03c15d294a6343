using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using ApprovalSystem.Core.Identity;

namespace ApprovalSystem.Web.Features.Account.Certificates;

/// <summary>Whose a certificate is, as its subject says: an enterprise by its credit code, or a person by the ID number.</summary>
/// <param name="CreditCode">统一社会信用代码 of an enterprise's certificate.</param>
/// <param name="IdNumber">居民身份证号码 of a person's (a legal person's) certificate.</param>
/// <param name="Name">The organisation (O) or, failing that, the common name without the identifier.</param>
/// <param name="Problem">Set when the subject names no usable identifier, in words to show.</param>
public sealed record CertificateHolder(string? CreditCode, string? IdNumber, string Name, string? Problem)
{
    /// <summary>The account name the holder's account has (registration makes the identifier the account name).</summary>
    public string? Identifier => CreditCode ?? IdNumber;
}

/// <summary>
/// Reads the holder of a certificate from its subject, in the places Chinese CAs put the identifier: the <c>serialNumber</c>
/// attribute, an <c>OU</c> or the <c>CN</c> (the order is configured, <see cref="CertificateSignInOptions.IdentifierFields"/>),
/// alone or within text (<c>CN=云溪县绿源食品有限公司(91330799MA2K3L4N5T)</c>). A credit code is proven by its check character; an
/// 18-character value that is a valid resident ID number (digits and a birth date; it may pass the credit code's check too) is a
/// legal person's certificate.
/// </summary>
public static partial class CertificateSubject
{
    private static readonly Dictionary<string, string> Attributes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["serialNumber"] = "2.5.4.5",
        ["OU"] = "2.5.4.11",
        ["CN"] = "2.5.4.3",
        ["O"] = "2.5.4.10",
        ["UID"] = "0.9.2342.19200300.100.1.1",
    };

    public const string NoIdentifier = "数字证书中没有统一社会信用代码或身份证号码，无法对应到账号，请使用企业（或法定代表人本人）的数字证书。";

    public static string WrongCode(string code, string? why) => $"数字证书中的统一社会信用代码“{code}”不正确（{why}），请联系发证机构（CA）核对证书。";

    public static CertificateHolder Read(X509Certificate2 certificate, IEnumerable<string> fields, DateOnly today)
    {
        var values = Values(certificate.SubjectName);
        var organisation = values.FirstOrDefault(v => v.Oid == "2.5.4.10").Value;
        var common = values.FirstOrDefault(v => v.Oid == "2.5.4.3").Value;
        string? firstWrong = null;
        foreach (var field in fields)
        {
            var oid = Attributes.TryGetValue(field, out var known) ? known : field;
            foreach (var (_, value) in values.Where(v => v.Oid == oid))
            {
                foreach (Match candidate in Identifier().Matches(value.ToUpperInvariant()))
                {
                    var text = candidate.Value;
                    var name = Name(organisation, common, text);
                    // An ID number (digits, X last, a birth date) may pass the credit code's check character too: it is a person's.
                    if (ResidentIdNumber.Validate(text, today) is null)
                    {
                        return new(null, text, name, null);
                    }

                    if (CreditCode.Validate(text) is null)
                    {
                        return new(text, null, name, null);
                    }

                    firstWrong ??= text;
                }
            }
        }

        return firstWrong is null
            ? new(null, null, Name(organisation, common, ""), NoIdentifier)
            : new(null, null, Name(organisation, common, firstWrong), WrongCode(firstWrong, CreditCode.Validate(firstWrong)));
    }

    private static string Name(string? organisation, string? common, string identifier)
    {
        var name = !string.IsNullOrWhiteSpace(organisation) ? organisation : common ?? "";
        if (identifier.Length > 0)
        {
            name = name.Replace(identifier, "", StringComparison.OrdinalIgnoreCase);
        }

        name = name.Trim(' ', '(', ')', '（', '）', '-', '_', ':', '：');
        return name.Length > 100 ? name[..100] : name;
    }

    /// <summary>The subject's attributes as (OID, text), in order; values of string types only.</summary>
    internal static List<(string Oid, string Value)> Values(X500DistinguishedName name)
    {
        var found = new List<(string, string)>();
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames())
        {
            try
            {
                if (rdn.GetSingleElementValue() is { } value)
                {
                    found.Add((rdn.GetSingleElementType().Value ?? "", value));
                }
            }
            catch (Exception e) when (e is InvalidOperationException or CryptographicException or AsnContentException)
            {
                // A multi-valued or non-string attribute: not where an identifier is kept.
            }
        }

        return found;
    }

    [GeneratedRegex("(?<![0-9A-Z])[0-9A-Z]{18}(?![0-9A-Z])")]
    private static partial Regex Identifier();
}
