using ApprovalSystem.Core.Identity;

namespace ApprovalSystem.Core.Cases;

/// <summary>
/// A step a department's line system 部门业务系统 reports for a case it handles. The exchange maps
/// the sender's own words onto these.
/// </summary>
public enum ExternalStep
{
    /// <summary>申请: filed in the line system.</summary>
    Applied,

    /// <summary>受理.</summary>
    Accepted,

    /// <summary>不予受理.</summary>
    NotAccepted,

    /// <summary>补正告知.</summary>
    SupplementRequested,

    /// <summary>补正提交.</summary>
    Resubmitted,

    /// <summary>特别程序开始.</summary>
    SpecialProcedureStarted,

    /// <summary>特别程序结束.</summary>
    SpecialProcedureEnded,

    /// <summary>审查/审核/审批…: an internal step with an opinion; the state does not change.</summary>
    Processing,

    /// <summary>准予 (办结 with approval).</summary>
    Approved,

    /// <summary>不予许可.</summary>
    Denied,

    /// <summary>发证.</summary>
    CertificateIssued,

    /// <summary>撤回.</summary>
    Withdrawn,
}

public static class ExternalSteps
{
    private static readonly Dictionary<string, ExternalStep> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["申请"] = ExternalStep.Applied,
        ["收件"] = ExternalStep.Applied,
        ["受理"] = ExternalStep.Accepted,
        ["不予受理"] = ExternalStep.NotAccepted,
        ["补正"] = ExternalStep.SupplementRequested,
        ["补正告知"] = ExternalStep.SupplementRequested,
        ["补正提交"] = ExternalStep.Resubmitted,
        ["特别程序开始"] = ExternalStep.SpecialProcedureStarted,
        ["特别程序结束"] = ExternalStep.SpecialProcedureEnded,
        ["审查"] = ExternalStep.Processing,
        ["审核"] = ExternalStep.Processing,
        ["审批"] = ExternalStep.Processing,
        ["办理"] = ExternalStep.Processing,
        ["准予"] = ExternalStep.Approved,
        ["准予许可"] = ExternalStep.Approved,
        ["办结"] = ExternalStep.Approved,
        ["不予许可"] = ExternalStep.Denied,
        ["发证"] = ExternalStep.CertificateIssued,
        ["撤回"] = ExternalStep.Withdrawn,
    };

    /// <summary>The words a line system may send as its step (Chinese, or the enum name).</summary>
    public static IReadOnlyCollection<string> Known => Words.Keys;

    public static ExternalStep? Parse(string? word) =>
        word is null ? null
        : Words.TryGetValue(word.Trim(), out var step) ? step
        : Enum.TryParse<ExternalStep>(word.Trim(), ignoreCase: true, out var named) && Enum.IsDefined(named) ? named
        : null;

    /// <summary>Where a mirrored case stands after the step; null when the step does not move it.</summary>
    public static CaseState? Target(ExternalStep step) => step switch
    {
        ExternalStep.Applied => CaseState.PreAcceptance,
        ExternalStep.Accepted => CaseState.Handling,
        ExternalStep.NotAccepted => CaseState.NotAccepted,
        ExternalStep.SupplementRequested => CaseState.SupplementRequested,
        ExternalStep.Resubmitted => CaseState.PreAcceptance,
        ExternalStep.SpecialProcedureStarted => CaseState.Suspended,
        ExternalStep.SpecialProcedureEnded => CaseState.Handling,
        ExternalStep.Processing => null,
        ExternalStep.Approved => CaseState.Approved,
        ExternalStep.Denied => CaseState.Denied,
        ExternalStep.CertificateIssued => CaseState.CertificateIssued,
        ExternalStep.Withdrawn => CaseState.Withdrawn,
    };
}

/// <summary>One state pushed by a line system, as the aggregate needs it.</summary>
public sealed record ExternalStateReport(string System, string ExternalCaseId, string EventId, ExternalStep Step, string StepWord, string? Opinion,
    CaseActor Actor, DateTimeOffset OccurredAt);

public sealed partial class Case
{
    /// <summary>The line system 部门业务系统 the case was filed in (mirrored cases only).</summary>
    public string? ExternalSystem { get; private set; }

    /// <summary>The case's id in that line system.</summary>
    public string? ExternalCaseId { get; private set; }

