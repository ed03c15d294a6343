using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using ApprovalSystem.Workflows;
using ApprovalSystem.Workflows.Conditions;

namespace ApprovalSystem.Core.Catalogue;

/// <summary>
/// A question of the guide 情形引导, e.g. 是否委托代理人？ Its answer, with the others', decides which materials, form fields
/// (and, in a bundle, which member matters) apply: each of those names the situations it applies in with a condition in the
/// one condition language (decision 0047), over the questions' keys, e.g. <c>agent == '是'</c>.
/// </summary>
public class SituationQuestion
{
    /// <summary>The answer's key in conditions: ASCII, a lower-case letter first, e.g. <c>agent</c>.</summary>
    public string Key { get; set; } = "";

    /// <summary>The question as the guide asks it, e.g. 是否委托他人代为办理？</summary>
    public string Text { get; set; } = "";

    /// <summary>The answers offered; at least two (是/否 when the catalogue names none).</summary>
    public List<string> Options { get; set; } = [.. Situations.YesNo];

    /// <summary>A line under the question that helps to answer it, e.g. what counts as 抵押.</summary>
    public string? Help { get; set; }

    /// <summary>Asked only when this condition over earlier answers holds (null: always asked).</summary>
    public string? When { get; set; }
}

/// <summary>Evaluating and checking situations: which questions are asked, which items apply, whether the answers are complete.</summary>
public static partial class Situations
{
    /// <summary>The answers a yes/no question offers.</summary>
    public static readonly IReadOnlyList<string> YesNo = ["是", "否"];

    private static readonly ConcurrentDictionary<string, Condition?> Parsed = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether an item with the condition <paramref name="when"/> applies given <paramref name="answers"/>: always when it has
    /// no condition; a condition that does not parse applies (the validator keeps such text out of the catalogue, and showing an
    /// item too many is safer than hiding one).
    /// </summary>
    public static bool Holds(string? when, IReadOnlyDictionary<string, string> answers)
    {
        if (string.IsNullOrWhiteSpace(when))
        {
            return true;
        }

        var condition = Parsed.GetOrAdd(when.Trim(), text => ConditionParser.Parse(text) is { Succeeded: true } r ? r.Condition : null);
        return condition is null || condition.Evaluate(ConditionData.From(answers));
    }

    /// <summary>The questions asked given the answers so far, in their order (a question whose condition does not hold is skipped).</summary>
    public static IReadOnlyList<SituationQuestion> Asked(IEnumerable<SituationQuestion> questions, IReadOnlyDictionary<string, string> answers) =>
        [.. questions.Where(q => Holds(q.When, answers))];

    /// <summary>
    /// The answers as they are kept on a case: only the questions asked, each with one of its options, trimmed. Answers to
    /// questions not asked (after an earlier answer changed) are dropped so they decide nothing.
    /// </summary>
    public static Dictionary<string, string> Normalise(IEnumerable<SituationQuestion> questions, IReadOnlyDictionary<string, string> answers)
    {
        var kept = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var q in questions)
        {
            if (Holds(q.When, kept) && answers.TryGetValue(q.Key, out var a) && q.Options.Contains(a.Trim()))
            {
                kept[q.Key] = a.Trim();
            }
        }

