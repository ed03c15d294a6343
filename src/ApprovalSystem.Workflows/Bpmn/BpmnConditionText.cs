using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ApprovalSystem.Workflows.Bpmn;

/// <summary>
/// A condition step's condition as the text of a BPMN <c>conditionExpression</c>, and back into a workflow file's
/// properties: the one seam between BPMN and the engine's condition language. Today a condition is a field, an
/// operator and a JSON value: "floorArea &gt; 300", "kind == \"个体\"".
/// </summary>
internal static partial class BpmnConditionText
{
    public static string Write(ConditionStep step) => $"{step.Field} {step.Operator.ToSymbol()} {step.Value.GetRawText()}";

    /// <summary>
    /// Adds to <paramref name="step"/> (a condition step of a workflow file) the properties that say <paramref name="text"/>;
    /// the reason in Chinese when the text cannot be read.
    /// </summary>
    public static string? AddTo(JsonObject step, string text)
    {
        var match = Comparison().Match(text);
        if (!match.Success)
        {
            return $"条件“{text}”无法识别：请写成“字段 运算符 值”，例如 floorArea > 300 或 kind == \"个体\"";
        }

        JsonNode? value;
        try
        {
            value = JsonNode.Parse(match.Groups["value"].Value);
        }
        catch (JsonException)
        {
            value = null;
        }

        if (value?.GetValueKind() is not (JsonValueKind.Number or JsonValueKind.String))
        {
            return $"条件“{text}”的值必须是数字或带英文双引号的文字";
        }

        step["field"] = match.Groups["field"].Value;
        step["operator"] = match.Groups["op"].Value;
        step["value"] = value;
        return null;
    }

    [GeneratedRegex("""^\s*(?<field>[A-Za-z][A-Za-z0-9_]*)\s*(?<op>>=|<=|==|!=|>|<)\s*(?<value>.+?)\s*$""", RegexOptions.None, 1000)]
    private static partial Regex Comparison();
}
