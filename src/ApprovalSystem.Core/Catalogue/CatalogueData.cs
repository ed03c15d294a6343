using System.Text.Json;
using System.Text.Json.Serialization;

namespace ApprovalSystem.Core.Catalogue;

/// <summary>
/// The catalogue as it is kept in the repository's data file and exchanged as a workbook:
/// departments, stations and matters, with matters naming their department by code.
/// </summary>
public sealed class CatalogueData
{
    public RegionData Region { get; set; } = new();

    public List<DepartmentData> Departments { get; set; } = [];

    public List<StationData> Stations { get; set; } = [];

    public List<MatterData> Matters { get; set; } = [];

    /// <summary>The bundles 一件事 (decision 0054): several matters filed once.</summary>
    public List<BundleData> Bundles { get; set; } = [];

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(new LowerCaseNamingPolicy()) },
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static CatalogueData Parse(string json) =>
        JsonSerializer.Deserialize<CatalogueData>(json, JsonOptions) ?? throw new JsonException("空的事项目录文件");

    private sealed class LowerCaseNamingPolicy : JsonNamingPolicy
    {
        public override string ConvertName(string name) => name.ToLowerInvariant();
    }
}

public sealed class RegionData
{
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public string CentreName { get; set; } = "";

    public string CentreAddress { get; set; } = "";

    public string CentrePhone { get; set; } = "";

    public string OpeningHours { get; set; } = "";
}

public sealed class DepartmentData
{
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public string ShortName { get; set; } = "";

    public string Window { get; set; } = "";

    public string Phone { get; set; } = "";

    public string SupervisionContact { get; set; } = "";
}

public sealed class StationData
{
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public string Phone { get; set; } = "";
}

public sealed class MatterData
{
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public string Department { get; set; } = "";

    public MatterKind Kind { get; set; }

    public int LegalLimitDays { get; set; }

    public int PromisedLimitDays { get; set; }

    public decimal Fee { get; set; }

    public string? FeeBasis { get; set; }

    public string LegalBasis { get; set; } = "";

    public string? Conditions { get; set; }

    public List<MaterialRequirement> Materials { get; set; } = [];

    public List<FormField> FormFields { get; set; } = [];

    public List<SituationQuestion> Situations { get; set; } = [];

    public string Workflow { get; set; } = "";

    public string? CertificateType { get; set; }

    public int? WarningDaysLeft { get; set; }

    public int? WarningPercentUsed { get; set; }

    public bool IsPublished { get; set; } = true;

    /// <summary>
    /// The matter's rules of automatic approval 秒批 as shipped (decision 0059): loaded as the published version 1 into a database whose
    /// matter has no version yet; afterwards administrators edit versions in the database.
    /// </summary>
    public AutoApproval.AutoApprovalRuleSet? AutoApproval { get; set; }
    /// <summary>告知承诺制: the terms when the matter allows approval on commitment (decision 0060).</summary>
    public CommitmentTerms? Commitment { get; set; }

    public static MatterData From(Matter m, string departmentCode) => new()
    {
        Code = m.Code,
        Name = m.Name,
        Department = departmentCode,
        Kind = m.Kind,
        LegalLimitDays = m.LegalLimitDays,
        PromisedLimitDays = m.PromisedLimitDays,
        Fee = m.Fee,
        FeeBasis = m.FeeBasis,
        LegalBasis = m.LegalBasis,
        Conditions = m.Conditions,
        Materials = m.Materials.Select(x =>
            new MaterialRequirement
            {
                Name = x.Name, Required = x.Required, Form = x.Form, Copies = x.Copies, Condition = x.Condition, When = x.When,
            }).ToList(),
        FormFields = m.FormFields.Select(x => new FormField
        {
            Key = x.Key, Label = x.Label, Type = x.Type, Required = x.Required, Options = x.Options?.ToList(), Unit = x.Unit, Prefill = x.Prefill,
            MaxLength = x.MaxLength, RequiredWhen = x.RequiredWhen, RequiredWhenValues = x.RequiredWhenValues?.ToList(), When = x.When,
        }).ToList(),
        Situations = m.Situations.Select(Copy).ToList(),
        Workflow = m.WorkflowId,
        CertificateType = m.CertificateType,
        WarningDaysLeft = m.WarningDaysLeft,
        WarningPercentUsed = m.WarningPercentUsed,
        IsPublished = m.IsPublished,
        Commitment = m.Commitment?.Copy(),
    };

    /// <summary>Copies the data onto an entity (the department is resolved by the caller).</summary>
    public void ApplyTo(Matter m, int departmentId)
    {
        m.Code = Code.Trim();
        m.Name = Name.Trim();
        m.DepartmentId = departmentId;
        m.Kind = Kind;
        m.LegalLimitDays = LegalLimitDays;
        m.PromisedLimitDays = PromisedLimitDays;
        m.Fee = Fee;
        m.FeeBasis = string.IsNullOrWhiteSpace(FeeBasis) ? null : FeeBasis.Trim();
        m.LegalBasis = LegalBasis.Trim();
        m.Conditions = string.IsNullOrWhiteSpace(Conditions) ? null : Conditions.Trim();
        m.Materials = Materials.Select(x => new MaterialRequirement
        {
            Name = x.Name.Trim(), Required = x.Required, Form = x.Form, Copies = x.Copies,
            Condition = string.IsNullOrWhiteSpace(x.Condition) ? null : x.Condition.Trim(),
            When = Trimmed(x.When),
        }).ToList();
        m.FormFields = FormFields.Select(x => new FormField { Key = x.Key.Trim(), Label = x.Label.Trim(), Type = x.Type, Required = x.Required,
            Options = x.Options is { Count: > 0 } ? x.Options.ToList() : null,
            Unit = string.IsNullOrWhiteSpace(x.Unit) ? null : x.Unit.Trim(),
            Prefill = string.IsNullOrWhiteSpace(x.Prefill) ? null : x.Prefill.Trim(),
            MaxLength = x.MaxLength,
            RequiredWhen = string.IsNullOrWhiteSpace(x.RequiredWhen) ? null : x.RequiredWhen.Trim(),
            RequiredWhenValues = string.IsNullOrWhiteSpace(x.RequiredWhen) || x.RequiredWhenValues is not { Count: > 0 }
                ? null : x.RequiredWhenValues.Select(v => v.Trim()).ToList(),
            When = Trimmed(x.When),
        }).ToList();
        m.Situations = Situations.Select(Copy).ToList();
        m.WorkflowId = Workflow.Trim();
        m.CertificateType = string.IsNullOrWhiteSpace(CertificateType) ? null : CertificateType.Trim();
        m.WarningDaysLeft = WarningDaysLeft;
        m.WarningPercentUsed = WarningPercentUsed;
        m.IsPublished = IsPublished;
        m.Commitment = Commitment?.Copy();
    }

    /// <summary>A question copied, trimmed, with its own option list (an entity never shares a list with the data it came from).</summary>
    public static SituationQuestion Copy(SituationQuestion q) => new()
    {
        Key = q.Key.Trim(), Text = q.Text.Trim(), Options = q.Options.Select(o => o.Trim()).ToList(), Help = Trimmed(q.Help), When = Trimmed(q.When),
    };

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