    /// <summary>The time of the newest pushed state applied: an older push is journalled but never moves the state back.</summary>
    public DateTimeOffset? LastExternalAt { get; private set; }

    public bool IsMirrored => Channel == CaseChannel.LineSystem;

    /// <summary>
    /// A mirrored case 镜像办件: filed in a department's line system, known to the centre only through
    /// its pushes. It does not run the centre's workflow; its state follows the pushed steps.
    /// </summary>
    public static Case Mirror(MatterSnapshot matter, ApplicantInfo applicant, string number, string queryCode, ExternalStateReport first, WorkingTime time)
    {
        var c = ForMatter(matter, applicant, CaseChannel.LineSystem, CaseState.PreAcceptance, first.Actor.UserId, first.OccurredAt);
        c.SubmittedAt = first.OccurredAt;
        c.Number = number;
        c.QueryCode = queryCode;
        c.ExternalSystem = first.System;
        c.ExternalCaseId = first.ExternalCaseId;
        c.Record(CaseTrigger.Submit, first.OccurredAt, first.Actor, null, CaseState.Draft, ("number", number), ("channel", c.Channel.ToString()),
            ("system", first.System), ("externalCaseId", first.ExternalCaseId), ("applicant", Masking.PersonName(applicant.Name)));
        c.ApplyExternalState(first, time);
        return c;
    }

    /// <summary>
    /// Records a state pushed by a line system. Every push is journalled (at the time it happened, so
    /// the timeline shows it in its place); only a mirrored case's state follows it, and only when the
    /// push is not older than the newest one applied — an out-of-order push never moves the case back.
    /// </summary>
    public void ApplyExternalState(ExternalStateReport report, WorkingTime time)
    {
        Guard(CaseTrigger.ExternalState);
        var late = LastExternalAt is { } last && report.OccurredAt < last;
        var target = ExternalSteps.Target(report.Step);
        var from = State;
        if (IsMirrored && !late && target is { } to)
        {
            MoveMirror(report, to, time);
        }

        if (!late)
        {
            LastExternalAt = report.OccurredAt;
        }

        Record(CaseTrigger.ExternalState, report.OccurredAt, report.Actor, report.Opinion, from, ("system", report.System),
            ("externalCaseId", report.ExternalCaseId),
            ("eventId", report.EventId), ("step", report.StepWord), ("externalStep", report.Step.ToString()), ("late", late ? "true" : null));
    }

    private void MoveMirror(ExternalStateReport report, CaseState to, WorkingTime time)
    {
        var at = report.OccurredAt;
        switch (report.Step)
        {
            case ExternalStep.Accepted:
                AcceptedAt ??= at;
                AcceptedBy ??= report.Actor.Name;
                if (!Promised.IsRunning && Promised.DueAt is null)
                {
                    Promised = Deadline.Start(at, PromisedLimitDays, Warning, time);
                    Legal = Deadline.Start(at, LegalLimitDays, Warning, time);
                }

                break;
            case ExternalStep.SupplementRequested:
                SupplementRequestedAt = at;
                break;
            case ExternalStep.SpecialProcedureStarted:
                SpecialProcedures.Add(new SpecialProcedure(report.StepWord, report.Opinion ?? "", at, report.Actor.Name));
                Promised = Promised.Suspend(at, time);
                Legal = Legal.Suspend(at, time);
                break;
            case ExternalStep.SpecialProcedureEnded:
                if (CurrentSpecialProcedure is { } sp)
                {
                    SpecialProcedures[^1] = sp with { EndedAt = at, EndedBy = report.Actor.Name, Result = report.Opinion };
                }

                Promised = Promised.Resume(at, time);
                Legal = Legal.Resume(at, time);
                break;
            case ExternalStep.NotAccepted:
                RefusalReason = report.Opinion;
                break;
            case ExternalStep.Approved or ExternalStep.Denied:
                DecidedAt = at;
                DecisionOpinion = report.Opinion;
                break;
            case ExternalStep.CertificateIssued:
                CertificateIssuedAt = at;
                break;
            case ExternalStep.Applied or ExternalStep.Resubmitted or ExternalStep.Processing or ExternalStep.Withdrawn:
                break;
        }

        if (CaseLifecycle.IsConcluded(to) && ConcludedAt is null)
        {
            ConcludedAt = at;
            Promised = Promised.Stop(at, time);
            Legal = Legal.Stop(at, time);
        }

        State = to;
    }
}
