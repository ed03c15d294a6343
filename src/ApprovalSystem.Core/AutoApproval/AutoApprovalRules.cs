using System.Text.Json;
using System.Text.Json.Serialization;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Workflows.Conditions;

namespace ApprovalSystem.Core.AutoApproval;

/// <summary>
/// A shared resource the rules of 秒批 read: its <see cref="Alias"/> in conditions (<c>register</c>), the catalogue's
/// resource code, the reference that gives the record's key (<c>applicant.idNumber</c>, <c>form.creditCode</c>), and the
/// resource's fields by the ASCII names the conditions use (<c>status</c> → 登记状态).
/// </summary>
public sealed record RuleSource(string Alias, string Resource, string Key, IReadOnlyDictionary<string, string> Fields);

/// <summary>One named condition 审批条件 of a rule set, in the condition language of the flow designer.</summary>
public sealed record RuleCondition(string Name, string Condition);

/// <summary>
/// The rules of automatic approval 秒批规则 of one matter, as one version stores them: the shared resources they read and
/// the named conditions that must all hold. Conditions refer to <c>form.key</c> (the application form),
/// <c>applicant.name|idNumber|phone|address|legalRepresentative</c> (the filer's account) and <c>alias.field</c> (a source).
/// </summary>
public sealed record AutoApprovalRuleSet(IReadOnlyList<RuleSource> Sources, IReadOnlyList<RuleCondition> Conditions)
{
    /// <summary>The applicant's references a condition or a source key may use.</summary>
    public static readonly IReadOnlyList<string> ApplicantFields = ["name", "idNumber", "phone", "address", "legalRepresentative"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static AutoApprovalRuleSet FromJson(string json) =>
        JsonSerializer.Deserialize<AutoApprovalRuleSet>(json, Json) ?? throw new JsonException("empty rule set");

    /// <summary>
    /// What is wrong with the rule set for a matter whose form has <paramref name="formKeys"/>, in Chinese for the administrator:
    /// unknown references, a condition that does not parse, and a set that checks nothing against a shared resource.
    /// </summary>
    public IReadOnlyList<string> Problems(IReadOnlyCollection<string> formKeys)
    {
        var problems = new List<string>();
        if (Conditions.Count == 0)
        {
            problems.Add("请至少写一条条件");
        }

        var known = formKeys.Select(k => "form." + k).Concat(ApplicantFields.Select(a => "applicant." + a)).ToList();
        foreach (var s in Sources)
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(s.Alias, "^[A-Za-z_][A-Za-z0-9_]*$") || s.Alias is "form" or "applicant")
            {
                problems.Add($"数据来源别名“{s.Alias}”应为英文字母开头的名称，且不能是 form 或 applicant");
            }

            if (!known.Contains(s.Key))
            {
                problems.Add($"数据来源“{s.Alias}”的查询键“{s.Key}”应为 form.字段 或 applicant.idNumber 等申请人信息");
            }
        }

        if (Sources.GroupBy(s => s.Alias).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            problems.Add($"数据来源别名“{twice.Key}”重复");
        }

        known.AddRange(Sources.SelectMany(s => s.Fields.Keys.Select(f => $"{s.Alias}.{f}")));
        var readsSource = false;
        foreach (var c in Conditions)
        {
            if (string.IsNullOrWhiteSpace(c.Name))
            {
                problems.Add($"条件“{c.Condition}”缺少名称");
            }

            var parsed = ConditionParser.Parse(c.Condition, known);
            if (!parsed.Succeeded)
            {
                problems.AddRange(parsed.Errors.Select(e => $"条件“{c.Name}”{e}"));
                continue;
            }

            readsSource |= parsed.Condition!.Fields().Any(f => Sources.Any(s => f.StartsWith(s.Alias + ".", StringComparison.Ordinal)));
        }

        if (Conditions.Count > 0 && !readsSource)
        {
            problems.Add("秒批规则至少要有一条条件核验共享数据（如 register.status == '存续'），不能只凭申请人填写的内容自动审批");
        }

