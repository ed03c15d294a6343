using System.Text;
using System.Text.Json;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Tests.Workflows.Bpmn;

/// <summary>The hand-drawn BPMN files under tests/bpmn-samples, and a structural description of a definition to compare by.</summary>
internal static class BpmnSamples
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(ShippedWorkflows.Folder, "..", "tests", "bpmn-samples", name));

    /// <summary>Every property of the definition that the engine reads, one line each, in order.</summary>
    public static string Describe(WorkflowDefinition d)
    {
        var text = new StringBuilder($"{d.Id} v{d.Version} {d.Title} | {d.Description} | start {d.Start}\n");
        foreach (var step in d.Steps)
        {
            text.Append(step switch
            {
                TaskStep t => $"task {t.Id} {t.Title} {t.Department} {t.Role} {t.LimitDays} {t.Writes} {Outcomes(t)} {Fields(t.Fields)}",
                CountersignStep c => $"countersign {c.Id} {c.Title} {c.Department} {c.Role} {c.Signers}/{c.Quorum} {c.LimitDays} {c.Writes} {Outcomes(c)} {Fields(c.Fields)}",
                ParallelStep p => $"parallel {p.Id} {p.Title} {p.LimitDays} q{p.Quorum} {Outcomes(p)} "
                    + string.Join(" ", p.Branches.Select(b => $"[{b.Id} {b.Title} {b.Department} {b.Role} {b.LimitDays} {b.Writes} {Fields(b.Fields)}]")),
                ConditionStep c => $"condition {c.Id} {c.Title} {c.When.ToText()}",
                EndStep e => $"end {e.Id} {e.Title} {e.Result}",
                _ => step.ToString(),
            }).Append('\n');
        }

        foreach (var c in d.Connections)
        {
            text.Append($"{c.From} -{c.Outcome}-> {c.To}\n");
        }

        return text.ToString();
    }

    private static string Outcomes(HumanStep step) =>
        string.Join(",", step.Outcomes.Select(o => o.ToName())) + (step.DistinctFrom.Count > 0 ? " distinct:" + string.Join(",", step.DistinctFrom) : "");

    private static string Fields(IReadOnlyList<StepField> fields) =>
        string.Join(";", fields.Select(f => $"{f.Key}/{f.Label}/{f.Type}/{f.Required}/{string.Join("|", f.Options)}/{f.Unit}/{f.MaxLength}"));
}
