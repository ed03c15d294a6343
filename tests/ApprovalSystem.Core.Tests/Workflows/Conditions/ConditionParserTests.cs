using ApprovalSystem.Workflows;
using ApprovalSystem.Workflows.Conditions;

namespace ApprovalSystem.Core.Tests.Workflows.Conditions;

public class ConditionParserTests
{
    [Fact]
    public void Parse_Comparison_BuildsFieldOperatorAndNumber()
    {
        var condition = Parsed("area > 144");

        Assert.Equal(new CompareCondition(new FieldOperand("area"), ConditionOperator.GreaterThan, new NumberLiteral(144)), condition);
    }

    [Fact]
    public void Parse_AndBindsTighterThanOr_NotTighterThanAnd()
    {
        var condition = Parsed("a == 1 or not b == 2 and c == 3");

        var expected = new OrCondition(
            Compare("a", 1),
            new AndCondition(new NotCondition(Compare("b", 2)), Compare("c", 3)));
        Assert.Equal(expected, condition);
    }

    [Fact]
    public void Parse_Parentheses_OverrideThePrecedence()
    {
        var condition = Parsed("(a == 1 or b == 2) and c == 3");

        Assert.Equal(new AndCondition(new OrCondition(Compare("a", 1), Compare("b", 2)), Compare("c", 3)), condition);
    }

    [Fact]
    public void Parse_ChineseConnectivesAndFullWidthPunctuation_MeanTheEnglishOnes()
    {
        var chinese = Parsed("非 （usage in [‘住宅’，“商业”]） 且 area >= 90 或 agentName is not empty");
        var english = Parsed("not (usage in ['住宅', '商业']) and area >= 90 or agentName is not empty");

        Assert.Equal(english, chinese);
        Assert.Equal("not usage in ['住宅', '商业'] and area >= 90 or agentName is not empty", chinese.ToText());
    }

    [Theory]
    [InlineData("area > 144")]
    [InlineData("deedTax.deedTaxAmount >= 10000.50")]
    [InlineData("usage in ['住宅', '商业'] and not (area <= 144 or floors < -1)")]
    [InlineData("usage not in ['工业'] or isAgent == true")]
    [InlineData("address contains '城关镇' and agentName is empty")]
    [InlineData("a == 1 and (b == 2 and c == 3)")]
    [InlineData("(a == 1 or b == 2) or c == 3")]
    [InlineData("a == 1 or (b == 2 or c == 3)")]
    [InlineData("not not a == 1")]
    [InlineData("not (a == 1 and b == 2)")]
    [InlineData("name == 'O\\'Brien \\\\ 王'")]
    [InlineData("declaredArea <= registrationReview.buildingArea")]
    public void ToText_ParsesBackToTheSameCondition_AndIsAFixedPoint(string text)
    {
        var condition = Parsed(text);

        var canonical = condition.ToText();

        Assert.Equal(condition, Parsed(canonical));
        Assert.Equal(canonical, Parsed(canonical).ToText());
    }

    [Fact]
    public void ToText_WritesCanonicalSpacingQuotesAndOnlyTheNeededParentheses()
    {
        var condition = Parsed("((usage==\"住宅\")and(area>144))or(x is  not empty)");

        Assert.Equal("usage == '住宅' and area > 144 or x is not empty", condition.ToText());
    }

    [Fact]
    public void Fields_ListsEachReferenceOnceInOrder()
    {
        var condition = Parsed("area > 144 and (usage in ['住宅'] or area < 10) and deedTax.deedTaxAmount is not empty");

        Assert.Equal(["area", "usage", "deedTax.deedTaxAmount"], condition.Fields());
    }

    [Fact]
    public void Check_ReportsFieldsTheMatterDoesNotHave_InChinese()
    {
        var condition = Parsed("area > 144 and usge == '住宅'");

        var error = Assert.Single(Condition.Check(condition, ["area", "usage"]));

        Assert.Equal("未知字段“usge”，可用字段：area、usage", error.Message);
    }

    [Fact]
    public void Parse_WithKnownFields_PinsTheUnknownFieldToItsPosition()
    {
        var result = ConditionParser.Parse("area > 144 and usge == '住宅'", ["area", "usage"]);

        Assert.Null(result.Condition);
        var error = Assert.Single(result.Errors);
        Assert.Equal(15, error.Position);
        Assert.Equal("第16个字符处：未知字段“usge”，可用字段：area、usage", error.ToString());
    }

    [Theory]
    [InlineData("", 0, "条件不能为空：请写出要判断的字段和值，例如 area > 144")]
    [InlineData("area = 144", 5, "请用“==”表示等于")]
    [InlineData("area > 144 && x == 1", 11, "请用 and（或“且”）连接两个都须成立的条件")]
    [InlineData("area >", 6, "“>”之后应为字段或值（数字、'文字'、true、false）")]
    [InlineData("area 144", 5, "字段“area”之后应为比较运算符（== != > >= < <=）、in、not in、contains 或 is empty，而不是“144”")]
    [InlineData("(area > 144", 0, "缺少右括号“)”")]
    [InlineData("area > 144)", 10, "多余的右括号“)”：没有与之对应的左括号")]
    [InlineData("area > 144 x == 1", 11, "多余的“x”：两个条件之间请用 and 或 or 连接")]
    [InlineData("usage == '住宅", 9, "文字缺少结束引号 '")]
    [InlineData("usage in '住宅'", 9, "“in”之后应为方括号中的值列表，例如 ['住宅', '商业']")]
    [InlineData("usage in []", 9, "列表不能为空：请在方括号中列出至少一个值")]
    [InlineData("usage in ['住宅' '商业']", 15, "列表中的值之间请用逗号分隔，而不是文字“商业”")]
    [InlineData("usage in ['住宅', area]", 16, "列表中只能写值，不能写字段“area”")]
    [InlineData("144 > 100", 0, "比较的两边都是值：至少一边应为字段")]
    [InlineData("面积 > 100", 0, "无法识别“面”：字段请写表单字段的英文键名（如 area），文字值请加引号（如 '住宅'）")]
    [InlineData("area > 1 and", 9, "“and”之后缺少条件")]
    [InlineData("x is full", 5, "此处应为 is empty 或 is not empty，而不是“full”")]
    [InlineData("a.b.c == 1", 3, "字段引用最多含一个“.”：写作 表单字段 或 环节数据.字段（如 deedTax.deedTaxAmount）")]
    [InlineData("'住宅' in ['住宅']", 0, "in 的左边应为字段，而不是值 住宅")]
    public void Parse_BadText_ReportsOneChineseErrorWithItsPosition(string text, int position, string message)
    {
        var result = ConditionParser.Parse(text);

        Assert.False(result.Succeeded);
        Assert.Null(result.Condition);
        Assert.Equal(new ConditionError(position, message), Assert.Single(result.Errors));
    }

    private static Condition Parsed(string text)
    {
        var result = ConditionParser.Parse(text);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        return result.Condition!;
    }

    private static CompareCondition Compare(string field, decimal value) =>
        new(new FieldOperand(field), ConditionOperator.Equal, new NumberLiteral(value));
}
