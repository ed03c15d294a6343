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
    public static MatterSnapshot From(Matter m, string departmentCode) => new(
        m.Id, m.Code, m.Name, m.Kind, departmentCode, m.LegalLimitDays, m.PromisedLimitDays, m.Fee, m.CertificateType,
        new WarningPolicy(m.WarningDaysLeft, m.WarningPercentUsed), m.WorkflowId, m.Materials);

    /// <summary>Extension allowed by law: 10 working days, 15 for joint handling.</summary>
    public int ExtensionDays => Kind == MatterKind.Joint ? 15 : 10;
}
