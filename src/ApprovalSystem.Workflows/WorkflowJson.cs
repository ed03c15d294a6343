using System.Text.Encodings.Web;
using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;

namespace ApprovalSystem.Workflows;

/// <summary>How the host should serialize instances and events: camelCase, Chinese kept readable in the database.</summary>
public static class WorkflowJson
{
    public static JsonSerializerOptions Options { get; } = Create(compact: false);

    /// <summary>
    /// How an instance is stored (it is kept in every case row): as <see cref="Options"/>, but a null or an empty collection is
    /// left out unless the property is required; reading it back gives the property's initial value, which is the same.
    /// </summary>
    public static JsonSerializerOptions InstanceOptions { get; } = Create(compact: true);

    private static JsonSerializerOptions Create(bool compact)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        };
        if (compact)
        {
            options.TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { LeaveOutEmpty } };
        }

        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static void LeaveOutEmpty(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in type.Properties.Where(p => !p.IsRequired && p.Set is not null))
        {
            property.ShouldSerialize = (_, value) => value switch
            {
                null => false,
                ICollection { Count: 0 } => false,
                _ => true,
            };
        }
    }
}
