using ApprovalSystem.Core.Forms;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Tests.Forms;

/// <summary>One set of rules for a field's value, whether it is the applicant's form or a step's data.</summary>
public class FieldRulesTests
{
    private static readonly DateOnly Today = new(2026, 12, 3);

    private static string? Problem(FieldKind kind, string value, int? maxLength = null, IReadOnlyCollection<string>? options = null) =>
        FieldRules.Problem("字段", kind, value, options, maxLength, Today);

    [Theory]
    [InlineData(FieldKind.Text, 200)]
    [InlineData(FieldKind.Textarea, 2000)]
    public void AText_IsAtMostItsTypesDefault_WhenItDeclaresNoLimit(FieldKind kind, int limit)
    {
        Assert.Null(Problem(kind, new string('长', limit)));
        Assert.Equal($"“字段”过长（{limit + 1}字，最多{limit}字）", Problem(kind, new string('长', limit + 1)));
    }

    [Fact]
    public void ADeclaredLimit_ReplacesTheDefault_BothWays()
    {
        Assert.Equal("“字段”过长（13字，最多12字）", Problem(FieldKind.Text, new string('长', 13), maxLength: 12));
        Assert.Null(Problem(FieldKind.Text, new string('长', 500), maxLength: 500));
        Assert.Null(Problem(FieldKind.Textarea, new string('长', 4000), maxLength: 4000));
    }

    [Theory]
    [InlineData("2026-01-31", true)]
    [InlineData("2026/1/31", false)]
    [InlineData("2026-1-31", false)]
    [InlineData("31.01.2026", false)]
    [InlineData("2026-02-30", false)]
    public void ADate_IsYyyyMmDd_Only(string value, bool valid)
    {
        var problem = Problem(FieldKind.Date, value);

        if (valid)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Equal($"“字段”应为日期，格式 yyyy-MM-dd（如 2026-12-03），不能是“{value}”", problem);
        }
    }

    [Fact]
    public void NumbersChoicesPhonesAndIdentifiers_HaveTheirForm()
    {
        Assert.Null(Problem(FieldKind.Number, "1250.5"));
        Assert.Equal("“字段”应为数字（如 1250.5），不能是“86万”", Problem(FieldKind.Number, "86万"));
        Assert.Null(Problem(FieldKind.Select, "符合", options: ["符合", "不符合"]));
        Assert.Equal("“字段”应从“符合、不符合”中选择，不能是“还行”", Problem(FieldKind.Select, "还行", options: ["符合", "不符合"]));
        Assert.Null(Problem(FieldKind.Phone, "0579-8812345"));
        Assert.NotNull(Problem(FieldKind.Phone, "电话"));
        Assert.Null(Problem(FieldKind.IdCard, "330799198503120016"));
        Assert.StartsWith("“字段”：", Problem(FieldKind.IdCard, "330799198503120017"), StringComparison.Ordinal);
        Assert.Null(Problem(FieldKind.CreditCode, "91330799MA2K3L4N5T"));
        Assert.NotNull(Problem(FieldKind.CreditCode, "91330799MA2K3L4N5X"));
    }

    [Fact]
    public void AnIdNumber_BornAfterTheAppsToday_IsRefused()
    {
        // Born 2026-12-04, the day after the app's today: the clock comes from the caller, not the machine.
        var tomorrow = ResidentIdFor(new DateOnly(2026, 12, 4));

        Assert.NotNull(FieldRules.Problem("身份证", FieldKind.IdCard, tomorrow, null, null, Today));
        Assert.Null(FieldRules.Problem("身份证", FieldKind.IdCard, tomorrow, null, null, Today.AddDays(1)));
    }

    private static string ResidentIdFor(DateOnly birth)
    {
        var body = $"330799{birth:yyyyMMdd}001";
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = body.Select((c, i) => (c - '0') * weights[i]).Sum();
        return body + "10X98765432"[sum % 11];
    }
}
