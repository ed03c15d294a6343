using System.Text.Json.Nodes;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Tests.Workflows;

/// <summary>A shipped flow edited as its JSON (what an administrator's draft is), loaded through the real loader as another version.</summary>
internal static class FlowVariants
{
    public static WorkflowDefinition Edit(string id, int version, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(ShippedWorkflows.Folder, id + ".json")))!.AsObject();
        root["version"] = version;
        edit(root);
        var result = new WorkflowLoader().LoadFromJson(id + ".json", root.ToJsonString());
        Assert.True(result.Succeeded, result.ToString());
        return result.Definitions[0] with { Version = version };
    }

    public static JsonObject Step(JsonObject root, string stepId) =>
        root["steps"]!.AsArray().Select(s => s!.AsObject()).Single(s => (string?)s["id"] == stepId);

    public static JsonArray Connections(JsonObject root) => root["connections"]!.AsArray();
}
