using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Tests.Catalogue;

public class ShippedCatalogueTests
{
    private static CatalogueData Data => ShippedCatalogue.Data;

    private static HashSet<string> WorkflowIds()
    {
        var result = ShippedCatalogue.Workflows;
        Assert.True(result.Succeeded, result.ToString());
        return result.Definitions.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
    }

    private static HashSet<string> DepartmentCodes() => Data.Departments.Select(d => d.Code).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void SeedCatalogue_HasTheCountysDepartmentsAndMatters()
    {
        Assert.True(Data.Departments.Count >= 36, $"{Data.Departments.Count} departments");
        Assert.True(Data.Matters.Count >= 338, $"{Data.Matters.Count} matters");
    }

    [Fact]
    public void SeedCatalogue_PassesTheCatalogueRules()
    {
        var problems = CatalogueRules.Validate(Data, [], WorkflowIds());

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Select(p =>
            $"{p.Part}[{p.Index}] {(p.Part == CataloguePart.Matter ? Data.Matters[p.Index].Code : "")} {p.Property}: {p.Message}")));
    }

    [Fact]
    public void SeedCatalogue_EveryMatter_RunsOnALoadedWorkflow()
    {
        var ids = WorkflowIds();

        Assert.All(Data.Matters, m => Assert.True(ids.Contains(m.Workflow), $"{m.Code}: {m.Workflow}"));
    }

    [Fact]
    public void SeedCatalogue_EveryMatter_PromisesNoMoreThanTheLegalLimit()
    {
        Assert.All(Data.Matters, m => Assert.True(
            m.PromisedLimitDays <= m.LegalLimitDays,
            $"{m.Code}: promised {m.PromisedLimitDays} > legal {m.LegalLimitDays}"));
    }

    [Fact]
    public void SeedCatalogue_ImmediateMatters_RunOnTheImmediateWorkflow_OrRegisterABusinessOnTheSpot()
    {
        var immediate = Data.Matters.Where(m => m.Kind == MatterKind.Immediate).ToList();

        Assert.NotEmpty(immediate);
        Assert.All(immediate, m => Assert.True(m.Workflow == "immediate" || (m.Workflow == "immediate-registration" && m.CertificateType == "business-licence"),
            $"{m.Code}: {m.Workflow}"));
        Assert.Contains(immediate, m => m.Workflow == "immediate-registration"); // 个体工商户设立登记 records the new credit code (decision 0072)
    }

    [Fact]
    public void SeedCatalogue_JointMatters_RunOnAJointWorkflow()
    {
        string[] jointWorkflows = ["joint-market-entry", "capital-construction", "property-registration"];
        var joint = Data.Matters.Where(m => m.Kind == MatterKind.Joint).ToList();

        Assert.NotEmpty(joint);
        Assert.All(joint, m => Assert.True(jointWorkflows.Contains(m.Workflow), $"{m.Code}: {m.Workflow}"));
    }

    [Fact]
    public void SeedCatalogue_EveryDepartmentNamedInAWorkflow_Exists()
    {
        var departments = DepartmentCodes();
        var named = ShippedCatalogue.Workflows.Definitions
            .SelectMany(d => d.Steps.SelectMany(DepartmentsOf).Select(code => (Workflow: d.Id, Code: code)))
            .Where(x => x.Code is not (WorkflowDepartments.Lead or WorkflowDepartments.Centre))
            .ToList();

        Assert.NotEmpty(named);
        Assert.All(named, x => Assert.True(departments.Contains(x.Code), $"{x.Workflow}: {x.Code}"));
    }

    [Fact]
    public void SeedCatalogue_TheDefaultCentre_IsADepartment()
    {
        // "$centre" resolves to this code unless the host passes another.
        Assert.Contains(WorkflowDepartments.DefaultCentre, DepartmentCodes());
    }

    [Fact]
    public void SeedCatalogue_MatterCodes_AreUnique()
    {
        var duplicates = Data.Matters.GroupBy(m => m.Code.Trim(), StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        Assert.True(duplicates.Count == 0, string.Join(", ", duplicates));
    }

    private static IEnumerable<string> DepartmentsOf(WorkflowStep step) => step switch
    {
        TaskStep t => [t.Department],
        ParallelStep p => p.Branches.Select(b => b.Department),
        CountersignStep c => [c.Department],
        _ => [],
    };
}
