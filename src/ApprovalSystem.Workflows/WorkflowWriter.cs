using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ApprovalSystem.Workflows;

/// <summary>
/// Writes a definition as the file format <see cref="WorkflowLoader"/> reads: indented JSON, Chinese and
/// comparison signs unescaped, properties in the order the shipped files use, and defaults left out as the files
/// leave them out (a parallel step's <c>["approve", "deny"]</c>, a quorum of all, empty <c>fields</c>). Loading what
/// it writes gives the same definition and the same <see cref="WorkflowDefinition.ContentHash"/>; writing that again
/// gives the same text. The designer and the BPMN import save their drafts through it.
/// </summary>
public static class WorkflowWriter
{
    /// <summary>The schema reference written first, as in the shipped files (the hash ignores it).</summary>
    public const string SchemaReference = "./" + WorkflowLoader.SchemaFileName;

    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,

        // A definition is a file and a database value, never embedded in HTML: keep "floorArea > 300" and 契税 readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string ToJson(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("$schema", SchemaReference);
            json.WriteString("id", definition.Id);
            json.WriteNumber("version", definition.Version);
            json.WriteString("title", definition.Title);
            if (definition.Description is not null)
            {
                json.WriteString("description", definition.Description);
            }

            json.WriteString("start", definition.Start);
            json.WriteStartArray("steps");
            foreach (var step in definition.Steps)
            {
                WriteStep(json, step);
            }

            json.WriteEndArray();
            json.WriteStartArray("connections");
            foreach (var connection in definition.Connections)
            {
                json.WriteStartObject();
                json.WriteString("from", connection.From);
                json.WriteString("outcome", connection.Outcome);
                json.WriteString("to", connection.To);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteStep(Utf8JsonWriter json, WorkflowStep step)
    {
        json.WriteStartObject();
        json.WriteString("id", step.Id);
        json.WriteString("kind", WorkflowNames.Kind(step));
        json.WriteString("title", step.Title);
        switch (step)
        {
            case TaskStep task:
                json.WriteString("department", task.Department);
                json.WriteString("role", task.Role);
                json.WriteNumber("limitDays", task.LimitDays);
                json.WriteString("writes", task.Writes);
                WriteDistinctFrom(json, task);
                WriteFields(json, task.Fields);
                WriteOutcomes(json, task.Outcomes);
                break;
            case ParallelStep parallel:
                json.WriteNumber("limitDays", parallel.LimitDays);
                if (parallel.Quorum != parallel.Branches.Count)
                {
                    json.WriteNumber("quorum", parallel.Quorum);
                }

                WriteQuorumOutcomes(json, parallel.Outcomes);
                json.WriteStartArray("branches");
                foreach (var branch in parallel.Branches)
                {
                    json.WriteStartObject();
                    json.WriteString("id", branch.Id);
                    json.WriteString("title", branch.Title);
                    json.WriteString("department", branch.Department);
                    json.WriteString("role", branch.Role);
                    json.WriteNumber("limitDays", branch.LimitDays);
                    json.WriteString("writes", branch.Writes);
                    WriteFields(json, branch.Fields);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                break;
            case CountersignStep countersign:
                json.WriteString("department", countersign.Department);
                json.WriteString("role", countersign.Role);
                json.WriteNumber("signers", countersign.Signers);
                if (countersign.Quorum != countersign.Signers)
                {
                    json.WriteNumber("quorum", countersign.Quorum);
                }

                json.WriteNumber("limitDays", countersign.LimitDays);
                json.WriteString("writes", countersign.Writes);
                WriteDistinctFrom(json, countersign);
                WriteFields(json, countersign.Fields);
                WriteQuorumOutcomes(json, countersign.Outcomes);
                break;
            case ConditionStep condition:
                json.WriteString("when", condition.When.ToText());
                break;
            case EndStep end:
                json.WriteString("result", end.Result.ToName());
                break;
            default:
                throw new UnreachableException();
        }

        json.WriteEndObject();
    }

    private static void WriteDistinctFrom(Utf8JsonWriter json, HumanStep step)
    {
        if (step.DistinctFrom.Count > 0)
        {
            WriteStrings(json, "distinctFrom", step.DistinctFrom);
        }
    }

    private static void WriteFields(Utf8JsonWriter json, IReadOnlyList<StepField> fields)
    {
        if (fields.Count == 0)
        {
            return;
        }

        json.WriteStartArray("fields");
        foreach (var field in fields)
        {
            json.WriteStartObject();
            json.WriteString("key", field.Key);
            json.WriteString("label", field.Label);
            json.WriteString("type", WorkflowNames.FieldTypes.First(t => t.Value == field.Type).Key);
            if (field.Required)
            {
                json.WriteBoolean("required", true);
            }

            if (field.Options.Count > 0)
            {
                WriteStrings(json, "options", field.Options);
            }

            if (field.Unit is not null)
            {
                json.WriteString("unit", field.Unit);
            }

            if (field.MaxLength is { } maxLength)
            {
                json.WriteNumber("maxLength", maxLength);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>A joint or countersign step's outcomes, left out when they are the default approve and deny.</summary>
    private static void WriteQuorumOutcomes(Utf8JsonWriter json, IReadOnlyList<Outcome> outcomes)
    {
        if (outcomes is not [Outcome.Approve, Outcome.Deny])
        {
            WriteOutcomes(json, outcomes);
        }
    }

    private static void WriteOutcomes(Utf8JsonWriter json, IReadOnlyList<Outcome> outcomes) =>
        WriteStrings(json, "outcomes", [.. outcomes.Select(o => o.ToName())]);

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
