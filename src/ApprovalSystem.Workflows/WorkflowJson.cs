using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace ApprovalSystem.Workflows;

/// <summary>How the host should serialize instances and events: camelCase, Chinese kept readable in the database.</summary>
public static class WorkflowJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
