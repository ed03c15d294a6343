using System.Text.RegularExpressions;
using ApprovalSystem.Core.Identity;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;

namespace ApprovalSystem.Web.Infrastructure.Observability;

/// <summary>The data classes the logging pipeline redacts (Microsoft.Extensions.Compliance, decision 0044).</summary>
public static class DataTaxonomy
{
    public const string Name = "ApprovalSystem";

    /// <summary>个人信息: an account name that may be an ID or mobile number, a person's name.</summary>
    public static DataClassification PersonalData { get; } = new(Name, nameof(PersonalData));
}

/// <summary>Marks a log parameter as personal data: the logging pipeline passes it through <see cref="PersonalDataRedactor"/>.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field)]
public sealed class PersonalDataAttribute() : DataClassificationAttribute(DataTaxonomy.PersonalData);

/// <summary>
/// Redacts personal data the way the pages show it (<see cref="Masking"/>): an ID number or credit code inside the text keeps
/// its first and last four characters, a mobile number its first three and last four, a name in Chinese its first (and last)
/// character. What is none of these, such as a staff account's name chosen by the centre ("clerk2"), stays: the log must
/// still say who acted (ASVS 16.3). A registered applicant's account name is the ID number, so it is masked.
/// </summary>
public sealed partial class PersonalDataRedactor : Redactor
{
    public static string Mask(string value)
    {
        var masked = Identifier().Replace(value, m => m.Length == 11 && m.Value[0] == '1' ? Masking.Mobile(m.Value) : Masking.IdNumber(m.Value));
        return Han().IsMatch(masked) ? Han().Replace(masked, m => Masking.PersonName(m.Value)) : masked;
    }

    public override int GetRedactedLength(ReadOnlySpan<char> input) => Mask(input.ToString()).Length;

    public override int Redact(ReadOnlySpan<char> source, Span<char> destination)
    {
        var masked = Mask(source.ToString());
        masked.AsSpan().CopyTo(destination);
        return masked.Length;
    }

    /// <summary>An ID number (15 or 18 characters), a unified credit code (18), a mobile (11), or any longer run of digits.</summary>
    [GeneratedRegex(@"(?<![0-9A-Za-z])(?:[0-9A-Z]{18}|\d{11,}[\dXx]?)(?![0-9A-Za-z])")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"[\p{IsCJKUnifiedIdeographs}·•・]{2,}")]
    private static partial Regex Han();
}