        return kept;
    }

    /// <summary>What is wrong with the answers to the asked questions, by question key, in Chinese (none when complete).</summary>
    public static IReadOnlyList<(string Key, string Message)> Problems(IEnumerable<SituationQuestion> questions, IReadOnlyDictionary<string, string> answers)
    {
        var problems = new List<(string Key, string Message)>();
        var kept = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var q in questions)
        {
            if (!Holds(q.When, kept))
            {
                continue;
            }

            if (!answers.TryGetValue(q.Key, out var a) || string.IsNullOrWhiteSpace(a))
            {
                problems.Add((q.Key, $"请回答：{q.Text}"));
            }
            else if (!q.Options.Contains(a.Trim()))
            {
                problems.Add((q.Key, $"“{q.Text}”的回答应为{string.Join("、", q.Options)}之一"));
            }
            else
            {
                kept[q.Key] = a.Trim();
            }
        }

        return problems;
    }

    /// <summary>
    /// The rules of a list of questions and the conditions that refer to them (materials', fields', members'): keys ASCII and
    /// unique, texts given, at least two distinct options, every condition parses and names only questions asked before it
    /// (for a question's own condition) or any question (for an item), and compares a question only with one of its options.
    /// </summary>
    public static IReadOnlyList<string> Check(IReadOnlyList<SituationQuestion> questions, IEnumerable<(string Item, string? When)> conditions)
    {
        var problems = new List<string>();
        var seen = new List<string>();
        foreach (var q in questions)
        {
            var key = q.Key?.Trim() ?? "";
            if (!Key().IsMatch(key))
            {
                problems.Add($"情形问题的键“{q.Key}”应以小写字母开头，只含字母和数字");
            }
            else if (seen.Contains(key))
            {
                problems.Add($"情形问题的键“{key}”重复");
            }

            if (string.IsNullOrWhiteSpace(q.Text))
            {
                problems.Add($"情形问题“{key}”的问题文字不能为空");
            }

            if (q.Options.Select(o => o.Trim()).Where(o => o.Length > 0).Distinct().Count() != q.Options.Count || q.Options.Count < 2)
            {
                problems.Add($"情形问题“{q.Text}”应至少有两个不同的、非空的回答选项");
            }

            problems.AddRange(CheckCondition($"情形问题“{q.Text}”的提问条件", q.When, questions, seen));
            seen.Add(key);
        }

        var all = questions.Select(q => q.Key.Trim()).ToList();
        foreach (var (item, when) in conditions)
        {
            problems.AddRange(CheckCondition(item + "的适用情形", when, questions, all));
        }

        return problems;
    }

    private static IEnumerable<string> CheckCondition(string what, string? when, IReadOnlyList<SituationQuestion> questions, List<string> known)
    {
        if (string.IsNullOrWhiteSpace(when))
        {
            yield break;
        }

        var parsed = ConditionParser.Parse(when, known);
        if (!parsed.Succeeded)
        {
            yield return $"{what}有误：{parsed.Errors[0]}";
            yield break;
        }

        foreach (var (field, literal) in Compared(parsed.Condition!))
        {
            var q = questions.First(x => x.Key.Trim() == field);
            if (!q.Options.Contains(literal))
            {
                yield return $"{what}有误：“{q.Text}”没有回答“{literal}”，可选：{string.Join("、", q.Options)}";
            }
        }
    }

    /// <summary>The (question, text) pairs a condition compares for equality or membership, to check them against the options.</summary>
    private static IEnumerable<(string Field, string Literal)> Compared(Condition condition) => condition switch
    {
        BinaryCondition b => Compared(b.Left).Concat(Compared(b.Right)),
        NotCondition n => Compared(n.Operand),
        CompareCondition { Operator: ConditionOperator.Equal or ConditionOperator.NotEqual, Left: FieldOperand f, Right: TextLiteral t } =>
            [(f.Path, t.Text)],
        CompareCondition { Operator: ConditionOperator.Equal or ConditionOperator.NotEqual, Left: TextLiteral t, Right: FieldOperand f } =>
            [(f.Path, t.Text)],
        InCondition i => i.Values.OfType<TextLiteral>().Select(t => (i.Field.Path, t.Text)),
        _ => [],
    };

    /// <summary>
    /// A condition as a person reads it, in the questions' words: <c>agent == '是'</c> → 是否委托他人代为办理：是; connectives as
    /// 且/或. What cannot be put in words is shown as written.
    /// </summary>
    public static string Describe(string? when, IReadOnlyList<SituationQuestion> questions)
    {
        if (string.IsNullOrWhiteSpace(when))
        {
            return "";
        }

        return ConditionParser.Parse(when) is { Succeeded: true, Condition: { } c } ? Describe(c, questions, top: true) : when.Trim();
    }

    private static string Describe(Condition c, IReadOnlyList<SituationQuestion> questions, bool top)
    {
        string Ask(string key) => (questions.FirstOrDefault(q => q.Key == key)?.Text ?? key).TrimEnd('？', '?');
        string Group(string text) => top ? text : $"（{text}）";
        return c switch
        {
            AndCondition a => Group($"{Describe(a.Left, questions, false)}，且{Describe(a.Right, questions, false)}"),
            OrCondition o => Group($"{Describe(o.Left, questions, false)}，或{Describe(o.Right, questions, false)}"),
            NotCondition n => $"不属于{Group(Describe(n.Operand, questions, false))}",
            CompareCondition { Operator: ConditionOperator.Equal, Left: FieldOperand f, Right: TextLiteral t } => $"{Ask(f.Path)}：{t.Text}",
            CompareCondition { Operator: ConditionOperator.NotEqual, Left: FieldOperand f, Right: TextLiteral t } => $"{Ask(f.Path)}：不是{t.Text}",
            InCondition { Negated: false } i => $"{Ask(i.Field.Path)}：{string.Join("或", i.Values.OfType<TextLiteral>().Select(v => v.Text))}",
            InCondition { Negated: true } i => $"{Ask(i.Field.Path)}：不是{string.Join("、", i.Values.OfType<TextLiteral>().Select(v => v.Text))}",
            _ => c.ToText(),
        };
    }

    [GeneratedRegex("^[a-z][A-Za-z0-9]*$")]
    private static partial Regex Key();
}
