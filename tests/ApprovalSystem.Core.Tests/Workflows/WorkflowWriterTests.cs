using ApprovalSystem.Workflows;
using ApprovalSystem.Workflows.Conditions;

namespace ApprovalSystem.Core.Tests.Workflows;

public class WorkflowWriterTests
{
    public static TheoryData<string> ShippedIds => [.. ShippedWorkflows.Result.Definitions.Select(d => d.Id)];

    [Theory]
    [MemberData(nameof(ShippedIds))]
    public void ToJson_ShippedFlow_LoadsBackEqualWithTheSameContentHash(string id)
    {
        var shipped = ShippedWorkflows.Get(id);

        var written = WorkflowWriter.ToJson(shipped);
        var reloaded = Reload(written);

        Assert.Equal(shipped.ContentHash, reloaded.ContentHash);
        AssertSameDefinition(shipped, reloaded);
    }

    [Theory]
    [MemberData(nameof(ShippedIds))]
    public void ToJson_WriteLoadWrite_IsAFixedPoint(string id)
    {
        var once = WorkflowWriter.ToJson(ShippedWorkflows.Get(id));

        Assert.Equal(once, WorkflowWriter.ToJson(Reload(once)));
    }

    [Fact]
    public void ToJson_KeepsChineseAndComparisonSignsReadable()
    {
        var json = WorkflowWriter.ToJson(ShippedWorkflows.Get("capital-construction"));

        Assert.Contains("\"title\": \"基本建设投资项目联合审批\"", json);
        Assert.Contains("\"when\": \"floorArea > 300\"", json);
        Assert.StartsWith("{\n  \"$schema\": \"./workflow.schema.json\",\n  \"id\": \"capital-construction\",", json);
    }

    [Fact]
    public void ToJson_LeavesOutDefaultsAsTheShippedFilesDo()
    {
        var json = WorkflowWriter.ToJson(ShippedWorkflows.Get("property-registration"));

        Assert.DoesNotContain("\"quorum\"", json);
        Assert.DoesNotContain("\"required\": false", json);
        Assert.DoesNotContain("\"distinctFrom\"", json);
        Assert.Contains("\"quorum\": 2", WorkflowWriter.ToJson(ShippedWorkflows.Get("countersign-review")));
    }

    [Fact]
    public void ToJson_ADefinitionBuiltInCode_LoadsWithItsCondition()
    {
        // What the designer does: build a definition, write it, load it (the loader validates and hashes it).
        var when = ConditionParser.Parse("usage in ['住宅', '商业'] and not (area <= 144)").Condition!;
        var built = new WorkflowDefinition(
            "designed", 3, "设计器流程", null, "size",
            [
                new ConditionStep("size", "面积判断", when),
                new TaskStep("handle", "承办", "$lead", "Officer", 0, "handling", [Outcome.Approve, Outcome.Deny])
                {
                    Fields = [new StepField("note", "备注", FieldKind.Textarea, true, [], null, 500)],
                },
                new CountersignStep("sign", "会签", "$lead", "Officer", 3, 2, 2, "sign", [Outcome.Approve, Outcome.Deny])
                {
                    DistinctFrom = ["handle"],
                },
                new EndStep("approved", "准予", WorkflowResult.Approved),
                new EndStep("denied", "不予", WorkflowResult.Denied),
            ],
            [
                new("size", "true", "sign"), new("size", "false", "handle"),
                new("handle", "approve", "approved"), new("handle", "deny", "denied"),
                new("sign", "approve", "approved"), new("sign", "deny", "denied"),
            ],
            ContentHash: "",
            SourceJson: "");

        var loaded = Reload(WorkflowWriter.ToJson(built));

        AssertSameDefinition(built, loaded);
        Assert.Equal(when, Assert.IsType<ConditionStep>(loaded.Steps[0]).When);
    }

    private static WorkflowDefinition Reload(string json)
    {
        var result = new WorkflowLoader().LoadFromJson("written.json", json);
        Assert.True(result.Succeeded, result + "\n" + json);
        return result.Definitions[0];
    }

    /// <summary>Everything but the hash, the source text and the file name, step by step and branch by branch.</summary>
    private static void AssertSameDefinition(WorkflowDefinition expected, WorkflowDefinition actual)
    {
        Assert.Equal(
            (expected.Id, expected.Version, expected.Title, expected.Description, expected.Start),
            (actual.Id, actual.Version, actual.Title, actual.Description, actual.Start));
        Assert.Equal(expected.Connections, actual.Connections);
        Assert.Equal(expected.Steps.Count, actual.Steps.Count);
        foreach (var (a, b) in expected.Steps.Zip(actual.Steps))
        {
            Assert.Equal(a.GetType(), b.GetType());
            switch (a, b)
            {
                case (TaskStep x, TaskStep y):
                    Assert.Equal(x with { Outcomes = y.Outcomes, Fields = y.Fields, DistinctFrom = y.DistinctFrom }, y);
                    AssertSameHuman(x, y);
                    AssertSameFields(x.Fields, y.Fields);
                    break;
                case (ParallelStep x, ParallelStep y):
                    Assert.Equal(x with { Outcomes = y.Outcomes, Branches = y.Branches, DistinctFrom = y.DistinctFrom }, y);
                    AssertSameHuman(x, y);
                    Assert.Equal(x.Branches.Count, y.Branches.Count);
                    foreach (var (p, q) in x.Branches.Zip(y.Branches))
                    {
                        Assert.Equal(p with { Fields = q.Fields }, q);
                        AssertSameFields(p.Fields, q.Fields);
                    }

                    break;
                case (CountersignStep x, CountersignStep y):
                    Assert.Equal(x with { Outcomes = y.Outcomes, Fields = y.Fields, DistinctFrom = y.DistinctFrom }, y);
                    AssertSameHuman(x, y);
                    AssertSameFields(x.Fields, y.Fields);
                    break;
                default:
                    Assert.Equal(a, b);
                    break;
            }
        }
    }

    private static void AssertSameHuman(HumanStep x, HumanStep y)
    {
        Assert.Equal(x.Outcomes, y.Outcomes);
        Assert.Equal(x.DistinctFrom, y.DistinctFrom);
    }

    private static void AssertSameFields(IReadOnlyList<StepField> expected, IReadOnlyList<StepField> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (x, y) in expected.Zip(actual))
        {
            Assert.Equal(x with { Options = y.Options }, y);
            Assert.Equal(x.Options, y.Options);
        }
    }
}
