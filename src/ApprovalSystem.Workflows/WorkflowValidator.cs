namespace ApprovalSystem.Workflows;

/// <summary>Checks the graph of a well-formed definition: connections, reachability, ends and loops.</summary>
internal static class WorkflowValidator
{
    public static List<WorkflowLoadError> Validate(string file, WorkflowDefinition definition)
    {
        var errors = new List<WorkflowLoadError>();
        void Error(string? stepId, string message, string chinese) => errors.Add(new(file, stepId, message) { Chinese = chinese });

        var steps = definition.Steps.ToDictionary(s => s.Id);
        var next = definition.Steps.ToDictionary(s => s.Id, _ => new List<string>());
        var connected = new HashSet<(string From, string Outcome)>();
        foreach (var connection in definition.Connections)
        {
            if (!steps.TryGetValue(connection.From, out var from))
            {
                Error(null, $"connection from unknown step \"{connection.From}\" (outcome \"{connection.Outcome}\", to \"{connection.To}\")",
                    $"连线的起点环节“{connection.From}”不存在");
                continue;
            }

            var allowed = from.ConnectionOutcomes;
            if (!allowed.Contains(connection.Outcome))
            {
                Error(from.Id, allowed.Count == 0
                    ? $"connection outcome \"{connection.Outcome}\": an end step has no outcomes"
                    : $"connection outcome \"{connection.Outcome}\" is not an outcome of this {WorkflowNames.Kind(from)} step "
                        + $"(allowed: {string.Join(", ", allowed)})",
                    $"本环节没有“{WorkflowNames.Chinese(connection.Outcome)}”这一结果，请删除这条连线");
            }
            else if (!connected.Add((from.Id, connection.Outcome)))
            {
                Error(from.Id, $"more than one connection for outcome \"{connection.Outcome}\"",
                    $"结果“{WorkflowNames.Chinese(connection.Outcome)}”连了不止一条线，请只保留一条");
            }
            else if (!steps.ContainsKey(connection.To))
            {
                Error(from.Id, $"connection outcome \"{connection.Outcome}\" targets unknown step \"{connection.To}\"",
                    $"结果“{WorkflowNames.Chinese(connection.Outcome)}”连向的环节“{connection.To}”不存在");
            }
            else
            {
                next[from.Id].Add(connection.To);
            }
        }

        foreach (var step in definition.Steps)
        {
            // "return" needs no connection: by default it goes back to the previous human step.
            foreach (var outcome in step.ConnectionOutcomes.Where(o => o != "return" && !connected.Contains((step.Id, o))))
            {
                Error(step.Id, $"outcome \"{outcome}\" has no connection", $"结果“{WorkflowNames.Chinese(outcome)}”未连接：请把它连到下一个环节");
            }
        }

        if (!steps.ContainsKey(definition.Start))
        {
            Error(null, $"start step \"{definition.Start}\" does not exist", $"开始环节“{definition.Start}”不存在：请指定一个开始环节");
            return errors;
        }

        foreach (var step in FirstHumanSteps(definition, steps, next))
        {
            if (step.Allows(Outcome.Return) && definition.Target(step.Id, "return") is null)
            {
                Error(step.Id, "outcome \"return\" has no previous human step to go back to; connect it explicitly or remove it",
                    "“退回”之前没有可退回的办理环节：请把“退回”连到一个环节，或去掉这一结果");
            }
        }

        var reachable = Reach([definition.Start], next);
        foreach (var step in definition.Steps.Where(s => !reachable.Contains(s.Id)))
        {
            Error(step.Id, $"unreachable from the start step \"{definition.Start}\"", "从开始环节无法到达本环节：请从前面某个环节的结果连线到这里");
        }

        var previous = definition.Steps.ToDictionary(s => s.Id, _ => new List<string>());
        foreach (var (from, targets) in next)
        {
            targets.ForEach(to => previous[to].Add(from));
        }

        var canEnd = Reach(definition.Steps.OfType<EndStep>().Select(e => e.Id), previous);
        if (!reachable.Any(id => steps[id] is EndStep))
        {
            Error(null, $"no end step is reachable from the start step \"{definition.Start}\"", "从开始环节到不了任何结束环节：请添加结束环节并连线");
        }
        else if (definition.Steps.Where(s => reachable.Contains(s.Id) && !canEnd.Contains(s.Id)).Select(s => s.Id).ToList() is [var first, ..] trapped)
        {
            Error(first, $"loop without exit: no end step is reachable from {Quote(trapped)}",
                $"死循环：从{string.Join("、", trapped.Select(id => $"“{id}”"))}无法到达任何结束环节，请给循环加一个出口");
        }

        foreach (var step in definition.Steps.OfType<HumanStep>())
        {
            foreach (var other in step.DistinctFrom)
            {
                if (other == step.Id)
                {
                    Error(step.Id, "\"distinctFrom\" names the step itself: list the earlier steps whose officer may not act on this one",
                        "不相容岗位不能选择本环节自己：请选择此前的环节");
                }
                else if (!steps.TryGetValue(other, out var earlier) || earlier is not (TaskStep or CountersignStep))
                {
                    Error(step.Id, $"\"distinctFrom\" names \"{other}\", which is not a task or countersign step of this workflow",
                        $"不相容岗位“{other}”不是本流程的办理或会签环节");
                }
            }
        }

        foreach (var condition in definition.Steps.OfType<ConditionStep>())
        {
            foreach (var field in condition.When.Fields().Where(f => f.Contains('.', StringComparison.Ordinal)))
            {
                var (section, key) = (field[..field.IndexOf('.', StringComparison.Ordinal)], field[(field.IndexOf('.', StringComparison.Ordinal) + 1)..]);
                if (definition.Writer(section) is not { } writer)
                {
                    Error(condition.Id, $"\"when\" reads \"{field}\", but no step or branch writes a section \"{section}\"",
                        $"条件读取“{field}”，但没有环节或分支写入数据分区“{section}”");
                }
                else if (writer.Fields.Count > 0 && !writer.Fields.Any(f => f.Key == key))
                {
                    Error(condition.Id, $"\"when\" reads \"{field}\", but \"{writer.Title}\" does not ask for \"{key}\" "
                        + $"(its fields: {string.Join(", ", writer.Fields.Select(f => f.Key))})",
                        $"条件读取“{field}”，但“{writer.Title}”没有数据项“{key}”（它的数据项：{string.Join("、", writer.Fields.Select(f => f.Key))}）");
                }
            }
        }

        if (ConditionCycle(steps, next) is [var head, ..] cycle)
        {
            Error(head, $"conditions form a cycle with no human step in it: {string.Join(" -> ", cycle.Select(id => $"\"{id}\""))}",
                $"条件环节之间形成了循环（{string.Join(" → ", cycle.Select(id => $"“{id}”"))}），中间没有办理环节");
        }

        return errors;
    }

    /// <summary>Human steps that can be reached from the start without passing another human step.</summary>
    private static IEnumerable<HumanStep> FirstHumanSteps(
        WorkflowDefinition definition, Dictionary<string, WorkflowStep> steps, Dictionary<string, List<string>> next)
    {
        var seen = new HashSet<string>();
        var queue = new Queue<string>([definition.Start]);
        while (queue.TryDequeue(out var id))
        {
            if (!seen.Add(id))
            {
                continue;
            }

            if (steps[id] is HumanStep human)
            {
                yield return human;
            }
            else
            {
                next[id].ForEach(queue.Enqueue);
            }
        }
    }

    private static HashSet<string> Reach(IEnumerable<string> from, Dictionary<string, List<string>> edges)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<string>(from);
        while (stack.TryPop(out var id))
        {
            if (seen.Add(id))
            {
                edges[id].ForEach(stack.Push);
            }
        }

        return seen;
    }

    /// <summary>A cycle made only of condition steps would spin forever on unchanging case data.</summary>
    private static List<string> ConditionCycle(Dictionary<string, WorkflowStep> steps, Dictionary<string, List<string>> next)
    {
        var done = new HashSet<string>();
        var path = new List<string>();

        List<string> Visit(string id)
        {
            path.Add(id);
            foreach (var to in next[id].Where(to => steps[to] is ConditionStep && !done.Contains(to)))
            {
                var at = path.IndexOf(to);
                if (at >= 0)
                {
                    return [.. path[at..], to];
                }

                if (Visit(to) is [_, ..] cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            done.Add(id);
            return [];
        }

        foreach (var condition in steps.Values.OfType<ConditionStep>())
        {
            if (!done.Contains(condition.Id) && Visit(condition.Id) is [_, ..] cycle)
            {
                return cycle;
            }
        }

        return [];
    }

    private static string Quote(IEnumerable<string> ids) =>
        (ids.Count() == 1 ? "step " : "steps ") + string.Join(", ", ids.Select(id => $"\"{id}\""));
}
