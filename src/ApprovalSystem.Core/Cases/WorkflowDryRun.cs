using System.Globalization;
using System.Text.Json;
using ApprovalSystem.Workflows;
using ApprovalSystem.Workflows.Conditions;

namespace ApprovalSystem.Core.Cases;

/// <summary>What to dry-run: a definition, a matter's department and limits, sample data, the outcomes to choose and a start date.</summary>
/// <param name="LeadDepartment">The matter's department code, which <c>$lead</c> stands for.</param>
/// <param name="FormData">The application form's values, as a case stores them; condition steps read them.</param>
/// <param name="Start">The day the case is accepted: the promised and legal clocks and the first step start then.</param>
public sealed record DryRunRequest(
    WorkflowDefinition Definition,
    string LeadDepartment,
    IReadOnlyDictionary<string, string> FormData,
    DateOnly Start,
    int PromisedLimitDays,
    int LegalLimitDays)
{
    /// <summary>The outcome chosen for a human step, by step id; a step not listed approves (全部同意).</summary>
    public IReadOnlyDictionary<string, Outcome> Outcomes { get; init; } = new Dictionary<string, Outcome>();

    /// <summary>What the steps enter (section → key → value), for conditions that read <c>section.key</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Sections { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>The service centre's department code, which <c>$centre</c> stands for.</summary>
    public string CentreDepartment { get; init; } = WorkflowDepartments.DefaultCentre;
}

/// <summary>The path a dry run took, its dates, and how it stands against the matter's limits.</summary>
/// <param name="Result">The end reached; null when the run stopped before an end (see <see cref="Stopped"/>).</param>
/// <param name="End">The day the flow ends, each step using its whole limit.</param>
/// <param name="TotalWorkingDays">Working days from the start to <see cref="End"/>, as a case's clock counts them.</param>
/// <param name="PromisedDue">The last day of the promised limit from the start.</param>
/// <param name="LegalDue">The last day of the legal limit from the start.</param>
/// <param name="Warnings">In Chinese: the promised or legal limit cannot be met, a return was simulated once, ….</param>
/// <param name="Stopped">In Chinese: why the run ended before an end step (missing data, too many acts).</param>
public sealed record DryRunResult(
    IReadOnlyList<DryRunStep> Path,
    WorkflowResult? Result,
    DateOnly End,
    int TotalWorkingDays,
    int PromisedLimitDays,
    DateOnly PromisedDue,
    int LegalLimitDays,
    DateOnly LegalDue,
    IReadOnlyList<string> Warnings,
    string? Stopped)
{
    public bool MeetsPromised => Result is not null && End <= PromisedDue;

    public bool MeetsLegal => Result is not null && End <= LegalDue;
}

/// <summary>One step on the path, each time it is entered.</summary>
/// <param name="Entry">1 the first time; more after a return.</param>
/// <param name="Opened">The day the step opened (its clock counts from the next working day).</param>
/// <param name="Due">The last day of the step's limit (a joint step: of the whole joint stage); null for a condition or an end.</param>
/// <param name="Outcome">approve, deny, return; true or false for a condition; approved, denied, reported for an end.</param>
/// <param name="Completed">The day the step was decided in the run (at the latest its due day); null when it was not.</param>
/// <param name="Parts">Who acts: the task's department, each branch of a joint step, each signer of a countersign.</param>
/// <param name="Condition">A condition step's condition, in canonical text.</param>
/// <param name="Values">The values a condition read (null: missing).</param>
/// <param name="ReturnedTo">The step a return went back to.</param>
public sealed record DryRunStep(
    string StepId,
    string Title,
    string Kind,
    int Entry,
    DateOnly Opened,
    int LimitDays,
    DateOnly? Due,
    string? Outcome,
    DateOnly? Completed,
    IReadOnlyList<DryRunPart> Parts,
    string? Condition,
    IReadOnlyList<(string Field, string? Value)> Values,
    string? ReturnedTo);

/// <summary>A work item of a step: its department (placeholders resolved), role, limit, due day and what was chosen.</summary>
/// <param name="Outcome">approve, deny, return; cancelled when the step was decided without it (quorum, a return); null when not reached.</param>
public sealed record DryRunPart(string WorkItemId, string? BranchId, string Title, string Department, string Role, int LimitDays, DateOnly Due, string? Outcome);

