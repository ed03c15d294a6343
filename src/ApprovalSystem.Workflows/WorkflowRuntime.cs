using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ApprovalSystem.Workflows.Conditions;

namespace ApprovalSystem.Workflows;

/// <summary>
/// Runs workflow instances 流程运行. Deterministic and synchronous: no clock, no threads; the host passes
/// the time in and persists the returned instance and events in the same transaction as the case.
/// </summary>
public static class WorkflowRuntime
{
    private const string WorkItemPrefix = "wi-";

    /// <summary>Starts a flow: runs from the start step to the first human step (or an end).</summary>
    /// <param name="leadDepartment">The matter's department code, which <c>"$lead"</c> stands for.</param>
    /// <param name="caseData">The case's form data; condition steps read it.</param>
    /// <param name="centreDepartment">The service centre's department code, which <c>"$centre"</c> stands for.</param>
    /// <exception cref="WorkflowException">A condition on the way needs a field the case data lacks.</exception>
    public static WorkflowTransition Start(
        WorkflowDefinition definition,
        string leadDepartment,
        IReadOnlyDictionary<string, JsonElement> caseData,
        DateTimeOffset now,
        string centreDepartment = WorkflowDepartments.DefaultCentre)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(leadDepartment);
        ArgumentException.ThrowIfNullOrWhiteSpace(centreDepartment);
        var instance = new WorkflowInstance
        {
            DefinitionId = definition.Id,
            DefinitionVersion = definition.Version,
            LeadDepartment = leadDepartment,
            CentreDepartment = centreDepartment,
            CaseData = caseData.ToDictionary(p => p.Key, p => p.Value.Clone()),
            StartedAt = now,
        };
        var run = new Run(definition, instance, now);
        run.Enter(definition.Start);
        return run.Finish();
    }

    /// <summary>An actor decides a work item; the flow moves on as far as it can without people.</summary>
    /// <param name="sectionData">What the actor entered; stored under the step's (or branch's) <c>writes</c> section.</param>
    /// <exception cref="WorkflowException">
    /// The instance is completed or runs on another definition, the work item is closed or unknown, the actor lacks
    /// the role or department, the step does not offer the outcome, or a countersigner signs twice.
    /// </exception>
    public static WorkflowTransition Act(
        WorkflowDefinition definition,
        WorkflowInstance instance,
        string workItemId,
        Actor actor,
        Outcome outcome,
        string? opinion,
        IReadOnlyDictionary<string, string>? sectionData,
        DateTimeOffset now)
    {
        if (definition.Id != instance.DefinitionId || definition.Version != instance.DefinitionVersion)
        {
            throw new WorkflowException(
                $"The instance runs on workflow \"{instance.DefinitionId}\" v{instance.DefinitionVersion}, not on \"{definition.Id}\" v{definition.Version}.");
        }

        if (instance.Result is { } result)
        {
            throw new WorkflowException($"The workflow is already completed ({result.ToName()}); work item \"{workItemId}\" is closed.");
        }

        var item = instance.FindWorkItem(workItemId) ?? throw new WorkflowException(WasOpened(instance, workItemId)
            ? $"Work item \"{workItemId}\" is already closed."
            : $"There is no work item \"{workItemId}\".");
        var step = (HumanStep)definition.GetStep(item.StepId);
        var what = $"Work item \"{item.Id}\" ({item.Title})";
        if (!actor.Roles.Contains(item.Role))
        {
            throw new WorkflowException(
                $"{what} needs role \"{item.Role}\"; actor \"{actor.Id}\" has {(actor.Roles.Count == 0 ? "none" : string.Join(", ", actor.Roles))}.");
        }

        if (actor.Department != item.Department)
        {
            throw new WorkflowException($"{what} is for department \"{item.Department}\"; actor \"{actor.Id}\" is in \"{actor.Department}\".");
        }

        if (!step.Allows(outcome))
        {
            throw new WorkflowException(
                $"{what} does not offer outcome \"{outcome.ToName()}\" (offers: {string.Join(", ", step.ConnectionOutcomes)}).");
        }

        if (step is CountersignStep && instance.Votes.Any(v => v.ActorId == actor.Id))
        {
            throw new WorkflowException($"Actor \"{actor.Id}\" has already signed step \"{step.Id}\" ({step.Title}); each officer signs once.");
        }

        var run = new Run(definition, instance, now);
        run.Act(step, item, actor, outcome, opinion, sectionData);
        return run.Finish();
    }

    private static bool WasOpened(WorkflowInstance instance, string workItemId) =>
        workItemId.StartsWith(WorkItemPrefix, StringComparison.Ordinal)
        && int.TryParse(workItemId.AsSpan(WorkItemPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
        && number >= 1 && number <= instance.WorkItemSequence;

    /// <summary>One start or act: mutable copies of the instance's state, turned back into an instance at the end.</summary>
    private sealed class Run(WorkflowDefinition definition, WorkflowInstance instance, DateTimeOffset now)
    {
        private readonly List<WorkflowEvent> events = [];
        private readonly List<WorkItem> open = [.. instance.OpenWorkItems];
        private readonly List<Vote> votes = [.. instance.Votes];
        private readonly List<string> trail = [.. instance.Trail];
        private readonly Dictionary<string, int> entries = new(instance.EntryCounts);
        private readonly Dictionary<string, IReadOnlyDictionary<string, string>> sections = new(instance.Sections);
        private readonly Dictionary<string, IReadOnlyList<SignerEntry>> signers = new(instance.SignerEntries);
        private int sequence = instance.WorkItemSequence;
        private string? current = instance.CurrentStepId;
        private WorkflowResult? result = instance.Result;
        private DateTimeOffset? completedAt = instance.CompletedAt;

        public WorkflowTransition Finish() => new(
            instance with
            {
                Sections = sections,
                SignerEntries = signers,
                CurrentStepId = current,
                OpenWorkItems = open,
                Votes = votes,
                Trail = trail,
                EntryCounts = entries,
                WorkItemSequence = sequence,
                Result = result,
                CompletedAt = completedAt,
            },
            events);

        public void Act(HumanStep step, WorkItem item, Actor actor, Outcome outcome, string? opinion, IReadOnlyDictionary<string, string>? data)
        {
            open.Remove(item);
            events.Add(new WorkItemCompleted(now, item, actor.Id, outcome, opinion));
            if (data is not null)
            {
                Write(step, item, actor, data);
            }

            if (step is TaskStep || outcome == Outcome.Return)
            {
                Complete(step, outcome);
                return;
            }

            votes.Add(new Vote(item.Id, item.BranchId, actor.Id, outcome));
            var quorum = step switch
            {
                ParallelStep parallel => parallel.Quorum,
                CountersignStep countersign => countersign.Quorum,
                _ => throw new UnreachableException(),
            };
            var approvals = votes.Count(v => v.Outcome == Outcome.Approve);
            if (approvals >= quorum)
            {
                Complete(step, Outcome.Approve);
            }
            else if (approvals + open.Count < quorum)
            {
                Complete(step, Outcome.Deny);
            }
        }

        /// <summary>Enters a step and runs on through conditions until a human step waits or an end is reached.</summary>
        public void Enter(string stepId)
        {
            // Validation rejects condition cycles; the bound only guards a definition built by hand.
            for (var hops = 0; hops <= definition.Steps.Count; hops++)
            {
                var step = definition.GetStep(stepId);
                var entry = entries[stepId] = entries.GetValueOrDefault(stepId) + 1;
                current = stepId;
                switch (step)
                {
                    case ConditionStep condition:
                        var outcome = Evaluate(condition) ? "true" : "false";
                        events.Add(new StepCompleted(now, condition.Id, outcome));
                        stepId = Next(condition, outcome);
                        continue;
                    case EndStep end:
                        result = end.Result;
                        completedAt = now;
                        events.Add(new WorkflowCompleted(now, end.Id, end.Result));
                        return;
                    case HumanStep human:
                        events.Add(new StepOpened(now, human.Id, human.Title, human.LimitDays, entry));
                        OpenWorkItems(human, entry);
                        return;
                    default:
                        throw new UnreachableException();
                }
            }

            throw new WorkflowException($"Workflow \"{definition.Id}\" loops through conditions without reaching a human step.");
        }

        private void Complete(HumanStep step, Outcome outcome)
        {
            // Items still open (other branches or signers) close once the step is decided or sent back.
            foreach (var item in open)
            {
                events.Add(new WorkItemCancelled(now, item));
            }

            open.Clear();
            votes.Clear();
            events.Add(new StepCompleted(now, step.Id, outcome.ToName()));
            if (outcome != Outcome.Return)
            {
                trail.Add(step.Id);
                Enter(Next(step, outcome.ToName()));
                return;
            }

            var target = definition.Target(step.Id, "return");
            if (target is null)
            {
                target = trail.Count > 0
                    ? trail[^1]
                    : throw new WorkflowException($"Step \"{step.Id}\" ({step.Title}) has no previous step to return to.");
                trail.RemoveAt(trail.Count - 1);
            }
            else if (trail.LastIndexOf(target) is var at and >= 0)
            {
                trail.RemoveRange(at, trail.Count - at);
            }

            events.Add(new Returned(now, step.Id, target));
            Enter(target);
        }

        private void OpenWorkItems(HumanStep step, int entry)
        {
            void Open(string? branchId, string title, string department, string role, int limitDays)
            {
                var item = new WorkItem(
                    $"{WorkItemPrefix}{++sequence}", step.Id, branchId, title, Resolve(department), role, limitDays, now, entry);
                open.Add(item);
                events.Add(new WorkItemOpened(now, item));
            }

            switch (step)
            {
                case TaskStep task:
                    Open(null, task.Title, task.Department, task.Role, task.LimitDays);
                    break;
                case ParallelStep parallel:
                    foreach (var branch in parallel.Branches)
                    {
                        Open(branch.Id, branch.Title, branch.Department, branch.Role, branch.LimitDays);
                    }

                    break;
                case CountersignStep countersign:
                    for (var i = 0; i < countersign.Signers; i++)
                    {
                        Open(null, countersign.Title, countersign.Department, countersign.Role, countersign.LimitDays);
                    }

                    break;
                default:
                    throw new UnreachableException();
            }
        }

        /// <summary>
        /// Stores what the actor entered. Countersigners share one section (the latest value of each key, what later
        /// steps start from), and each signer's own entries are kept beside it in <see cref="WorkflowInstance.SignerEntries"/>.
        /// </summary>
        private void Write(HumanStep step, WorkItem item, Actor actor, IReadOnlyDictionary<string, string> data)
        {
            var section = definition.SectionOf(step.Id, item.BranchId) ?? throw new UnreachableException();
            var merge = step is CountersignStep;
            var values = merge && sections.TryGetValue(section, out var old) ? new Dictionary<string, string>(old) : [];
            foreach (var (key, value) in data)
            {
                values[key] = value;
            }

            sections[section] = values;
            if (merge)
            {
                var entries = signers.TryGetValue(section, out var before) ? before : [];
                signers[section] = [.. entries, new SignerEntry(item.Id, actor.Id, new Dictionary<string, string>(data))];
            }
        }

        /// <summary>
        /// Evaluates the step's condition over the case's form data and the sections written so far. A field the
        /// condition compares must be there: a missing one stops the act rather than guessing a branch (a condition
        /// that also asks <c>is empty</c> of the field expects it may be missing and is evaluated as it stands).
        /// </summary>
        private bool Evaluate(ConditionStep condition)
        {
            var data = ConditionData.From(instance.CaseData, sections);
            if (condition.When.ValueFields().FirstOrDefault(f => string.IsNullOrWhiteSpace(data.Get(f))) is { } missing)
            {
                throw new WorkflowException(
                    $"Condition step \"{condition.Id}\" ({condition.Title}) needs the case data field \"{missing}\", which is missing or blank.")
                {
                    StepId = condition.Id,
                    MissingField = missing,
                };
            }

            return condition.When.Evaluate(data);
        }

        private string Next(WorkflowStep step, string outcome) =>
            definition.Target(step.Id, outcome)
            ?? throw new WorkflowException($"Step \"{step.Id}\" ({step.Title}) has no connection for outcome \"{outcome}\".");

        private string Resolve(string department) => department switch
        {
            WorkflowDepartments.Lead => instance.LeadDepartment,
            WorkflowDepartments.Centre => instance.CentreDepartment,
            _ => department,
        };
    }
}