        return problems;
    }
}

/// <summary>One condition's run: the values it read (reference → value; null when missing) and whether it held.</summary>
public sealed record ConditionOutcome(string Name, string Condition, IReadOnlyDictionary<string, string?> Inputs, bool Passed);

/// <summary>The result of running a rule set on one application: all conditions passed, or which did not.</summary>
public sealed record AutoApprovalOutcome(IReadOnlyList<ConditionOutcome> Conditions)
{
    public bool Passed => Conditions.Count > 0 && Conditions.All(c => c.Passed);

    public IEnumerable<ConditionOutcome> Failed => Conditions.Where(c => !c.Passed);
}

/// <summary>Runs a rule set on an application's form, applicant and the shared records read for it. Pure: no I/O, no clock.</summary>
public static class AutoApprovalEvaluator
{
    /// <summary>The name of the built-in check that every required material was handed in (a 秒批 does not skip the checklist).</summary>
    public const string MaterialsCheck = "必要材料已提交";

    /// <summary>The text of a reference (<c>form.x</c>, <c>applicant.x</c>) that gives a source's key; null when empty.</summary>
    public static string? KeyOf(RuleSource source, IReadOnlyDictionary<string, string> form, ApplicantInfo applicant) =>
        new Data(form, applicant, new Dictionary<string, IReadOnlyDictionary<string, string>?>(), []).Get(source.Key) is { Length: > 0 } key
            ? key.Trim() : null;

    /// <param name="records">The record read for each source alias (its fields by the resource's own names); null when none was found or
    /// none could be read.</param>
    /// <param name="missingMaterials">Required materials not handed in: when any, the built-in check fails.</param>
    public static AutoApprovalOutcome Evaluate(AutoApprovalRuleSet rules, IReadOnlyDictionary<string, string> form, ApplicantInfo applicant,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>?> records, IReadOnlyList<string> missingMaterials)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var data = new Data(form, applicant, records, rules.Sources);
        var outcomes = new List<ConditionOutcome>();
        foreach (var rule in rules.Conditions)
        {
            var parsed = ConditionParser.Parse(rule.Condition);
            if (!parsed.Succeeded)
            {
                // A stored version was checked when saved; a broken one never approves.
                outcomes.Add(new(rule.Name, rule.Condition, new Dictionary<string, string?> { ["错误"] = parsed.Errors[0].ToString() }, false));
                continue;
            }

            var inputs = parsed.Condition!.Fields().ToDictionary(f => f, data.Get);
            outcomes.Add(new(rule.Name, rule.Condition, inputs, parsed.Condition.Evaluate(data)));
        }

        outcomes.Add(new(MaterialsCheck, "required materials handed in",
            new Dictionary<string, string?> { ["缺少材料"] = missingMaterials.Count == 0 ? "无" : string.Join("、", missingMaterials) },
            missingMaterials.Count == 0));
        return new(outcomes);
    }

    private sealed class Data(IReadOnlyDictionary<string, string> form, ApplicantInfo applicant,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>?> records, IReadOnlyList<RuleSource> sources) : IConditionData
    {
        public string? Get(string field)
        {
            var dot = field.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                return null;
            }

            var (head, name) = (field[..dot], field[(dot + 1)..]);
            return head switch
            {
                "form" => form.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null,
                "applicant" => name switch
                {
                    "name" => applicant.Name,
                    "idNumber" => applicant.IdNumber,
                    "phone" => applicant.Phone,
                    "address" => applicant.Address,
                    "legalRepresentative" => applicant.LegalRepresentative,
                    _ => null,
                },
                _ => sources.FirstOrDefault(s => s.Alias == head) is { } source && source.Fields.TryGetValue(name, out var resourceField)
                    && records.GetValueOrDefault(head) is { } record && record.TryGetValue(resourceField, out var value) ? value : null,
            };
        }
    }
}
