using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;

namespace ApprovalSystem.Core.Ratings;

/// <summary>Where a rectification 差评整改 is.</summary>
public enum RectificationState
{
    /// <summary>待回访: opened by a 差评; the department has not called the applicant back yet.</summary>
    Open,

    /// <summary>已回访: the call-back is recorded; the department fixes or explains.</summary>
    CalledBack,

    /// <summary>待确认: fixed or explained; the applicant confirms or contests.</summary>
    Resolved,

    /// <summary>重新整改: the applicant contested the resolution (once); the department resolves again.</summary>
    Reopened,

    /// <summary>已办结: the applicant confirmed, or did not contest a second resolution.</summary>
    Confirmed,

    /// <summary>申诉成立: a supervisor found the rating wrong or malicious; it no longer counts.</summary>
    Voided,
}

/// <summary>How the department answered the 差评.</summary>
public enum RectificationResolution
{
    /// <summary>已整改: what was wrong is fixed.</summary>
    Fixed,

    /// <summary>已解释: the request has no legal basis; the department explained why.</summary>
    Explained,
}

/// <summary>Why the department appeals a rating 申诉复核.</summary>
public enum AppealGround
{
    /// <summary>错评: the rating is about something else (another case, another organ) or was given by mistake.</summary>
    Wrong,

    /// <summary>恶意差评: a malicious rating (insults, extortion, repeated bad ratings without cause).</summary>
    Malicious,
}

/// <summary>Where the department's appeal is.</summary>
public enum AppealState
{
    None,

    /// <summary>待复核.</summary>
    Pending,

    /// <summary>申诉成立: the rating is taken out of the score.</summary>
    Upheld,

    /// <summary>申诉驳回: the rating stands and the rectification goes on.</summary>
    Rejected,
}

/// <summary>A rectification's act was not allowed.</summary>
public sealed class RectificationException : Exception
{
    public RectificationException(string message)
        : base(message)
    {
    }

    public RectificationException()
    {
    }

    public RectificationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>
/// A rectification 差评整改 (GB/T 39734-2020 §9.3): every 差评 opens one, owned by the department that handled the case, on a
/// working-day clock. The department records a call-back 回访 (when, whom, what was said), then resolves it as fixed 已整改 or
/// explained 已解释; the applicant confirms or contests (a contest reopens it once). The department may appeal the rating as wrong or
/// malicious 申诉复核, once; a supervisor decides, and an upheld appeal voids the rating. The clock stops at the first resolution: that
/// moment against <see cref="DueAt"/> is "rectified on time". Guards its own transitions; <see cref="Version"/> is a concurrency token.
/// </summary>
public sealed class Rectification
{
    private Rectification()
    {
    }

    public long Id { get; private set; }

    public long CaseId { get; private set; }

    public string CaseNumber { get; private set; } = "";

    public string MatterCode { get; private set; } = "";

    public string MatterName { get; private set; } = "";

    /// <summary>The department that handled the case and owns the rectification.</summary>
    public string Department { get; private set; } = "";

    /// <summary>The rated point of the case.</summary>
    public RatingPoint Point { get; private set; }

    public int RatingLevel { get; private set; }

    public string? RatingComment { get; private set; }

    /// <summary>Who rated (the applicant, or the agent who filed): they confirm or contest.</summary>
    public string RaterUserId { get; private set; } = "";

    public RectificationState State { get; private set; }

    public DateTimeOffset OpenedAt { get; private set; }

    /// <summary>The working days allowed (configuration; 5 by default).</summary>
    public int LimitDays { get; private set; }

    public DateTimeOffset DueAt { get; private set; }

    public DateTimeOffset WarnAt { get; private set; }

    public DateTimeOffset? CalledBackAt { get; private set; }

    public string? CalledWhom { get; private set; }

    public string? CallNotes { get; private set; }

    public string? CalledBackBy { get; private set; }

    public RectificationResolution? Resolution { get; private set; }

    public string? ResolutionText { get; private set; }

    public string? ResolvedBy { get; private set; }

    /// <summary>The first resolution: it stops the clock.</summary>
    public DateTimeOffset? ResolvedAt { get; private set; }

    /// <summary>The latest resolution (after a contest, the second).</summary>
    public DateTimeOffset? LastResolvedAt { get; private set; }

    public bool Contested { get; private set; }

    public string? ContestReason { get; private set; }

    public DateTimeOffset? ContestedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>
    /// The clock of the second round, started by the contest: the department has the same working days again to resolve it. Carded
    /// like the first (work item "rectification:7:reopened"); the second resolution stops it.
    /// </summary>
    public DateTimeOffset? ReopenedDueAt { get; private set; }

    public DateTimeOffset? ReopenedWarnAt { get; private set; }

    public AppealState Appeal { get; private set; }

    public AppealGround? AppealGround { get; private set; }

    public string? AppealReason { get; private set; }

    public string? AppealedBy { get; private set; }

    public DateTimeOffset? AppealedAt { get; private set; }

