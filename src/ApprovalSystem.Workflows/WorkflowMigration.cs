namespace ApprovalSystem.Workflows;

/// <summary>
/// Moves a running instance from one version of its flow to another 迁移在办件 — explicit, never automatic: the administrator maps
/// each open step of the source version to a step of the target. Pure: the host applies the result to the case (closes the old work
/// items, opens the new ones with their clocks) and journals it. Refused, with the reasons in Chinese, where the mapping is unsafe.
/// </summary>
public static class WorkflowMigration
{
    /// <summary>
    /// The instance on <paramref name="target"/> with its open work items moved to the mapped step, or the reasons it may not move.
    /// </summary>
    /// <param name="mapping">Source step id → target step id, for the steps where cases wait (others are ignored).</param>
    /// <param name="now">When new work items (a branch or signer the target adds) open.</param>
    public static WorkflowMigrationResult Migrate(
        WorkflowDefinition source, WorkflowDefinition target, WorkflowInstance instance, IReadOnlyDictionary<string, string> mapping, DateTimeOffset now)
    {
        if (instance.DefinitionId != source.Id || instance.DefinitionVersion != source.Version)
        {
            return Refused($"办件按流程“{instance.DefinitionId}”第{instance.DefinitionVersion}版办理，不是第{source.Version}版");
        }

        if (target.Id != source.Id)
        {
            return Refused("只能迁移到同一流程的其他版本");
        }

        if (instance.IsCompleted || instance.CurrentStepId is not { } currentId || instance.OpenWorkItems.Count == 0)
        {
            return Refused("办件的流程已经结束或没有待办环节，无需迁移");
        }

        if (source.FindStep(currentId) is not HumanStep from)
        {
            return Refused($"办件停在非办理环节“{currentId}”，无法迁移");
        }

        if (!mapping.TryGetValue(currentId, out var toId) || string.IsNullOrWhiteSpace(toId))
        {
            return Refused($"环节“{from.Title}”没有指定新版本中的对应环节");
        }

        if (target.FindStep(toId) is not HumanStep to)
        {
            return Refused(target.FindStep(toId) is null
                ? $"环节“{from.Title}”对应的“{toId}”在第{target.Version}版中不存在"
                : $"环节“{from.Title}”只能对应到新版本的办理环节（任务、并联或会签），“{target.FindStep(toId)!.Title}”不是");
        }

        var plan = new Plan(instance, from, to, now);
        var problems = plan.Build();
        if (problems.Count > 0)
        {
            return new WorkflowMigrationResult(null, [], [], problems);
        }

        var migrated = instance with
        {
            DefinitionVersion = target.Version,
            CurrentStepId = to.Id,
            OpenWorkItems = plan.Open,
            Votes = plan.Votes,
            Trail = [.. instance.Trail.Select(s => mapping.GetValueOrDefault(s, s)).Where(s => target.FindStep(s) is HumanStep)],
            EntryCounts = instance.EntryCounts.GroupBy(e => mapping.GetValueOrDefault(e.Key, e.Key))
                .Where(g => target.FindStep(g.Key) is not null).ToDictionary(g => g.Key, g => g.Max(e => e.Value)),
            WorkItemSequence = plan.Sequence,
        };
        return new WorkflowMigrationResult(migrated, plan.Moves, plan.Closed, []);
    }

    private static WorkflowMigrationResult Refused(string reason) => new(null, [], [], [reason]);

    /// <summary>Which open work items continue as which new ones, which close, and which the target adds.</summary>
    private sealed class Plan(WorkflowInstance instance, HumanStep from, HumanStep to, DateTimeOffset now)
    {
        public List<WorkItem> Open { get; } = [];

        public List<Vote> Votes { get; } = [];

        public List<MigratedWorkItem> Moves { get; } = [];

        public List<WorkItem> Closed { get; } = [];

        public int Sequence { get; private set; } = instance.WorkItemSequence;

        private readonly int entry = instance.EntryCounts.GetValueOrDefault(from.Id, 1);

        public List<string> Build()
        {
            var problems = new List<string>();
            switch (from, to)
            {
                case (ParallelStep p, ParallelStep q):
                    FromParallel(p, q, problems);
                    break;
                case (CountersignStep p, CountersignStep q):
                    FromCountersign(p, q, problems);
                    break;
                case (ParallelStep or CountersignStep, _) when instance.Votes.Count > 0:
                    problems.Add($"“{from.Title}”已有{instance.Votes.Count}份办理结果，新版本的“{to.Title}”不是同类环节，迁移会丢失这些结果");
                    break;
                default:
                    // Nothing decided yet on the step: its work continues in the target step's shape.
                    var carried = instance.OpenWorkItems[0];
                    foreach (var (branchId, title, department, role, limit) in Parts(to))
                    {
                        Add(Moves.Count == 0 ? carried : null, branchId, title, department, role, limit);
                    }

                    Closed.AddRange(instance.OpenWorkItems.Skip(1));
                    break;
            }

            return problems;
        }

