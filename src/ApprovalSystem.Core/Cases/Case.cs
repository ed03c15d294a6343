using System.Globalization;
using System.Text.Json;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Cases;

/// <summary>
/// A case 办件: one application of one matter by one applicant. The aggregate guards its own
/// lifecycle (see <see cref="CaseLifecycle"/>): every act is a method that checks the actor, the
/// state and the rules, changes the case, and records a <see cref="CaseRecord"/> for the journal.
/// </summary>
public sealed partial class Case
{
    /// <summary>Working days the window has to tell an applicant what is missing (行政许可法 §32).</summary>
    public const int ReviewLimitDays = 5;

    private readonly List<CaseRecord> _records = [];

    private Case()
    {
    }

    public long Id { get; private set; }

    /// <summary>办件编号: region code + date + sequence; given at filing.</summary>
    public string? Number { get; private set; }

    /// <summary>查询码 printed on the receipt; with the number it opens the public progress page.</summary>
    public string? QueryCode { get; private set; }

    public int MatterId { get; private set; }

    public string MatterCode { get; private set; } = "";

    public string MatterName { get; private set; } = "";

    public MatterKind Kind { get; private set; }

    /// <summary>The matter's department: workflow "$lead".</summary>
    public string LeadDepartment { get; private set; } = "";

    public int LegalLimitDays { get; private set; }

    public int PromisedLimitDays { get; private set; }

    public decimal LegalFee { get; private set; }

    public string? CertificateType { get; private set; }

    public WarningPolicy Warning { get; private set; } = WarningPolicy.Default;

    public CaseChannel Channel { get; private set; }

    public CaseState State { get; private set; }

    public ApplicantInfo Applicant { get; private set; } = default!;

    /// <summary>The applicant's account when they filed themselves.</summary>
    public string? OwnerUserId { get; private set; }

    /// <summary>The township agent who filed on the resident's behalf.</summary>
    public string? AgentUserId { get; private set; }

    public string? AgentName { get; private set; }

    public string? StationCode { get; private set; }

    /// <summary>Who entered the filing (applicant, agent or clerk).</summary>
    public string CreatedBy { get; private set; } = "";

    public Dictionary<string, string> FormData { get; private set; } = [];

    /// <summary>The answers to the matter's guide questions 情形 (key → answer): they decided the checklist and the form's fields.</summary>
    public Dictionary<string, string> Situation { get; private set; } = [];

    public List<CaseMaterial> Materials { get; private set; } = [];

    public string WorkflowId { get; private set; } = "";

    public int? WorkflowVersion { get; private set; }

    /// <summary>The workflow instance (engine state) as JSON.</summary>
    public string? WorkflowState { get; private set; }

    private readonly List<CaseStep> _steps = [];

    /// <summary>The case's steps in the order they opened; only the case's acts add or change them.</summary>
    public IReadOnlyList<CaseStep> Steps => _steps;

    /// <summary>The promised-limit clock 承诺时限 (supervision measures against it).</summary>
    public Deadline Promised { get; private set; } = Deadline.None;

    /// <summary>The legal-limit clock 法定时限.</summary>
    public Deadline Legal { get; private set; } = Deadline.None;

    /// <summary>The 5-working-day clock for reviewing a filing (supplement notice or acceptance).</summary>
    public Deadline Review { get; private set; } = Deadline.None;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? SubmittedAt { get; private set; }

    public DateTimeOffset? AcceptedAt { get; private set; }

