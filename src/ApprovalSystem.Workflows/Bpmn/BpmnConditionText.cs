using System.Text.Json.Nodes;
using ApprovalSystem.Workflows.Conditions;

namespace ApprovalSystem.Workflows.Bpmn;

/// <summary>
/// A condition step's condition as the text of a BPMN <c>conditionExpression</c>, and back into a workflow file's
/// properties: the one seam between BPMN and the engine's condition language (workflows/README.md, 条件语言), whose
/// canonical text is what a BPMN file carries ("floorArea &gt; 300 and kind in ['个体', '企业']").
/// </summary>
internal static class BpmnConditionText
{
    public static string Write(ConditionStep step) => step.When.ToText();

    /// <summary>
    /// Adds to <paramref name="step"/> (a condition step of a workflow file) the "when" that says <paramref name="text"/>;
    /// the reason in Chinese when the text is not a condition.
    /// </summary>
    public static string? AddTo(JsonObject step, string text)
    {
        var parsed = ConditionParser.Parse(text);
        if (!parsed.Succeeded)
        {
            return $"条件“{text}”无法识别：{string.Join("；", parsed.Errors)}";
        }

        step["when"] = parsed.Condition!.ToText();
        return null;
    }
}
