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

    public List<CaseMaterial> Materials { get; private set; } = [];

    public string WorkflowId { get; private set; } = "";

    public int? WorkflowVersion { get; private set; }

    /// <summary>The workflow instance (engine state) as JSON.</summary>
    public string? WorkflowState { get; private set; }

    public List<CaseStep> Steps { get; private set; } = [];

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

    // ---- filing ---------------------------------------------------------------------------------

    /// <summary>Starts a draft 草稿 of a filing by an applicant, an agent (for a resident) or a clerk (walk-in).</summary>
    public static Case Draft(MatterSnapshot matter, ApplicantInfo applicant, IReadOnlyDictionary<string, string> formData, CaseActor actor, DateTimeOffset now)
    {
        var channel = actor.Is(Roles.Agent) ? CaseChannel.Agent : actor.Is(Roles.Clerk) ? CaseChannel.Window : CaseChannel.Online;
        if (channel == CaseChannel.Online && !actor.Is(Roles.Applicant))
        {
            throw new CaseRuleException("只有申请人、代办员或窗口工作人员可以提交申请");
        }

        var c = ForMatter(matter, applicant, channel, CaseState.Draft, actor.UserId, now);
        c.OwnerUserId = channel == CaseChannel.Online ? actor.UserId : null;
        c.AgentUserId = channel == CaseChannel.Agent ? actor.UserId : null;
        c.AgentName = channel == CaseChannel.Agent ? actor.Name : null;
        c.StationCode = channel == CaseChannel.Agent ? actor.Station : null;
        c.FormData = new Dictionary<string, string>(formData);
        c.Record(CaseTrigger.SaveDraft, now, actor, null, CaseState.Draft, ("matter", matter.Code), ("channel", channel.ToString()), ("applicant", Masking.PersonName(applicant.Name)),
            ("agent", c.AgentName), ("station", c.StationCode),
            ("form", c.FormData.Count == 0 ? null : JsonSerializer.Serialize(c.FormData.ToDictionary(f => f.Key, f => MaskedValue(f.Value)), JournalJson)));
        return c;
    }

    /// <summary>Chinese as written in the journal's JSON (not \u escapes), so a person reading the journal reads the values.</summary>
    private static readonly JsonSerializerOptions JournalJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A form value as the journal keeps it: a resident ID number or a mobile number masked, anything else as typed.</summary>
    private static string MaskedValue(string value) =>
        ResidentIdNumber.Validate(value, DateOnly.MaxValue) is null ? Masking.IdNumber(value) // the number's form, whatever its birth date
        : MobileNumber.Validate(value) is null ? Masking.Mobile(value)
        : value;

    /// <summary>A new case of a matter: the matter's snapshot (limits, fee, warning, workflow, materials) copied onto it.</summary>
    private static Case ForMatter(MatterSnapshot matter, ApplicantInfo applicant, CaseChannel channel, CaseState state, string createdBy, DateTimeOffset createdAt) => new()
    {
        MatterId = matter.Id,
        MatterCode = matter.Code,
        MatterName = matter.Name,
        Kind = matter.Kind,
        LeadDepartment = matter.Department,
        LegalLimitDays = matter.LegalLimitDays,
        PromisedLimitDays = matter.PromisedLimitDays,
        LegalFee = matter.Fee,
        CertificateType = matter.CertificateType,
        Warning = matter.Warning,
        WorkflowId = matter.WorkflowId,
        Channel = channel,
        State = state,
        Applicant = applicant,
        CreatedBy = createdBy,
        Materials = matter.Materials.Select(m => new CaseMaterial { Name = m.Name, Required = m.Required }).ToList(),
        CreatedAt = createdAt,
    };

    /// <summary>Changes a draft's form data and applicant contact before filing.</summary>
    public void UpdateDraft(IReadOnlyDictionary<string, string> formData, ApplicantInfo applicant, CaseActor actor, DateTimeOffset now)
    {
        Guard(CaseTrigger.SaveDraft);
        RequireFiler(actor);
        var before = FormData;
        FormData = new Dictionary<string, string>(formData);
        Applicant = applicant;

        // What changed, value by value (identity and mobile numbers masked), so the journal shows how the draft came to be.
        var changed = FormData.Where(f => !before.TryGetValue(f.Key, out var old) || old != f.Value).ToDictionary(f => f.Key, f => MaskedValue(f.Value));
        var removed = before.Keys.Where(k => !FormData.ContainsKey(k)).ToList();
        Record(CaseTrigger.SaveDraft, now, actor, null, State, ("fields", FormData.Count.ToString(CultureInfo.InvariantCulture)),
            ("changed", changed.Count == 0 ? null : JsonSerializer.Serialize(changed, JournalJson)), ("removed", removed.Count == 0 ? null : string.Join(",", removed)));
    }

    /// <summary>Attaches a stored file to a material of the checklist (or marks a paper material received).</summary>
    public void AttachMaterial(string materialName, string? sha256, string? fileName, long? size, CaseActor actor, DateTimeOffset now)
    {
        if (State is not (CaseState.Draft or CaseState.PreAcceptance or CaseState.SupplementRequested))
        {
            throw new CaseRuleException($"办件已{CaseLifecycle.Name(State)}，不能再提交材料");
        }

        if (!(IsFiler(actor) || actor.Is(Roles.Clerk)))
        {
            throw new CaseRuleException("只有申请人、代办员或窗口工作人员可以提交材料");
        }

        var index = Materials.FindIndex(m => m.Name == materialName);
        if (index < 0)
        {
            throw new CaseRuleException($"事项“{MatterName}”的材料清单中没有“{materialName}”");
        }

        Materials[index] = Materials[index] with { Received = true, FileSha256 = sha256, FileName = fileName, FileSize = size };
        Materials = [.. Materials];
        Record(CaseTrigger.SaveDraft, now, actor, null, State, ("material", materialName), ("file", fileName), ("sha256", sha256));
    }

    /// <summary>Files the application 提交: it gets its number and query code and waits for the window.</summary>
    public void Submit(string number, string queryCode, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        Guard(CaseTrigger.Submit);
        RequireFiler(actor);
        Number = number;
        QueryCode = queryCode;
        SubmittedAt = now;
        Review = Deadline.Start(now, ReviewLimitDays, new WarningPolicy(1, null), time);
        Move(CaseTrigger.Submit, CaseState.PreAcceptance, now, actor, null, ("number", number));
    }

    /// <summary>The window's review 预审: records which materials were received and checked.</summary>
    public void ReviewMaterials(IReadOnlyCollection<string> received, CaseActor actor, DateTimeOffset now, string? note = null)
    {
        Guard(CaseTrigger.Review);
        RequireClerk(actor);
        Materials = Materials.Select(m => m with { Received = received.Contains(m.Name) || m.FileSha256 is not null }).ToList();
        Record(CaseTrigger.Review, now, actor, note, State, ("received", string.Join("、", received)));
    }

    /// <summary>
    /// Accepts 受理 the application: starts the workflow on its definition and the promised and legal
    /// clocks. Required materials still missing are recorded (supervision flags it).
    /// </summary>
    public void Accept(WorkflowDefinition definition, CaseActor actor, DateTimeOffset now, WorkingTime time, string? opinion = null, decimal? feeCharged = null)
    {
        Guard(CaseTrigger.Accept);
        RequireClerk(actor);
        if (definition.Id != WorkflowId)
        {
            throw new CaseRuleException($"事项使用流程“{WorkflowId}”，而不是“{definition.Id}”");
        }

        // Start the flow first: if it cannot start, nothing of the case has changed.
        WorkflowTransition transition;
        try
        {
            transition = WorkflowRuntime.Start(definition, LeadDepartment, CaseDataForWorkflow(), now);
        }
        catch (WorkflowException e)
        {
            throw new CaseRuleException("无法受理：" + e.Message, e);
        }

        // Accepted after the 5 working days for telling what is missing: by law the application counts
        // as accepted from its receipt, so the promised and legal limits run from then.
        var late = Review is { RunningSince: { } receivedAt, DueAt: { } reviewDue } && now > reviewDue ? receivedAt : (DateTimeOffset?)null;
        AcceptedAt = now;
        AcceptedBy = actor.Name;
        FeeCharged = feeCharged;
        Promised = Deadline.Start(late ?? now, PromisedLimitDays, Warning, time);
        Legal = Deadline.Start(late ?? now, LegalLimitDays, Warning, time);
        Review = Review.Stop(now, time);
        WorkflowVersion = definition.Version;
        var missing = Materials.Where(m => m.Required && !m.Received).Select(m => m.Name).ToList();
        Move(CaseTrigger.Accept, CaseState.Handling, now, actor, opinion, ("workflow", $"{definition.Id} v{definition.Version}"),
            ("missingRequired", missing.Count == 0 ? null : string.Join("、", missing)), ("feeCharged", feeCharged?.ToString(CultureInfo.InvariantCulture)),
            ("limitsFromReceipt", late?.ToString("O", CultureInfo.InvariantCulture)));
        Apply(transition, actor, now, time);
    }

    /// <summary>Refuses 不予受理 the application; the reason is required and is told to the applicant.</summary>
    public void Refuse(string reason, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        Guard(CaseTrigger.Refuse);
        RequireClerk(actor);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new CaseRuleException("不予受理必须说明理由");
        }

        RefusalReason = reason.Trim();
        ConcludedAt = now;
        Review = Review.Stop(now, time);
        Move(CaseTrigger.Refuse, CaseState.NotAccepted, now, actor, RefusalReason);
    }

    /// <summary>
    /// The one-time supplement notice 一次性告知: every missing or wrong item at once. A second request
    /// for the same filing round is refused, because the law allows telling only once.
    /// </summary>
    public void RequestSupplement(IReadOnlyList<string> items, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        Guard(CaseTrigger.RequestSupplement);
        RequireClerk(actor);
        var list = items.Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i.Trim()).Distinct().ToList();
        if (list.Count == 0)
        {
            throw new CaseRuleException("请列出需要补正的全部材料或内容");
        }

        SupplementItems = list;
        SupplementRequestedAt = now;
        Review = Review.Stop(now, time);
        Move(CaseTrigger.RequestSupplement, CaseState.SupplementRequested, now, actor, string.Join("；", list), ("items", string.Join("；", list)),
            ("late", Review.UsedDays > ReviewLimitDays ? "true" : null));
    }

    /// <summary>The applicant hands in the supplement 补正; the window's 5-day review starts again.</summary>
    public void Resubmit(CaseActor actor, DateTimeOffset now, WorkingTime time, string? note = null)
    {
        Guard(CaseTrigger.Resubmit);
        if (!(IsFiler(actor) || actor.Is(Roles.Clerk)))
        {
            throw new CaseRuleException("只有申请人、代办员或窗口工作人员可以提交补正材料");
        }

        Review = Deadline.Start(now, ReviewLimitDays, new WarningPolicy(1, null), time);
        Move(CaseTrigger.Resubmit, CaseState.PreAcceptance, now, actor, note);
    }

    // ---- handling -------------------------------------------------------------------------------

    /// <summary>
    /// The title of the earlier step this person acted on that <paramref name="step"/> must be kept apart from
    /// (its definition's <see cref="HumanStep.DistinctFrom"/>, separation of duties 不相容岗位分离), or null when they may take it.
    /// </summary>
    /// <remarks>
    /// Only the standing act of each earlier step counts: after a return, the pass that was sent back is superseded by the
    /// one done again (the person who did the first 承办 may review the second, done by someone else). And a department
    /// head does not take an officer's step that a head's step of the flow must be kept apart from (the head who did the
    /// 审核 could not do the 审批, and the case would wait for ever): the flow reserves such a step for officers.
    /// </remarks>
    public string? SeparationConflict(WorkflowDefinition definition, CaseStep step, string userId, bool isHead = false) =>
        SeparationConflict(definition, step, userId, isHead, Steps);

    /// <summary>
    /// The same rule over a case's closed steps only (the worklist reads those, not whole cases): the title of the earlier step
    /// this person acted on that <paramref name="step"/> must be kept apart from, or of the head's later step that reserves it.
    /// </summary>
    public static string? SeparationConflict(WorkflowDefinition definition, CaseStep step, string userId, bool isHead, IEnumerable<CaseStep> steps)
    {
        if (definition.FindStep(step.StepId) is not HumanStep human)
        {
            return null;
        }

        if (human.DistinctFrom.Count > 0)
        {
            // Of each earlier step, its latest pass stands (a joint step's branches share one opening moment).
            var standing = steps.Where(s => !s.IsOpen && s.Outcome != "cancelled" && human.DistinctFrom.Contains(s.StepId))
                .GroupBy(s => s.StepId)
                .SelectMany(g =>
                {
                    var latest = g.Max(s => s.OpenedAt);
                    return g.Where(s => s.OpenedAt == latest);
                });
            if (standing.FirstOrDefault(s => s.ActorId == userId) is { } earlier)
            {
                return earlier.Title;
            }
        }

        if (isHead && step.Role != Roles.DepartmentHead
            && definition.Steps.OfType<TaskStep>().FirstOrDefault(t => t.Role == Roles.DepartmentHead && t.DistinctFrom.Contains(step.StepId)) is { } reserving)
        {
            return reserving.Title;
        }

        return null;
    }

    private void RequireSeparated(WorkflowDefinition? definition, CaseStep step, string userId, string who, bool isHead)
    {
        if (definition is null || SeparationConflict(definition, step, userId, isHead) is not { } conflict)
        {
            return;
        }

        if (Steps.Any(s => !s.IsOpen && s.ActorId == userId && s.Title == conflict && s.Outcome != "cancelled"))
        {
            throw new CaseRuleException($"不相容岗位分离：{who}已办理本件的“{conflict}”环节，“{step.Title}”须由其他工作人员办理");
        }

        throw new CaseRuleException($"不相容岗位分离：“{conflict}”由部门负责人办理并须与“{step.Title}”分离，“{step.Title}”须由经办人员办理");
    }

    /// <summary>An officer takes a work item 签收 (not one the workflow keeps apart from a step they acted on).</summary>
    public void Claim(string workItemId, CaseActor actor, DateTimeOffset now, WorkflowDefinition? definition = null)
    {
        Guard(CaseTrigger.Claim);
        var step = OpenStep(workItemId);
        RequireEligible(step, actor);
        RequireSeparated(definition, step, actor.UserId, "您", actor.Is(Roles.DepartmentHead));
        if (step.AssigneeId is not null && step.AssigneeId != actor.UserId)
        {
            throw new CaseRuleException($"该环节已由{step.AssigneeName}签收");
        }

        step.AssigneeId = actor.UserId;
        step.AssigneeName = actor.Name;
        step.Version++;
        Record(CaseTrigger.Claim, now, actor, null, State, ("step", step.Title), ("workItem", step.WorkItemId));
    }

    /// <summary>The department head assigns or reassigns 分派 a work item to an officer of the department.</summary>
    public void Assign(string workItemId, string assigneeId, string assigneeName, string assigneeDepartment, CaseActor actor, DateTimeOffset now,
        WorkflowDefinition? definition = null, bool assigneeIsHead = false)
    {
        Guard(CaseTrigger.Assign);
        var step = OpenStep(workItemId);
        if (!actor.Is(Roles.DepartmentHead) || actor.Department != step.Department)
        {
            throw new CaseRuleException("只有本部门负责人可以分派该环节");
        }

        if (assigneeDepartment != step.Department)
        {
            throw new CaseRuleException("只能分派给本部门的工作人员");
        }

        RequireSeparated(definition, step, assigneeId, assigneeName, assigneeIsHead);

        var previous = step.AssigneeName;
        step.AssigneeId = assigneeId;
        step.AssigneeName = assigneeName;
        step.Version++;
        Record(CaseTrigger.Assign, now, actor, null, State, ("step", step.Title), ("workItem", step.WorkItemId), ("from", previous), ("to", assigneeName));
    }

    /// <summary>
    /// An officer acts 办理 on a work item (approve, deny, return) with an opinion and the data their
    /// step writes. The workflow moves on; when it ends, the case is decided (or reported).
    /// </summary>
    public void Act(WorkflowDefinition definition, string workItemId, Outcome outcome, string? opinion, IReadOnlyDictionary<string, string>? sectionData,
        CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        Guard(CaseTrigger.ActOnTask);
        var step = OpenStep(workItemId);
        RequireEligible(step, actor);
        if (step.AssigneeId is not null && step.AssigneeId != actor.UserId)
        {
            throw new CaseRuleException($"该环节已由{step.AssigneeName}签收，只能由其办理或由部门负责人重新分派");
        }

        if (outcome is Outcome.Deny or Outcome.Return && string.IsNullOrWhiteSpace(opinion))
        {
            throw new CaseRuleException(outcome == Outcome.Deny ? "不同意必须填写理由" : "退回必须说明原因");
        }

        var instance = Instance();
        if (definition.Id != instance.DefinitionId || definition.Version != instance.DefinitionVersion)
        {
            throw new CaseRuleException($"办件按流程“{instance.DefinitionId}”第{instance.DefinitionVersion}版办理");
        }

        RequireSeparated(definition, step, actor.UserId, "您", actor.Is(Roles.DepartmentHead));

        // A step entered again keeps what it wrote for the fields not given again; a countersigner has only their own entries.
        var existing = definition.FindStep(step.StepId) is CountersignStep || definition.SectionOf(step.StepId, step.BranchId) is not { } section
            ? null : instance.Sections.GetValueOrDefault(section);
        sectionData = StepData.Check(step.Title, definition.FieldsOf(step.StepId, step.BranchId), outcome, sectionData, WorkingTime.LocalDate(now), existing);
        WorkflowTransition transition;
        try
        {
            // A head standing in for an officer acts in the step's role.
            var roles = actor.Is(step.Role) ? actor.Roles.ToArray() : [.. actor.Roles, step.Role];
            transition = WorkflowRuntime.Act(definition, instance, workItemId, new Actor(actor.UserId, step.Department, roles), outcome, opinion, sectionData, now);
        }
        catch (WorkflowException e)
        {
            throw new CaseRuleException("无法办理：" + e.Message, e);
        }

        step.ClosedAt = now;
        step.Outcome = outcome.ToName();
        step.Opinion = opinion;
        step.ActorId = actor.UserId;
        step.ActorName = actor.Name;
        step.UsedDays = step.Deadline.UsedAt(now, time);
        step.Deadline = step.Deadline.Stop(now, time);
        step.Version++;
        Record(CaseTrigger.ActOnTask, now, actor, opinion, State, ("step", step.Title), ("workItem", step.WorkItemId), ("outcome", outcome.ToName()),
            ("data", sectionData is null || sectionData.Count == 0 ? null : JsonSerializer.Serialize(sectionData)));
        Apply(transition, actor, now, time);
    }

    /// <summary>Starts a special procedure 特别程序 (hearing, inspection, testing, expert review…): every clock stops.</summary>
    public void StartSpecialProcedure(string kind, string reason, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        Guard(CaseTrigger.StartSpecialProcedure);
        RequireHandler(actor);
        if (string.IsNullOrWhiteSpace(kind) || string.IsNullOrWhiteSpace(reason))
        {
            throw new CaseRuleException("请填写特别程序的种类和理由（将书面告知申请人）");
        }

        SpecialProcedures = [.. SpecialProcedures, new SpecialProcedure(kind.Trim(), reason.Trim(), now, actor.Name)];
        Promised = Promised.Suspend(now, time);
        Legal = Legal.Suspend(now, time);
        foreach (var s in OpenSteps)
        {
            s.Deadline = s.Deadline.Suspend(now, time);
            s.Version++;
        }

        Move(CaseTrigger.StartSpecialProcedure, CaseState.Suspended, now, actor, reason, ("kind", kind));
    }

    /// <summary>Ends the special procedure: the clocks resume from the next working day.</summary>
    public void EndSpecialProcedure(string? result, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        Guard(CaseTrigger.EndSpecialProcedure);
        RequireHandler(actor);
        var current = CurrentSpecialProcedure ?? throw new CaseRuleException("没有进行中的特别程序");
        SpecialProcedures = SpecialProcedures.Select(p => p == current ? p with { EndedAt = now, EndedBy = actor.Name, Result = result } : p).ToList();
        Promised = Promised.Resume(now, time);
        Legal = Legal.Resume(now, time);
        foreach (var s in OpenSteps)
        {
            s.Deadline = s.Deadline.Resume(now, time);
            s.Version++;
        }

        Move(CaseTrigger.EndSpecialProcedure, CaseState.Handling, now, actor, result, ("kind", current.Kind));
    }

    /// <summary>An officer asks to extend the limit 延期; the head of the organ decides.</summary>
    public void RequestExtension(string reason, CaseActor actor, DateTimeOffset now, int days)
    {
        Guard(CaseTrigger.RequestExtension);
        RequireHandler(actor);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new CaseRuleException("申请延期必须说明理由（将告知申请人）");
        }

        var allowed = Kind == MatterKind.Joint ? 15 : 10;
        if (days < 1 || days > allowed)
        {
            throw new CaseRuleException($"延期不得超过{allowed}个工作日");
        }

        if (Extensions.Any(e => e.Approved is null))
        {
            throw new CaseRuleException("已有待审批的延期申请");
        }

        if (Extensions.Any(e => e.Approved == true))
        {
            throw new CaseRuleException("办理期限只能延长一次");
        }

        Extensions = [.. Extensions, new ExtensionRequest(days, reason.Trim(), now, actor.Name)];
        Record(CaseTrigger.RequestExtension, now, actor, reason, State, ("days", days.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>The head of the lead department approves or refuses the pending extension.</summary>
    public void AnswerExtension(bool approve, string? opinion, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        Guard(approve ? CaseTrigger.ApproveExtension : CaseTrigger.RejectExtension);
        if (!actor.Is(Roles.DepartmentHead) || actor.Department != LeadDepartment)
        {
            throw new CaseRuleException("延期须由主办部门负责人批准");
        }

        var pending = Extensions.LastOrDefault(e => e.Approved is null) ?? throw new CaseRuleException("没有待审批的延期申请");
        Extensions = Extensions.Select(e => e == pending ? e with { Approved = approve, AnsweredAt = now, AnsweredBy = actor.Name } : e).ToList();
        if (approve)
        {
            Promised = Promised.Extend(pending.Days, time);
            Legal = Legal.Extend(pending.Days, time);

            // The steps open now are what the extra time is for: their clocks move with the case's, so they
            // do not card for time the head has granted.
            foreach (var s in OpenSteps)
            {
                s.Deadline = s.Deadline.Extend(pending.Days, time);
                s.Version++;
            }
        }

        Record(approve ? CaseTrigger.ApproveExtension : CaseTrigger.RejectExtension, now, actor, opinion, State,
            ("days", pending.Days.ToString(CultureInfo.InvariantCulture)), ("legalDueAt", Legal.DueAt?.ToString("O", CultureInfo.InvariantCulture)),
            ("stepsExtended", approve ? OpenSteps.Count().ToString(CultureInfo.InvariantCulture) : null));
    }

    /// <summary>The applicant (or the agent who filed) withdraws 撤回 the application while it is open.</summary>
    public void Withdraw(string? reason, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        Guard(CaseTrigger.Withdraw);
        if (!IsFiler(actor))
        {
            throw new CaseRuleException("只有申请人（或代其申报的代办员）可以撤回申请");
        }

        // Open steps are cancelled as a joint step cancels its remaining branches: with the days they used.
        foreach (var s in OpenSteps.ToList())
        {
            s.UsedDays = s.Deadline.UsedAt(now, time);
            s.Deadline = s.Deadline.Stop(now, time);
            s.ClosedAt = now;
            s.Outcome = "cancelled";
            s.Version++;
        }

        StopAllClocks(now, time);
        ConcludedAt = now;
        Move(CaseTrigger.Withdraw, CaseState.Withdrawn, now, actor, reason);
    }

    // ---- after the decision ---------------------------------------------------------------------

    /// <summary>Issues the certificate 发证 of an approved case.</summary>
    public void IssueCertificate(string certificateNumber, CaseActor actor, DateTimeOffset now, string? verificationCode = null)
    {
        Guard(CaseTrigger.IssueCertificate);
        if (!(actor.Is(Roles.Clerk) || (actor.Department == LeadDepartment && (actor.Is(Roles.Officer) || actor.Is(Roles.DepartmentHead)))))
        {
            throw new CaseRuleException("只有窗口工作人员或主办部门可以发证");
        }

        if (CertificateType is null)
        {
            throw new CaseRuleException("该事项不发放证照，可直接送达");
        }

        CertificateNumber = certificateNumber;
        CertificateIssuedAt = now;
        CertificateCode = verificationCode;
        Move(CaseTrigger.IssueCertificate, CaseState.CertificateIssued, now, actor, null, ("certificate", certificateNumber));
    }

    /// <summary>
    /// Journals an act on the issued certificate: revocation 撤销 or cancellation 注销 (an administrator
    /// or the head of the lead department, with a reason), or a reprint 补打. The case keeps its state;
    /// the certificate register holds the certificate's own status.
    /// </summary>
    public void RecordCertificateAct(CaseTrigger trigger, string? reason, CaseActor actor, DateTimeOffset now)
    {
        if (trigger is not (CaseTrigger.RevokeCertificate or CaseTrigger.CancelCertificate or CaseTrigger.ReprintCertificate))
        {
            throw new ArgumentOutOfRangeException(nameof(trigger), trigger, "not an act on the certificate");
        }

        Guard(trigger);
        if (CertificateNumber is null)
        {
            throw new CaseRuleException("该办件没有已发放的证照");
        }

        if (trigger == CaseTrigger.ReprintCertificate)
        {
            if (!(actor.Is(Roles.Clerk) || (actor.Department == LeadDepartment && (actor.Is(Roles.Officer) || actor.Is(Roles.DepartmentHead))) || IsFiler(actor)))
            {
                throw new CaseRuleException("只有窗口工作人员、主办部门或申请人可以补打证照");
            }
        }
        else
        {
            if (!(actor.Is(Roles.Administrator) || (actor.Is(Roles.DepartmentHead) && actor.Department == LeadDepartment)))
            {
                throw new CaseRuleException("只有系统管理员或发证部门负责人可以撤销或注销证照");
            }

            if (string.IsNullOrWhiteSpace(reason))
            {
                throw new CaseRuleException(trigger == CaseTrigger.RevokeCertificate ? "撤销证照必须说明理由" : "注销证照必须说明理由");
            }
        }

        Record(trigger, now, actor, reason?.Trim(), State, ("certificate", CertificateNumber));
    }

    /// <summary>Delivers 送达 the result (decision, certificate or refusal) to the applicant.</summary>
    public void Deliver(string method, CaseActor actor, DateTimeOffset now)
    {
        Guard(CaseTrigger.Deliver);
        RequireClerk(actor);
        if (State == CaseState.Approved && CertificateType is not null)
        {
            throw new CaseRuleException("请先发证再送达");
        }

        DeliveredAt = now;
        DeliveryMethod = string.IsNullOrWhiteSpace(method) ? "窗口领取" : method.Trim();
        Move(CaseTrigger.Deliver, CaseState.Delivered, now, actor, null, ("method", DeliveryMethod));
    }

    /// <summary>Archives 归档 a concluded case with its file list, retention period and location.</summary>
    public void ArchiveCase(IReadOnlyList<string> files, int retentionYears, string location, CaseActor actor, DateTimeOffset now)
    {
        Guard(CaseTrigger.Archive);
        RequireClerk(actor);
        if (files.Count == 0 || string.IsNullOrWhiteSpace(location) || retentionYears <= 0)
        {
            throw new CaseRuleException("归档须列明案卷文件、保管期限和存放位置");
        }

        Archive = new ArchiveRecord(files, retentionYears, location.Trim(), now, actor.Name);
        Move(CaseTrigger.Archive, CaseState.Archived, now, actor, null, ("files", files.Count.ToString(CultureInfo.InvariantCulture)), ("retentionYears", retentionYears.ToString(CultureInfo.InvariantCulture)), ("location", location));
    }

    // ---- queries ------------------------------------------------------------------------------------

    public WorkflowInstance Instance() =>
        WorkflowState is null ? throw new CaseRuleException("办件尚未受理，没有流程") : WorkflowInstance.FromJson(WorkflowState);

    /// <summary>Can this actor see the case? Owners, their agent's station, the window, supervisors, and departments with a step.</summary>
    public bool IsVisibleTo(CaseActor actor) =>
        actor.Is(Roles.Clerk) || actor.Is(Roles.Supervisor) || actor.Is(Roles.Administrator)
        || (actor.Is(Roles.Applicant) && OwnerUserId == actor.UserId)
        || (actor.Is(Roles.Agent) && StationCode is not null && StationCode == actor.Station)
        || ((actor.Is(Roles.Officer) || actor.Is(Roles.DepartmentHead)) && actor.Department is not null
            && (actor.Department == LeadDepartment || Steps.Any(s => s.Department == actor.Department)));

    // ---- internals ----------------------------------------------------------------------------------

    private void Apply(WorkflowTransition transition, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        WorkflowState = transition.Instance.ToJson();
        foreach (var e in transition.Events)
        {
            switch (e)
            {
                case WorkItemOpened opened:
                    var w = opened.WorkItem;
                    Steps.Add(new CaseStep
                    {
                        WorkItemId = w.Id,
                        StepId = w.StepId,
                        BranchId = w.BranchId,
                        Title = w.Title,
                        Department = w.Department,
                        Role = w.Role,
                        EntryCount = w.EntryCount,
                        OpenedAt = w.OpenedAt,
                        // A step entered again after a return gets a fresh clock (re-armed).
                        Deadline = Deadline.Start(w.OpenedAt, w.LimitDays, Warning, time),
                    });
                    break;
                case WorkItemCancelled cancelled when Steps.FirstOrDefault(s => s.WorkItemId == cancelled.WorkItem.Id && s.IsOpen) is { } open:
                    open.ClosedAt = now;
                    open.Outcome = "cancelled";
                    open.UsedDays = open.Deadline.UsedAt(now, time);
                    open.Deadline = open.Deadline.Stop(now, time);
                    open.Version++;
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
    }

    private void StopAllClocks(DateTimeOffset now, WorkingTime time)
    {
        Promised = Promised.Stop(now, time);
        Legal = Legal.Stop(now, time);
        Review = Review.Stop(now, time);
        foreach (var s in OpenSteps)
        {
            s.Deadline = s.Deadline.Stop(now, time);
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

    private bool IsFiler(CaseActor actor) =>
        (OwnerUserId is not null && actor.UserId == OwnerUserId)
        || (AgentUserId is not null && actor.Is(Roles.Agent) && (actor.UserId == AgentUserId || (StationCode is not null && actor.Station == StationCode)))
        || (Channel == CaseChannel.Window && actor.Is(Roles.Clerk));

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
