using System.Globalization;
using System.Text;

namespace ApprovalSystem.Workflows.Conditions;

/// <summary>
/// A condition 条件 on a case's data, in the one condition language of the system (flow branches, the guide's
/// situations 情形, automatic approval 秒批): comparisons of form fields and step-section fields with values, combined
/// with <c>and</c>, <c>or</c>, <c>not</c>. An immutable syntax tree; <see cref="ConditionParser.Parse"/> builds it from
/// text and <see cref="ToText"/> writes it back in canonical form, so that <c>Parse(c.ToText())</c> equals <c>c</c>.
/// </summary>
public abstract record Condition
{
    /// <summary>Whether the condition holds for <paramref name="data"/>.</summary>
    /// <remarks>
    /// A missing field makes a comparison, <c>in</c> and <c>contains</c> false (and their <c>not in</c> / <c>!=</c>
    /// counterparts no truer: a missing value is neither equal nor unequal), and <c>is empty</c> true.
    /// </remarks>
    public abstract bool Evaluate(IConditionData data);

    /// <summary>The canonical text: single spaces, English keywords, '…' strings, parentheses only where needed.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        Write(text);
        return text.ToString();
    }

    public sealed override string ToString() => ToText();

    /// <summary>The field references the condition reads (form keys and <c>section.key</c>), each once, in order of appearance.</summary>
    public IReadOnlyList<string> Fields()
    {
        var fields = new List<string>();
        CollectFields(fields);
        return fields;
    }

    /// <summary>
    /// The fields of <paramref name="condition"/> that <paramref name="knownFields"/> lacks, one Chinese error each
    /// (position 0: the tree no longer knows where the text named them).
    /// </summary>
    public static IReadOnlyList<ConditionError> Check(Condition condition, IReadOnlyCollection<string> knownFields)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(knownFields);
        return [.. condition.Fields().Where(f => !knownFields.Contains(f)).Select(f => new ConditionError(0, UnknownField(f, knownFields)))];
    }

    internal static string UnknownField(string field, IReadOnlyCollection<string> knownFields) => knownFields.Count == 0
        ? $"未知字段“{field}”：此处没有可用的字段"
        : $"未知字段“{field}”，可用字段：{string.Join("、", knownFields.Take(30))}{(knownFields.Count > 30 ? " 等" : "")}";

    /// <summary>Binding strength for <see cref="ToText"/>: or &lt; and &lt; not &lt; a test.</summary>
    internal abstract int Precedence { get; }

    internal abstract void Write(StringBuilder text);

    internal abstract void CollectFields(List<string> fields);

    /// <summary>
    /// The fields whose value the condition needs: those it compares, less those it also tests with
    /// <c>is empty</c> (a condition that asks whether a field is empty expects it may be missing).
    /// </summary>
    internal IReadOnlyList<string> ValueFields()
    {
        var tested = new List<string>();
        CollectEmptinessTested(tested);
        return [.. Fields().Except(tested)];
    }

    internal virtual void CollectEmptinessTested(List<string> fields)
    {
    }

    /// <summary>Writes <paramref name="child"/>, in parentheses when it binds looser than <paramref name="minimum"/>.</summary>
    private protected static void WriteChild(StringBuilder text, Condition child, int minimum)
    {
        if (child.Precedence < minimum)
        {
            text.Append('(');
            child.Write(text);
            text.Append(')');
        }
        else
        {
            child.Write(text);
        }
    }

    internal static void AddField(List<string> fields, string field)
    {
        if (!fields.Contains(field))
        {
            fields.Add(field);
        }
    }
}

/// <summary><c>a and b</c> 且: both hold.</summary>
public sealed record AndCondition(Condition Left, Condition Right) : Condition
{
    internal override int Precedence => 2;

    public override bool Evaluate(IConditionData data) => Left.Evaluate(data) && Right.Evaluate(data);

    internal override void Write(StringBuilder text)
    {
        WriteChild(text, Left, Precedence);
        text.Append(" and ");
        WriteChild(text, Right, Precedence + 1);
    }

    internal override void CollectFields(List<string> fields)
    {
        Left.CollectFields(fields);
        Right.CollectFields(fields);
    }

    internal override void CollectEmptinessTested(List<string> fields)
    {
        Left.CollectEmptinessTested(fields);
        Right.CollectEmptinessTested(fields);
    }
}

