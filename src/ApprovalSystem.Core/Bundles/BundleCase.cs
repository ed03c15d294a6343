using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Bundles;

/// <summary>Where a bundle case 一件事办件 is: filed once, accepted once, concluded when every member is.</summary>
public enum BundleState
{
    /// <summary>草稿.</summary>
    Draft,

    /// <summary>已提交: filed, waiting for the window (预受理).</summary>
    Submitted,

    /// <summary>待补正: one supplement notice across all members was given.</summary>
    SupplementRequested,

    /// <summary>已受理: accepted at one window; the members run (or wait for the one before them).</summary>
    Accepted,

    /// <summary>已办结: every member concluded.</summary>
    Concluded,

    /// <summary>已终止: a member was refused or denied and the bundle's rule stopped the rest.</summary>
    Stopped,

    /// <summary>不予受理: refused at the window, every member with it.</summary>
    NotAccepted,
}

/// <summary>How a member case ended, as the bundle sees it.</summary>
public enum MemberOutcome
{
    /// <summary>Not concluded (waiting, filed or in handling).</summary>
    Open,

    /// <summary>Approved 准予 (or reported up, or issued its certificate).</summary>
    Approved,

    /// <summary>Denied 不予许可 or refused 不予受理.</summary>
    Failed,

    /// <summary>Withdrawn 撤回 (by the applicant, or by the bundle's rule).</summary>
    Withdrawn,
}

/// <summary>A member case of a bundle: an ordinary <see cref="Case"/> of its matter, referred to by id.</summary>
public sealed record BundleMemberRef
{
    public required long CaseId { get; init; }

    public required string MatterCode { get; init; }

    public required string MatterName { get; init; }

    public required string Department { get; init; }

    /// <summary>The matter codes of the members this one waits for.</summary>
    public IReadOnlyList<string> After { get; init; } = [];

    /// <summary>False while it waits for another member: a numbered draft with no clock (decision 0054).</summary>
    public bool Started { get; init; }

    /// <summary>The outcome once the bundle saw the member conclude.</summary>
    public MemberOutcome Outcome { get; init; }
}

/// <summary>A notice 通知 the bundle gave the applicant: one for the whole bundle, whatever the number of members.</summary>
public sealed record BundleNotice(string Kind, DateTimeOffset At, string Text);

/// <summary>A journal record of an act on a bundle case (like <see cref="CaseRecord"/>).</summary>
public sealed record BundleRecord(string Act, DateTimeOffset At, CaseActor Actor, string? Opinion, IReadOnlyDictionary<string, string?> Data, BundleState From,
    BundleState To);

/// <summary>What the bundle asks of its members after one of them moved (<see cref="BundleCase.Advance"/>).</summary>
public sealed record BundlePlan(IReadOnlyList<long> Start, IReadOnlyList<long> Withdraw, string? WithdrawReason);

/// <summary>
/// A bundle case 一件事办件: one application of a bundle — its own number and query code, the applicant, the channel and the filer,
/// the answers to the guide, the merged form and materials, the member cases, and the bundle's promised-limit clock. Each member
/// is an ordinary <see cref="Case"/> with its own number, flow, department and clocks; the bundle decides when waiting members
/// start and what a refused or denied member means for the others (decision 0054).
/// </summary>
public sealed class BundleCase
{
    /// <summary>The numbering series' middle part: bundle numbers read 330799-YJS-20261206-0001, case numbers 330799-20261206-0001.</summary>
    public const string NumberMark = "YJS";

    private readonly List<BundleRecord> _records = [];

    private BundleCase()
    {
    }

    public long Id { get; private set; }

    public string? Number { get; private set; }

    public string? QueryCode { get; private set; }

    public string BundleCode { get; private set; } = "";

    public string BundleName { get; private set; } = "";

    /// <summary>The lead department: its window accepts the bundle.</summary>
    public string LeadDepartment { get; private set; } = "";

    /// <summary>The bundle's definition as filed (later catalogue edits do not change a running bundle).</summary>
    public BundleData Definition { get; private set; } = new();

    public CaseChannel Channel { get; private set; }

