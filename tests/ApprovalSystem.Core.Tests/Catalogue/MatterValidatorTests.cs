using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Workflows;
using FluentValidation.Results;

namespace ApprovalSystem.Core.Tests.Catalogue;

public class MatterValidatorTests
{
    private readonly MatterValidator _validator = new(SampleMatters.References);

    private static ValidationFailure Single(ValidationResult result, string property)
    {
        var failures = result.Errors.Where(e => e.PropertyName == property).ToList();
        Assert.True(failures.Count == 1, $"Expected one failure on {property}, got: {string.Join("; ", result.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}"))}");
        return failures[0];
    }

    private static string Describe(ValidationResult result) =>
        string.Join("; ", result.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}"));

    [Fact]
    public void Validate_ValidPromisedMatter_Passes()
    {
        var result = _validator.Validate(SampleMatters.Promised());

        Assert.True(result.IsValid, Describe(result));
    }

    [Fact]
    public void Validate_ValidImmediateMatter_Passes()
    {
        var result = _validator.Validate(SampleMatters.Immediate());

        Assert.True(result.IsValid, Describe(result));
    }

    [Fact]
    public void Validate_PromisedLongerThanLegal_IsRejected()
    {
        var matter = SampleMatters.Promised();
        matter.PromisedLimitDays = 21;

        var failure = Single(_validator.Validate(matter), nameof(MatterData.PromisedLimitDays));

        Assert.Contains("不得超过法定时限", failure.ErrorMessage);
        Assert.Contains("21", failure.ErrorMessage);
    }

    [Fact]
    public void Validate_PromisedEqualToLegal_Passes()
    {
        var matter = SampleMatters.Promised();
        matter.PromisedLimitDays = matter.LegalLimitDays;

        Assert.True(_validator.Validate(matter).IsValid);
    }

    [Fact]
    public void Validate_NegativePromisedLimit_IsRejected()
    {
        var matter = SampleMatters.Promised();
        matter.PromisedLimitDays = -1;
        matter.WarningDaysLeft = null;
        matter.WarningPercentUsed = 80;

        Assert.Equal("承诺时限不能为负数", Single(_validator.Validate(matter), nameof(MatterData.PromisedLimitDays)).ErrorMessage);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(366)]
    public void Validate_LegalLimitOutside1To365_IsRejected(int legal)
    {
        var matter = SampleMatters.Promised();
        matter.LegalLimitDays = legal;
        matter.PromisedLimitDays = 0;
        matter.WarningDaysLeft = null;
        matter.WarningPercentUsed = 80;

        Assert.Equal("法定时限应为1至365个工作日", Single(_validator.Validate(matter), nameof(MatterData.LegalLimitDays)).ErrorMessage);
    }

    [Fact]
    public void Validate_ImmediateWithPromisedDays_IsRejected()
    {
        var matter = SampleMatters.Immediate();
        matter.PromisedLimitDays = 3;

        Assert.Contains("即办件", Single(_validator.Validate(matter), nameof(MatterData.PromisedLimitDays)).ErrorMessage);
    }

    [Fact]
    public void Validate_UnknownDepartment_IsRejected()
    {
        var matter = SampleMatters.Promised();
        matter.Department = "XYZ";

        Assert.Equal("部门编码“XYZ”不存在", Single(_validator.Validate(matter), nameof(MatterData.Department)).ErrorMessage);
    }

    [Fact]
    public void Validate_DepartmentCodeWithBlanks_IsTrimmed()
    {
        var matter = SampleMatters.Promised();
        matter.Department = " SCJG ";

        Assert.True(_validator.Validate(matter).IsValid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Validate_NoDepartment_AsksForOne(string department)
    {
        var matter = SampleMatters.Promised();
        matter.Department = department;

        Assert.Equal("请填写所属部门编码", Single(_validator.Validate(matter), nameof(MatterData.Department)).ErrorMessage);
    }

    [Fact]
    public void Validate_UnknownWorkflow_IsRejected()
    {
        var matter = SampleMatters.Promised();
        matter.Workflow = "promised-double";

        Assert.Equal("流程定义“promised-double”不存在", Single(_validator.Validate(matter), nameof(MatterData.Workflow)).ErrorMessage);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Validate_NoWorkflow_AsksForOne(string workflow)
    {
        var matter = SampleMatters.Promised();
        matter.Workflow = workflow;

        Assert.Equal("请填写流程定义", Single(_validator.Validate(matter), nameof(MatterData.Workflow)).ErrorMessage);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Validate_FeeWithoutBasis_IsRejected(string? basis)
    {
        var matter = SampleMatters.Promised();
        matter.Fee = 10m;
        matter.FeeBasis = basis;

        Assert.Contains("收费依据", Single(_validator.Validate(matter), nameof(MatterData.FeeBasis)).ErrorMessage);
    }

    [Fact]
    public void Validate_FeeWithBasis_Passes()
    {
        var matter = SampleMatters.Promised();
        matter.Fee = 10m;
        matter.FeeBasis = "《不动产登记收费标准》（发改价格规〔2016〕2559号）";

        Assert.True(_validator.Validate(matter).IsValid);
    }

    [Fact]
    public void Validate_NegativeFee_IsRejected()
    {
        var matter = SampleMatters.Promised();
        matter.Fee = -1m;

        Assert.Equal("收费标准不能为负数", Single(_validator.Validate(matter), nameof(MatterData.Fee)).ErrorMessage);
    }

    [Fact]
    public void Validate_NoLegalBasis_IsRejected()
    {
        var matter = SampleMatters.Promised();
        matter.LegalBasis = "";

        Assert.Equal("请填写设定依据", Single(_validator.Validate(matter), nameof(MatterData.LegalBasis)).ErrorMessage);
    }

    [Fact]
    public void Validate_UnknownCertificateType_IsRejected()
    {
        var matter = SampleMatters.Promised();
        matter.CertificateType = "fishing-licence";

        Assert.Contains("fishing-licence", Single(_validator.Validate(matter), nameof(MatterData.CertificateType)).ErrorMessage);
    }

    [Fact]
    public void Validate_BothWarningThresholds_IsRejected()
    {
        var matter = SampleMatters.Promised();
        matter.WarningDaysLeft = 2;
        matter.WarningPercentUsed = 80;

        Assert.Contains("只能设置一种", Single(_validator.Validate(matter), nameof(MatterData.WarningDaysLeft)).ErrorMessage);
    }

    [Fact]
    public void Validate_NeitherWarningThreshold_IsRejected()
    {
        var matter = SampleMatters.Promised();
        matter.WarningDaysLeft = null;
        matter.WarningPercentUsed = null;

        Assert.Contains("只能设置一种", Single(_validator.Validate(matter), nameof(MatterData.WarningDaysLeft)).ErrorMessage);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(11)]
    public void Validate_WarningDaysLeftNotBelowPromised_IsRejected(int daysLeft)
    {
        var matter = SampleMatters.Promised();
        matter.WarningDaysLeft = daysLeft;

        Assert.Equal("预警剩余工作日应小于承诺时限", Single(_validator.Validate(matter), nameof(MatterData.WarningDaysLeft)).ErrorMessage);
    }

    [Fact]
    public void Validate_WarningDaysLeftOneBelowPromised_Passes()
    {
        var matter = SampleMatters.Promised();
        matter.WarningDaysLeft = 9;

        Assert.True(_validator.Validate(matter).IsValid);
    }

    [Theory]
    [InlineData(10, 0)]
    [InlineData(10, -1)]
    [InlineData(1, 0)] // the rule must hold for short promised limits too
    public void Validate_WarningDaysLeftBelowOne_IsRejected(int promised, int daysLeft)
    {
        var matter = SampleMatters.Promised();
        matter.PromisedLimitDays = promised;
        matter.WarningDaysLeft = daysLeft;

        Assert.Equal("预警剩余工作日至少为1", Single(_validator.Validate(matter), nameof(MatterData.WarningDaysLeft)).ErrorMessage);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void Validate_WarningPercentOutside1To99_IsRejected(int percent)
    {
        var matter = SampleMatters.Immediate();
        matter.WarningPercentUsed = percent;

        Assert.Equal("预警时限比例应为1至99", Single(_validator.Validate(matter), nameof(MatterData.WarningPercentUsed)).ErrorMessage);
    }

    [Fact]
    public void Validate_NoRequiredMaterial_IsRejected()
    {
        var matter = SampleMatters.Promised();
        foreach (var material in matter.Materials)
        {
            material.Required = false;
        }

        Assert.Equal("至少应有一项必需的申请材料", Single(_validator.Validate(matter), nameof(MatterData.Materials)).ErrorMessage);
    }

    [Fact]
    public void Validate_NoMaterialsAtAll_IsRejected()
    {
        var matter = SampleMatters.Promised();
        matter.Materials.Clear();

        Assert.Equal("至少应有一项必需的申请材料", Single(_validator.Validate(matter), nameof(MatterData.Materials)).ErrorMessage);
    }

    [Theory]
    [InlineData("营业执照复印件")]
    [InlineData(" 营业执照复印件 ")]
    public void Validate_DuplicateMaterialNames_IsRejected(string name)
    {
        var matter = SampleMatters.Promised();
        matter.Materials[2].Name = name;

        Assert.Equal("申请材料名称不能重复", Single(_validator.Validate(matter), nameof(MatterData.Materials)).ErrorMessage);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void Validate_MaterialCopiesOutOfRange_PointsAtTheMaterial(int copies)
    {
        var matter = SampleMatters.Promised();
        matter.Materials[1].Copies = copies;

        Assert.Equal("材料份数应为1至99", Single(_validator.Validate(matter), "Materials[1].Copies").ErrorMessage);
    }

    [Fact]
    public void Validate_MaterialWithoutName_PointsAtTheMaterial()
    {
        var matter = SampleMatters.Promised();
        matter.Materials[2].Name = "";

        Assert.Equal("材料名称不能为空", Single(_validator.Validate(matter), "Materials[2].Name").ErrorMessage);
    }

    [Fact]
    public void Validate_DuplicateFieldKeys_IsRejected()
    {
        var matter = SampleMatters.Promised();
        matter.FormFields[2].Key = "unitName";

        Assert.Equal("表单字段键不能重复", Single(_validator.Validate(matter), nameof(MatterData.FormFields)).ErrorMessage);
    }

    [Theory]
    [InlineData("UnitName")]
    [InlineData("unit-name")]
    [InlineData("1unit")]
    [InlineData("")]
    public void Validate_BadFieldKey_PointsAtTheField(string key)
    {
        var matter = SampleMatters.Promised();
        matter.FormFields[0].Key = key;

        Assert.Contains("应以小写字母开头", Single(_validator.Validate(matter), "FormFields[0].Key").ErrorMessage);
    }

    [Fact]
    public void Validate_ConditionOnAnOptionOfAnotherField_Passes()
    {
        var matter = SampleMatters.Promised();
        matter.FormFields.Add(new() { Key = "kitchenArea", Label = "加工场所面积", Type = FieldKind.Number, RequiredWhen = "businessType",
            RequiredWhenValues = ["餐饮服务经营者"] });

        var result = _validator.Validate(matter);

        Assert.True(result.IsValid, Describe(result));
    }

    [Fact]
    public void Validate_ConditionOnAFieldThatIsNotOnTheForm_PointsAtTheField()
    {
        var matter = SampleMatters.Promised();
        matter.FormFields.Add(new() { Key = "kitchenArea", Label = "加工场所面积", Type = FieldKind.Number, RequiredWhen = "kitchen" });

        Assert.Equal("字段“加工场所面积”的必填条件应引用本表单的另一个字段，“kitchen”不存在",
            Single(_validator.Validate(matter), "FormFields[3].RequiredWhen").ErrorMessage);
    }

    [Fact]
    public void Validate_ConditionValueThatIsNotAnOption_PointsAtTheField()
    {
        var matter = SampleMatters.Promised();
        matter.FormFields.Add(new() { Key = "kitchenArea", Label = "加工场所面积", Type = FieldKind.Number, RequiredWhen = "businessType",
            RequiredWhenValues = ["饭店"] });

        Assert.Equal("字段“加工场所面积”的必填条件取值“饭店”不是“主体业态”的选项",
            Single(_validator.Validate(matter), "FormFields[3].RequiredWhenValues").ErrorMessage);
    }

    [Fact]
    public void Validate_AlwaysRequiredAndConditional_IsRejected()
    {
        var matter = SampleMatters.Promised();
        matter.FormFields.Add(new() { Key = "kitchenArea", Label = "加工场所面积", Type = FieldKind.Number, Required = true, RequiredWhen = "businessType" });

        Assert.Contains("已设必填条件", Single(_validator.Validate(matter), "FormFields[3].Required").ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void FormField_Condition_RequiresTheFieldOnlyForTheGivenValue()
    {
        var field = new FormField { Key = "deliveryAddress", Label = "邮寄地址", RequiredWhen = "deliveryMethod", RequiredWhenValues = ["邮政寄递"] };

        Assert.True(field.IsRequiredFor(new Dictionary<string, string> { ["deliveryMethod"] = "邮政寄递" }));
        Assert.False(field.IsRequiredFor(new Dictionary<string, string> { ["deliveryMethod"] = "窗口自取" }));
        Assert.False(field.IsRequiredFor(new Dictionary<string, string>()));
        Assert.False(field.AppliesTo(new Dictionary<string, string> { ["deliveryMethod"] = "窗口自取" }));
        Assert.True(new FormField { Key = "note", Label = "备注" }.AppliesTo(new Dictionary<string, string>()));
    }

    [Fact]
    public void Validate_SelectWithoutOptions_PointsAtTheField()
    {
        var matter = SampleMatters.Promised();
        matter.FormFields[1].Options = null;

        Assert.Equal("选择字段“主体业态”须列出选项", Single(_validator.Validate(matter), "FormFields[1].Options").ErrorMessage);
    }

    [Fact]
    public void Validate_SelectWithEmptyOptions_PointsAtTheField()
    {
        var matter = SampleMatters.Promised();
        matter.FormFields[1].Options = [];

        Assert.Contains("须列出选项", Single(_validator.Validate(matter), "FormFields[1].Options").ErrorMessage);
    }

    [Fact]
    public void Validate_TextFieldWithoutOptions_Passes()
    {
        var matter = SampleMatters.Promised();
        Assert.Null(matter.FormFields[0].Options);

        Assert.True(_validator.Validate(matter).IsValid);
    }

    [Theory]
    [InlineData("applicant.email")]
    [InlineData("Applicant.Name")]
    [InlineData("enterprise.name")]
    public void Validate_UnknownPrefillSource_PointsAtTheField(string prefill)
    {
        var matter = SampleMatters.Promised();
        matter.FormFields[2].Prefill = prefill;

        Assert.Equal($"预填来源“{prefill}”无效", Single(_validator.Validate(matter), "FormFields[2].Prefill").ErrorMessage);
    }

    [Fact]
    public void Validate_EveryKnownPrefillSource_Passes()
    {
        var matter = SampleMatters.Promised();
        foreach (var source in MatterValidator.PrefillSources)
        {
            matter.FormFields[0].Prefill = source;

            Assert.True(_validator.Validate(matter).IsValid, source);
        }
    }
}