/// <summary><c>a or b</c> 或: at least one holds.</summary>
public sealed record OrCondition(Condition Left, Condition Right) : Condition
{
    internal override int Precedence => 1;

    public override bool Evaluate(IConditionData data) => Left.Evaluate(data) || Right.Evaluate(data);

    internal override void Write(StringBuilder text)
    {
        WriteChild(text, Left, Precedence);
        text.Append(" or ");
        WriteChild(text, Right, Precedence + 1);
    }

    internal override void CollectFields(List<string> fields)
    {
        Left.CollectFields(fields);
        Right.CollectFields(fields);
    }

    internal override void CollectEmptinessTested(List<string> fields)
    {
        Left.CollectEmptinessTested(fields);
        Right.CollectEmptinessTested(fields);
    }
}

/// <summary><c>not a</c> 非: <see cref="Operand"/> does not hold.</summary>
public sealed record NotCondition(Condition Operand) : Condition
{
    internal override int Precedence => 3;

    public override bool Evaluate(IConditionData data) => !Operand.Evaluate(data);

    internal override void Write(StringBuilder text)
    {
        text.Append("not ");
        WriteChild(text, Operand, Precedence);
    }

    internal override void CollectFields(List<string> fields) => Operand.CollectFields(fields);

    internal override void CollectEmptinessTested(List<string> fields) => Operand.CollectEmptinessTested(fields);
}

/// <summary>
/// <c>left op right</c>, op one of <c>== != &gt; &gt;= &lt; &lt;=</c>. Two values compare as numbers when both are
/// numbers (a number literal, or a field whose text parses as a decimal); a quoted literal always compares as text,
/// so <c>townshipCode == '01'</c> does not match "1"; anything else compares as ordinal text.
/// </summary>
public sealed record CompareCondition(ConditionOperand Left, ConditionOperator Operator, ConditionOperand Right) : Condition
{
    internal override int Precedence => 4;

    public override bool Evaluate(IConditionData data)
    {
        if (Left.Read(data) is not { } left || Right.Read(data) is not { } right)
        {
            return false;
        }

        var comparison = ConditionValue.Compare(left, right);
        return Operator switch
        {
            ConditionOperator.GreaterThan => comparison > 0,
            ConditionOperator.GreaterThanOrEqual => comparison >= 0,
            ConditionOperator.LessThan => comparison < 0,
            ConditionOperator.LessThanOrEqual => comparison <= 0,
            ConditionOperator.Equal => comparison == 0,
            ConditionOperator.NotEqual => comparison != 0,
        };
    }

    internal override void Write(StringBuilder text)
    {
        Left.Write(text);
        text.Append(' ').Append(Operator.ToSymbol()).Append(' ');
        Right.Write(text);
    }

    internal override void CollectFields(List<string> fields)
    {
        Left.CollectFields(fields);
        Right.CollectFields(fields);
    }
}

/// <summary><c>field in [a, b]</c> (or <c>not in</c>): the field equals one of the values, by the rule of <c>==</c>.</summary>
public sealed record InCondition(FieldOperand Field, IReadOnlyList<LiteralOperand> Values, bool Negated) : Condition
{
    internal override int Precedence => 4;

    public override bool Evaluate(IConditionData data)
    {
        if (Field.Read(data) is not { } value)
        {
            return false;
        }

        var found = Values.Any(v => ConditionValue.Compare(value, v.Value) == 0);
        return found != Negated;
    }

    internal override void Write(StringBuilder text)
    {
        Field.Write(text);
        text.Append(Negated ? " not in [" : " in [");
        for (var i = 0; i < Values.Count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            Values[i].Write(text);
        }

        text.Append(']');
    }

    internal override void CollectFields(List<string> fields) => Field.CollectFields(fields);

    public bool Equals(InCondition? other) =>
        other is not null && Field == other.Field && Negated == other.Negated && Values.SequenceEqual(other.Values);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Field);
        hash.Add(Negated);
        foreach (var value in Values)
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }
}

/// <summary><c>field contains 'text'</c>: the field's text includes the other side's (ordinal, case as typed).</summary>
public sealed record ContainsCondition(ConditionOperand Left, ConditionOperand Right) : Condition
{
    internal override int Precedence => 4;

