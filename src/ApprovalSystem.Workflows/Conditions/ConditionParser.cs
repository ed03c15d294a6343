using System.Globalization;
using System.Text;

namespace ApprovalSystem.Workflows.Conditions;

/// <summary>A problem in a condition's text: where (0-based character index) and what, in Chinese for the administrator.</summary>
public sealed record ConditionError(int Position, string Message)
{
    public override string ToString() => $"第{Position + 1}个字符处：{Message}";
}

/// <summary>The condition, or why the text is not one.</summary>
public sealed record ConditionParseResult(Condition? Condition, IReadOnlyList<ConditionError> Errors)
{
    public bool Succeeded => Condition is not null && Errors.Count == 0;
}

/// <summary>
/// Reads the condition language (see workflows/README.md, “条件语言”):
/// <code>
/// condition  := or
/// or         := and { ("or" | "或") and }
/// and        := unary { ("and" | "且") unary }
/// unary      := ("not" | "非") unary | "(" condition ")" | test
/// test       := operand ( ("==" | "!=" | "&gt;" | "&gt;=" | "&lt;" | "&lt;=") operand
///                       | ["not"] "in" list | "contains" operand | "is" ["not"] "empty" )
/// operand    := field | number | string | "true" | "false"
/// field      := key [ "." key ]          key := ASCII letter or "_", then letters, digits, "_"
/// list       := "[" literal { "," literal } "]"
/// </code>
/// Full-width parentheses, commas and curly quotes typed with a Chinese input method are read as their ASCII forms.
/// </summary>
public static class ConditionParser
{
    /// <summary>Parses <paramref name="text"/>; on failure the result holds the first error and no condition.</summary>
    public static ConditionParseResult Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new(null, [new ConditionError(0, "条件不能为空：请写出要判断的字段和值，例如 area > 144")]);
        }

        try
        {
            var reader = new Reader(Lexer.Read(text));
            var condition = reader.Condition();
            reader.ExpectEnd();
            return new(condition, []);
        }
        catch (SyntaxException ex)
        {
            return new(null, [ex.Error]);
        }
    }

    /// <summary>Parses <paramref name="text"/> and checks its fields against <paramref name="knownFields"/> (each with its position).</summary>
    public static ConditionParseResult Parse(string? text, IReadOnlyCollection<string> knownFields)
    {
        ArgumentNullException.ThrowIfNull(knownFields);
        var result = Parse(text);
        if (!result.Succeeded)
        {
            return result;
        }

        var tokens = Lexer.Read(text!);
        var errors = result.Condition!.Fields()
            .Where(f => !knownFields.Contains(f))
            .Select(f => new ConditionError(
                tokens.First(t => t.Kind == TokenKind.Field && t.Text == f).Position, Condition.UnknownField(f, knownFields)))
            .ToList();
        return errors.Count == 0 ? result : new(null, errors);
    }

    private enum TokenKind
    {
        Field,
        Number,
        Text,
        Operator,
        LeftParen,
        RightParen,
        LeftBracket,
        RightBracket,
        Comma,
        And,
        Or,
        Not,
        In,
        Contains,
        Is,
        Empty,
        True,
        False,
        End,
    }

    private sealed record Token(TokenKind Kind, string Text, int Position, decimal Number = 0)
    {
        public string Describe() => Kind switch
        {
            TokenKind.End => "条件结尾",
            TokenKind.Text => $"文字“{Text}”",
            _ => $"“{Text}”",
        };
    }

    private sealed class SyntaxException(int position, string message) : Exception(message)
    {
        public ConditionError Error { get; } = new(position, message);
    }

    private static class Lexer
    {
        private static readonly Dictionary<string, TokenKind> Keywords = new(StringComparer.Ordinal)
        {
            ["and"] = TokenKind.And,
            ["且"] = TokenKind.And,
            ["or"] = TokenKind.Or,
            ["或"] = TokenKind.Or,
            ["not"] = TokenKind.Not,
            ["非"] = TokenKind.Not,
            ["in"] = TokenKind.In,
            ["contains"] = TokenKind.Contains,
            ["is"] = TokenKind.Is,
            ["empty"] = TokenKind.Empty,
            ["true"] = TokenKind.True,
            ["false"] = TokenKind.False,
        };

        public static List<Token> Read(string text)
        {
            var tokens = new List<Token>();
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                    continue;
                }

                var start = i;
                switch (c)
                {
                    case '(' or '（':
                        tokens.Add(new(TokenKind.LeftParen, "(", i++));
                        continue;
                    case ')' or '）':
                        tokens.Add(new(TokenKind.RightParen, ")", i++));
                        continue;
                    case '[' or '【':
                        tokens.Add(new(TokenKind.LeftBracket, "[", i++));
                        continue;
                    case ']' or '】':
                        tokens.Add(new(TokenKind.RightBracket, "]", i++));
                        continue;
                    case ',' or '，' or '、':
                        tokens.Add(new(TokenKind.Comma, ",", i++));
                        continue;
                    case '且' or '或' or '非':
                        tokens.Add(new(Keywords[c.ToString()], c.ToString(), i++));
                        continue;
                    case '\'' or '"' or '‘' or '“':
                        tokens.Add(ReadText(text, ref i));
                        continue;
                    case '=' or '!' or '<' or '>':
                        tokens.Add(ReadOperator(text, ref i));
                        continue;
                    case '&' or '|':
                        throw new SyntaxException(i, c == '&' ? "请用 and（或“且”）连接两个都须成立的条件" : "请用 or（或“或”）连接两个任一成立即可的条件");
                }

                if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
                {
                    i++;
                    while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                    {
                        i++;
                    }

                    var literal = text[start..i];
                    if (!decimal.TryParse(literal, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture,
                        out var number))
                    {
                        throw new SyntaxException(start, $"“{literal}”不是有效的数字：数字写作 144 或 12.5");
                    }

                    if (i < text.Length && IsKeyChar(text[i]))
                    {
                        throw new SyntaxException(start, $"数字“{literal}”后紧跟着“{text[i]}”：字段名须以字母开头，文字值请加引号");
                    }

                    tokens.Add(new(TokenKind.Number, literal, start, number));
                    continue;
                }

                if (char.IsAsciiLetter(c) || c == '_')
                {
                    tokens.Add(ReadWord(text, ref i));
                    continue;
                }

                throw new SyntaxException(i, char.IsLetter(c)
                    ? $"无法识别“{c}”：字段请写表单字段的英文键名（如 area），文字值请加引号（如 '住宅'）"
                    : $"无法识别的字符“{c}”");
            }

            tokens.Add(new(TokenKind.End, "", text.Length));
            return tokens;
        }

        private static bool IsKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

        private static Token ReadWord(string text, ref int i)
        {
            var start = i;
            while (i < text.Length && IsKeyChar(text[i]))
            {
                i++;
            }

            var word = text[start..i];
            if (Keywords.TryGetValue(word, out var keyword))
            {
                return new(keyword, word, start);
            }

            if (i < text.Length && text[i] == '.')
            {
                if (i + 1 >= text.Length || !(char.IsAsciiLetter(text[i + 1]) || text[i + 1] == '_'))
                {
                    throw new SyntaxException(i, $"“{word}.”之后应为环节数据项的键名，例如 {word}.amount");
                }

                i++;
                while (i < text.Length && IsKeyChar(text[i]))
                {
                    i++;
                }

                if (i < text.Length && text[i] == '.')
                {
                    throw new SyntaxException(i, "字段引用最多含一个“.”：写作 表单字段 或 环节数据.字段（如 deedTax.deedTaxAmount）");
                }
            }

            return new(TokenKind.Field, text[start..i], start);
        }

        private static Token ReadOperator(string text, ref int i)
        {
            var start = i;
            var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
            if (two is "==" or "!=" or ">=" or "<=")
            {
                i += 2;
                return new(TokenKind.Operator, two, start);
            }

            if (two == "<>")
            {
                throw new SyntaxException(start, "请用“!=”表示不等于");
            }

            return text[i] switch
            {
                '=' => throw new SyntaxException(start, "请用“==”表示等于"),
                '!' => throw new SyntaxException(start, "请用“!=”表示不等于，或用 not 表示否定"),
                _ => new(TokenKind.Operator, text[i++].ToString(), start),
            };
        }

        private static Token ReadText(string text, ref int i)
        {
            var start = i;
            var close = text[i] switch
            {
                '‘' => '’',
                '“' => '”',
                var quote => quote,
            };
            i++;
            var value = new StringBuilder();
            while (i < text.Length && text[i] != close)
            {
                if (text[i] == '\\' && i + 1 < text.Length)
                {
                    i++;
                }

                value.Append(text[i++]);
            }

            if (i >= text.Length)
            {
                throw new SyntaxException(start, $"文字缺少结束引号 {close}");
            }

            i++;
            return new(TokenKind.Text, value.ToString(), start);
        }
    }

    private sealed class Reader(List<Token> tokens)
    {
        private int next;

        private Token Peek => tokens[next];

        public Condition Condition()
        {
            var left = And();
            while (Peek.Kind == TokenKind.Or)
            {
                var or = tokens[next++];
                left = new OrCondition(left, Operand(or, And));
            }

            return left;
        }

        public void ExpectEnd()
        {
            var token = Peek;
            switch (token.Kind)
            {
                case TokenKind.End:
                    return;
                case TokenKind.RightParen:
                    throw new SyntaxException(token.Position, "多余的右括号“)”：没有与之对应的左括号");
                default:
                    throw new SyntaxException(token.Position, $"多余的{token.Describe()}：两个条件之间请用 and 或 or 连接");
            }
        }

        private Condition And()
        {
            var left = Unary();
            while (Peek.Kind == TokenKind.And)
            {
                var and = tokens[next++];
                left = new AndCondition(left, Operand(and, Unary));
            }

            return left;
        }

        /// <summary>The condition after a connective, or an error that names the connective when there is none.</summary>
        private Condition Operand(Token connective, Func<Condition> read)
        {
            if (Peek.Kind is TokenKind.End or TokenKind.RightParen or TokenKind.And or TokenKind.Or)
            {
                throw new SyntaxException(connective.Position, $"“{connective.Text}”之后缺少条件");
            }

            return read();
        }

        private Condition Unary()
        {
            var token = Peek;
            if (token.Kind == TokenKind.Not)
            {
                next++;
                return new NotCondition(Operand(token, Unary));
            }

            if (token.Kind == TokenKind.LeftParen)
            {
                next++;
                if (Peek.Kind == TokenKind.RightParen)
                {
                    throw new SyntaxException(Peek.Position, "括号里缺少条件");
                }

                var inner = Condition();
                if (Peek.Kind != TokenKind.RightParen)
                {
                    throw new SyntaxException(Peek.Kind == TokenKind.End ? token.Position : Peek.Position, Peek.Kind == TokenKind.End
                        ? "缺少右括号“)”"
                        : $"此处应为右括号“)”或 and、or，而不是{Peek.Describe()}");
                }

                next++;
                return inner;
            }

            return Test();
        }

        private Condition Test()
        {
            var leftToken = Peek;
            var left = Value("条件应以字段开头，例如 area > 144");
            var token = tokens[next++];
            switch (token.Kind)
            {
                case TokenKind.Operator:
                    var right = Value($"“{token.Text}”之后应为字段或值（数字、'文字'、true、false）");
                    if (left is LiteralOperand && right is LiteralOperand)
                    {
                        throw new SyntaxException(leftToken.Position, "比较的两边都是值：至少一边应为字段");
                    }

                    return new CompareCondition(left, Symbol(token.Text), right);
                case TokenKind.In:
                    return new InCondition(Field(left, leftToken, "in"), List(token), Negated: false);
                case TokenKind.Not when Peek.Kind == TokenKind.In:
                    next++;
                    return new InCondition(Field(left, leftToken, "not in"), List(token), Negated: true);
                case TokenKind.Contains:
                    var other = Value("contains 之后应为要查找的文字，例如 address contains '城关镇'");
                    if (left is LiteralOperand && other is LiteralOperand)
                    {
                        throw new SyntaxException(leftToken.Position, "contains 的两边都是值：左边应为字段");
                    }

                    return new ContainsCondition(left, other);
                case TokenKind.Is:
                    var negated = Peek.Kind == TokenKind.Not;
                    if (negated)
                    {
                        next++;
                    }

                    if (Peek.Kind != TokenKind.Empty)
                    {
                        throw new SyntaxException(Peek.Position, $"此处应为 is empty 或 is not empty，而不是{Peek.Describe()}");
                    }

                    next++;
                    return new EmptyCondition(Field(left, leftToken, negated ? "is not empty" : "is empty"), negated);
                default:
                    var hint = left is FieldOperand f
                        ? $"字段“{f.Path}”之后应为比较运算符（== != > >= < <=）、in、not in、contains 或 is empty"
                        : $"值 {leftToken.Text} 之后应为比较运算符（== != > >= < <=）";
                    throw new SyntaxException(token.Position, token.Kind == TokenKind.End ? hint : $"{hint}，而不是{token.Describe()}");
            }
        }

        private ConditionOperand Value(string expected)
        {
            var token = tokens[next];
            ConditionOperand? value = token.Kind switch
            {
                TokenKind.Field => new FieldOperand(token.Text),
                TokenKind.Number => new NumberLiteral(token.Number),
                TokenKind.Text => new TextLiteral(token.Text),
                TokenKind.True => new BooleanLiteral(true),
                TokenKind.False => new BooleanLiteral(false),
                _ => null,
            };
            if (value is null)
            {
                throw new SyntaxException(token.Position, token.Kind == TokenKind.End ? expected : $"{expected}；此处是{token.Describe()}");
            }

            next++;
            return value;
        }

        private static FieldOperand Field(ConditionOperand operand, Token token, string keyword) => operand as FieldOperand
            ?? throw new SyntaxException(token.Position, $"{keyword} 的左边应为字段，而不是值 {token.Text}");

        private List<LiteralOperand> List(Token keyword)
        {
            if (Peek.Kind != TokenKind.LeftBracket)
            {
                throw new SyntaxException(Peek.Position, $"“{keyword.Text}”之后应为方括号中的值列表，例如 ['住宅', '商业']");
            }

            var open = tokens[next++];
            var values = new List<LiteralOperand>();
            while (true)
            {
                if (Peek.Kind == TokenKind.RightBracket && values.Count == 0)
                {
                    throw new SyntaxException(open.Position, "列表不能为空：请在方括号中列出至少一个值");
                }

                var token = Peek;
                if (Value("列表中应为值（数字、'文字'、true、false）") is not LiteralOperand literal)
                {
                    throw new SyntaxException(token.Position, $"列表中只能写值，不能写字段“{token.Text}”");
                }

                values.Add(literal);
                var after = tokens[next++];
                if (after.Kind == TokenKind.RightBracket)
                {
                    return values;
                }

                if (after.Kind != TokenKind.Comma)
                {
                    throw new SyntaxException(after.Kind == TokenKind.End ? open.Position : after.Position, after.Kind == TokenKind.End
                        ? "列表缺少右方括号“]”"
                        : $"列表中的值之间请用逗号分隔，而不是{after.Describe()}");
                }
            }
        }

        private static ConditionOperator Symbol(string symbol) => symbol switch
        {
            "==" => ConditionOperator.Equal,
            "!=" => ConditionOperator.NotEqual,
            ">" => ConditionOperator.GreaterThan,
            ">=" => ConditionOperator.GreaterThanOrEqual,
            "<" => ConditionOperator.LessThan,
            _ => ConditionOperator.LessThanOrEqual,
        };
    }
}