    public string? AcceptedBy { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public string? DecisionOpinion { get; private set; }

    /// <summary>When the case concluded 办结 (decided, refused, withdrawn, reported).</summary>
    public DateTimeOffset? ConcludedAt { get; private set; }

    public string? RefusalReason { get; private set; }

    /// <summary>The one-time supplement list 一次性告知: every missing or wrong item.</summary>
    public List<string> SupplementItems { get; private set; } = [];

    public DateTimeOffset? SupplementRequestedAt { get; private set; }

    public List<SpecialProcedure> SpecialProcedures { get; private set; } = [];

    public List<ExtensionRequest> Extensions { get; private set; } = [];

    public decimal? FeeCharged { get; private set; }

    public string? CertificateNumber { get; private set; }

    public DateTimeOffset? CertificateIssuedAt { get; private set; }

    /// <summary>The unguessable code in the certificate's QR code, for the public verification page.</summary>
    public string? CertificateCode { get; private set; }

    public DateTimeOffset? DeliveredAt { get; private set; }

    public string? DeliveryMethod { get; private set; }

    public ArchiveRecord? Archive { get; private set; }

    /// <summary>Optimistic concurrency: incremented by every act.</summary>
    public int Version { get; private set; }

    /// <summary>Records not yet written to the journal; the host drains them in the same transaction.</summary>
    public IReadOnlyList<CaseRecord> PendingRecords => _records;

    public void ClearPendingRecords() => _records.Clear();

    public IEnumerable<CaseStep> OpenSteps => Steps.Where(s => s.IsOpen);

    public SpecialProcedure? CurrentSpecialProcedure => SpecialProcedures.LastOrDefault(p => p.EndedAt is null);

    // ---- queries ------------------------------------------------------------------------------------

    public WorkflowInstance Instance() =>
        WorkflowState is null ? throw new CaseRuleException("办件尚未受理，没有流程") : WorkflowInstance.FromJson(WorkflowState);

    /// <summary>
    /// What the case's steps recorded, key by key (the section written last wins; empty before acceptance): a certificate prints it, and a
    /// bundle's later members take it (decision 0072).
    /// </summary>
    public IReadOnlyDictionary<string, string> StepValues()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (WorkflowState is not null)
        {
            foreach (var (key, value) in Instance().Sections.Values.SelectMany(section => section))
            {
                values[key] = value;
            }
        }

        return values;
    }

    /// <summary>Can this actor see the case? Owners, their agent's station, the window, supervisors, and departments with a step.</summary>
    public bool IsVisibleTo(CaseActor actor) => FilerRules.Sees(actor, OwnerUserId, StationCode, [LeadDepartment, .. Steps.Select(s => s.Department)]);

    // ---- internals ----------------------------------------------------------------------------------

    private void Apply(WorkflowDefinition definition, WorkflowTransition transition, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        WorkflowState = transition.Instance.ToJson();
        foreach (var e in transition.Events)
        {
            switch (e)
            {
                case WorkItemOpened opened:
                    var w = opened.WorkItem;
                    // A step entered again after a return gets a fresh clock (re-armed).
                    _steps.Add(CaseStep.Open(w, Deadline.Start(w.OpenedAt, w.LimitDays, Warning, time), definition));
                    break;
                case WorkItemCancelled cancelled when Steps.FirstOrDefault(s => s.WorkItemId == cancelled.WorkItem.Id && s.IsOpen) is { } open:
                    open.Close(StepOutcome.Cancelled, null, null, now, time);
                    break;
                case WorkflowCompleted completed:
                    Conclude(completed.Result, actor, now, time);
                    break;
                default:
                    break;
            }
        }
    }

    private void Conclude(WorkflowResult result, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        StopAllClocks(now, time);
        DecidedAt = now;
        ConcludedAt = now;
        DecisionOpinion = Steps.Where(s => s.Opinion is not null).OrderBy(s => s.ClosedAt).LastOrDefault()?.Opinion;
        var target = result switch
        {
            WorkflowResult.Approved => CaseState.Approved,
            WorkflowResult.Denied => CaseState.Denied,
            WorkflowResult.Reported => CaseState.Reported,
        };
        Move(CaseTrigger.ActOnTask, target, now, actor, DecisionOpinion, ("result", result.ToName()),
            ("promisedUsedDays", Promised.UsedDays.ToString(CultureInfo.InvariantCulture)));
        if (target == CaseState.Approved)
        {
            ScheduleVerification(actor, now, time);
        }
    }

