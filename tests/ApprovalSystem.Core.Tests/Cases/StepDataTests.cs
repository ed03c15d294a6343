using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Workflows;
using static ApprovalSystem.Core.Tests.Cases.CaseFixture;

namespace ApprovalSystem.Core.Tests.Cases;

/// <summary>
/// What officers enter into their step's section (the fields of workflows/*.json): checked before the
/// act is saved, and offered pre-filled from the applicant's form and from earlier departments.
/// </summary>
public class StepDataTests
{
    private static readonly DateOnly Today = new(2026, 12, 3);

    private static readonly Dictionary<string, string> PropertyForm = new()
    {
        ["buyerName"] = "张三",
        ["propertyAddress"] = "云溪县城关镇解放路18号3幢2单元501室",
        ["buildingArea"] = "98.6",
        ["transactionPrice"] = "86",
    };

    private static MatterSnapshot Property() => Matter(MatterKind.Joint, "property-registration", legal: 30, promised: 5, certificate: null, department: "BDC");

    private static void Act(Case c, CaseStep step, CaseActor actor, DateTimeOffset at, Dictionary<string, string>? data, Outcome outcome = Outcome.Approve, string opinion = "同意") =>
        c.Act(Flow(c.WorkflowId), step.WorkItemId, outcome, opinion, data, actor, at, Time);

    [Fact]
    public void ApprovingWithoutTheRequiredFields_IsRefusedNamingEachOne_AndNothingChanges()
    {
        var c = Accepted(Property(), PropertyForm);
        var tax = Open(c, "契税征收");
        var version = c.Version;

        var e = Assert.Throws<CaseInputException>(() => Act(c, tax, Officer("sw-o1", "SW"), Local(3, 3), new() { ["transactionPrice"] = "86" }));

        Assert.Equal("请填写“契税税额”；请填写“完税凭证号”", e.Message);
        Assert.Equal(version, c.Version);
        Assert.Null(Open(c, "契税征收").ClosedAt);
    }

    [Fact]
    public void DenyingNeedsNoData_OnlyTheReason()
    {
        var c = Accepted(Property(), PropertyForm);

        Act(c, Open(c, "不动产登记审核"), Officer("bdc-o1", "BDC"), Local(3, 3), null, Outcome.Deny, "房屋已被司法查封，不予登记");

        Assert.Equal(CaseState.Denied, c.State);
    }