    public BundleState State { get; private set; }

    public ApplicantInfo Applicant { get; private set; } = default!;

    public string? OwnerUserId { get; private set; }

    public string? AgentUserId { get; private set; }

    public string? AgentName { get; private set; }

    public string? StationCode { get; private set; }

    public string CreatedBy { get; private set; } = "";

    public Dictionary<string, string> Answers { get; private set; } = [];

    public Dictionary<string, string> FormData { get; private set; } = [];

    /// <summary>The merged materials list and what was handed in for it (a file uploaded once serves every member that needs it).</summary>
    public List<CaseMaterial> Materials { get; private set; } = [];

    public List<BundleMemberRef> Members { get; private set; } = [];

    /// <summary>The bundle's promised-limit clock 承诺时限, from acceptance.</summary>
    public Deadline Deadline { get; private set; } = Deadline.None;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? SubmittedAt { get; private set; }

    public DateTimeOffset? AcceptedAt { get; private set; }

    /// <summary>The clerk who accepted: waiting members are accepted in their name when they start.</summary>
    public string? AcceptedByUserId { get; private set; }

    public string? AcceptedBy { get; private set; }

    public string? AcceptedByDepartment { get; private set; }

    public DateTimeOffset? ConcludedAt { get; private set; }

    /// <summary>Why the bundle was refused at the window or stopped.</summary>
    public string? Reason { get; private set; }

    public List<string> SupplementItems { get; private set; } = [];

    public List<BundleNotice> Notices { get; private set; } = [];

    public int Version { get; private set; }

    public IReadOnlyList<BundleRecord> PendingRecords => _records;

    public void ClearPendingRecords() => _records.Clear();

    // ---- filing -------------------------------------------------------------------------------------

    /// <summary>
    /// Starts a bundle filing by an applicant, an agent or a clerk (the channel follows the actor as for a case): the answers are kept
    /// as far as they answer questions asked, the merged materials are those the situation needs.
    /// </summary>
    public static BundleCase Draft(BundleData bundle, ApplicantInfo applicant, IReadOnlyDictionary<string, string> answers,
        IReadOnlyDictionary<string, string> formData, CaseActor actor, DateTimeOffset now)
    {
        var channel = actor.Is(Roles.Agent) ? CaseChannel.Agent : actor.Is(Roles.Clerk) ? CaseChannel.Window : CaseChannel.Online;
        if (channel == CaseChannel.Online && !actor.Is(Roles.Applicant))
        {
            throw new CaseRuleException("只有申请人、代办员或窗口工作人员可以提交申请");
        }

        if (!bundle.IsPublished)
        {
            throw new CaseRuleException($"“{bundle.Name}”暂停受理");
        }

        var kept = Situations.Normalise(bundle.Situations, answers);
        var b = new BundleCase
        {
            BundleCode = bundle.Code,
            BundleName = bundle.Name,
            LeadDepartment = bundle.Department,
            Definition = bundle,
            Channel = channel,
            State = BundleState.Draft,
            Applicant = applicant,
            OwnerUserId = channel == CaseChannel.Online ? actor.UserId : null,
            AgentUserId = channel == CaseChannel.Agent ? actor.UserId : null,
            AgentName = channel == CaseChannel.Agent ? actor.Name : null,
            StationCode = channel == CaseChannel.Agent ? actor.Station : null,
            CreatedBy = actor.UserId,
            Answers = kept,
            FormData = formData.Where(f => !string.IsNullOrWhiteSpace(f.Value)).ToDictionary(f => f.Key, f => f.Value.Trim()),
            Materials = [.. bundle.MaterialsFor(kept).Select(m => new CaseMaterial { Name = m.Name, Required = m.Required })],
            CreatedAt = now,
        };
        b.Record("SaveDraft", now, actor, null, BundleState.Draft, ("bundle", bundle.Code), ("channel", channel.ToString()),
            ("applicant", Masking.PersonName(applicant.Name)), ("situation", string.Join("；", kept.Select(a => $"{a.Key}={a.Value}"))));
        return b;
    }

