using ApprovalSystem.Core.Identity;
using ApprovalSystem.Workflows;

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

    /// <summary>告知承诺: the applicant's signed commitment stands in for this material, so it is not required (decision 0060).</summary>
    public bool ReplacedByCommitment { get; init; }

    /// <summary>Received at the window or uploaded.</summary>
    public bool Received { get; init; }

    /// <summary>Stored file (content address) when uploaded.</summary>
    public string? FileSha256 { get; init; }

    public string? FileName { get; init; }

    public long? FileSize { get; init; }
}

/// <summary>A special procedure 特别程序 (hearing, inspection, expert review…): the clock stops.</summary>
public sealed record SpecialProcedure(string Kind, string Reason, DateTimeOffset StartedAt, string StartedBy, DateTimeOffset? EndedAt = null,
    string? EndedBy = null, string? Result = null);

/// <summary>A request to extend the limit 延期 and the head's answer.</summary>
public sealed record ExtensionRequest(int Days, string Reason, DateTimeOffset RequestedAt, string RequestedBy, bool? Approved = null,
    DateTimeOffset? AnsweredAt = null, string? AnsweredBy = null);

/// <summary>The archive record 归档: files, retention and location.</summary>
public sealed record ArchiveRecord(IReadOnlyList<string> Files, int RetentionYears, string Location, DateTimeOffset ArchivedAt, string ArchivedBy);

/// <summary>How a step ended: an act of the person on it, or cancelled when the case moved on without it.</summary>
public enum StepOutcome
{
    Approve,
    Deny,
    Return,

    /// <summary>A joint step ended without this branch, or the applicant withdrew while it was open.</summary>
    Cancelled,
}

public static class StepOutcomes
{
    /// <summary>The stored and API name (approve, deny, return, cancelled): what the CaseSteps.Outcome column has always held.</summary>
    public static string ToName(this StepOutcome outcome) => outcome switch
    {
        StepOutcome.Approve => "approve",
        StepOutcome.Deny => "deny",
        StepOutcome.Return => "return",
        StepOutcome.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>The outcome a stored name stands for.</summary>
    public static StepOutcome Parse(string name) => name switch
    {
        "approve" => StepOutcome.Approve,
        "deny" => StepOutcome.Deny,
        "return" => StepOutcome.Return,
        "cancelled" => StepOutcome.Cancelled,
        _ => throw new FormatException($"Unknown step outcome \"{name}\"."),
    };

    /// <summary>How people read it: 同意, 不同意, 退回, 已取消.</summary>
    public static string Chinese(this StepOutcome outcome) => outcome switch
    {
        StepOutcome.Approve => "同意",
        StepOutcome.Deny => "不同意",
        StepOutcome.Return => "退回",
        StepOutcome.Cancelled => "已取消",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    public static StepOutcome ToStepOutcome(this Outcome outcome) => outcome switch
    {
        Outcome.Approve => StepOutcome.Approve,
        Outcome.Deny => StepOutcome.Deny,
        Outcome.Return => StepOutcome.Return,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}

/// <summary>
/// A step of the case as the departments see it: one work item of the workflow with its assignee,
/// its own deadline clock, and — once done — who acted, how and with which opinion. Only the case
/// changes it (the methods are internal to Core); everyone else reads.
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

    /// <summary>
    /// Whether a department head may not take this officers' step because a head's step of the flow must be kept apart from it
    /// (审批 reserves 审核 for officers: <see cref="Case.SeparationConflict(WorkflowDefinition, CaseStep, string, bool, IEnumerable{CaseStep})"/>),
    /// decided from the definition when the step opens, so a head's worklist reads it from the step instead of from its case.
    /// Null for a step opened before it was kept (its case's definition decides, as before).
    /// </summary>
    public bool? KeptFromHead { get; init; }

    public required DateTimeOffset OpenedAt { get; init; }

    public string? AssigneeId { get; private set; }

    public string? AssigneeName { get; private set; }

    public Deadline Deadline { get; private set; } = null!;

    public DateTimeOffset? ClosedAt { get; private set; }

    public StepOutcome? Outcome { get; private set; }

    public string? Opinion { get; private set; }

    public string? ActorId { get; private set; }

    public string? ActorName { get; private set; }

    /// <summary>Working days the step used when it closed.</summary>
    public int? UsedDays { get; private set; }

    /// <summary>Optimistic concurrency: two officers acting at once, one wins.</summary>
    public int Version { get; private set; }

    public bool IsOpen => ClosedAt is null;

    /// <summary>The step is now <paramref name="userId"/>'s (claimed, or assigned by the head).</summary>
    internal void AssignTo(string userId, string name)
    {
        AssigneeId = userId;
        AssigneeName = name;
        Version++;
    }

    /// <summary>Closes the step with its outcome: the clock stops and the working days it used are kept.</summary>
    /// <param name="actor">Who acted; null when the step is cancelled.</param>
    internal void Close(StepOutcome outcome, string? opinion, CaseActor? actor, DateTimeOffset now, WorkingTime time)
    {
        ClosedAt = now;
        Outcome = outcome;
        Opinion = opinion;
        ActorId = actor?.UserId;
        ActorName = actor?.Name;
        UsedDays = Deadline.UsedAt(now, time);
        Deadline = Deadline.Stop(now, time);
        Version++;
    }

    /// <summary>The clock suspended, resumed or extended with the case's.</summary>
    internal void Reclock(Deadline deadline)
    {
        Deadline = deadline;
        Version++;
    }

    /// <summary>The clock stopped as the case concludes (the step's row version stays: no one acts on it).</summary>
    internal void StopClock(DateTimeOffset now, WorkingTime time) => Deadline = Deadline.Stop(now, time);

    /// <summary>A work item the workflow opened, with its clock started.</summary>
    internal static CaseStep Open(WorkItem w, Deadline deadline, WorkflowDefinition definition) => new()
    {
        KeptFromHead = Case.ReservedFromHead(definition, w.StepId, w.Role),
        WorkItemId = w.Id,
        StepId = w.StepId,
        BranchId = w.BranchId,
        Title = w.Title,
        Department = w.Department,
        Role = w.Role,
        EntryCount = w.EntryCount,
        OpenedAt = w.OpenedAt,
        Deadline = deadline,
    };
}
