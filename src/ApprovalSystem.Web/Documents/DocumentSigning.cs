namespace ApprovalSystem.Web.Documents;

/// <summary>
/// The last step of issuing a document 文书签名: the finished PDF's bytes in, the same bytes with a digital signature of the
/// issuing organ appended as an incremental update out (decision 0052). The visible seal is drawn by the renderer and stays
/// as it is; this is the cryptographic one that any PDF reader checks. <see cref="PadesSigner"/> signs with the organ's own
/// document-signing certificate (a .p12 file); a GB/T 38540 electronic seal platform 电子印章系统 plugs in here instead,
/// registered as this service before <c>AddDocuments</c>, and must return a file whose signature
/// <see cref="PdfSignatureCheck"/> accepts (or extend that check with its own verification).
/// </summary>
public interface IDocumentSigner
{
    /// <summary>The signed document: <paramref name="pdf"/> unchanged, followed by the update that carries the signature.</summary>
    Task<byte[]> SignAsync(byte[] pdf, SigningRequest request, CancellationToken ct = default);

    /// <summary>What signs, for the start-up report and the health entry: one line per organ, or a warning when nothing does.</summary>
    IReadOnlyList<string> Describe();
}

/// <summary>Who issues the document and why: the department's code (null: the centre) and the words the signature carries.</summary>
/// <param name="DepartmentCode">The issuing department's code; its own certificate signs when one is configured, else the centre's.</param>
/// <param name="Organ">The issuing organ's name as printed under the seal (the signature's /Name).</param>
/// <param name="Reason">The signature's /Reason, e.g. 签发准予行政许可决定书.</param>
public sealed record SigningRequest(string? DepartmentCode, string Organ, string Reason)
{
    /// <summary>The request for a rendered document: its issuer and title.</summary>
    public static SigningRequest For(DocumentContent content) => new(content.IssuerCode, content.Authority, "签发" + content.Title);
}
