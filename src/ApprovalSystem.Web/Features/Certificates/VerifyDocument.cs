using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Documents;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Certificates;

/// <summary>
/// The public check of an uploaded PDF against a certificate's verification code 文书核验 (decision 0052): is it exactly a
/// document issued for that certificate's case (its SHA-256 among the case's stored documents), and is its digital signature
/// sound and ours? The answer names the kind of document and the signing organ, never the case's personal data; the file
/// is not kept.
/// </summary>
public static class VerifyDocument
{
    /// <summary>An issued document is well under 1 MB; anything above this is not one (and is not read further).</summary>
    public const long MaxBytes = 10 * 1024 * 1024;

    public enum Outcome
    {
        /// <summary>The bytes of a document issued for the case, signed by us.</summary>
        Issued,

        /// <summary>The bytes of a document issued for the case before documents were signed.</summary>
        IssuedUnsigned,

        /// <summary>Signed by us over the whole file, but not a document of this certificate's case.</summary>
        OtherDocument,

        /// <summary>A signature whose bytes do not match, or a file appended to after signing.</summary>
        Changed,

        /// <summary>A sound signature by someone who is not one of our issuing organs.</summary>
        NotOurs,

        /// <summary>Neither signed nor the bytes of an issued document.</summary>
        NotIssued,

        /// <summary>Not a PDF, empty, or too large.</summary>
        NotAPdf,
    }

    /// <param name="DocumentTitle">The kind of issued document it is (证照, 准予行政许可决定书…), when it is one.</param>
    public sealed record Result(Outcome Outcome, string Message, string? DocumentTitle = null, string? Signer = null, DateTimeOffset? SignedAt = null)
    {
        public bool IsGenuine => Outcome is Outcome.Issued or Outcome.IssuedUnsigned;
    }

    public sealed class Handler(IDbContextFactory<AppDbContext> dbFactory, PdfSignatureCheck check)
    {
        /// <summary>Null when no certificate has the code (the page says so already).</summary>
        public async Task<Result?> HandleAsync(string code, byte[] pdf, CancellationToken ct = default)
        {
            if (code.Length is not (> 0 and <= 32))
            {
                return null;
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var caseId = await db.Cases.Where(c => c.CertificateCode == code).Select(c => (long?)c.Id).FirstOrDefaultAsync(ct);
            if (caseId is null)
            {
                return null;
            }

            if (pdf.Length == 0 || pdf.Length > MaxBytes || !pdf.AsSpan().StartsWith("%PDF-"u8))
            {
                return new(Outcome.NotAPdf, pdf.Length > MaxBytes
                    ? "文件超过10 MB，不是本系统签发的电子文书（签发的文书通常小于1 MB）。请上传收到的PDF原件。"
                    : "请上传PDF格式的电子文书（从本系统下载的证照、决定书或通知书）。");
            }

            var sha = ContentFiles.Sha256Of(pdf);
            var kind = await db.CaseDocuments.Where(d => d.CaseId == caseId && d.Sha256 == sha).Select(d => d.Kind).FirstOrDefaultAsync(ct);
            var title = kind is not null && Enum.TryParse<CaseDocumentKind>(kind, out var k) ? CaseDocuments.Title(k) : null;
            var finding = check.Check(pdf);
            var signed = finding.Signer is null ? "" : $"签名者：{finding.Signer}"
                + (finding.SignedAt is { } at ? $"，签名时间：{at.ToOffset(WorkingTime.ChinaOffset):yyyy-MM-dd HH:mm}" : "") + "。";
            return (title, finding.State) switch
            {
                ({ } t, SignatureState.Valid) => new(Outcome.Issued, $"该文件是本系统签发的{t}原件：与存档文件完全一致，数字签名有效。{signed}", t,
                    finding.Signer, finding.SignedAt),
                ({ } t, _) => new(Outcome.IssuedUnsigned, $"该文件与本系统存档的{t}完全一致（签发时尚未启用数字签名）。", t),
                (null, SignatureState.Valid) => new(Outcome.OtherDocument,
                    $"文件的数字签名有效，由本系统签发，但不是该证照所属办件的文书。请核对二维码与文件是否对应。{signed}", null, finding.Signer, finding.SignedAt),
                (null, SignatureState.Broken or SignatureState.Extended) => new(Outcome.Changed,
                    "数字签名验证失败：文件在签名后被改动或已损坏，不是签发的原件。请向发证机关或办件窗口索取原件核实。"),
                (null, SignatureState.NotOurs) => new(Outcome.NotOurs,
                    $"文件带有数字签名，但签名者不是本系统的签发机关，不是本系统签发的原件。{signed}"),
                (null, _) => new(Outcome.NotIssued, "文件没有本系统的数字签名，也与存档的文书不一致：不是本系统签发的原件。纸质文书扫描件请以二维码核验结果为准。"),
            };
        }
    }
}
