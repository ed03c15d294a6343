using System.Globalization;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;

namespace ApprovalSystem.Core.Cases;

/// <summary>
/// The commitment the applicant signed 告知承诺书: the terms as they were shown, who confirmed them and when, and the materials it
/// replaced. The signature is the signed-in applicant's explicit confirmation (decision 0060).
/// </summary>
public sealed record CommitmentRecord(string Duty, string Proof, string Liability, IReadOnlyList<string> Replaces, int VerificationDays,
    string SignedBy, DateTimeOffset SignedAt);

/// <summary>The result of the verification afterwards 事中事后核查: 核查属实 or 核查不实 with the findings.</summary>
public sealed record VerificationRecord(bool Truthful, string Findings, string VerifiedBy, DateTimeOffset VerifiedAt);

/// <summary>告知承诺制 (国办发〔2020〕42号): approval on the applicant's commitment, verified afterwards (decision 0060).</summary>
public sealed partial class Case
{
    /// <summary>
    /// The flow a case on commitment runs on: the window checks the signed commitment and the remaining materials and decides on the
    /// spot, as for an immediate matter; the department's review is replaced by the verification afterwards.
    /// </summary>
    public const string CommitmentWorkflowId = "immediate";

    /// <summary>The work item of the verification in card subjects ("case:42/step:verify"), so supervision cards it like a step.</summary>
    public const string VerificationItem = "verify";

    /// <summary>The signed commitment; null for a case filed with all its materials.</summary>
    public CommitmentRecord? Commitment { get; private set; }

    /// <summary>The working-day clock of the verification 核查时限; runs from the approval until the result is recorded.</summary>
    public Deadline Verification { get; private set; } = Deadline.None;

    /// <summary>The verification's result, once recorded.</summary>
    public VerificationRecord? VerificationResult { get; private set; }

    /// <summary>
    /// The applicant signs the matter's commitment on the draft: the replaced materials are no longer required, and the case will run on
    /// <see cref="CommitmentWorkflowId"/>. Only the applicant in person (their own account) can sign.
    /// </summary>
    public void SignCommitment(CommitmentTerms terms, CaseActor actor, DateTimeOffset now)
    {
        Guard(CaseTrigger.SaveDraft);
        if (!actor.Is(Roles.Applicant) || OwnerUserId != actor.UserId)
        {
            throw new CaseRuleException("告知承诺书须由申请人本人登录后签署，代办员或窗口工作人员不能代签");
        }

        if (Commitment is not null)
        {
            throw new CaseRuleException($"告知承诺书已于{Commitment.SignedAt.ToOffset(WorkingTime.ChinaOffset):yyyy-MM-dd HH:mm}签署");
        }

        Commitment = new CommitmentRecord(terms.Duty, terms.Proof, terms.Liability, [.. terms.Replaces], terms.VerificationDays, actor.Name, now);
        WorkflowId = CommitmentWorkflowId;
        WaiveReplacedMaterials();
        Record(CaseTrigger.SaveDraft, now, actor, "申请人阅读并签署告知承诺书", State, ("commitment", "signed"),
            ("signedBy", Masking.PersonName(actor.Name)), ("replaces", string.Join("、", Commitment.Replaces)),
            ("verificationDays", terms.VerificationDays.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// Records the verification afterwards: an officer or the head of the lead department. 核查不实 needs the findings and revokes the
    /// certificate (journalled as <see cref="CaseTrigger.RevokeCertificate"/>); the host records the false commitment and tells the applicant.
    /// </summary>
    public void RecordVerification(bool truthful, string? findings, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        Guard(CaseTrigger.Verify);
        if (Commitment is null)
        {
            throw new CaseRuleException("该办件不是告知承诺件，没有需要核查的承诺");
        }

        if (VerificationResult is { } done)
        {
            throw new CaseRuleException($"该承诺已由{done.VerifiedBy}于{done.VerifiedAt.ToOffset(WorkingTime.ChinaOffset):yyyy-MM-dd HH:mm}核查");
        }

        if (!Verification.IsRunning)
        {
            throw new CaseRuleException("该办件尚未准予许可，还没有核查任务");
        }

        if (!(actor.Is(Roles.Officer) || actor.Is(Roles.DepartmentHead)) || actor.Department != LeadDepartment)
        {
            throw new CaseRuleException("只有主办部门的工作人员可以记录核查结果");
        }

        if (!truthful && string.IsNullOrWhiteSpace(findings))
        {
            throw new CaseRuleException("核查不实必须写明核查发现的问题（将写入撤销决定书）");
        }

        var text = string.IsNullOrWhiteSpace(findings) ? "经核查，申请人承诺的内容属实" : findings.Trim();
        Verification = Verification.Stop(now, time);
        VerificationResult = new VerificationRecord(truthful, text, actor.Name, now);
        Record(CaseTrigger.Verify, now, actor, text, State, ("result", truthful ? "核查属实" : "核查不实"),
            ("usedDays", Verification.UsedDays.ToString(CultureInfo.InvariantCulture)),
            ("late", Verification.DueAt is { } due && now > due ? "true" : null));
        if (!truthful && CertificateNumber is not null && CaseLifecycle.CanFire(State, CaseTrigger.RevokeCertificate))
        {
            Record(CaseTrigger.RevokeCertificate, now, actor, "告知承诺核查不实，撤销行政许可：" + text, State, ("certificate", CertificateNumber),
                ("reason", "falseCommitment"));
        }
    }

    /// <summary>An approval on commitment starts the verification clock (called when the flow concludes approved).</summary>
    private void ScheduleVerification(CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        if (Commitment is null)
        {
            return;
        }

        Verification = Deadline.Start(now, Commitment.VerificationDays, WarningPolicy.Default, time);
        Record(CaseTrigger.Verify, now, actor, "准予许可，已安排事中事后核查", State, ("verificationDays",
            Commitment.VerificationDays.ToString(CultureInfo.InvariantCulture)), ("dueAt", Verification.DueAt?.ToString("O", CultureInfo.InvariantCulture)));
    }

    /// <summary>The materials the commitment replaces are not required (they stay on the list, marked as replaced by the commitment).</summary>
    private void WaiveReplacedMaterials()
    {
        if (Commitment is { } signed)
        {
            Materials = [.. Materials.Select(m => signed.Replaces.Contains(m.Name) ? m with { Required = false, ReplacedByCommitment = true } : m)];
        }
    }
}