/// <summary>
/// Runs a definition before it is published 试运行: the real engine (<see cref="WorkflowRuntime"/>) takes the path, with
/// the outcome chosen per step, and the real clocks (<see cref="Deadline"/> on the working-day calendar) give each step's
/// due day. Each work item is decided on its due day (the whole limit used, the longest a flow can take within its
/// limits), so the total shows whether the flow can meet the matter's promised limit.
/// </summary>
public static class WorkflowDryRun
{
    /// <summary>More acts than this end the run (a flow built to loop forever still shows its path).</summary>
    public const int MaxActs = 200;

    private static readonly TimeOnly StartTime = new(9, 0);
    private static readonly TimeOnly ActTime = new(17, 0);

    public static DryRunResult Run(DryRunRequest request, WorkingTime time)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(time);
        var definition = request.Definition;
        var start = At(request.Start, StartTime);
        var promised = Deadline.Start(start, request.PromisedLimitDays, WarningPolicy.Default, time);
        var legal = Deadline.Start(start, request.LegalLimitDays, WarningPolicy.Default, time);
        var path = new List<Builder>();
        var warnings = new List<string>();
        string? stopped = null;
        WorkflowResult? result = null;
        var end = start;
        var caseData = request.FormData.ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value));

        try
        {
            var transition = WorkflowRuntime.Start(definition, request.LeadDepartment, caseData, start, request.CentreDepartment);
            Record(transition, path, definition, request, time);
            var instance = transition.Instance;
            var acts = 0;
            while (!instance.IsCompleted)
            {
                if (++acts > MaxActs)
                {
                    stopped = $"已模拟 {MaxActs} 次办理仍未办结：请检查流程中的退回是否会无限循环";
                    break;
                }

                var item = instance.OpenWorkItems.MinBy(w => (Due(w, time), w.Id))!;
                var step = (HumanStep)definition.GetStep(item.StepId);
                var outcome = Choose(request, step, item, warnings);
                var at = At(WorkingTime.LocalDate(Due(item, time).AddTicks(-1)), ActTime);
                var section = definition.SectionOf(item.StepId, item.BranchId);
                var data = section is not null && request.Sections.TryGetValue(section, out var values) ? values : null;
                transition = WorkflowRuntime.Act(
                    definition, instance, item.Id, new Actor($"dry-run-{item.Id}", item.Department, item.Role), outcome, "试运行", data, at);
                end = at;
                instance = transition.Instance;
                Record(transition, path, definition, request, time);
            }

            result = instance.Result;
        }
        catch (WorkflowException ex)
        {
            stopped = ex.MissingField is { } field && definition.FindStep(ex.StepId ?? "") is { } step
                ? $"条件“{step.Title}”需要字段“{field}”的值，试运行数据中没有：请在样例数据中填写后再试"
                : $"流程无法继续：{ex.Message}";
        }

        var endDate = WorkingTime.LocalDate(end);
        var total = time.UsedBetween(start, end);
        var promisedDue = LastDay(promised);
        var legalDue = LastDay(legal);
        if (result is not null && endDate > promisedDue)
        {
            warnings.Insert(0, $"按各环节时限推算，本流程最长需 {total} 个工作日（至 {Text(endDate)}），超过事项承诺时限 {request.PromisedLimitDays} 个工作日"
                + $"（承诺办结日 {Text(promisedDue)}）：请缩短环节时限或调整事项的承诺时限");
        }

        if (result is not null && endDate > legalDue)
        {
            warnings.Insert(0, $"按各环节时限推算，本流程最长需 {total} 个工作日，超过法定时限 {request.LegalLimitDays} 个工作日（法定办结日 {Text(legalDue)}）");
        }

        return new([.. path.Select(b => b.Build())], result, endDate, total, request.PromisedLimitDays, promisedDue,
            request.LegalLimitDays, legalDue, warnings, stopped);
    }

    private static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset At(DateOnly date, TimeOnly time) => new(date.ToDateTime(time), WorkingTime.ChinaOffset);

    /// <summary>The due moment of a work item by the clock a case gives it (<c>Case</c> arms each step with <see cref="Deadline.Start"/>).</summary>
    private static DateTimeOffset Due(WorkItem item, WorkingTime time) =>
        Deadline.Start(item.OpenedAt, item.LimitDays, WarningPolicy.Default, time).DueAt!.Value;

    /// <summary>A due moment is the end (24:00) of its last working day.</summary>
    private static DateOnly LastDay(Deadline deadline) => WorkingTime.LocalDate(deadline.DueAt!.Value.AddTicks(-1));

    /// <summary>
    /// The chosen outcome, if the step offers it. A return is simulated on the step's first entry only: on the next
    /// entries it approves, so a return shows its loop once and the run goes on.
    /// </summary>
    private static Outcome Choose(DryRunRequest request, HumanStep step, WorkItem item, List<string> warnings)
    {
        var chosen = request.Outcomes.GetValueOrDefault(step.Id, Outcome.Approve);
        if (!step.Allows(chosen))
        {
            return Outcome.Approve;
        }

        if (chosen == Outcome.Return && item.EntryCount > 1)
        {
            var note = $"“{step.Title}”第{item.EntryCount}次办理时按同意推算（退回只模拟一次）";
            if (!warnings.Contains(note))
            {
                warnings.Add(note);
            }

            return Outcome.Approve;
        }

        return chosen;
    }

    private static void Record(WorkflowTransition transition, List<Builder> path, WorkflowDefinition definition, DryRunRequest request, WorkingTime time)
    {
        Builder Current(string stepId) => path.Last(b => b.StepId == stepId);

        foreach (var e in transition.Events)
        {
            switch (e)
            {
                case StepOpened opened:
                    var step = definition.GetStep(opened.StepId);
                    var stageDue = LastDay(Deadline.Start(opened.At, opened.LimitDays, WarningPolicy.Default, time));
                    path.Add(new Builder(opened.StepId, opened.Title, WorkflowKind(step), opened.EntryCount, WorkingTime.LocalDate(opened.At),
                        opened.LimitDays, stageDue));
                    break;
                case WorkItemOpened itemOpened:
                    var w = itemOpened.WorkItem;
                    Current(w.StepId).Parts.Add(new DryRunPart(w.Id, w.BranchId, w.Title, w.Department, w.Role, w.LimitDays, LastDay(
                        Deadline.Start(w.OpenedAt, w.LimitDays, WarningPolicy.Default, time)), null));
                    break;
                case WorkItemCompleted completed:
                    SetOutcome(Current(completed.WorkItem.StepId).Parts, completed.WorkItem.Id, completed.Outcome.ToName());
                    break;
                case WorkItemCancelled cancelled:
                    SetOutcome(Current(cancelled.WorkItem.StepId).Parts, cancelled.WorkItem.Id, "cancelled");
                    break;
                case StepCompleted done when definition.GetStep(done.StepId) is ConditionStep condition:
                    var data = ConditionData.From(request.FormData, transition.Instance.Sections);
                    path.Add(new Builder(condition.Id, condition.Title, "condition", 1, WorkingTime.LocalDate(done.At), 0, null)
                    {
                        Outcome = done.Outcome,
                        Completed = WorkingTime.LocalDate(done.At),
                        Condition = condition.When.ToText(),
                        Values = [.. condition.When.Fields().Select(f => (f, data.Get(f)))],
                    });
                    break;
                case StepCompleted done:
                    var builder = Current(done.StepId);
                    builder.Outcome = done.Outcome;
                    builder.Completed = WorkingTime.LocalDate(done.At);
                    break;
                case Returned returned:
                    Current(returned.FromStepId).ReturnedTo = returned.ToStepId;
                    break;
                case WorkflowCompleted completedFlow:
                    var endStep = definition.GetStep(completedFlow.EndStepId);
                    path.Add(new Builder(endStep.Id, endStep.Title, "end", 1, WorkingTime.LocalDate(completedFlow.At), 0, null)
                    {
                        Outcome = completedFlow.Result.ToName(),
                        Completed = WorkingTime.LocalDate(completedFlow.At),
                    });
                    break;
                default:
                    break;
            }
        }
    }

    private static void SetOutcome(List<DryRunPart> parts, string workItemId, string outcome)
    {
        var index = parts.FindIndex(p => p.WorkItemId == workItemId);
        parts[index] = parts[index] with { Outcome = outcome };
    }

    private static string WorkflowKind(WorkflowStep step) => step switch
    {
        TaskStep => "task",
        ParallelStep => "parallel",
        CountersignStep => "countersign",
        ConditionStep => "condition",
        _ => "end",
    };

    private sealed class Builder(string stepId, string title, string kind, int entry, DateOnly opened, int limitDays, DateOnly? due)
    {
        public string StepId => stepId;

        public List<DryRunPart> Parts { get; } = [];

        public string? Outcome { get; set; }

        public DateOnly? Completed { get; set; }

        public string? Condition { get; init; }

        public IReadOnlyList<(string Field, string? Value)> Values { get; init; } = [];

        public string? ReturnedTo { get; set; }

        public DryRunStep Build() =>
            new(stepId, title, kind, entry, opened, limitDays, due, Outcome, Completed, Parts, Condition, Values, ReturnedTo);
    }
}
