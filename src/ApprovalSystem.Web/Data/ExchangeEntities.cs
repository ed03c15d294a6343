namespace ApprovalSystem.Web.Data;

/// <summary>A department's line system 部门业务系统 registered with the exchange, with its API key (hashed).</summary>
public class LineSystem
{
    public int Id { get; set; }

    /// <summary>Short stable code such as SCJG-YW.</summary>
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>The department code the system belongs to (SCJG, GA…).</summary>
    public string Department { get; set; } = "";

    /// <summary>SHA-256 of the API key (hex); the key itself is shown once and never stored.</summary>
    public string KeyHash { get; set; } = "";

    /// <summary>The key's first characters, so an administrator can tell keys apart.</summary>
    public string KeyPrefix { get; set; } = "";

    /// <summary>Matter codes the system may push, comma-separated; empty means its department's matters.</summary>
    public string AllowedMatters { get; set; } = "";

    /// <summary>
    /// The webhook allow-list 回调白名单, comma-separated host names and address ranges an administrator set (decision 0023);
    /// empty means any public address.
    /// </summary>
    public string WebhookAllowList { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? KeyRotatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public IReadOnlyList<string> AllowedMatterList => AllowedMatters.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>A line system's case id mapped onto the centre's case.</summary>
public class ExternalCaseLink
{
    public long Id { get; set; }

    public int SystemId { get; set; }

    public string ExternalCaseId { get; set; } = "";

    public long CaseId { get; set; }
}

public enum InboundStatus
{
    /// <summary>Stored, being applied.</summary>
    Received,

    /// <summary>Mapped onto a case and journalled.</summary>
    Applied,

    /// <summary>Could not be mapped; waits for an administrator to fix and replay.</summary>
    DeadLetter,
}

/// <summary>A case state pushed by a line system; unique per (system, sender's event id) so a retried push is applied once.</summary>
public class InboundEvent
{
    public long Id { get; set; }

    public int SystemId { get; set; }

    public string EventId { get; set; } = "";

    public string ExternalCaseId { get; set; } = "";

    public string MatterCode { get; set; } = "";

    public string Step { get; set; } = "";

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The push as received (JSON), so a dead letter can be corrected and replayed.</summary>
    public string Payload { get; set; } = "{}";

    public InboundStatus Status { get; set; }

    /// <summary>Why it could not be mapped (dead letters).</summary>
    public string? Reason { get; set; }

    public long? CaseId { get; set; }

    public DateTimeOffset? AppliedAt { get; set; }

    public int Replays { get; set; }
}

/// <summary>A subscriber's webhook: the centre's case events of the chosen kinds are posted to its URL, signed with its secret.</summary>
public class WebhookSubscription
{
    public int Id { get; set; }

    public int SystemId { get; set; }

    public string Url { get; set; } = "";

    /// <summary>The HMAC-SHA256 secret (needed in clear to sign).</summary>
    public string Secret { get; set; } = "";

    /// <summary>Event kinds, comma-separated (filed, accepted, step-done, decided, certificate-issued); empty means all.</summary>
    public string EventKinds { get; set; } = "";

    public bool Active { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }

    public bool Wants(string kind) => EventKinds.Length == 0 || EventKinds.Split(',', StringSplitOptions.TrimEntries).Contains(kind);
}

public enum DeliveryStatus
{
    Pending,
    Delivered,

    /// <summary>Gave up after the last attempt; an administrator may retry it.</summary>
    Failed,
}

/// <summary>
/// The outbox 发件箱: one row per case event and subscriber, written in the same save as the case act,
/// delivered by a job with retries and back-off (at least once; receivers de-duplicate by EventId).
/// </summary>
public class OutboxMessage
{
    public long Id { get; set; }

    public string EventId { get; set; } = "";

    public int SubscriptionId { get; set; }

    public string Kind { get; set; } = "";

    public long CaseId { get; set; }

    public string? CaseNumber { get; set; }

    public string Payload { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }

    public DeliveryStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public string? LastError { get; set; }
}

/// <summary>A resource 共享资源 a department publishes in the catalogue, with its fields.</summary>
public class ShareResource
{
    public int Id { get; set; }

    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>The providing department's code.</summary>
    public string Provider { get; set; } = "";

    public string Description { get; set; } = "";

    /// <summary>Field names, in order, separated by '|'; the first is the key a record is looked up by.</summary>
    public string Fields { get; set; } = "";

    public IReadOnlyList<string> FieldList => Fields.Split('|', StringSplitOptions.RemoveEmptyEntries);

    public string KeyField => FieldList.Count > 0 ? FieldList[0] : "";
}

/// <summary>One record of a resource, looked up by its key field.</summary>
public class ShareRecord
{
    public long Id { get; set; }

    public int ResourceId { get; set; }

    public string Key { get; set; } = "";

    /// <summary>Field → value, as JSON.</summary>
    public string Data { get; set; } = "{}";
}

public enum GrantStatus
{
    Requested,
    Granted,
    Refused,
}

/// <summary>A consumer department's request for chosen fields of a resource, with a purpose.</summary>
public class AccessRequest
{
    public int Id { get; set; }

    public int ResourceId { get; set; }

    public string Consumer { get; set; } = "";

    public string Purpose { get; set; } = "";

    public string RequestedBy { get; set; } = "";

    public DateTimeOffset RequestedAt { get; set; }

    public List<FieldGrant> Fields { get; set; } = [];
}

/// <summary>The provider's answer for one field of a request.</summary>
public class FieldGrant
{
    public int Id { get; set; }

    public int AccessRequestId { get; set; }

    public string Field { get; set; } = "";

    public GrantStatus Status { get; set; }

    public string? DecidedBy { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }
}

/// <summary>Every read of a resource: who, what (granted fields only), when, why.</summary>
public class ResourceReadLog
{
    public long Id { get; set; }

    public int ResourceId { get; set; }

    public string Consumer { get; set; } = "";

    public string Reader { get; set; } = "";

    /// <summary>The record's key, masked.</summary>
    public string Key { get; set; } = "";

    /// <summary>The fields returned, separated by '|'.</summary>
    public string Fields { get; set; } = "";

    public string Purpose { get; set; } = "";

    public DateTimeOffset At { get; set; }
}
