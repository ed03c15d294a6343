using System.Text.Json;
using ApprovalSystem.Core.Catalogue;

namespace ApprovalSystem.Core.Tests.Catalogue;

public class BundleValidatorTests
{
    private static CatalogueData Data => ShippedCatalogue.Data;

    private static HashSet<string> Departments() => Data.Departments.Select(d => d.Code).ToHashSet(StringComparer.Ordinal);

    /// <summary>A shipped bundle, copied so a test can break it.</summary>
    private static BundleData Shipped(string name) =>
        JsonSerializer.Deserialize<BundleData>(JsonSerializer.Serialize(Data.Bundles.Single(b => b.Name == name), CatalogueData.JsonOptions), CatalogueData.JsonOptions)!;

    [Fact]
    public void ShippedCatalogue_HasTheSixBundlesOfTheIssue_AndABundleForEveryOldJointMatter_EachValid()
    {
        string[] names = ["开办企业一件事", "新生儿出生一件事", "二手房转移登记及水电气过户", "开办餐饮店一件事", "员工录用一件事", "企业注销一件事"];
        string[] oldJoint = [.. Enumerable.Range(1, 10).Select(i => $"330799-SCJG-{i:000}"), "330799-FG-001", "330799-BDC-006", "330799-BDC-007"];

        Assert.Subset(Data.Bundles.Select(b => b.Name).ToHashSet(), names.ToHashSet());
        Assert.All(Data.Bundles, b => Assert.Empty(BundleValidator.Problems(b, Data.Matters, Departments())));
        Assert.All(Data.Bundles, b => Assert.NotEmpty(b.Situations));
        Assert.All(oldJoint, code => Assert.Single(Data.Bundles, b => b.Replaces.Contains(code)));
        Assert.Equal(oldJoint.Order(), Data.Bundles.SelectMany(b => b.Replaces).Order());
        Assert.Equal(Data.Bundles.Count, Data.Bundles.Select(b => b.Code).Distinct().Count());
    }

    [Fact]
    public void Coverage_MemberRequiredFieldNotMapped_NamesTheFieldAndMatter()
    {
        var b = Shipped("开办企业一件事");
        b.FormFields.Single(f => f.Key == "businessScope").Maps.Clear();

        var problems = BundleValidator.Problems(b, Data.Matters, Departments());

        Assert.Contains("合并表单未覆盖事项“企业设立登记”的必填字段：经营范围（businessScope）", problems);
    }

    [Fact]
    public void Coverage_MemberRequiredMaterialNotStoodFor_NamesTheMaterial()
    {
        var b = Shipped("新生儿出生一件事");
        b.Materials.RemoveAll(m => m.Name == "父母双方居民户口簿");

        var problems = BundleValidator.Problems(b, Data.Matters, Departments());

        Assert.Contains("合并材料清单未覆盖事项“出生登记”的必需材料：父母双方居民户口簿", problems);
    }

    [Fact]
    public void Coverage_AMembersSituationalMaterial_CountsOnlyWhenTheBundleAsksItsQuestion()
    {
        // 社会保障卡申领 asks 是否未满16周岁 (监护人身份证明) and 是否委托 (授权委托书); the bundle asks only the second.
        var b = Shipped("新生儿出生一件事");
        Assert.DoesNotContain(BundleValidator.Problems(b, Data.Matters, Departments()), p => p.Contains("监护人身份证明", StringComparison.Ordinal));

        b.Materials.Single(m => m.Name == "授权委托书及受托人身份证明复印件").StandsFor.RemoveAll(f => f.StartsWith("RS-001", StringComparison.Ordinal));
        Assert.Contains("合并材料清单未覆盖事项“社会保障卡申领”的必需材料：授权委托书及受托人身份证明复印件",
            BundleValidator.Problems(b, Data.Matters, Departments()));
    }

    [Fact]
    public void Coverage_PrefilledRequiredField_CountsAsCovered()
    {
        // 公章刻制备案's 统一社会信用代码 is required and mapped by no merged field: its prefill source fills it.
        var b = Shipped("开办企业一件事");

        Assert.DoesNotContain(BundleValidator.Problems(b, Data.Matters, Departments()), p => p.Contains("creditCode", StringComparison.Ordinal));
    }

