using ApprovalSystem.Workflows;

namespace ApprovalSystem.Web.Features.Guide;

/// <summary>Describes a workflow's steps in the order an applicant's case goes through them.</summary>
public static class WorkflowSummary
{
    public static IEnumerable<string> Steps(WorkflowDefinition flow, Func<string, string> departmentName)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        queue.Enqueue(flow.Start);
        while (queue.Count > 0)
        {
            var id = queue.Dequeue();
            if (!seen.Add(id) || flow.FindStep(id) is not { } step)
            {
                continue;
            }

            var text = step switch
            {
                TaskStep t => $"{departmentName(t.Department)}：{t.Title}（{t.LimitDays}个工作日）",
                ParallelStep p => $"{p.Title}：{string.Join("、", p.Branches.Select(b => $"{departmentName(b.Department)}{b.Title}"))} 同步办理（{p.LimitDays}个工作日）",
                CountersignStep c => $"{departmentName(c.Department)}：{c.Title}（{c.Signers}人会签，{c.LimitDays}个工作日）",
                ConditionStep c => c.Title,
                EndStep => null,
                _ => step.Title,
            };
            if (text is not null)
            {
                yield return text;
            }

            foreach (var outcome in new[] { "approve", "true", "false" })
            {
                if (flow.Target(id, outcome) is { } next)
                {
                    queue.Enqueue(next);
                }
            }
        }

        yield return "办结，送达结果";
    }
}