    public string? AppealDecision { get; private set; }

    public string? AppealDecidedBy { get; private set; }

    public DateTimeOffset? AppealDecidedAt { get; private set; }

    public int Version { get; private set; }

    /// <summary>The work item of its cards: a rectification is carded like a step (subject "case:42/step:rectification:7").</summary>
    public const string CardWorkItemPrefix = "rectification:";

    /// <summary>The card subject's work item of this rectification.</summary>
    public string CardWorkItem => CardWorkItemPrefix + Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The suffix of the second round's work item.</summary>
    public const string ReopenedSuffix = ":reopened";

    /// <summary>The card subject's work item of the second round, after a contest.</summary>
    public string ReopenedCardWorkItem => CardWorkItem + ReopenedSuffix;

    /// <summary>Fixed or explained in time: the first resolution by the due moment.</summary>
    public bool OnTime => ResolvedAt is { } r && r <= DueAt;

    /// <summary>Closed: confirmed by the applicant, or voided by an upheld appeal.</summary>
    public bool IsClosed => State is RectificationState.Confirmed or RectificationState.Voided;

    /// <summary>Past the due moment and not resolved yet; after a contest, past the second round's due moment and not resolved again.</summary>
    public bool IsOverdue(DateTimeOffset now) => State != RectificationState.Voided
        && (ResolvedAt is null ? now > DueAt : State == RectificationState.Reopened && ReopenedDueAt is { } again && now > again);

    /// <summary>The due moment the department works to now: the first one, or after a contest the second round's.</summary>
    public DateTimeOffset CurrentDueAt => State == RectificationState.Reopened && ReopenedDueAt is { } again ? again : DueAt;

    /// <summary>Opens the rectification of a 差评 (level 1 or 2) on a clock of <paramref name="limitDays"/> working days.</summary>
    public static Rectification Open(long caseId, string caseNumber, string matterCode, string matterName, string department, RatingPoint point,
        int level, string? comment, string raterUserId, DateTimeOffset now, int limitDays, WorkingTime time)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (!ServiceRatings.IsBad(level))
        {
            throw new RectificationException("只有差评（不满意、非常不满意）需要整改");
        }

        if (limitDays < 1)
        {
            throw new RectificationException("整改时限至少1个工作日");
        }

        var clock = Deadline.Start(now, limitDays, new WarningPolicy(1, null), time);
        return new Rectification
        {
            CaseId = caseId, CaseNumber = caseNumber, MatterCode = matterCode, MatterName = matterName, Department = department, Point = point,
            RatingLevel = level, RatingComment = comment, RaterUserId = raterUserId, State = RectificationState.Open, OpenedAt = now,
            LimitDays = limitDays, DueAt = clock.DueAt!.Value, WarnAt = clock.WarnAt ?? clock.DueAt!.Value,
        };
    }

    /// <summary>Records the call-back 回访: when the applicant was called, whom the department spoke to, and what was said.</summary>
    public void RecordCallBack(DateTimeOffset calledAt, string whom, string notes, CaseActor actor, DateTimeOffset now)
    {
        RequireDepartment(actor, "只有承办部门的工作人员可以记录回访");
        if (State is not (RectificationState.Open or RectificationState.CalledBack or RectificationState.Reopened))
        {
            throw new RectificationException(IsClosed ? "整改已办结，不能再记录回访" : "整改已答复，等待申请人确认");
        }

        if (string.IsNullOrWhiteSpace(whom) || string.IsNullOrWhiteSpace(notes))
        {
            throw new RectificationException("请填写回访对象和回访内容");
        }

        if (calledAt > now || calledAt < OpenedAt.AddDays(-1))
        {
            throw new RectificationException("回访时间应在差评之后、不晚于现在");
        }

        CalledBackAt = calledAt.ToUniversalTime(); // a time typed in China (+08:00) is stored as the instant it is
        CalledWhom = whom.Trim();
        CallNotes = notes.Trim();
        CalledBackBy = actor.Name;
        if (State == RectificationState.Open)
        {
            State = RectificationState.CalledBack;
        }

        Version++;
    }

    /// <summary>Resolves it: fixed 已整改 (what was fixed), or explained 已解释 (why the request has no legal basis). After a call-back only.</summary>
    public void Resolve(RectificationResolution resolution, string text, CaseActor actor, DateTimeOffset now)
    {
        RequireDepartment(actor, "只有承办部门的工作人员可以答复整改");
        if (State == RectificationState.Open)
        {
            throw new RectificationException("请先回访申请人并记录回访情况，再答复整改结果");
        }

        if (State is not (RectificationState.CalledBack or RectificationState.Reopened))
        {
            throw new RectificationException(IsClosed ? "整改已办结" : "整改已答复，等待申请人确认");
        }

        if (!Enum.IsDefined(resolution))
        {
            throw new RectificationException("请选择已整改或已解释");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new RectificationException(resolution == RectificationResolution.Fixed ? "请写明整改了什么" : "请写明解释内容及依据");
        }

        Resolution = resolution;
        ResolutionText = text.Trim();
        ResolvedBy = actor.Name;
        ResolvedAt ??= now;
        LastResolvedAt = now;
        State = RectificationState.Resolved;
        Version++;
    }

