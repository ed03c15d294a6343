namespace ApprovalSystem.Web.Data;

/// <summary>The status of an issued certificate in the register (expiry is derived from the validity date).</summary>
public enum CertificateStatus
{
    /// <summary>有效.</summary>
    Valid,

    /// <summary>已撤销: revoked (e.g. granted unlawfully).</summary>
    Revoked,

    /// <summary>已注销: cancelled (holder ceased, gave it up, …).</summary>
    Cancelled,
}

/// <summary>A certificate in the certificate register 证照库: written when the certificate is issued.</summary>
public class CertificateRecord
{
    public long Id { get; set; }

    /// <summary>The certificate number 证照编号 from the per-type series.</summary>
    public string Number { get; set; } = "";

    /// <summary>The unguessable code in the QR code (the public verification page's key).</summary>
    public string Code { get; set; } = "";

    public long CaseId { get; set; }

    public string CaseNumber { get; set; } = "";

    /// <summary>The certificate type's code (see Documents.CertificateTypes.Types).</summary>
    public string Type { get; set; } = "";

    public string HolderName { get; set; } = "";

    /// <summary>"ResidentId" or "CreditCode": a person's name is masked on the public page, an enterprise's is not.</summary>
    public string HolderIdKind { get; set; } = "";

    /// <summary>The issuing department's code.</summary>
    public string Department { get; set; } = "";

    public DateTimeOffset IssuedAt { get; set; }

    /// <summary>Last valid day (China local date); null = 长期.</summary>
    public DateOnly? ValidUntil { get; set; }

    public CertificateStatus Status { get; set; }

    public string? StatusReason { get; set; }

    public string? StatusChangedBy { get; set; }

    public DateTimeOffset? StatusChangedAt { get; set; }

    public int ReprintCount { get; set; }

    /// <summary>Optimistic concurrency for status changes and reprints.</summary>
    public int Version { get; set; }

    /// <summary>Valid, revoked or cancelled — or expired (已过期) once the validity date has passed.</summary>
    public string StatusName(DateOnly today) => Status switch
    {
        CertificateStatus.Revoked => "已撤销",
        CertificateStatus.Cancelled => "已注销",
        _ when ValidUntil is { } until && until < today => "已过期",
        _ => "有效",
    };
}

/// <summary>
/// A document exactly as it was issued at an act (so the applicant later downloads these bytes, not a re-rendering).
/// The bytes are a file under the data folder named by <see cref="Sha256"/> (Infrastructure.ContentFiles, decision 0016);
/// documents stored before that keep them in <see cref="Content"/>.
/// </summary>
public class CaseDocument
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    /// <summary>The kind's name (Documents.CaseDocumentKind).</summary>
    public string Kind { get; set; } = "";

    /// <summary>The moment of the act that produced it (distinguishes e.g. two supplement notices).</summary>
    public DateTimeOffset IssuedAt { get; set; }

    public string FileName { get; set; } = "";

    public string Sha256 { get; set; } = "";

    /// <summary>The PDF itself, only in rows stored before the bytes moved to files; null since.</summary>
    public byte[]? Content { get; set; }

    public DateTimeOffset StoredAt { get; set; }
}

/// <summary>
/// A document an act issued that is not rendered yet (the documents' outbox): written in the act's own transaction with
/// the document's words as of the act, rendered and stored as a <see cref="CaseDocument"/> by the document worker after
/// the commit, then deleted. <see cref="NextAttemptAt"/> is both the retry time and the lease of the worker rendering it.
/// </summary>
public class PendingDocument
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    /// <summary>The kind's name (Documents.CaseDocumentKind).</summary>
    public string Kind { get; set; } = "";

    /// <summary>The moment of the act that issued it (the stored document's <see cref="CaseDocument.IssuedAt"/>).</summary>
    public DateTimeOffset IssuedAt { get; set; }

    public string FileName { get; set; } = "";

    /// <summary>What the document says, as JSON (Documents.IssuedContent): fixed at the act, so a later act cannot change it.</summary>
    public string Content { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Renderings begun (a crash while rendering counts too); after the worker's last one the row waits for an administrator.</summary>
    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public string? LastError { get; set; }
}
