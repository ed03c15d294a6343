using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Tests.Catalogue;

/// <summary>A matter that obeys every rule, for tests to break one rule at a time.</summary>
internal static class SampleMatters
{
    public static readonly IReadOnlySet<string> Departments = new HashSet<string>(StringComparer.Ordinal) { "FWZX", "SCJG", "WJ" };

    public static readonly IReadOnlySet<string> Workflows = new HashSet<string>(StringComparer.Ordinal) { "immediate", "promised-single" };

    public static CatalogueReferences References { get; } = new(Departments, Workflows);

    public static MatterData Promised(string code = "330799-SCJG-002") => new()
    {
        Code = code,
        Name = "食品经营许可（新办）",
        Department = "SCJG",
        Kind = MatterKind.Promised,
        LegalLimitDays = 20,
        PromisedLimitDays = 10,
        Fee = 0,
        LegalBasis = "《中华人民共和国食品安全法》第三十五条",
        Workflow = "promised-single",
        CertificateType = "food-business-licence",
        WarningDaysLeft = 2,
        Materials =
        [
            new() { Name = "食品经营许可申请书", Required = true, Form = MaterialForm.Original, Copies = 1 },
            new() { Name = "营业执照复印件", Required = true, Form = MaterialForm.Copy, Copies = 1 },
            new() { Name = "授权委托书", Required = false, Form = MaterialForm.Original, Copies = 1, Condition = "委托他人办理的提供" },
        ],
        FormFields =
        [
            new() { Key = "unitName", Label = "经营者名称", Type = FieldKind.Text, Required = true, Prefill = "applicant.name" },
            new() { Key = "businessType", Label = "主体业态", Type = FieldKind.Select, Required = true, Options = ["食品销售经营者", "餐饮服务经营者"] },
            new() { Key = "contactPhone", Label = "联系电话", Type = FieldKind.Phone, Required = true, Prefill = "applicant.phone" },
        ],
    };

    public static MatterData Immediate(string code = "330799-WJ-001") => new()
    {
        Code = code,
        Name = "医师执业注册信息变更",
        Department = "WJ",
        Kind = MatterKind.Immediate,
        LegalLimitDays = 20,
        PromisedLimitDays = 0,
        LegalBasis = "《医师执业注册管理办法》",
        Workflow = "immediate",
        WarningPercentUsed = 80,
        Materials = [new() { Name = "医师变更执业注册申请审核表", Required = true, Form = MaterialForm.Original, Copies = 1 }],
    };

    public static CatalogueData Catalogue(params MatterData[] matters) => new()
    {
        Departments =
        [
            new() { Code = "FWZX", Name = "云溪县行政服务中心管理办公室" },
            new() { Code = "SCJG", Name = "云溪县市场监督管理局" },
            new() { Code = "WJ", Name = "云溪县卫生健康局" },
        ],
        Stations = [new() { Code = "Z01", Name = "城关镇便民服务中心" }],
        Matters = [.. matters],
    };
}