    [Theory]
    [InlineData("deedTaxAmount", "三千", "“契税税额”应为数字（如 1250.5），不能是“三千”")]
    [InlineData("transactionPrice", "86万", "“计税价格”应为数字（如 1250.5），不能是“86万”")]
    public void ANumberFieldTakesOnlyANumber(string key, string value, string message)
    {
        var c = Accepted(Property(), PropertyForm);
        var data = new Dictionary<string, string> { ["deedTaxAmount"] = "25800", ["taxVoucherNo"] = "333079926000123456", [key] = value };

        var e = Assert.Throws<CaseInputException>(() => Act(c, Open(c, "契税征收"), Officer("sw-o1", "SW"), Local(3, 3), data));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void ADateMustBeYearMonthDay_AndAChoiceOneOfItsOptions()
    {
        var c = Accepted();

        var choice = Assert.Throws<CaseInputException>(() => Act(c, Open(c, "承办"), Officer(), Local(3, 3), new() { ["checkResult"] = "还行" }));
        Assert.Equal("“核查结论”应从“符合法定条件、不符合法定条件”中选择，不能是“还行”", choice.Message);

        Act(c, Open(c, "承办"), Officer(), Local(3, 3), new() { ["checkResult"] = "符合法定条件" });
        Act(c, Open(c, "审核"), Officer("scjg-o2"), Local(3, 4), null);
        var date = Assert.Throws<CaseInputException>(() => Act(c, Open(c, "审批"), Head(), Local(3, 5), new() { ["validUntil"] = "2031/3/4" }));
        Assert.Equal("“有效期至”应为日期，格式 yyyy-MM-dd（如 2026-12-03），不能是“2031/3/4”", date.Message);

        Act(c, Open(c, "审批"), Head(), Local(3, 5), new() { ["decisionNo"] = "云市监食许〔2026〕18号", ["validUntil"] = "2031-03-04" });
        Assert.Equal(CaseState.Approved, c.State);
        Assert.Equal("2031-03-04", c.Instance().Sections["decision"]["validUntil"]);
    }

    [Fact]
    public void AKeyTheStepDoesNotAskFor_IsRefusedWithTheKeysItDoes()
    {
        var c = Accepted();

        var e = Assert.Throws<CaseInputException>(() => Act(c, Open(c, "承办"), Officer(), Local(3, 3), new() { ["siteChecked"] = "是" }));

        Assert.Equal("“承办”环节没有数据项“siteChecked”（可填写：核查结论（checkResult）、核查情况（checkNotes））", e.Message);
        Assert.Equal(InputProblem.Invalid, e.Problem);
        Assert.Equal([e.Message], e.Errors["data.siteChecked"]);
    }

    [Fact]
    public void AStepWithoutFields_KeepsWhatItIsGiven_TrimmedAndWithoutBlanks()
    {
        var values = StepData.Check("窗口即办", [], Outcome.Approve, new Dictionary<string, string> { ["note"] = "  当场办结 ", ["empty"] = " " }, Today);

        Assert.Equal(new Dictionary<string, string> { ["note"] = "当场办结" }, values);
        Assert.Null(StepData.Check("窗口即办", [], Outcome.Approve, new Dictionary<string, string> { ["empty"] = "" }, Today));
    }

    [Fact]
    public void AKeyGivenTwice_OnceWithSpaces_IsOneKey_TheLastValueWinning()
    {
        var fields = Flow("promised-single").FieldsOf("handle", null);

        var values = StepData.Check("承办", fields, Outcome.Approve, new Dictionary<string, string> { ["checkNotes"] = "旧", [" checkNotes "] = " 新 " }, Today);

        Assert.Equal(new Dictionary<string, string> { ["checkNotes"] = "新" }, values);
    }

    [Fact]
    public void Fields_StartFromTheApplicationForm_ThenFromWhatAnEarlierDepartmentEntered()
    {
        var c = Accepted(Property(), PropertyForm);
        var flow = Flow(c.WorkflowId);

        // Both joint branches start from what the applicant typed.
        var registration = StepData.Prefill(c, flow, Open(c, "不动产登记审核"));
        Assert.Equal(new PrefilledValue("云溪县城关镇解放路18号3幢2单元501室", StepData.ApplicationForm), registration["propertyAddress"]);
        Assert.Equal(new PrefilledValue("98.6", StepData.ApplicationForm), registration["buildingArea"]);
        Assert.False(registration.ContainsKey("unitNo"));
        Assert.Equal(new PrefilledValue("86", StepData.ApplicationForm), StepData.Prefill(c, flow, Open(c, "契税征收"))["transactionPrice"]);

        Act(c, Open(c, "不动产登记审核"), Officer("bdc-o1", "BDC"), Local(3, 3), new()
        {
            ["unitNo"] = "330799001001GB00018F00030501",
            ["propertyAddress"] = "云溪县城关镇解放路18号3幢2单元501室",
            ["buildingArea"] = "98.62",
        });
        Act(c, Open(c, "契税征收"), Officer("sw-o1", "SW"), Local(3, 3), new() { ["transactionPrice"] = "86", ["deedTaxAmount"] = "8600", ["taxVoucherNo"] = "333079926000123456" });

        // 登簿 reads the unit number the registration review entered: nobody types it twice.
        var register = StepData.Prefill(c, flow, Open(c, "登簿"));
        Assert.Equal(new PrefilledValue("330799001001GB00018F00030501", "不动产登记审核"), register["unitNo"]);
        Assert.False(register.ContainsKey("certificateNo"));
        Assert.Equal(("不动产登记审核", 3), flow.Writer("registrationReview") is { } w ? (w.Title, w.Fields.Count) : default);
    }

    [Fact]
    public void AStepReturnedAndEnteredAgain_StartsFromItsOwnValues_AndKeepsThoseNotGivenAgain()
    {
        var c = Accepted();
        Act(c, Open(c, "承办"), Officer(), Local(3, 3), new() { ["checkResult"] = "符合法定条件", ["checkNotes"] = "经营场所与申请一致" });
        Act(c, Open(c, "审核"), Officer("scjg-o2"), Local(3, 4), null, Outcome.Return, "现场照片不清晰，请补拍");

        var again = Open(c, "承办");
        Assert.Equal(2, again.EntryCount);
        Assert.Equal(new PrefilledValue("经营场所与申请一致", "承办"), StepData.Prefill(c, Flow(c.WorkflowId), again)["checkNotes"]);

        Act(c, again, Officer(), Local(3, 5), new() { ["checkNotes"] = "已补拍现场照片" });

        Assert.Equal(
            new Dictionary<string, string> { ["checkNotes"] = "已补拍现场照片", ["checkResult"] = "符合法定条件" },
            c.Instance().Sections["handling"]);
    }
}
