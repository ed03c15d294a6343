using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Tests.Catalogue;

public class CatalogueRulesTests
{
    private static IReadOnlyList<CatalogueProblem> Validate(CatalogueData data, params string[] existingDepartments) =>
        CatalogueRules.Validate(data, existingDepartments, SampleMatters.Workflows);

    [Fact]
    public void Validate_ValidCatalogue_HasNoProblems()
    {
        var data = SampleMatters.Catalogue(SampleMatters.Promised(), SampleMatters.Immediate());

        Assert.Empty(Validate(data));
    }

    [Fact]
    public void Validate_DuplicateMatterCode_PointsAtTheSecondMatter()
    {
        var data = SampleMatters.Catalogue(
            SampleMatters.Promised("330799-SCJG-002"),
            SampleMatters.Immediate(),
            SampleMatters.Promised(" 330799-SCJG-002"));

        var problem = Assert.Single(Validate(data));

        Assert.Equal(new CatalogueProblem(CataloguePart.Matter, 2, "Code", "事项编码“ 330799-SCJG-002”重复"), problem);
    }

    [Fact]
    public void Validate_DuplicateDepartmentCode_PointsAtTheSecondDepartment()
    {
        var data = SampleMatters.Catalogue(SampleMatters.Promised());
        data.Departments.Add(new() { Code = "SCJG", Name = "另一个市场监督管理局" });

        var problem = Assert.Single(Validate(data));

        Assert.Equal(CataloguePart.Department, problem.Part);
        Assert.Equal(3, problem.Index);
        Assert.Equal("Code", problem.Property);
        Assert.Contains("重复", problem.Message);
    }

    [Theory]
    [InlineData("scjg")]
    [InlineData("SC-JG")]
    [InlineData("ABCDEFGHIJKLMNOPQ")] // 17 characters
    public void Validate_MalformedDepartmentCode_IsRejected(string code)
    {
        var data = SampleMatters.Catalogue();
        data.Departments[1].Code = code;

        var problem = Assert.Single(Validate(data));

        Assert.Equal((CataloguePart.Department, 1, "Code"), (problem.Part, problem.Index, problem.Property));
    }

    [Fact]
    public void Validate_DepartmentWithoutName_IsRejected()
    {
        var data = SampleMatters.Catalogue();
        data.Departments[2].Name = " ";

        Assert.Equal(new CatalogueProblem(CataloguePart.Department, 2, "Name", "部门名称不能为空"), Assert.Single(Validate(data)));
    }

    [Fact]
    public void Validate_DuplicateStationCode_IsRejected()
    {
        var data = SampleMatters.Catalogue();
        data.Stations.Add(new() { Code = "Z01", Name = "溪口镇便民服务中心" });

        Assert.Equal(new CatalogueProblem(CataloguePart.Station, 1, "Code", "服务站编码“Z01”重复"), Assert.Single(Validate(data)));
    }

    [Fact]
    public void Validate_MatterOfDepartmentOnlyInDatabase_IsAccepted()
    {
        var matter = SampleMatters.Promised();
        matter.Department = "GA";

        Assert.Empty(Validate(SampleMatters.Catalogue(matter), "GA"));
        Assert.Equal(
            new CatalogueProblem(CataloguePart.Matter, 0, "Department", "部门编码“GA”不存在"),
            Assert.Single(Validate(SampleMatters.Catalogue(matter))));
    }

    [Fact]
    public void Validate_MatterOfDuplicatedDepartment_IsStillAccepted()
    {
        // The duplicate is reported once, on the department, not again on every matter.
        var data = SampleMatters.Catalogue(SampleMatters.Promised());
        data.Departments.Add(new() { Code = "SCJG", Name = "重复" });

        Assert.All(Validate(data), p => Assert.Equal(CataloguePart.Department, p.Part));
    }

    [Fact]
    public void Validate_ProblemInNestedMaterial_PointsAtTheMatterAndPath()
    {
        var broken = SampleMatters.Promised("330799-SCJG-003");
        broken.Materials[1].Copies = 0;
        var data = SampleMatters.Catalogue(SampleMatters.Promised(), SampleMatters.Immediate(), broken);

        var problem = Assert.Single(Validate(data));

        Assert.Equal(new CatalogueProblem(CataloguePart.Matter, 2, "Materials[1].Copies", "材料份数应为1至99"), problem);
    }

    [Fact]
    public void Validate_ProblemsInSeveralMatters_AreAllReportedWithTheirIndex()
    {
        var first = SampleMatters.Promised("330799-SCJG-003");
        first.PromisedLimitDays = 30;
        var second = SampleMatters.Immediate();
        second.FormFields.Add(new() { Key = "kind", Label = "类别", Type = FieldKind.Select });
        var data = SampleMatters.Catalogue(SampleMatters.Promised(), first, second);

        var problems = Validate(data);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p is { Part: CataloguePart.Matter, Index: 1, Property: "PromisedLimitDays" } && p.Message.Contains("不得超过法定时限"));
        Assert.Contains(problems, p => p is { Part: CataloguePart.Matter, Index: 2, Property: "FormFields[0].Options" });
    }
}
