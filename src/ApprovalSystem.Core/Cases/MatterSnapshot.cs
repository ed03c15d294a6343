using ApprovalSystem.Core.Catalogue;

namespace ApprovalSystem.Core.Cases;

/// <summary>What a case needs to know about its matter at filing: kept on the case, so later catalogue edits do not change it.</summary>
public sealed record MatterSnapshot(
    int Id,
    string Code,
    string Name,
    MatterKind Kind,
    string Department,
    int LegalLimitDays,
    int PromisedLimitDays,
    decimal Fee,
    string? CertificateType,
    WarningPolicy Warning,
    string WorkflowId,
    IReadOnlyList<MaterialRequirement> Materials)
{
    /// <summary>The guide's questions: the case keeps their answers, and they decide which materials it lists.</summary>
    public IReadOnlyList<SituationQuestion> Situations { get; init; } = [];

    /// <summary>告知承诺制: the terms when the matter allows approval on commitment (decision 0060).</summary>
    public CommitmentTerms? Commitment { get; init; }

    public static MatterSnapshot From(Matter m, string departmentCode) => new(
        m.Id, m.Code, m.Name, m.Kind, departmentCode, m.LegalLimitDays, m.PromisedLimitDays, m.Fee, m.CertificateType,
        new WarningPolicy(m.WarningDaysLeft, m.WarningPercentUsed), m.WorkflowId, m.Materials)
    {
        Situations = m.Situations,
        Commitment = m.Commitment,
    };

    /// <summary>The materials needed in the situation the answers describe (<see cref="Catalogue.Situations.Holds"/>).</summary>
    public IEnumerable<MaterialRequirement> MaterialsFor(IReadOnlyDictionary<string, string> answers) =>
        Materials.Where(m => Catalogue.Situations.Holds(m.When, answers));

    /// <summary>Extension allowed by law: 10 working days, 15 for joint handling.</summary>
    public int ExtensionDays => Kind == MatterKind.Joint ? 15 : 10;
}
