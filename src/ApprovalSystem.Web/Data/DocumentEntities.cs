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

/// <summary>A document exactly as it was issued at an act (so the applicant later downloads these bytes, not a re-rendering).</summary>
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

    public byte[] Content { get; set; } = [];

    public DateTimeOffset StoredAt { get; set; }
}
