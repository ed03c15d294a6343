using System.Text.Json.Serialization;

namespace ApprovalSystem.Core.Catalogue;

/// <summary>What happens to a bundle when one of its members is refused or denied.</summary>
public enum BundleRefusalRule
{
    /// <summary>The other members continue 其余事项继续办理.</summary>
    Continue,

    /// <summary>The bundle stops 整件终止: the members not concluded are withdrawn or not started, with the reason.</summary>
    Stop,
}

/// <summary>
/// A bundle 一件事 in the catalogue: several matters people need together (开办企业一件事), filed once with one merged form and one
/// merged materials list, accepted at one window, each member then handled as an ordinary case of its own matter (decision 0054).
/// The definition is kept as one document: on the catalogue entity (<see cref="Bundle"/>) and, as filed, on every bundle case.
/// </summary>
public sealed class BundleData
{
    /// <summary>Catalogue code, e.g. 330799-YJS-001.</summary>
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>The life event it serves, e.g. 企业开办 or 出生.</summary>
    public string LifeEvent { get; set; } = "";

    /// <summary>The lead department's code: its window accepts the bundle.</summary>
    public string Department { get; set; } = "";

    /// <summary>The bundle's promised limit 承诺时限 in working days, from acceptance.</summary>
    public int PromisedLimitDays { get; set; }

    /// <summary>What a refused or denied member means for the others.</summary>
    public BundleRefusalRule OnRefusal { get; set; }

    public string? Description { get; set; }

    /// <summary>The guide's questions 情形; members, fields and materials name the situations they apply in.</summary>
    public List<SituationQuestion> Situations { get; set; } = [];

    public List<BundleMember> Members { get; set; } = [];

    /// <summary>The merged form 一表申请: each field asked once and mapped to the member fields it fills.</summary>
    public List<MergedField> FormFields { get; set; } = [];

    /// <summary>The merged materials list 一套材料: each uploaded once and standing for the member materials it covers.</summary>
    public List<MergedMaterial> Materials { get; set; } = [];

    /// <summary>The joint matters this bundle replaces for new filings (their running cases finish as they are).</summary>
    public List<string> Replaces { get; set; } = [];

    public bool IsPublished { get; set; } = true;

    /// <summary>Whether <paramref name="reference"/> (a full matter code, or its part after the region code, e.g. SCJG-019) names the matter.</summary>
    public static bool Names(string reference, string matterCode)
    {
        var r = reference.Trim();
        return r.Length > 0 && (matterCode == r || matterCode.EndsWith("-" + r, StringComparison.Ordinal));
    }

    /// <summary>The members selected by the answers (a member without a condition is always selected).</summary>
    public IReadOnlyList<BundleMember> MembersFor(IReadOnlyDictionary<string, string> answers) =>
        [.. Members.Where(m => Catalogue.Situations.Holds(m.When, answers))];

    /// <summary>The merged fields asked in the situation, for the members selected.</summary>
    public IReadOnlyList<MergedField> FieldsFor(IReadOnlyDictionary<string, string> answers)
    {
        var members = MembersFor(answers);
        return [.. FormFields.Where(f => Catalogue.Situations.Holds(f.When, answers)
            && (f.Maps.Count == 0 || f.Maps.Any(r => members.Any(m => MergedField.Target(r) is (var code, _) && Names(code, m.Matter)))))];
    }

    /// <summary>The merged materials needed in the situation: those that stand for a material of a selected member, or for none.</summary>
    public IReadOnlyList<MergedMaterial> MaterialsFor(IReadOnlyDictionary<string, string> answers)
    {
        var members = MembersFor(answers);
        return [.. Materials.Where(x => Catalogue.Situations.Holds(x.When, answers)
            && (x.StandsFor.Count == 0 || x.StandsFor.Any(r => members.Any(m => MergedField.Target(r) is (var code, _) && Names(code, m.Matter)))))];
    }

