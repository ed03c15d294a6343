using ApprovalSystem.Core.Forms;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Cases;

/// <summary>A value a field starts from, and where it was entered before (a step's title, or 申请表 for the applicant's form).</summary>
public sealed record PrefilledValue(string Value, string Source);

/// <summary>
/// The data a person enters into a step's section 环节数据: checked against the step's fields before
/// the act is saved, and offered pre-filled from what the applicant or an earlier department already
/// entered under the same key, so nobody types the same data twice.
/// </summary>
public static class StepData
{
    /// <summary>The form's own label for the applicant's data when a field starts from it.</summary>
    public const string ApplicationForm = "申请表";

    /// <summary>
    /// Checks what was entered for a step with <paramref name="fields"/>. Approving needs every required
    /// field; whatever is given must have its field's form (a number, a yyyy-MM-dd date, one of the
    /// choices; the rules of <see cref="FieldRules"/>). A step that declares fields takes no other keys. Returns the values trimmed, without
    /// empty ones, or null when nothing was entered (the section is then left as it is).
    /// </summary>
    /// <exception cref="CaseInputException">A required field is empty, a value has the wrong form, or a key is unknown.</exception>
    /// <param name="existing">What the step's section already holds (a step returned and entered again): kept for the fields not given again.</param>
    /// <param name="today">The app clock's local date (an ID number's birth date may not lie after it).</param>
    public static Dictionary<string, string>? Check(string stepTitle, IReadOnlyList<StepField> fields, Outcome outcome,
        IReadOnlyDictionary<string, string>? data, DateOnly today, IReadOnlyDictionary<string, string>? existing = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in data ?? new Dictionary<string, string>())
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                values[key.Trim()] = value.Trim(); // " unitNo" and "unitNo" are one key
            }
        }

        if (values.Count == 0 && (fields.Count == 0 || outcome != Outcome.Approve || !fields.Any(f => f.Required && existing?.ContainsKey(f.Key) != true)))
        {
            return null;
        }

        if (fields.Count == 0)
        {
            return values;
        }

        var unknown = values.Keys.Where(k => !fields.Any(f => f.Key == k)).ToList();
        if (unknown.Count > 0)
        {
            var allowed = string.Join("、", fields.Select(f => $"{f.Label}（{f.Key}）"));
            throw CaseInputException.Invalid(unknown.Select(k => ($"data.{k}", $"“{stepTitle}”环节没有数据项“{k}”（可填写：{allowed}）")));
        }

        var problems = new List<(string Field, string Message)>();
        foreach (var field in fields)
        {
            if (!values.TryGetValue(field.Key, out var value))
            {
                if (field.Required && outcome == Outcome.Approve && existing?.ContainsKey(field.Key) != true)
                {
                    problems.Add(($"data.{field.Key}", $"请填写“{field.Label}”"));
                }

                continue;
            }

            if (FieldRules.Problem(field.Label, field.Type, value, field.Options, field.MaxLength, today) is { } problem)
            {
                problems.Add(($"data.{field.Key}", problem));
            }
        }

        if (problems.Count > 0)
        {
            throw CaseInputException.Invalid(problems);
        }

        // Entered again: what is not given again stays as it was.
        foreach (var (key, value) in existing ?? new Dictionary<string, string>())
        {
            if (fields.Any(f => f.Key == key))
            {
                values.TryAdd(key, value);
            }
        }

        return values;
    }

    /// <summary>
    /// What each field of an open work item starts from: its own section when the step was returned and
    /// is entered again, else the latest value under the same key in a section written before (its
    /// step's title as the source), else the applicant's form data.
    /// </summary>
    public static Dictionary<string, PrefilledValue> Prefill(Case c, WorkflowDefinition definition, CaseStep step)
    {
        var fields = definition.FieldsOf(step.StepId, step.BranchId);
        var result = new Dictionary<string, PrefilledValue>(StringComparer.Ordinal);
        if (fields.Count == 0)
        {
            return result;
        }

        var instance = c.Instance();
        var own = definition.SectionOf(step.StepId, step.BranchId);

        // Sections in the order their steps closed, so the latest entry of a key wins.
        var written = c.Steps.Where(s => s.ClosedAt is not null).OrderBy(s => s.ClosedAt)
            .Select(s => definition.SectionOf(s.StepId, s.BranchId))
            .OfType<string>()
            .Distinct()
            .ToList();
        foreach (var field in fields)
        {
            if (own is not null && instance.Sections.TryGetValue(own, out var mine) && mine.TryGetValue(field.Key, out var again))
            {
                result[field.Key] = new PrefilledValue(again, step.Title);
                continue;
            }

            var earlier = written.LastOrDefault(section => section != own && instance.Sections.TryGetValue(section, out var values)
                && values.ContainsKey(field.Key));
            if (earlier is not null)
            {
                result[field.Key] = new PrefilledValue(instance.Sections[earlier][field.Key], definition.Writer(earlier)?.Title ?? earlier);
            }
            else if (c.FormData.TryGetValue(field.Key, out var typed) && !string.IsNullOrWhiteSpace(typed))
            {
                result[field.Key] = new PrefilledValue(typed, ApplicationForm);
            }
        }

        return result;
    }

}