    /// <summary>The member cases created with the draft (the waiting ones not started), in the bundle's order.</summary>
    public void AddMembers(IEnumerable<BundleMemberRef> members)
    {
        if (Members.Count > 0 || State is not (BundleState.Draft or BundleState.Submitted))
        {
            throw new CaseRuleException("成员办件只能在一件事申报时一次建立");
        }

        Members = [.. members];
    }

    /// <summary>Attaches a stored file to a material of the merged list (once for every member that needs it).</summary>
    public void AttachMaterial(string name, string sha256, string fileName, long size, CaseActor actor, DateTimeOffset now)
    {
        if (State is not (BundleState.Draft or BundleState.Submitted or BundleState.SupplementRequested))
        {
            throw new CaseRuleException("一件事已受理或已办结，不能再提交材料");
        }

        RequireFilerOrClerk(actor);
        var i = Materials.FindIndex(m => m.Name == name);
        if (i < 0)
        {
            throw new CaseRuleException($"“{BundleName}”的材料清单中没有“{name}”");
        }

        Materials = [.. Materials.Select((m, j) => j == i ? m with { Received = true, FileSha256 = sha256, FileName = fileName, FileSize = size } : m)];
        Record("AttachMaterial", now, actor, null, State, ("material", name), ("file", fileName), ("sha256", sha256));
    }