    private void StopAllClocks(DateTimeOffset now, WorkingTime time)
    {
        Promised = Promised.Stop(now, time);
        Legal = Legal.Stop(now, time);
        Review = Review.Stop(now, time);
        foreach (var s in OpenSteps)
        {
            s.StopClock(now, time);
        }
    }

    /// <summary>
    /// The form data as the workflow's conditions read it: as the text the applicant typed. A number
    /// condition parses it; a text condition compares it as it is, so a code such as "01" stays "01".
    /// </summary>
    private Dictionary<string, JsonElement> CaseDataForWorkflow() =>
        FormData.ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value));

    private CaseStep OpenStep(string workItemId) =>
        Steps.FirstOrDefault(s => s.WorkItemId == workItemId && s.IsOpen)
        ?? (Steps.FirstOrDefault(s => s.WorkItemId == workItemId) is { } done
            ? throw new CaseRuleException($"该环节已由{done.ActorName ?? "他人"}于{done.ClosedAt?.ToOffset(WorkingTime.ChinaOffset):yyyy-MM-dd HH:mm}办理")
            : throw new CaseRuleException("办件中没有这个环节"));

    private void Guard(CaseTrigger trigger)
    {
        if (IsMirrored && trigger != CaseTrigger.ExternalState)
        {
            throw new CaseRuleException("该办件在部门业务系统中办理，请在业务系统中操作，中心只同步其状态");
        }

        if (!CaseLifecycle.CanFire(State, trigger))
        {
            throw new CaseRuleException($"办件当前状态为“{CaseLifecycle.Name(State)}”，不能{CaseLifecycle.Name(trigger)}");
        }
    }

    private bool IsFiler(CaseActor actor) => FilerRules.IsFiler(actor, Channel, OwnerUserId, AgentUserId, StationCode);

    private void RequireFiler(CaseActor actor)
    {
        if (!IsFiler(actor))
        {
            throw new CaseRuleException("只有申请人本人、代其申报的代办员或窗口工作人员可以办理此项");
        }
    }

    private static void RequireClerk(CaseActor actor)
    {
        if (!actor.Is(Roles.Clerk))
        {
            throw new CaseRuleException("只有窗口工作人员可以办理此项");
        }
    }

    private static void RequireEligible(CaseStep step, CaseActor actor)
    {
        if (actor.Department != step.Department)
        {
            throw new CaseRuleException($"该环节由{step.Department}办理，您所在部门无权办理");
        }

        if (!actor.Is(step.Role) && !(step.Role == Roles.Officer && actor.Is(Roles.DepartmentHead)))
        {
            throw new CaseRuleException($"该环节需由{Roles.DisplayName(step.Role)}办理");
        }
    }

    /// <summary>Officers and heads of a department that holds an open step (or the lead department).</summary>
    private void RequireHandler(CaseActor actor)
    {
        var isStaff = actor.Is(Roles.Officer) || actor.Is(Roles.DepartmentHead);
        if (!isStaff || actor.Department is null || !(actor.Department == LeadDepartment || OpenSteps.Any(s => s.Department == actor.Department)))
        {
            throw new CaseRuleException("只有正在办理该件的部门工作人员可以办理此项");
        }
    }

    private void Move(CaseTrigger trigger, CaseState to, DateTimeOffset now, CaseActor actor, string? opinion, params (string Key, string? Value)[] data)
    {
        var from = State;
        State = to;
        Record(trigger, now, actor, opinion, from, data);
    }

    private void Record(CaseTrigger trigger, DateTimeOffset now, CaseActor actor, string? opinion, CaseState from, params (string Key, string? Value)[] data)
    {
        Version++;
        _records.Add(new CaseRecord(trigger, now, actor, opinion, data.Where(d => d.Value is not null).ToDictionary(d => d.Key, d => d.Value), from, State));
    }
}
