namespace ApprovalSystem.Web.Data;

/// <summary>A row of the append-only case journal 全程留痕, chained by hashes (see JournalChain).</summary>
public class CaseJournalEntry
{
    /// <summary>Position in the whole journal, 1, 2, 3… without gaps.</summary>
    public long Sequence { get; set; }

    public long CaseId { get; set; }

    public string? CaseNumber { get; set; }

    public DateTimeOffset At { get; set; }

    public string ActorId { get; set; } = "";

    public string ActorName { get; set; } = "";

    public string Role { get; set; } = "";

    public string? Department { get; set; }

    public string Action { get; set; } = "";

    public string FromState { get; set; } = "";

    public string ToState { get; set; } = "";

    public string? Opinion { get; set; }

    /// <summary>The data the act changed, as JSON.</summary>
    public string Data { get; set; } = "{}";

    public string PreviousHash { get; set; } = "";

    public string Hash { get; set; } = "";
}

/// <summary>The journal's single head row: last sequence and hash. Appends race on it optimistically.</summary>
public class JournalHead
{
    public int Id { get; set; }

    public long LastSequence { get; set; }

    public string LastHash { get; set; } = "";
}

/// <summary>Per-day case number counter (region + date), incremented optimistically.</summary>
public class CaseNumberCounter
{
    public string Prefix { get; set; } = "";

    public int Last { get; set; }
}

/// <summary>A stored version of a workflow definition: running cases stay on theirs.</summary>
public class WorkflowVersion
{
    public string WorkflowId { get; set; } = "";

    public int Version { get; set; }

    public string Title { get; set; } = "";

    public string ContentHash { get; set; } = "";

    public string Json { get; set; } = "";

    /// <summary>When it was published (new cases start on the newest from then on).</summary>
    public DateTimeOffset RegisteredAt { get; set; }

    /// <summary>Who published it: the administrator's name, or 系统 for a version seeded from the shipped files.</summary>
    public string PublishedBy { get; set; } = "";

    /// <summary>Why it was published (the administrator's reason).</summary>
    public string? Reason { get; set; }

    public WorkflowOrigin Origin { get; set; }
}

/// <summary>Where a draft or version of a flow came from.</summary>
public enum WorkflowOrigin
{
    /// <summary>随升级提供: a file of the shipped <c>workflows/</c> folder.</summary>
    Shipped,

    /// <summary>管理员编辑: an administrator edited it.</summary>
    Edited,

    /// <summary>导入: an administrator imported a file.</summary>
    Imported,
}

/// <summary>The one open draft 草稿 of a flow: edited until it is published as the next version or discarded.</summary>
public class WorkflowDraft
{
    public string WorkflowId { get; set; } = "";

    /// <summary>The definition as JSON text (what the designer and the file format speak).</summary>
    public string Json { get; set; } = "";

    /// <summary>The version the draft started from; null for a flow not yet published.</summary>
    public int? BasedOnVersion { get; set; }

    public WorkflowOrigin Origin { get; set; }

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Optimistic concurrency: two administrators saving one draft, the second is told.</summary>
    public int Revision { get; set; }
}

/// <summary>
/// The content of a flow's shipped file last seen at start: a file whose content differs arrives as a draft (or, when the
/// administrator has a draft open, as a notice on the list), never as a published version.
/// </summary>
public class WorkflowShipment
{
    public string WorkflowId { get; set; } = "";

    public string ContentHash { get; set; } = "";

    public string Json { get; set; } = "";

    public DateTimeOffset ArrivedAt { get; set; }

    /// <summary>The shipped content changed while a draft was open: the list offers it; nothing was overwritten.</summary>
    public bool UpdatePending { get; set; }
}

/// <summary>A filing request seen before: a retried request with the same key returns the same case.</summary>
public class IdempotencyRecord
{
    public string Key { get; set; } = "";

    public string UserId { get; set; } = "";

    public long CaseId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// The SHA-256 of the request that used the key (matter, applicant, form data, submit), so the key sent
    /// again with another body is told apart from a retry; null for keys recorded before it was kept.
    /// </summary>
    public string? RequestHash { get; set; }
}

/// <summary>
/// A file stored once by its SHA-256 under the data folder (<see cref="Infrastructure.ContentFiles"/>): an uploaded material,
/// an order's attachment, an issued document.
/// </summary>
public class StoredFile
{
    public string Sha256 { get; set; } = "";

    public string ContentType { get; set; } = "";

    public long Size { get; set; }

    public DateTimeOffset StoredAt { get; set; }
}