    /// <summary>
    /// Changes a draft's merged form 保存草稿. The answers stay: they chose the members the draft was made with (a different situation
    /// is a new filing). The caller maps the form onto the members' drafts in the same transaction.
    /// </summary>
    public void ReviseDraft(IReadOnlyDictionary<string, string> formData, CaseActor actor, DateTimeOffset now)
    {
        Require(BundleState.Draft, "只有草稿可以修改");
        RequireFiler(actor);
        var before = FormData;
        FormData = formData.Where(f => !string.IsNullOrWhiteSpace(f.Value)).ToDictionary(f => f.Key, f => f.Value.Trim());
        var changed = FormData.Count(f => !before.TryGetValue(f.Key, out var old) || old != f.Value) + before.Keys.Count(k => !FormData.ContainsKey(k));
        Record("SaveDraft", now, actor, null, State, ("changed", changed.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>Files the bundle 提交: its own number and query code; the members are filed with it.</summary>
    public void Submit(string number, string queryCode, CaseActor actor, DateTimeOffset now)
    {
        Require(BundleState.Draft, "只有草稿可以提交");
        RequireFiler(actor);
        Number = number;
        QueryCode = queryCode;
        SubmittedAt = now;
        Move("Submit", BundleState.Submitted, now, actor, null, ("number", number), ("missing", Missing.Count == 0 ? null : string.Join("、", Missing)));
    }

    /// <summary>The required merged materials not yet handed in.</summary>
    public IReadOnlyList<string> Missing => [.. Materials.Where(m => m.Required && !m.Received).Select(m => m.Name)];

    // ---- the window ---------------------------------------------------------------------------------

    /// <summary>
    /// One acceptance 一窗受理 for the whole bundle: the clerk checked the merged materials once; the bundle's clock starts. The
    /// caller accepts every member that does not wait in the same transaction (<see cref="MembersToAcceptNow"/>).
    /// </summary>
    public void Accept(CaseActor clerk, DateTimeOffset now, WorkingTime time, string? opinion = null)
    {
        Require(BundleState.Submitted, "只有待受理的一件事可以受理");
        RequireClerk(clerk);
        AcceptedAt = now;
        AcceptedBy = clerk.Name;
        AcceptedByUserId = clerk.UserId;
        AcceptedByDepartment = clerk.Department;
        Deadline = Deadline.Start(now, Definition.PromisedLimitDays, WarningPolicy.Default, time);
        Members = [.. Members.Select(m => m.After.Count == 0 ? m with { Started = true } : m)];
        Move("Accept", BundleState.Accepted, now, clerk, opinion, ("waiting", string.Join("、", Members.Where(m => !m.Started).Select(m => m.MatterName))));
        Notify("受理通知", now, $"您申报的“{BundleName}”（编号{Number}）已受理，共{Members.Count}个事项，承诺{Definition.PromisedLimitDays}个工作日内办结。"
            + (Members.Any(m => !m.Started) ? $"其中{string.Join("、", Members.Where(m => !m.Started).Select(m => m.MatterName))}将在前序事项办结后自动启动。" : ""));
    }

    /// <summary>The members the window accepts with the bundle: those that wait for nobody.</summary>
    public IReadOnlyList<long> MembersToAcceptNow => [.. Members.Where(m => m.After.Count == 0).Select(m => m.CaseId)];

    /// <summary>
    /// The one supplement notice 一次性告知 across all members: everything missing, once. The members' own review clocks stop with
    /// it (the caller asks each filed member for its part).
    /// </summary>
    public void RequestSupplement(IReadOnlyList<string> items, CaseActor clerk, DateTimeOffset now)
    {
        Require(BundleState.Submitted, "只有待受理的一件事可以要求补正");
        RequireClerk(clerk);
        var list = items.Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i.Trim()).Distinct().ToList();
        if (list.Count == 0)
        {
            throw new CaseRuleException("请列出需要补正的全部材料或内容");
        }

        if (SupplementItems.Count > 0)
        {
            throw new CaseRuleException("本一件事已一次性告知过补正内容，不能再次要求补正");
        }

        SupplementItems = list;
        Move("RequestSupplement", BundleState.SupplementRequested, now, clerk, string.Join("；", list), ("items", string.Join("；", list)));
        Notify("补正通知", now, $"您申报的“{BundleName}”（编号{Number}）需补正以下材料或内容（一次性告知）：{string.Join("；", list)}。");
    }

    /// <summary>The applicant hands in the supplement; the bundle waits for the window again.</summary>
    public void Resubmit(CaseActor actor, DateTimeOffset now)
    {
        Require(BundleState.SupplementRequested, "只有待补正的一件事可以提交补正");
        RequireFilerOrClerk(actor);
        Move("Resubmit", BundleState.Submitted, now, actor, null);
    }

    /// <summary>Refuses 不予受理 the whole bundle (the caller refuses the filed members and withdraws the waiting ones).</summary>
    public void Refuse(string reason, CaseActor clerk, DateTimeOffset now)
    {
        Require(BundleState.Submitted, "只有待受理的一件事可以不予受理");
        RequireClerk(clerk);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new CaseRuleException("不予受理必须说明理由");
        }

        Reason = reason.Trim();
        ConcludedAt = now;
        Move("Refuse", BundleState.NotAccepted, now, clerk, Reason);
        Notify("不予受理通知", now, $"您申报的“{BundleName}”（编号{Number}）不予受理，理由：{Reason}。");
    }

    // ---- members ------------------------------------------------------------------------------------

    /// <summary>
    /// Takes in how the members stand and decides what follows (run again and again it decides the same: safe to repeat after a
    /// crash). A member that concluded approved lets those waiting for it start once all they wait for did; a refused or denied
    /// member stops the rest (<see cref="BundleRefusalRule.Stop"/>) or only the members that wait for it (<see cref="BundleRefusalRule.Continue"/>);
    /// when every member concluded the bundle concludes, with one notice to the applicant.
    /// </summary>
    public BundlePlan Advance(IReadOnlyDictionary<long, MemberOutcome> outcomes, DateTimeOffset now, WorkingTime time)
    {
        if (State != BundleState.Accepted)
        {
            return new BundlePlan([], [], null);
        }

        var system = CaseActor.System("一件事");
        // A member's outcome is decided once: only an open member takes what its case now says.
        var members = Members.Select(m => m.Outcome == MemberOutcome.Open && outcomes.TryGetValue(m.CaseId, out var o) && o != m.Outcome
            ? m with { Outcome = o } : m).ToList();
        var newlyFailed = members.Where(m => m.Outcome == MemberOutcome.Failed && Members.First(x => x.CaseId == m.CaseId).Outcome != MemberOutcome.Failed);
        foreach (var failed in newlyFailed)
        {
            Record("MemberFailed", now, system, null, State, ("member", failed.MatterName), ("rule", Definition.OnRefusal.ToString()));
        }

        var failedNames = members.Where(m => m.Outcome == MemberOutcome.Failed).Select(m => m.MatterName).ToList();
        var withdraw = new List<long>();
        string? reason = null;
        if (failedNames.Count > 0 && Definition.OnRefusal == BundleRefusalRule.Stop)
        {
            reason = $"“{string.Join("、", failedNames)}”未获准予，按“{BundleName}”的规则整件终止";
            withdraw.AddRange(members.Where(m => m.Outcome == MemberOutcome.Open).Select(m => m.CaseId));
        }
        else
        {
            // A waiting member whose predecessor failed or was withdrawn can never start.
            foreach (var m in members.Where(m => !m.Started && m.Outcome == MemberOutcome.Open))
            {
                var blocked = m.After.Select(a => members.First(x => x.MatterCode == a))
                    .Where(x => x.Outcome is MemberOutcome.Failed or MemberOutcome.Withdrawn).ToList();
                if (blocked.Count > 0)
                {
                    reason ??= $"前序事项“{string.Join("、", blocked.Select(x => x.MatterName))}”未获准予，本事项不再启动";
                    withdraw.Add(m.CaseId);
                }
            }
        }

        var start = members.Where(m => !m.Started && m.Outcome == MemberOutcome.Open && !withdraw.Contains(m.CaseId)
            && m.After.All(a => members.First(x => x.MatterCode == a).Outcome == MemberOutcome.Approved)).Select(m => m.CaseId).ToList();
        Members = [.. members.Select(m => start.Contains(m.CaseId) ? m with { Started = true } : m)];
        if (start.Count > 0)
        {
            Record("StartMembers", now, system, null, State,
                ("members", string.Join("、", Members.Where(m => start.Contains(m.CaseId)).Select(m => m.MatterName))));
        }

        var concludedAll = Members.All(m => m.Outcome != MemberOutcome.Open || withdraw.Contains(m.CaseId));
        if (concludedAll)
        {
            Members = [.. Members.Select(m => withdraw.Contains(m.CaseId) ? m with { Outcome = MemberOutcome.Withdrawn } : m)];
            ConcludedAt = now;
            Deadline = Deadline.Stop(now, time);
            var stopped = failedNames.Count > 0 && Definition.OnRefusal == BundleRefusalRule.Stop;
            Reason = stopped ? reason : null;
            Move(stopped ? "Stop" : "Conclude", stopped ? BundleState.Stopped : BundleState.Concluded, now, system, reason);
            var approved = Members.Where(m => m.Outcome == MemberOutcome.Approved).Select(m => m.MatterName).ToList();
            Notify(stopped ? "终止通知" : "办结通知", now, $"您申报的“{BundleName}”（编号{Number}）"
                + (stopped ? $"已终止：{reason}。" : "已办结。")
                + (approved.Count > 0 ? $"准予办理：{string.Join("、", approved)}。" : "")
                + (failedNames.Count > 0 ? $"未获准予：{string.Join("、", failedNames)}，详见各事项的决定书。" : "")
                + (withdraw.Count > 0 && !stopped
                    ? $"未启动：{string.Join("、", Members.Where(m => withdraw.Contains(m.CaseId)).Select(m => m.MatterName))}（{reason}）。" : ""));
        }

        return new BundlePlan(start, withdraw, reason);
    }

    /// <summary>How a member case stands, as the bundle reads it.</summary>
    public static MemberOutcome OutcomeOf(Case c) => c.State switch
    {
        CaseState.Draft or CaseState.PreAcceptance or CaseState.SupplementRequested or CaseState.Handling or CaseState.Suspended => MemberOutcome.Open,
        CaseState.Approved or CaseState.Reported or CaseState.CertificateIssued => MemberOutcome.Approved,
        CaseState.Denied or CaseState.NotAccepted => MemberOutcome.Failed,
        CaseState.Withdrawn => MemberOutcome.Withdrawn,

        // Delivered and archived come after either decision: a certificate, or a decision that was no refusal, means approved. A denied
        // matter without a certificate is decided too (DecidedAt): its workflow's result tells the refusal. An archived case that was
        // accepted and never decided was withdrawn.
        CaseState.Archived when c.CertificateNumber is null && c.DecidedAt is null && c.WorkflowState is not null => MemberOutcome.Withdrawn,
        CaseState.Delivered or CaseState.Archived => c.CertificateNumber is not null
            || (c.DecidedAt is not null && c.CertificateType is null && !(c.WorkflowState is not null && c.Instance().Result is WorkflowResult.Denied))
            ? MemberOutcome.Approved : MemberOutcome.Failed,
    };

    // ---- visibility and internals -------------------------------------------------------------------

    /// <summary>Who sees the bundle: as for a case (<see cref="FilerRules.Sees"/>), with every member's department.</summary>
    public bool IsVisibleTo(CaseActor actor) => FilerRules.Sees(actor, OwnerUserId, StationCode, [LeadDepartment, .. Members.Select(m => m.Department)]);

    /// <summary>The actor the bundle's filer acts as when a waiting member is submitted on their behalf.</summary>
    public CaseActor FilerActor() => Channel switch
    {
        CaseChannel.Online => new CaseActor(OwnerUserId!, Applicant.Name, [Roles.Applicant]),
        CaseChannel.Agent => new CaseActor(AgentUserId!, AgentName ?? "代办员", [Roles.Agent], null, StationCode),
        CaseChannel.Window => AcceptingClerk() ?? new CaseActor(CreatedBy, "窗口工作人员", [Roles.Clerk]),
        CaseChannel.LineSystem => throw new CaseRuleException("一件事不经部门业务系统申报"),
    };

    /// <summary>The clerk who accepted the bundle: a waiting member is accepted in their name when it starts.</summary>
    public CaseActor? AcceptingClerk() =>
        AcceptedByUserId is null ? null : new CaseActor(AcceptedByUserId, AcceptedBy ?? "", [Roles.Clerk], AcceptedByDepartment);

    public bool IsFiler(CaseActor actor) => FilerRules.IsFiler(actor, Channel, OwnerUserId, AgentUserId, StationCode);

    private void RequireFiler(CaseActor actor)
    {
        if (!IsFiler(actor))
        {
            throw new CaseRuleException("只有申请人本人、代其申报的代办员或窗口工作人员可以办理此项");
        }
    }

    private void RequireFilerOrClerk(CaseActor actor)
    {
        if (!IsFiler(actor) && !actor.Is(Roles.Clerk))
        {
            throw new CaseRuleException("只有申请人、代办员或窗口工作人员可以提交材料");
        }
    }

    private static void RequireClerk(CaseActor actor)
    {
        if (!actor.Is(Roles.Clerk))
        {
            throw new CaseRuleException("只有窗口工作人员可以办理此项");
        }
    }

    private void Require(BundleState state, string message)
    {
        if (State != state)
        {
            throw new CaseRuleException($"{message}（当前状态：{Name(State)}）");
        }
    }

    public static string Name(BundleState state) => state switch
    {
        BundleState.Draft => "草稿",
        BundleState.Submitted => "待受理",
        BundleState.SupplementRequested => "待补正",
        BundleState.Accepted => "办理中",
        BundleState.Concluded => "已办结",
        BundleState.Stopped => "已终止",
        BundleState.NotAccepted => "不予受理",
    };

    private void Notify(string kind, DateTimeOffset now, string text) => Notices = [.. Notices, new BundleNotice(kind, now, text)];

    private void Move(string act, BundleState to, DateTimeOffset now, CaseActor actor, string? opinion, params (string Key, string? Value)[] data)
    {
        var from = State;
        State = to;
        Record(act, now, actor, opinion, from, data);
    }

    private void Record(string act, DateTimeOffset now, CaseActor actor, string? opinion, BundleState from, params (string Key, string? Value)[] data)
    {
        Version++;
        _records.Add(new BundleRecord(act, now, actor, opinion, data.Where(d => d.Value is not null).ToDictionary(d => d.Key, d => d.Value), from, State));
    }
}
