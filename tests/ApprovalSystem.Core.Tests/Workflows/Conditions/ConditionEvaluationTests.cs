using System.Text.Json;
using ApprovalSystem.Workflows.Conditions;

namespace ApprovalSystem.Core.Tests.Workflows.Conditions;

public class ConditionEvaluationTests
{
    private static readonly Dictionary<string, string> Form = new()
    {
        ["area"] = "150.5",
        ["usage"] = "住宅",
        ["townshipCode"] = "01",
        ["address"] = "云溪县城关镇人民路8号",
        ["isAgent"] = "True",
        ["agentName"] = "  ",
        ["applyDate"] = "2026-03-02",
        ["declaredArea"] = "99",
    };

    private static readonly Dictionary<string, IReadOnlyDictionary<string, string>> Sections = new()
    {
        ["deedTax"] = new Dictionary<string, string> { ["deedTaxAmount"] = "12000" },
        ["registrationReview"] = new Dictionary<string, string> { ["buildingArea"] = "100" },
    };

    [Theory]
    [InlineData("area > 144", true)]
    [InlineData("area > 150.5", false)]
    [InlineData("area >= 150.50", true)]
    [InlineData("area < 1000", true)] // numerically; as text "150.5" > "1000"
    [InlineData("area == 150.500", true)]
    [InlineData("area != 150.5", false)]
    [InlineData("usage == '住宅'", true)]
    [InlineData("usage != '住宅'", false)]
    [InlineData("usage in ['住宅', '商业']", true)]
    [InlineData("usage not in ['住宅', '商业']", false)]
    [InlineData("usage in ['工业']", false)]
    [InlineData("usage not in ['工业']", true)]
    [InlineData("area in [100, 150.5]", true)]
    [InlineData("address contains '城关镇'", true)]
    [InlineData("address contains '乡'", false)]
    [InlineData("isAgent == true", true)]
    [InlineData("isAgent == false", false)]
    [InlineData("agentName is empty", true)]
    [InlineData("agentName is not empty", false)]
    [InlineData("applyDate >= '2026-01-01'", true)]
    [InlineData("applyDate < '2026-03-01'", false)]
    [InlineData("deedTax.deedTaxAmount > 10000", true)]
    [InlineData("declaredArea <= registrationReview.buildingArea", true)]
    [InlineData("area > 144 and usage == '住宅'", true)]
    [InlineData("area > 144 and usage == '商业'", false)]
    [InlineData("area > 1000 or usage == '住宅'", true)]
    [InlineData("not (area > 144)", false)]
    [InlineData("非 area > 1000 且 usage == '住宅'", true)]
    public void Evaluate_OverFormAndSections_FollowsTheRules(string text, bool expected)
    {
        Assert.Equal(expected, Parse(text).Evaluate(ConditionData.From(Form, Sections)));
    }

    [Theory]
    [InlineData("01", true)]
    [InlineData("1", false)]
    [InlineData("010", false)]
    public void Evaluate_AQuotedLiteral_ComparesAsTextEvenWhenBothSidesLookNumeric(string township, bool expected)
    {
        var data = ConditionData.From(new Dictionary<string, string> { ["townshipCode"] = township });

        Assert.Equal(expected, Parse("townshipCode == '01'").Evaluate(data));
    }

    [Theory]
    [InlineData("abc", "abd", true)]
    [InlineData("300", "abd", true)]
    public void Evaluate_AFieldThatIsNotANumber_ComparesWithTheNumberAsText(string value, string other, bool expected)
    {
        var data = ConditionData.From(new Dictionary<string, string> { ["x"] = value, ["y"] = other });

        Assert.Equal(expected, Parse("x < y").Evaluate(data));
        Assert.False(Parse("x == 300").Evaluate(ConditionData.From(new Dictionary<string, string> { ["x"] = "3e2" })));
    }

    [Theory]
    [InlineData("missing > 1")]
    [InlineData("missing == 1")]
    [InlineData("missing != 1")]
    [InlineData("missing in [1]")]
    [InlineData("missing not in [1]")]
    [InlineData("missing contains 'a'")]
    [InlineData("missing is not empty")]
    [InlineData("deedTax.other == 1")]
    [InlineData("nosection.key is not empty")]
    public void Evaluate_AMissingField_MakesEveryComparisonFalse(string text)
    {
        Assert.False(Parse(text).Evaluate(ConditionData.From(Form, Sections)));
    }

    [Fact]
    public void Evaluate_AMissingField_IsEmpty()
    {
        Assert.True(Parse("missing is empty and deedTax.other is empty").Evaluate(ConditionData.From(Form, Sections)));
    }

    [Fact]
    public void Evaluate_JsonCaseData_ReadsNumbersAndStrings()
    {
        var data = ConditionData.From(new Dictionary<string, JsonElement>
        {
            ["floorArea"] = JsonDocument.Parse("300.5").RootElement,
            ["usage"] = JsonDocument.Parse("\"住宅\"").RootElement,
            ["none"] = JsonDocument.Parse("null").RootElement,
        });

        Assert.True(Parse("floorArea > 300 and usage == '住宅' and none is empty").Evaluate(data));
    }

    private static Condition Parse(string text)
    {
        var result = ConditionParser.Parse(text);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        return result.Condition!;
    }
}
