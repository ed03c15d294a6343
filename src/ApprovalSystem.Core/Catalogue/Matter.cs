using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Catalogue;

/// <summary>Kinds of matter 办件类型.</summary>
public enum MatterKind
{
    /// <summary>即办件: decided at the window the same working day.</summary>
    Immediate,

    /// <summary>承诺件: decided within the promised limit.</summary>
    Promised,

    /// <summary>联办件/并联件: several departments, one application.</summary>
    Joint,

    /// <summary>上报件: passed up to a higher level.</summary>
    Reported,
}

public enum MaterialForm
{
    Original,
    Copy,
    Electronic,
}

/// <summary>An approval matter 审批事项 in the catalogue.</summary>
public class Matter
{
    public int Id { get; set; }

    /// <summary>Catalogue code, e.g. 330799-SCJG-001.</summary>
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public int DepartmentId { get; set; }

    public Department? Department { get; set; }

    public MatterKind Kind { get; set; }

    /// <summary>Legal time limit 法定时限 in working days.</summary>
    public int LegalLimitDays { get; set; }

    /// <summary>Promised time limit 承诺时限 in working days; 0 means the same working day.</summary>
    public int PromisedLimitDays { get; set; }

    /// <summary>Fee in yuan; only where a law or regulation sets one.</summary>
    public decimal Fee { get; set; }

    public string? FeeBasis { get; set; }

    public string LegalBasis { get; set; } = "";

    /// <summary>Conditions for applying 申请条件.</summary>
    public string? Conditions { get; set; }

    /// <summary>Id of the workflow definition the matter's cases run on.</summary>
    public string WorkflowId { get; set; } = "";

    public string? CertificateType { get; set; }

    /// <summary>Yellow card when this many working days are left (or null).</summary>
    public int? WarningDaysLeft { get; set; }

    /// <summary>Yellow card when this share of the limit is used, in percent (or null).</summary>
    public int? WarningPercentUsed { get; set; }

    /// <summary>Shown in the public service guide and open for filing.</summary>
    public bool IsPublished { get; set; } = true;

    public List<MaterialRequirement> Materials { get; set; } = [];

    public List<FormField> FormFields { get; set; } = [];

    /// <summary>The guide's questions 情形; materials and fields name the situations they apply in (<see cref="Situations"/>).</summary>
    public List<SituationQuestion> Situations { get; set; } = [];

    /// <summary>告知承诺制: set when the applicant may choose approval on commitment (decision 0060).</summary>
    public CommitmentTerms? Commitment { get; set; }
}

/// <summary>A material 申请材料 the applicant hands in.</summary>
public class MaterialRequirement
{
    public string Name { get; set; } = "";

    public bool Required { get; set; } = true;

    public MaterialForm Form { get; set; }

    public int Copies { get; set; } = 1;

    /// <summary>When a conditional material is needed, e.g. 委托他人办理的提供.</summary>
    public string? Condition { get; set; }

    /// <summary>The situations the material is needed in, as a condition over the guide's answers (null: always).</summary>
    public string? When { get; set; }
}

/// <summary>A field of the matter's application form 申请表.</summary>
public class FormField
{
    public string Key { get; set; } = "";

    public string Label { get; set; } = "";

    public FieldKind Type { get; set; }

    public bool Required { get; set; }

    public List<string>? Options { get; set; }

    /// <summary>The longest text accepted; null for the type's default (<see cref="Forms.FieldRules.MaxLength"/>).</summary>
    public int? MaxLength { get; set; }

    public string? Unit { get; set; }

    /// <summary>Where the value comes from so nobody types it twice, e.g. applicant.name.</summary>
    public string? Prefill { get; set; }

    /// <summary>
    /// The key of the field this one depends on: the field is asked for, and required, only when that field has one of
    /// <see cref="RequiredWhenValues"/> (or any value when none are listed), e.g. 邮寄地址 when 领取方式 is 邮政寄递.
    /// </summary>
    public string? RequiredWhen { get; set; }

    /// <summary>The values of <see cref="RequiredWhen"/>'s field that make this field required; none: any value.</summary>
    public List<string>? RequiredWhenValues { get; set; }

    /// <summary>The situations the field is asked in, as a condition over the guide's answers (null: always).</summary>
    public string? When { get; set; }

    /// <summary>Whether the form asks for this field given the values entered so far: always, unless its condition does not hold.</summary>
    public bool AppliesTo(IReadOnlyDictionary<string, string> data)
    {
        if (string.IsNullOrEmpty(RequiredWhen))
        {
            return true;
        }

        var other = data.GetValueOrDefault(RequiredWhen)?.Trim();
        return !string.IsNullOrEmpty(other) && (RequiredWhenValues is not { Count: > 0 } values || values.Contains(other));
    }

    /// <summary>Whether a submitted application must fill this field: always required, or required by its condition holding.</summary>
    public bool IsRequiredFor(IReadOnlyDictionary<string, string> data) => Required || (!string.IsNullOrEmpty(RequiredWhen) && AppliesTo(data));
}
