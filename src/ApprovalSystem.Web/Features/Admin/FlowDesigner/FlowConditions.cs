using System.Text.Json;
using ApprovalSystem.Workflows;
using ApprovalSystem.Workflows.Conditions;

namespace ApprovalSystem.Web.Features.Admin.FlowDesigner;

/// <summary>
/// The designer's one seam to the condition language (<see cref="ConditionParser"/>): how a condition step reads as text, how the
/// text is checked (with the position of a mistake, in Chinese) and how it is written into the definition.
/// </summary>
public static class FlowConditions
{
    /// <summary>The text of a loaded condition step, in the language's canonical form.</summary>
    public static string Text(ConditionStep step) => step.When.ToText();

    /// <summary>The first mistake in <paramref name="text"/>: its zero-based position and what to do, in Chinese; null when it reads.</summary>
    public static (int Position, string Message)? Check(string text) =>
        ConditionParser.Parse(text) is { Succeeded: false, Errors: [var error, ..] } ? (error.Position, error.Message) : null;

    /// <summary>Writes the condition into a step object as <c>"when"</c> (the loader checks it again, as it does a file).</summary>
    public static void Write(Utf8JsonWriter writer, string text) => writer.WriteString("when", text);

    /// <summary>The form fields a condition names.</summary>
    public static IReadOnlyList<string> Fields(string text) => ConditionParser.Parse(text).Condition?.Fields() ?? [];
}
