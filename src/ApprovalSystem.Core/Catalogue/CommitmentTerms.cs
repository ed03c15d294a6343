namespace ApprovalSystem.Core.Catalogue;

/// <summary>
/// The terms of approval on commitment 告知承诺制 (国办发〔2020〕42号) for a matter that allows it: what the authority tells the
/// applicant (the duty and what would otherwise be proven), the liability for a false commitment, the materials the signed
/// commitment replaces, and the working days the department has to verify it afterwards 事中事后核查 (decision 0060).
/// </summary>
public sealed class CommitmentTerms
{
    /// <summary>承诺事项: the conditions the applicant commits to meet.</summary>
    public string Duty { get; set; } = "";

    /// <summary>证明内容: what the replaced materials would have proven.</summary>
    public string Proof { get; set; } = "";

    /// <summary>失信责任: the consequences of a false commitment.</summary>
    public string Liability { get; set; } = "";

    /// <summary>The names of the matter's materials the commitment replaces (not required when the applicant signs).</summary>
    public List<string> Replaces { get; set; } = [];

    /// <summary>核查时限: working days from the approval within which the department verifies the commitment.</summary>
    public int VerificationDays { get; set; }

    /// <summary>A copy that shares no list with this one (an entity never shares a list with the data it came from).</summary>
    public CommitmentTerms Copy() => new()
    {
        Duty = Duty.Trim(), Proof = Proof.Trim(), Liability = Liability.Trim(), Replaces = [.. Replaces.Select(r => r.Trim())],
        VerificationDays = VerificationDays,
    };
}
