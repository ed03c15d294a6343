namespace ApprovalSystem.Core.Cases;

/// <summary>The applicant 申请人 as recorded on the case.</summary>
public sealed record ApplicantInfo
{
    public required string Name { get; init; }

    /// <summary>居民身份证 or 统一社会信用代码.</summary>
    public required ApplicantIdType IdType { get; init; }

    public required string IdNumber { get; init; }

    public required string Phone { get; init; }

    public string? Address { get; init; }

    public string? LegalRepresentative { get; init; }
}

public enum ApplicantIdType
{
    ResidentId,
    CreditCode,
}

/// <summary>A material of the matter's checklist and what was handed in for it.</summary>
public sealed record CaseMaterial
{
    public required string Name { get; init; }

    public bool Required { get; init; }

    /// <summary>Received at the window or uploaded.</summary>
    public bool Received { get; init; }

    /// <summary>Stored file (content address) when uploaded.</summary>
    public string? FileSha256 { get; init; }

    public string? FileName { get; init; }

    public long? FileSize { get; init; }
}

/// <summary>A special procedure 特别程序 (hearing, inspection, expert review…): the clock stops.</summary>
public sealed record SpecialProcedure(string Kind, string Reason, DateTimeOffset StartedAt, string StartedBy, DateTimeOffset? EndedAt = null, string? EndedBy = null, string? Result = null);

/// <summary>A request to extend the limit 延期 and the head's answer.</summary>
public sealed record ExtensionRequest(int Days, string Reason, DateTimeOffset RequestedAt, string RequestedBy, bool? Approved = null, DateTimeOffset? AnsweredAt = null, string? AnsweredBy = null);

/// <summary>The archive record 归档: files, retention and location.</summary>
public sealed record ArchiveRecord(IReadOnlyList<string> Files, int RetentionYears, string Location, DateTimeOffset ArchivedAt, string ArchivedBy);

/// <summary>
/// A step of the case as the departments see it: one work item of the workflow with its assignee,
/// its own deadline clock, and — once done — who acted, how and with which opinion.
/// </summary>
public sealed class CaseStep
{
    public required string WorkItemId { get; init; }

    public required string StepId { get; init; }

    public string? BranchId { get; init; }

    public required string Title { get; init; }

    public required string Department { get; init; }

    public required string Role { get; init; }

    public int EntryCount { get; init; } = 1;

    public required DateTimeOffset OpenedAt { get; init; }

    public string? AssigneeId { get; set; }

    public string? AssigneeName { get; set; }

    public required Deadline Deadline { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>approve, deny, return, or cancelled when a joint step ended without it.</summary>
    public string? Outcome { get; set; }

    public string? Opinion { get; set; }

    public string? ActorId { get; set; }

    public string? ActorName { get; set; }

    /// <summary>Working days the step used when it closed.</summary>
    public int? UsedDays { get; set; }

    /// <summary>Optimistic concurrency: two officers acting at once, one wins.</summary>
    public int Version { get; set; }

    public bool IsOpen => ClosedAt is null;
}
