using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Tests.Workflows;

public class ShippedWorkflowsTests
{
    [Fact]
    public void LoadDirectory_ShippedWorkflows_AllLoadWithoutErrors()
    {
        var result = ShippedWorkflows.Result;

        Assert.True(result.Succeeded, result.ToString());
        var files = Directory.GetFiles(ShippedWorkflows.Folder, "*.json")
            .Where(f => Path.GetFileName(f) != WorkflowLoader.SchemaFileName);
        Assert.Equal(files.Count(), result.Definitions.Count);
    }

    [Fact]
    public void LoadDirectory_ShippedWorkflows_HaveTheAgreedIds()
    {
        string[] expected =
        [
            "business-registration", "capital-construction", "countersign-review", "immediate", "immediate-registration",
            "joint-market-entry",
            "promised-single", "property-registration", "reported",
        ];

        Assert.Equal(expected, ShippedWorkflows.Result.Definitions.Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LoadDirectory_EachFile_IsNamedAfterItsId()
    {
        foreach (var definition in ShippedWorkflows.Result.Definitions)
        {
            Assert.True(File.Exists(Path.Combine(ShippedWorkflows.Folder, definition.Id + ".json")), definition.Id);
        }
    }

    [Fact]
    public void LoadDirectory_EveryStepAndBranch_HasAChineseTitle()
    {
        var titles = ShippedWorkflows.Result.Definitions
            .SelectMany(d => d.Steps)
            .SelectMany(s => s is ParallelStep p ? p.Branches.Select(b => b.Title).Append(s.Title) : [s.Title]);

        Assert.All(titles, title => Assert.Contains(title, c => c is >= '\u4e00' and <= '\u9fff'));
    }
}
