using ApprovalSystem.Core.Cases;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Supervision;

/// <summary>How the window answered a filing round in its 5-working-day review.</summary>
public enum ReviewAct
{
    /// <summary>受理.</summary>
    Accepted,

    /// <summary>一次性告知补正.</summary>
    SupplementRequested,

    /// <summary>不予受理.</summary>
    Refused,
}

/// <summary>One filing round and the window's answer to it: the answer is due by <see cref="DueAt"/>.</summary>
public sealed record ReviewRound(ReviewAct Act, DateTimeOffset AnsweredAt, DateTimeOffset DueAt)
{
    /// <summary>A round filed at <paramref name="filedAt"/>: due at the end of the 5th working day after it.</summary>
    public static ReviewRound For(DateTimeOffset filedAt, ReviewAct act, DateTimeOffset answeredAt, WorkingTime time) =>
        new(act, answeredAt, time.DueAfter(filedAt, Case.ReviewLimitDays));
}

/// <summary>One step instance (work item) of a case as supervision sees it.</summary>
/// <param name="Outcome">approve, deny, return, cancelled; null while open.</param>
public sealed record StepFacts(
    string WorkItemId,
    string StepId,
    string Title,
    string Department,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    StepOutcome? Outcome,
    DateTimeOffset? DueAt)
{
    public static StepFacts From(CaseStep s) => new(s.WorkItemId, s.StepId, s.Title, s.Department, s.OpenedAt, s.ClosedAt, s.Outcome, s.Deadline.DueAt);
}

/// <summary>
/// A case as the process rules 流程监察 read it: a flat snapshot the host builds from the
/// <see cref="Case"/> aggregate (<see cref="From"/>) or from a line system's pushed data (the
/// exchange), so the rules also judge cases the aggregate itself would never let happen
/// (a refusal without a reason pushed from a line system, a fee typed elsewhere…).
/// </summary>
/// <summary>The rule version an automatic approval 秒批 used: its number, and when it was published and retired (null: never).</summary>
public sealed record AutoApprovalFacts(int RuleVersion, DateTimeOffset? PublishedAt, DateTimeOffset? RetiredAt);

public sealed record CaseFacts
{
    public required long CaseId { get; init; }

    public string? Number { get; init; }

    public required string Department { get; init; }

    public required string MatterCode { get; init; }

    public required CaseState State { get; init; }

    /// <summary>The filing rounds the window answered (acceptance, supplement notice, refusal), oldest first.</summary>
    public IReadOnlyList<ReviewRound> ReviewRounds { get; init; } = [];

    public DateTimeOffset? AcceptedAt { get; init; }

    /// <summary>Required materials not received when the case was accepted.</summary>
    public IReadOnlyList<string> MissingRequiredAtAcceptance { get; init; } = [];

    /// <summary>The application was refused 不予受理.</summary>
    public bool Refused { get; init; }

    /// <summary>The reason given for 不予受理.</summary>
    public string? RefusalReason { get; init; }

    /// <summary>The decision was a denial 不予许可.</summary>
    public bool Denied { get; init; }

    /// <summary>The reasons given for 不予许可 (the decision opinion).</summary>
    public string? DenialReason { get; init; }

    /// <summary>When the decision (approve, deny, report) was taken.</summary>
    public DateTimeOffset? DecidedAt { get; init; }

    public DateTimeOffset? ConcludedAt { get; init; }

    public DateTimeOffset? ArchivedAt { get; init; }

    /// <summary>The matter's legal fee (0 when free).</summary>
    public decimal LegalFee { get; init; }

    /// <summary>The amount charged, when recorded; null when nothing was recorded.</summary>
    public decimal? FeeCharged { get; init; }

    /// <summary>The case's promised-limit due moment (承诺时限).</summary>
    public DateTimeOffset? PromisedDueAt { get; init; }

    public IReadOnlyList<StepFacts> Steps { get; init; } = [];

    /// <summary>The workflow definition (the version the case runs on); without it the order rule is skipped.</summary>
    public WorkflowDefinition? Workflow { get; init; }

    /// <summary>The line system 条线系统 the case is handled in, when it is a vertical-line case.</summary>
    public string? LineSystem { get; init; }

    /// <summary>When the line system reported the case concluded (exchange hook).</summary>
    public DateTimeOffset? LineConcludedAt { get; init; }

    /// <summary>Whether the case was accepted and handled in this system (steps recorded here) as well.</summary>
    public bool HandledInSystem { get; init; } = true;

    /// <summary>The rule version a 秒批 decided the case on, with when it was published and retired; null for a case people decided.</summary>
    public AutoApprovalFacts? AutoApproval { get; init; }

    /// <summary>The facts of a case aggregate. The aggregate keeps the current review round only; older rounds come from the journal.</summary>
    public static CaseFacts From(Case c, WorkflowDefinition? workflow)
    {
        var rounds = new List<ReviewRound>();
        if (c.Review.DueAt is { } reviewDue)
        {
            if (c.AcceptedAt is { } accepted)
            {
                rounds.Add(new ReviewRound(ReviewAct.Accepted, accepted, reviewDue));
            }
            else if (c.State == CaseState.SupplementRequested && c.SupplementRequestedAt is { } supplement)
            {
                rounds.Add(new ReviewRound(ReviewAct.SupplementRequested, supplement, reviewDue));
            }
            else if (c.State == CaseState.NotAccepted && c.ConcludedAt is { } refused)
            {
                rounds.Add(new ReviewRound(ReviewAct.Refused, refused, reviewDue));
            }
        }

        var denied = c.State == CaseState.Denied
            || (c.DecidedAt is not null && c.Steps.Where(s => s.ClosedAt is not null && s.Outcome != StepOutcome.Cancelled)
                .MaxBy(s => s.ClosedAt)?.Outcome == StepOutcome.Deny);
        return new CaseFacts
        {
            CaseId = c.Id,
            Number = c.Number,
            Department = c.LeadDepartment,
            MatterCode = c.MatterCode,
            State = c.State,
            ReviewRounds = rounds,
            AcceptedAt = c.AcceptedAt,
            MissingRequiredAtAcceptance = c.AcceptedAt is null ? [] : [.. c.Materials.Where(m => m.Required && !m.Received).Select(m => m.Name)],
            Refused = c.State == CaseState.NotAccepted || (c.AcceptedAt is null && c.RefusalReason is not null),
            RefusalReason = c.RefusalReason,
            Denied = denied,
            DenialReason = denied ? c.DecisionOpinion : null,
            DecidedAt = c.DecidedAt,
            ConcludedAt = c.ConcludedAt,
            ArchivedAt = c.Archive?.ArchivedAt,
            LegalFee = c.LegalFee,
            FeeCharged = c.FeeCharged,
            PromisedDueAt = c.Promised.DueAt,
            Steps = [.. c.Steps.Select(StepFacts.From)],
            Workflow = workflow,
        };
    }
}