    [Fact]
    public void Waits_InACycle_AreRefused()
    {
        var b = Shipped("开办企业一件事");
        b.Members.Single(m => m.Matter == "SCJG-019").After = ["GA-013"];

        var problems = BundleValidator.Problems(b, Data.Matters, Departments());

        Assert.Contains(problems, p => p.StartsWith("成员事项的先后顺序成环：", StringComparison.Ordinal) && p.Contains("公章刻制备案", StringComparison.Ordinal));
    }

    [Fact]
    public void Members_Unknown_Twice_Unpublished_OrWaitingOutside_AreNamed()
    {
        var b = Shipped("员工录用一件事");
        b.Members.Add(new BundleMember { Matter = "RS-007" });
        b.Members.Add(new BundleMember { Matter = "XX-999" });
        b.Members[0].After = ["GA-006"];
        var matters = Data.Matters.Select(m => m.Code == "330799-YBJ-008" ? Unpublished(m) : m).ToList();

        var problems = BundleValidator.Problems(b, matters, Departments());

        Assert.Contains("成员事项“职工参保登记”重复", problems);
        Assert.Contains("成员事项“XX-999”不存在", problems);
        Assert.Contains("成员事项“职工基本医疗保险参保登记”未发布，不能列入一件事", problems);
        Assert.Contains("成员事项“就业登记”等待的“GA-006”不是本一件事的成员", problems);
    }

    [Fact]
    public void Conditions_NameOnlyTheBundlesQuestionsAndOptions()
    {
        var b = Shipped("二手房转移登记及水电气过户");
        b.Members.Single(m => m.Matter == "GDGS-004").When = "power == '也许'";
        b.FormFields[0].Maps.Add("BDC-017:noSuchField");

        var problems = BundleValidator.Problems(b, Data.Matters, Departments());

        Assert.Contains(problems, p => p.Contains("没有回答“也许”", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("映射的字段“noSuchField”不在事项“存量房转移登记”的申请表中", StringComparison.Ordinal));
    }

    [Fact]
    public void Situations_ChooseMembersFieldsAndMaterials()
    {
        var b = Shipped("开办企业一件事");
        var none = new Dictionary<string, string> { ["seal"] = "否", ["invoice"] = "否", ["hasEmployees"] = "否", ["agent"] = "否" };
        var all = new Dictionary<string, string> { ["seal"] = "是", ["invoice"] = "是", ["hasEmployees"] = "是", ["housingFund"] = "是", ["agent"] = "是" };

        Assert.Equal(["SCJG-019"], b.MembersFor(none).Select(m => m.Matter));
        Assert.Equal(5, b.MembersFor(all).Count);
        Assert.DoesNotContain(b.FieldsFor(none), f => f.Key == "sealType");
        Assert.Contains(b.FieldsFor(all), f => f.Key == "sealType");
        Assert.DoesNotContain(b.MaterialsFor(none), m => m.Name == "授权委托书及受托人身份证明复印件");
        Assert.Contains(b.MaterialsFor(all), m => m.Name == "授权委托书及受托人身份证明复印件");
    }

    [Fact]
    public void MemberForm_SharedFieldEnteredOnce_FillsEveryMember_PrefillTheRest()
    {
        var b = Shipped("开办企业一件事");
        var merged = new Dictionary<string, string> { ["companyName"] = "云溪县青禾餐饮管理有限公司", ["contactPhone"] = "13912345678" };

        foreach (var code in new[] { "330799-SCJG-019", "330799-GA-013", "330799-SW-011", "330799-RS-020", "330799-GJJ-001" })
        {
            var matter = Data.Matters.Single(m => m.Code == code);
            var form = b.MemberForm(code, matter.FormFields, merged, f => f.Prefill == "applicant.idNumber" ? "91330799MA2XXXXX0X" : null);

            Assert.Equal("云溪县青禾餐饮管理有限公司", form["unitName"]);
            Assert.Equal("13912345678", form["contactPhone"]);
            Assert.Equal(matter.FormFields.Any(f => f.Key == "creditCode"), form.ContainsKey("creditCode"));
        }
    }

    private static MatterData Unpublished(MatterData m)
    {
        var copy = JsonSerializer.Deserialize<MatterData>(JsonSerializer.Serialize(m, CatalogueData.JsonOptions), CatalogueData.JsonOptions)!;
        copy.IsPublished = false;
        return copy;
    }
}