    public override bool Evaluate(IConditionData data) =>
        Left.Read(data) is { } left && Right.Read(data) is { } right && left.Text.Contains(right.Text, StringComparison.Ordinal);

    internal override void Write(StringBuilder text)
    {
        Left.Write(text);
        text.Append(" contains ");
        Right.Write(text);
    }

    internal override void CollectFields(List<string> fields)
    {
        Left.CollectFields(fields);
        Right.CollectFields(fields);
    }
}

/// <summary><c>field is empty</c> (or <c>is not empty</c>): the field is missing or blank.</summary>
public sealed record EmptyCondition(FieldOperand Field, bool Negated) : Condition
{
    internal override int Precedence => 4;

    public override bool Evaluate(IConditionData data) => string.IsNullOrWhiteSpace(data.Get(Field.Path)) != Negated;

    internal override void Write(StringBuilder text)
    {
        Field.Write(text);
        text.Append(Negated ? " is not empty" : " is empty");
    }

    internal override void CollectFields(List<string> fields) => Field.CollectFields(fields);

    internal override void CollectEmptinessTested(List<string> fields) => Field.CollectFields(fields);
}

/// <summary>One side of a comparison: a field reference or a literal.</summary>
public abstract record ConditionOperand
{
    internal abstract ConditionValue? Read(IConditionData data);

    internal abstract void Write(StringBuilder text);

    internal virtual void CollectFields(List<string> fields)
    {
    }

    public sealed override string ToString()
    {
        var text = new StringBuilder();
        Write(text);
        return text.ToString();
    }
}

/// <summary>
/// A field reference: a form-field key (<c>area</c>) or a step section's field <c>section.key</c>
/// (<c>deedTax.deedTaxAmount</c>).
/// </summary>
public sealed record FieldOperand(string Path) : ConditionOperand
{
    internal override ConditionValue? Read(IConditionData data) => data.Get(Path) is { } text ? ConditionValue.FromField(text) : null;

    internal override void Write(StringBuilder text) => text.Append(Path);

    internal override void CollectFields(List<string> fields) => Condition.AddField(fields, Path);
}

/// <summary>A literal value written in the condition.</summary>
public abstract record LiteralOperand : ConditionOperand
{
    internal abstract ConditionValue Value { get; }

    internal override ConditionValue? Read(IConditionData data) => Value;
}

/// <summary>A number literal (<c>144</c>, <c>-2.5</c>): compares numerically with a field whose text is a decimal.</summary>
public sealed record NumberLiteral(decimal Number) : LiteralOperand
{
    internal override ConditionValue Value => new(Number.ToString(CultureInfo.InvariantCulture), Number);

    internal override void Write(StringBuilder text) => text.Append(Number.ToString(CultureInfo.InvariantCulture));
}

/// <summary>A text literal (<c>'住宅'</c>): always compares as text, ordinally.</summary>
public sealed record TextLiteral(string Text) : LiteralOperand
{
    internal override ConditionValue Value => new(Text, null);

    internal override void Write(StringBuilder text)
    {
        text.Append('\'');
        foreach (var c in Text)
        {
            if (c is '\'' or '\\')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        text.Append('\'');
    }
}

/// <summary><c>true</c> or <c>false</c>: equals a field holding that text, in any case ("True", "false").</summary>
public sealed record BooleanLiteral(bool Flag) : LiteralOperand
{
    internal override ConditionValue Value => new(Flag ? "true" : "false", null, IgnoreCase: true);

    internal override void Write(StringBuilder text) => text.Append(Flag ? "true" : "false");
}

/// <summary>A value being compared: its text, and its number when it is one.</summary>
internal readonly record struct ConditionValue(string Text, decimal? Number, bool IgnoreCase = false)
{
    public static ConditionValue FromField(string text) =>
        new(text, decimal.TryParse(text.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var number) ? number : null);

    public static int Compare(ConditionValue left, ConditionValue right)
    {
        if (left.Number is { } a && right.Number is { } b)
        {
            return a.CompareTo(b);
        }

        return left.IgnoreCase || right.IgnoreCase
            ? string.Compare(left.Text.Trim(), right.Text.Trim(), StringComparison.OrdinalIgnoreCase)
            : string.CompareOrdinal(left.Text, right.Text);
    }
}
