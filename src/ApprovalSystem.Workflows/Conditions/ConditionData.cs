using System.Text.Json;

namespace ApprovalSystem.Workflows.Conditions;

/// <summary>What a <see cref="Condition"/> reads: the text of a field by its reference.</summary>
public interface IConditionData
{
    /// <summary>The value of <paramref name="field"/> (a form key, or <c>section.key</c>) as text; null when missing.</summary>
    string? Get(string field);
}

/// <summary>The usual sources of condition data.</summary>
public static class ConditionData
{
    /// <summary>Form data as the case stores it (key → text).</summary>
    public static IConditionData From(
        IReadOnlyDictionary<string, string> form,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? sections = null) =>
        new Lookup(key => form.TryGetValue(key, out var value) ? value : null, sections);

    /// <summary>A workflow instance's case data (JSON values: a string is read as its text, anything else as its JSON).</summary>
    public static IConditionData From(
        IReadOnlyDictionary<string, JsonElement> caseData,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? sections = null) =>
        new Lookup(key => caseData.TryGetValue(key, out var value) ? Text(value) : null, sections);

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };

    /// <summary>A form key directly; <c>section.key</c> in the sections the steps wrote.</summary>
    private sealed class Lookup(
        Func<string, string?> form,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? sections) : IConditionData
    {
        public string? Get(string field)
        {
            var dot = field.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                return form(field);
            }

            return sections is not null && sections.TryGetValue(field[..dot], out var section)
                && section.TryGetValue(field[(dot + 1)..], out var value) ? value : null;
        }
    }
}
