namespace ApprovalSystem.Web.Data;

/// <summary>
/// A recorded false commitment 虚假承诺记录 (decision 0060): written when the verification of a case on commitment finds it untrue.
/// While not repaired it refuses the applicant (by ID type and number) approval on commitment; an administrator or supervisor
/// records the repair 信用修复 with a reason. The row stays: the repair is its end, not its deletion.
/// </summary>
public class FalseCommitmentRecord
{
    public long Id { get; set; }

    /// <summary><see cref="Core.Cases.ApplicantIdType"/> as text: ResidentId or CreditCode.</summary>
    public string ApplicantIdType { get; set; } = "";

    /// <summary>The applicant's identity card number or unified social credit code, normalised.</summary>
    public string ApplicantIdNumber { get; set; } = "";

    public string ApplicantName { get; set; } = "";

    public long CaseId { get; set; }

    public string CaseNumber { get; set; } = "";

    public string MatterName { get; set; } = "";

    public string Department { get; set; } = "";

    /// <summary>The verification's findings (as in the revocation decision).</summary>
    public string Findings { get; set; } = "";

    public DateTimeOffset RecordedAt { get; set; }

    public string RecordedBy { get; set; } = "";

    public DateTimeOffset? RepairedAt { get; set; }

    public string? RepairedBy { get; set; }

    public string? RepairReason { get; set; }

    public int Version { get; set; }
}
