using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ApprovalSystem.Workflows;

/// <summary>
/// Loads and validates workflow definitions 流程定义 from JSON. A bad file is reported in
/// <see cref="WorkflowLoadResult.Errors"/> and never stops the other files from loading.
/// </summary>
public sealed class WorkflowLoader(WorkflowLoaderOptions? options = null)
{
    /// <summary>The schema file that lives beside the definitions and is not one.</summary>
    public const string SchemaFileName = "workflow.schema.json";

    private readonly WorkflowLoaderOptions options = options ?? new WorkflowLoaderOptions();

    /// <summary>Loads every <c>*.json</c> file of <paramref name="path"/> except the schema, in file-name order.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist (a configuration error).</exception>
    public WorkflowLoadResult LoadDirectory(string path)
    {
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"Workflow folder \"{path}\" does not exist.");
        }

        var definitions = new List<WorkflowDefinition>();
        var errors = new List<WorkflowLoadError>();
        var files = Directory.EnumerateFiles(path, "*.json")
            .Where(f => !string.Equals(Path.GetFileName(f), SchemaFileName, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);

        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var result = LoadFromJson(name, File.ReadAllText(file));
            errors.AddRange(result.Errors);
            foreach (var definition in result.Definitions)
            {
                var twin = definitions.Find(d => d.Id == definition.Id);
                if (twin is null)
                {
                    definitions.Add(definition);
                }
                else
                {
                    errors.Add(new(name, null, $"workflow id \"{definition.Id}\" is already defined by another file"));
                }
            }
        }

        return new(definitions, errors);
    }

    /// <summary>Loads one definition; <paramref name="fileName"/> only names it in error messages.</summary>
    public WorkflowLoadResult LoadFromJson(string fileName, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            return new([], [new(fileName, null, InvalidJson(ex))]);
        }

        using (document)
        {
            var parser = new WorkflowParser(fileName, options.KnownRoles);
            var definition = parser.Parse(document.RootElement, ContentHash(document.RootElement), json);
            var errors = parser.Errors.ToList();
            if (definition is not null && parser.GraphUsable)
            {
                errors.AddRange(WorkflowValidator.Validate(fileName, definition));
            }

            return errors.Count == 0 && definition is not null ? new([definition with { File = fileName }], []) : new([], errors);
        }
    }

    private static string InvalidJson(JsonException ex)
    {
        // The parser's message ends with its own zero-based "LineNumber: …" suffix; say it the human way.
        var reason = ex.Message;
        var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            reason = reason[..cut];
        }

        return ex.LineNumber is { } line
            ? $"invalid JSON at line {line + 1}, column {ex.BytePositionInLine + 1}: {reason}"
            : $"invalid JSON: {reason}";
    }

    /// <summary>SHA-256 of the document with sorted keys, no whitespace and no "$schema".</summary>
    private static string ContentHash(JsonElement root)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(writer, root, isRoot: true);
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element, bool isRoot = false)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (isRoot && property.Name == "$schema")
                    {
                        continue;
                    }

                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}

/// <summary>Options of <see cref="WorkflowLoader"/>.</summary>
public sealed record WorkflowLoaderOptions
{
    /// <summary>The roles of the system's users (see the Core's <c>Roles</c>).</summary>
    public static readonly IReadOnlySet<string> DefaultRoles = FrozenSet.Create(
        StringComparer.Ordinal, "Applicant", "Agent", "Clerk", "Officer", "DepartmentHead", "Supervisor", "Administrator");

    /// <summary>Roles a step may name; any other role is a load error.</summary>
    public IReadOnlySet<string> KnownRoles { get; init; } = DefaultRoles;
}

/// <summary>The valid definitions and the errors of the invalid ones.</summary>
public sealed record WorkflowLoadResult(IReadOnlyList<WorkflowDefinition> Definitions, IReadOnlyList<WorkflowLoadError> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    public override string ToString()
    {
        var text = new StringBuilder($"{Definitions.Count} workflow(s) loaded, {Errors.Count} error(s)");
        foreach (var error in Errors)
        {
            text.AppendLine().Append("  ").Append(error);
        }

        return text.ToString();
    }
}

/// <summary>One problem in one definition file, naming the step where there is one.</summary>
/// <param name="Message">For developers and the start-up log, in English.</param>
public sealed record WorkflowLoadError(string File, string? StepId, string Message)
{
    /// <summary>
    /// The same problem for the centre's administrator in the flow designer, in Chinese; null where the rule is one only
    /// a hand-written file can break (the designer then shows <see cref="Message"/>).
    /// </summary>
    public string? Chinese { get; init; }

    public override string ToString() =>
        StepId is null ? $"{File}: {Message}" : $"{File}: step \"{StepId}\": {Message}";
}
