namespace ApprovalSystem.Web.Features.Admin.FlowDesigner;

/// <summary>
/// Places the steps for the diagram (自动布局): the designer's one seam to the layout. Today a plain layered layout — each step
/// one row below the furthest step leading to it, in the order of the steps — with a parallel step's branches in a row beside
/// it; the engine's own layout replaces the body of <see cref="Apply"/> when it arrives.
/// </summary>
public static class FlowLayout
{
    public const double ColumnWidth = 230;
    public const double RowHeight = 150;

    public static void Apply(FlowModel model)
    {
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        if (model.FindStep(model.Start) is not null)
        {
            depth[model.Start] = 0;
            queue.Enqueue(model.Start);
        }

        // Breadth first, never deeper than the number of steps, so a loop cannot push a step down for ever.
        while (queue.TryDequeue(out var id))
        {
            foreach (var c in model.Connections.Where(c => c.From == id && c.Outcome != "return"))
            {
                var d = depth[id] + 1;
                if (model.FindStep(c.To) is not null && d < model.Steps.Count && (!depth.TryGetValue(c.To, out var known) || known < d) && !Reaches(model, c.To, id))
                {
                    depth[c.To] = d;
                    queue.Enqueue(c.To);
                }
            }
        }

        var lastRow = depth.Count == 0 ? -1 : depth.Values.Max();
        foreach (var step in model.Steps.Where(s => !depth.ContainsKey(s.Id)))
        {
            depth[step.Id] = ++lastRow; // unconnected steps go below the rest
        }

        var columns = new Dictionary<int, int>();
        foreach (var step in model.Steps.OrderBy(s => depth[s.Id]))
        {
            var row = depth[step.Id];
            var column = columns.GetValueOrDefault(row);
            columns[row] = column + 1 + (step.Kind == StepKind.Parallel ? model.BranchesOf(step.Id).Count() : 0);
            (step.X, step.Y) = (40 + column * ColumnWidth, 30 + row * RowHeight);
            var b = 0;
            foreach (var branch in model.BranchesOf(step.Id))
            {
                (branch.X, branch.Y) = (step.X + (++b * ColumnWidth), step.Y);
            }
        }

        var loose = 0;
        foreach (var branch in model.Branches.Where(b => b.ParallelId is null))
        {
            (branch.X, branch.Y) = (40 + loose++ * ColumnWidth, 30 + (lastRow + 1) * RowHeight);
        }
    }

    /// <summary>True when <paramref name="to"/> already leads back to <paramref name="from"/> (a back edge of a loop).</summary>
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