        private void FromParallel(ParallelStep p, ParallelStep q, List<string> problems)
        {
            foreach (var vote in instance.Votes)
            {
                if (q.Branches.All(b => b.Id != vote.BranchId))
                {
                    var branch = p.Branches.FirstOrDefault(b => b.Id == vote.BranchId);
                    problems.Add($"并联环节“{p.Title}”的分支“{branch?.Title ?? vote.BranchId}”已办理，新版本的“{q.Title}”没有该分支，其结果将丢失");
                }
                else
                {
                    Votes.Add(vote);
                }
            }

            foreach (var branch in q.Branches.Where(b => instance.Votes.All(v => v.BranchId != b.Id)))
            {
                var carried = instance.OpenWorkItems.FirstOrDefault(w => w.BranchId == branch.Id);
                Add(carried, branch.Id, branch.Title, branch.Department, branch.Role, branch.LimitDays);
            }

            Closed.AddRange(instance.OpenWorkItems.Where(w => q.Branches.All(b => b.Id != w.BranchId)));
            CheckQuorum(q.Title, q.Quorum, problems);
        }

        private void FromCountersign(CountersignStep p, CountersignStep q, List<string> problems)
        {
            if (instance.Votes.Count > q.Signers)
            {
                problems.Add($"会签环节“{p.Title}”已有{instance.Votes.Count}人签署，新版本的“{q.Title}”只需{q.Signers}人会签，已签意见无法对应");
                return;
            }

            Votes.AddRange(instance.Votes);
            var remaining = q.Signers - instance.Votes.Count;
            var open = instance.OpenWorkItems.ToList();
            for (var i = 0; i < remaining; i++)
            {
                Add(i < open.Count ? open[i] : null, null, q.Title, q.Department, q.Role, q.LimitDays);
            }

            Closed.AddRange(open.Skip(remaining));
            CheckQuorum(q.Title, q.Quorum, problems);
        }

        /// <summary>A migration must not decide the step by itself: the quorum is neither already met nor out of reach.</summary>
        private void CheckQuorum(string title, int quorum, List<string> problems)
        {
            var approvals = Votes.Count(v => v.Outcome == Outcome.Approve);
            if (approvals >= quorum)
            {
                problems.Add($"“{title}”已有{approvals}份同意，达到新版本要求的{quorum}份，迁移会直接决定该环节，请待办理完毕后再迁移或调整通过数");
            }
            else if (approvals + Open.Count < quorum)
            {
                problems.Add($"“{title}”迁移后最多只能得到{approvals + Open.Count}份同意，达不到新版本要求的{quorum}份，迁移会直接否决该环节");
            }
        }

        private void Add(WorkItem? carried, string? branchId, string title, string department, string role, int limitDays)
        {
            var item = new WorkItem($"wi-{++Sequence}", to.Id, branchId, title, Resolve(department), role, limitDays, carried?.OpenedAt ?? now,
                carried?.EntryCount ?? entry);
            Open.Add(item);
            Moves.Add(new MigratedWorkItem(carried, item));
        }

        private static IEnumerable<(string? BranchId, string Title, string Department, string Role, int Limit)> Parts(HumanStep step) => step switch
        {
            TaskStep t => [(null, t.Title, t.Department, t.Role, t.LimitDays)],
            ParallelStep p => p.Branches.Select(b => ((string?)b.Id, b.Title, b.Department, b.Role, b.LimitDays)),
            CountersignStep c => Enumerable.Repeat(((string?)null, c.Title, c.Department, c.Role, c.LimitDays), c.Signers),
            _ => [],
        };

        private string Resolve(string department) => department switch
        {
            WorkflowDepartments.Lead => instance.LeadDepartment,
            WorkflowDepartments.Centre => instance.CentreDepartment,
            _ => department,
        };
    }
}

/// <summary>An open work item and what it becomes: <see cref="From"/> is null for one the target version adds.</summary>
public sealed record MigratedWorkItem(WorkItem? From, WorkItem To);

/// <summary>The migrated instance, or why the migration is refused (<see cref="Problems"/>, in Chinese).</summary>
/// <param name="Closed">Open work items that end with the migration (a branch or signer the target no longer has).</param>
public sealed record WorkflowMigrationResult(
    WorkflowInstance? Instance, IReadOnlyList<MigratedWorkItem> Moves, IReadOnlyList<WorkItem> Closed, IReadOnlyList<string> Problems)
{
    public bool Succeeded => Instance is not null && Problems.Count == 0;
}