    /// <summary>
    /// A member's form data from the merged form: every member field a merged field maps to gets its value; a member field the
    /// merged form does not fill and that names a prefill source gets the applicant's value (nobody types it twice).
    /// </summary>
    public Dictionary<string, string> MemberForm(string matterCode, IReadOnlyList<FormField> memberFields, IReadOnlyDictionary<string, string> merged,
        Func<FormField, string?> prefill)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in FormFields)
        {
            if (!merged.TryGetValue(f.Key, out var value) || string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            foreach (var (code, key) in f.Maps.Select(MergedField.Target).OfType<(string, string)>())
            {
                if (Names(code, matterCode) && memberFields.Any(m => m.Key == key))
                {
                    data[key] = value.Trim();
                }
            }
        }

        foreach (var f in memberFields.Where(f => !data.ContainsKey(f.Key) && !string.IsNullOrWhiteSpace(f.Prefill)))
        {
            if (prefill(f) is { Length: > 0 } value)
            {
                data[f.Key] = value;
            }
        }

        return data;
    }

    /// <summary>The member materials (by name) that a merged material stands for in a member.</summary>
    public static IReadOnlyList<string> MemberMaterials(MergedMaterial material, string matterCode) =>
        [.. material.StandsFor.Select(MergedField.Target).OfType<(string Code, string Name)>().Where(t => Names(t.Code, matterCode)).Select(t => t.Name)];
}

/// <summary>A member matter of a bundle.</summary>
public sealed class BundleMember
{
    /// <summary>The matter's code (full, or the part after the region code).</summary>
    public string Matter { get; set; } = "";

    /// <summary>Optional members are selected by <see cref="When"/>; a required one has no condition.</summary>
    public bool Optional { get; set; }

    /// <summary>The situations that select the member, over the bundle's questions (null: always).</summary>
    public string? When { get; set; }

    /// <summary>The members this one waits for (their codes): it starts when they conclude approved, e.g. 印章刻制 after 营业执照.</summary>
    public List<string> After { get; set; } = [];
}

/// <summary>A field of a bundle's merged form and the member fields (<c>SCJG-019:unitName</c>) it fills.</summary>
public sealed class MergedField : FormField
{
    /// <summary>The member fields this one fills, as <c>matter:fieldKey</c>.</summary>
    public List<string> Maps { get; set; } = [];

    /// <summary>A <c>matter:item</c> reference split in two (null when it has no colon).</summary>
    public static (string Code, string Item)? Target(string reference)
    {
        var i = reference.IndexOf(':', StringComparison.Ordinal);
        return i <= 0 || i == reference.Length - 1 ? null : (reference[..i].Trim(), reference[(i + 1)..].Trim());
    }
}

/// <summary>A material of a bundle's merged list and the member materials (<c>SCJG-019:公司章程</c>) it stands for.</summary>
public sealed class MergedMaterial
{
    public string Name { get; set; } = "";

    public bool Required { get; set; } = true;

    public MaterialForm Form { get; set; }

    public int Copies { get; set; } = 1;

    /// <summary>The situations the material is needed in (null: always, while a member it stands for is selected).</summary>
    public string? When { get; set; }

    /// <summary>The member materials it stands for, as <c>matter:material name</c>.</summary>
    public List<string> StandsFor { get; set; } = [];

    /// <summary>
    /// The members whose result this material is (e.g. 营业执照 from SCJG-019, or from whichever registration applies): the applicant
    /// hands nothing in, and a member waiting for one of them finds it received when it starts (一数一源).
    /// </summary>
    public List<string> From { get; set; } = [];
}

/// <summary>A bundle in the catalogue (the entity): searchable columns and the definition as one JSON document.</summary>
public class Bundle
{
    public int Id { get; set; }

    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>The lead department's code.</summary>
    public string Department { get; set; } = "";

    public bool IsPublished { get; set; } = true;

    [JsonIgnore]
    public BundleData Definition { get; set; } = new();

    /// <summary>Copies the data onto the entity (the columns follow the definition).</summary>
    public void Apply(BundleData data)
    {
        Code = data.Code.Trim();
        Name = data.Name.Trim();
        Department = data.Department.Trim();
        IsPublished = data.IsPublished;
        Definition = data;
    }
}
