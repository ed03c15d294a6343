namespace ApprovalSystem.Web.Features.Bundles.Pages;

/// <summary>One downloadable paper of a member on the bundle page: a certificate or a decision (a result), or another document.</summary>
public sealed record ResultLine(string Kind, string Title, string MatterName, string? Number, DateTimeOffset IssuedAt, string Href)
{
    /// <summary>A result 办理结果 (certificate or decision), as opposed to a receipt or a notice.</summary>
    public bool IsResult => Kind is "Certificate" or "ApprovalDecision" or "DenialDecision";
}
