using ApprovalSystem.Workflows;
using ApprovalSystem.Workflows.Layout;

namespace ApprovalSystem.Web.Features.Admin.FlowDesigner;

/// <summary>
/// Places the steps for the diagram (自动布局) with the engine's layered layout (<see cref="WorkflowLayout"/>), boxes of the same
/// sizes, a parallel step's branches inside it. A flow that does not load yet (an unconnected outcome, a loose branch) is laid out
/// plainly instead: each step one layer below the furthest step leading to it.
/// </summary>
public static class FlowLayout
{
    private const double Margin = 24;
    private const double LayerGap = 64;
    private const double NodeGap = 40;

    /// <summary>The size of a step's box, as the engine's layout draws it.</summary>
    public static (double Width, double Height) SizeOf(FlowModel model, StepModel step) => step.Kind switch
    {
        StepKind.Parallel => (
            (2 * WorkflowLayout.ParallelPaddingX) + (Math.Max(1, model.BranchesOf(step.Id).Count()) * (WorkflowLayout.BranchWidth + WorkflowLayout.BranchGap))
                - WorkflowLayout.BranchGap,
            WorkflowLayout.ParallelPaddingTop + WorkflowLayout.BranchHeight + WorkflowLayout.ParallelPaddingBottom),
        StepKind.Condition => (WorkflowLayout.ConditionWidth, WorkflowLayout.ConditionHeight),
        StepKind.End => (WorkflowLayout.EventSize, WorkflowLayout.EventSize),
        _ => (WorkflowLayout.TaskWidth, WorkflowLayout.TaskHeight),
    };

    /// <summary>Where the <paramref name="index"/>-th branch of a parallel step at (x, y) sits, inside it.</summary>
    public static (double X, double Y) BranchAt(StepModel parallel, int index) =>
        (parallel.X + WorkflowLayout.ParallelPaddingX + (index * (WorkflowLayout.BranchWidth + WorkflowLayout.BranchGap)),
         parallel.Y + WorkflowLayout.ParallelPaddingTop);

    public static void Apply(FlowModel model)
    {
        if (model.Branches.All(b => b.ParallelId is not null)
            && new WorkflowLoader().LoadFromJson(model.Id + ".json", model.ToJson()).Definitions is [var definition])
        {
            var diagram = WorkflowLayout.Compute(definition);
            foreach (var step in model.Steps)
            {
                if (diagram.FindNode(step.Id) is { } node)
                {
                    (step.X, step.Y) = (node.X, node.Y);
                }
            }
        }
        else
        {
            Layered(model);
        }

        var bottom = model.Steps.Select(s => s.Y + SizeOf(model, s).Height).DefaultIfEmpty(0).Max();
        var loose = 0;
        foreach (var branch in model.Branches.Where(b => b.ParallelId is null))
        {
            (branch.X, branch.Y) = (Margin + (loose++ * (WorkflowLayout.BranchWidth + NodeGap)), bottom + LayerGap);
        }
    }

    /// <summary>Each step one layer below the furthest step leading to it (back edges of loops ignored); steps not reached last.</summary>
    private static void Layered(FlowModel model)
    {
        var layer = new Dictionary<string, int>(StringComparer.Ordinal);
        if (model.FindStep(model.Start) is not null)
        {
            layer[model.Start] = 0;
        }

        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var c in model.Connections.Where(c => c.Outcome != "return" && layer.ContainsKey(c.From) && model.FindStep(c.To) is not null))
            {
                var next = layer[c.From] + 1;
                if ((!layer.TryGetValue(c.To, out var known) || known < next) && next < model.Steps.Count && !Reaches(model, c.To, c.From))
                {
                    layer[c.To] = next;
                    changed = true;
                }
            }
        }

        var last = layer.Count == 0 ? -1 : layer.Values.Max();
        foreach (var step in model.Steps.Where(s => !layer.ContainsKey(s.Id)))
        {
            layer[step.Id] = ++last;
        }

        var y = Margin;
        foreach (var row in model.Steps.GroupBy(s => layer[s.Id]).OrderBy(g => g.Key))
        {
            var x = Margin;
            foreach (var step in row)
            {
                (step.X, step.Y) = (x, y);
                x += SizeOf(model, step).Width + NodeGap;
            }

            y += row.Max(s => SizeOf(model, s).Height) + LayerGap;
        }
    }

    /// <summary>True when <paramref name="from"/> already leads to <paramref name="to"/> (so an edge back to it closes a loop).</summary>
    private static bool Reaches(FlowModel model, string from, string to)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<string>([from]);
        while (stack.TryPop(out var id))
        {
            if (id == to)
            {
                return true;
            }

            if (seen.Add(id))
            {
                model.Connections.Where(c => c.From == id && c.Outcome != "return").ToList().ForEach(c => stack.Push(c.To));
            }
        }

        return false;
    }
}