    /// <summary>The applicant confirms 确认 the resolution: closed.</summary>
    public void Confirm(CaseActor actor, DateTimeOffset now)
    {
        RequireRater(actor);
        if (State != RectificationState.Resolved)
        {
            throw new RectificationException("部门尚未答复整改结果，暂不能确认");
        }

        State = RectificationState.Confirmed;
        ClosedAt = now;
        Version++;
    }

    /// <summary>
    /// The applicant contests 异议 the resolution: it reopens once, for the department to resolve again. A second contest is refused
    /// (the applicant may complain 投诉 instead).
    /// </summary>
    public void Contest(string reason, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        ArgumentNullException.ThrowIfNull(time);
        RequireRater(actor);
        if (State != RectificationState.Resolved)
        {
            throw new RectificationException("部门尚未答复整改结果，暂不能提出异议");
        }

        if (Contested)
        {
            throw new RectificationException("您已提出过一次异议；如仍不满意，可以在办件页面投诉，监察部门将跟进");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new RectificationException("请写明对整改结果的异议");
        }

        Contested = true;
        ContestReason = reason.Trim();
        ContestedAt = now;
        State = RectificationState.Reopened;
        var again = Deadline.Start(now, LimitDays, new WarningPolicy(1, null), time);
        ReopenedDueAt = again.DueAt!.Value;
        ReopenedWarnAt = again.WarnAt ?? again.DueAt!.Value;
        Version++;
    }

    /// <summary>The department appeals 申诉 the rating as wrong or malicious, once, while the rectification is not closed.</summary>
    public void AppealRating(AppealGround ground, string reason, CaseActor actor, DateTimeOffset now)
    {
        RequireDepartment(actor, "只有承办部门的工作人员可以申诉");
        if (IsClosed)
        {
            throw new RectificationException("整改已办结，不能再申诉");
        }

        if (Appeal != AppealState.None)
        {
            throw new RectificationException("每条差评只能申诉一次");
        }

        if (!Enum.IsDefined(ground))
        {
            throw new RectificationException("请选择申诉理由：错评或恶意差评");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new RectificationException("请写明申诉理由和证据");
        }

        Appeal = AppealState.Pending;
        AppealGround = ground;
        AppealReason = reason.Trim();
        AppealedBy = actor.Name;
        AppealedAt = now;
        Version++;
    }

    /// <summary>A supervisor decides the appeal 复核: upheld voids the rating (it no longer counts) and closes the rectification.</summary>
    public void DecideAppeal(bool upheld, string decision, CaseActor supervisor, DateTimeOffset now)
    {
        if (!supervisor.Is(Roles.Supervisor))
        {
            throw new RectificationException("只有监察人员可以复核申诉");
        }

        if (Appeal != AppealState.Pending)
        {
            throw new RectificationException("没有待复核的申诉");
        }

        if (string.IsNullOrWhiteSpace(decision))
        {
            throw new RectificationException("请写明复核意见");
        }

        Appeal = upheld ? AppealState.Upheld : AppealState.Rejected;
        AppealDecision = decision.Trim();
        AppealDecidedBy = supervisor.Name;
        AppealDecidedAt = now;
        if (upheld)
        {
            State = RectificationState.Voided;
            ClosedAt = now;
        }

        Version++;
    }

    /// <summary>待回访 / 已回访 / 待确认 / 重新整改 / 已办结 / 申诉成立.</summary>
    public static string Name(RectificationState state) => state switch
    {
        RectificationState.Open => "待回访",
        RectificationState.CalledBack => "已回访",
        RectificationState.Resolved => "待申请人确认",
        RectificationState.Reopened => "重新整改",
        RectificationState.Confirmed => "已办结",
        RectificationState.Voided => "申诉成立",
    };

    /// <summary>已整改 / 已解释.</summary>
    public static string Name(RectificationResolution resolution) => resolution switch
    {
        RectificationResolution.Fixed => "已整改",
        RectificationResolution.Explained => "已解释",
    };

    /// <summary>错评 / 恶意差评.</summary>
    public static string Name(AppealGround ground) => ground switch
    {
        Ratings.AppealGround.Wrong => "错评",
        Ratings.AppealGround.Malicious => "恶意差评",
    };

    private void RequireDepartment(CaseActor actor, string message)
    {
        if (actor.Department != Department || !(actor.Is(Roles.Officer) || actor.Is(Roles.DepartmentHead)))
        {
            throw new RectificationException(message);
        }
    }

    private void RequireRater(CaseActor actor)
    {
        if (actor.UserId != RaterUserId)
        {
            throw new RectificationException("只有评价人本人可以确认或提出异议");
        }
    }
}
