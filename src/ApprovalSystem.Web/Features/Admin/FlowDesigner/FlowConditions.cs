using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Web.Features.Admin.FlowDesigner;

/// <summary>
/// The designer's one seam to the condition language: how a condition step reads as text, how the text is checked (with the
/// position of a mistake, in Chinese) and how it is written into the definition. Today the engine compares one field with one
/// value (<c>floorArea &gt; 300</c>, <c>kind == "企业"</c>); when the engine's condition language arrives these three methods
/// call its parser and writer instead.
/// </summary>
public static partial class FlowConditions
{
    /// <summary>The text of a loaded condition step.</summary>
    public static string Text(ConditionStep step) =>
        $"{step.Field} {step.Operator.ToSymbol()} {(step.Value.ValueKind == JsonValueKind.String ? JsonSerializer.Serialize(step.Value.GetString(), WorkflowJson.Options) : step.Value.GetRawText())}";

    /// <summary>The first mistake in <paramref name="text"/>: its zero-based position and what to do, in Chinese; null when it reads.</summary>
    public static (int Position, string Message)? Check(string text) => Read(text).Error;

    /// <summary>Writes the condition's properties into a step object; nothing when it does not read (the check reports it).</summary>
    public static void Write(Utf8JsonWriter writer, string text)
    {
        var (parts, _) = Read(text);
        if (parts is not { } p)
        {
            return;
        }

        writer.WriteString("field", p.Field);
        writer.WriteString("operator", p.Operator);
        if (p.Number is { } number)
        {
            writer.WriteNumber("value", number);
        }
        else
        {
            writer.WriteString("value", p.Text);
        }
    }

    /// <summary>The form fields a condition names, for the panel's list of what it may insert.</summary>
    public static IEnumerable<string> Fields(string text) => Read(text).Parts is { } p ? [p.Field] : [];

    private static ((string Field, string Operator, decimal? Number, string? Text)? Parts, (int, string)? Error) Read(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, (0, "请填写条件，例如：floorArea > 300"));
        }

        var field = FieldPattern().Match(text);
        if (!field.Success)
        {
            return (null, (text.Length - text.TrimStart().Length, "条件须以表单字段开头（字母开头，只含字母、数字和下划线）"));
        }

        var at = field.Index + field.Length;
        var op = OperatorPattern().Match(text, at);
        if (!op.Success || op.Index != at)
        {
            return (null, (at + (text.Length - at - text[at..].TrimStart().Length), "此处缺少比较符：>、>=、<、<=、== 或 !="));
        }

        at = op.Index + op.Length;
        var rest = text[at..].Trim();
        var valueAt = at + (text.Length - at - text[at..].TrimStart().Length);
        var symbol = op.Groups[1].Value;
        if (rest.Length == 0)
        {
            return (null, (valueAt, "比较符后缺少要比较的值（数字，或用双引号括起的文字）"));
        }

        if (rest.StartsWith('"'))
        {
            if (rest.Length < 2 || !rest.EndsWith('"'))
            {
                return (null, (valueAt, "文字值须用一对双引号括起"));
            }

            if (symbol is not ("==" or "!="))
            {
                return (null, (op.Index, "文字只能用 == 或 != 比较"));
            }

            return ((field.Groups[1].Value, symbol, null, rest[1..^1]), null);
        }

        return decimal.TryParse(rest, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            ? ((field.Groups[1].Value, symbol, number, null), null)
            : (null, (valueAt, "值须为数字，或用双引号括起的文字"));
    }

    [GeneratedRegex(@"^\s*([A-Za-z][A-Za-z0-9_]*)")]
    private static partial Regex FieldPattern();

    [GeneratedRegex(@"\s*(>=|<=|==|!=|>|<)")]
    private static partial Regex OperatorPattern();
}
