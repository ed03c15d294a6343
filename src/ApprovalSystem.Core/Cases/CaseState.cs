namespace ApprovalSystem.Core.Cases;

/// <summary>Where a case 办件 is in its lifecycle (DOMAIN.md).</summary>
public enum CaseState
{
    /// <summary>草稿: saved by the applicant, not yet filed.</summary>
    Draft,

    /// <summary>预受理: filed, waiting for the window's review (5 working days to tell what is missing).</summary>
    PreAcceptance,

    /// <summary>补正: the one-time supplement notice was given; waiting for the applicant.</summary>
    SupplementRequested,

    /// <summary>不予受理: refused at the window, with a reason.</summary>
    NotAccepted,

    /// <summary>办理中: accepted; the departments handle the workflow steps.</summary>
    Handling,

    /// <summary>特别程序: hearing, inspection, expert review…; the clock stops.</summary>
    Suspended,

    /// <summary>准予: approved.</summary>
    Approved,

    /// <summary>不予: denied, with reasons.</summary>
    Denied,

    /// <summary>已上报: passed up to a higher level (reported matters).</summary>
    Reported,

    /// <summary>已发证: the certificate was issued.</summary>
    CertificateIssued,

    /// <summary>已送达: the result was delivered to the applicant.</summary>
    Delivered,

    /// <summary>已归档.</summary>
    Archived,

    /// <summary>已撤回: withdrawn by the applicant.</summary>
    Withdrawn,
}

/// <summary>The acts that move a case; every one is journalled.</summary>
public enum CaseTrigger
{
    SaveDraft,
    Submit,
    Review,
    Accept,
    Refuse,
    RequestSupplement,
    Resubmit,
    Claim,
    Assign,
    ActOnTask,
    StartSpecialProcedure,
    EndSpecialProcedure,
    RequestExtension,
    ApproveExtension,
    RejectExtension,
    Withdraw,
    IssueCertificate,
    Deliver,
    Archive,

    /// <summary>业务系统推送: a department's line system reported a step of the case.</summary>
    ExternalState,
    /// <summary>撤销 the issued certificate (unlawfully granted); it is no longer valid.</summary>
    RevokeCertificate,

    /// <summary>注销 the issued certificate (the holder ceased, gave it up, …).</summary>
    CancelCertificate,

    /// <summary>The certificate was printed again 补打.</summary>
    ReprintCertificate,

    /// <summary>上传材料: a file was attached to a material of the checklist (before filing, or while the window reviews or waits for a supplement).</summary>
    AttachMaterial,

    /// <summary>流程迁移: an administrator moved the running case to another version of its flow.</summary>
    MigrateWorkflow,

    /// <summary>秒批: the automatic approver decided the accepted case, every condition of its matter's published rules holding.</summary>
    AutoApprove,
    /// <summary>事中事后核查: the verification of a commitment 告知承诺 scheduled at the approval, and its result (decision 0060).</summary>
    Verify,
}

public enum CaseChannel
{
    /// <summary>窗口: walk-in at the service hall.</summary>
    Window,

    /// <summary>网上申报: filed online by the applicant.</summary>
    Online,

    /// <summary>代办: filed by a township agent on behalf of a resident.</summary>
    Agent,

    /// <summary>部门业务系统: filed in a department's line system and mirrored here by the exchange.</summary>
    LineSystem,
}

/// <summary>
/// The lifecycle as an explicit table: from which states each act may be taken. The target state of
/// most acts is fixed; acting on a task may conclude the case, which the aggregate decides.
/// </summary>
public static class CaseLifecycle
{
    private static readonly CaseState[] Open = [CaseState.Draft, CaseState.PreAcceptance, CaseState.SupplementRequested, CaseState.Handling,
        CaseState.Suspended];

    /// <summary>The states in which the case's certificate exists (acts on it keep the state).</summary>
    private static readonly CaseState[] CertificateStates = [CaseState.CertificateIssued, CaseState.Delivered, CaseState.Archived];

    public static readonly IReadOnlyDictionary<CaseTrigger, CaseState[]> AllowedFrom = new Dictionary<CaseTrigger, CaseState[]>
    {
        [CaseTrigger.SaveDraft] = [CaseState.Draft],
        [CaseTrigger.Submit] = [CaseState.Draft],
        [CaseTrigger.Review] = [CaseState.PreAcceptance],
        [CaseTrigger.Accept] = [CaseState.PreAcceptance],
        [CaseTrigger.Refuse] = [CaseState.PreAcceptance],
        [CaseTrigger.RequestSupplement] = [CaseState.PreAcceptance],
        [CaseTrigger.Resubmit] = [CaseState.SupplementRequested],
        [CaseTrigger.Claim] = [CaseState.Handling, CaseState.Suspended],
        [CaseTrigger.Assign] = [CaseState.Handling, CaseState.Suspended],
        [CaseTrigger.ActOnTask] = [CaseState.Handling],
        [CaseTrigger.StartSpecialProcedure] = [CaseState.Handling],
        [CaseTrigger.EndSpecialProcedure] = [CaseState.Suspended],
        [CaseTrigger.RequestExtension] = [CaseState.Handling, CaseState.Suspended],
        [CaseTrigger.ApproveExtension] = [CaseState.Handling, CaseState.Suspended],
        [CaseTrigger.RejectExtension] = [CaseState.Handling, CaseState.Suspended],
        [CaseTrigger.Withdraw] = Open,
        [CaseTrigger.IssueCertificate] = [CaseState.Approved],
        [CaseTrigger.Deliver] = [CaseState.Approved, CaseState.CertificateIssued, CaseState.Denied, CaseState.NotAccepted, CaseState.Reported],
        [CaseTrigger.Archive] = [CaseState.Delivered, CaseState.NotAccepted, CaseState.Withdrawn],
        [CaseTrigger.ExternalState] = Enum.GetValues<CaseState>().Where(s => s != CaseState.Draft).ToArray(),
        [CaseTrigger.RevokeCertificate] = CertificateStates,
        [CaseTrigger.CancelCertificate] = CertificateStates,
        [CaseTrigger.ReprintCertificate] = CertificateStates,
        [CaseTrigger.AttachMaterial] = [CaseState.Draft, CaseState.PreAcceptance, CaseState.SupplementRequested],
        [CaseTrigger.MigrateWorkflow] = [CaseState.Handling, CaseState.Suspended],
        [CaseTrigger.AutoApprove] = [CaseState.Handling],
        [CaseTrigger.Verify] = [CaseState.Approved, .. CertificateStates],
    };

    public static bool CanFire(CaseState state, CaseTrigger trigger) => AllowedFrom[trigger].Contains(state);

    /// <summary>Open states: the case still waits for someone.</summary>
    public static bool IsOpen(CaseState state) => Open.Contains(state);

    /// <summary>The states of a case that is filed and not concluded (drafts are not filed yet).</summary>
    public static IReadOnlyList<CaseState> FiledOpenStates { get; } = [.. Open.Where(s => s != CaseState.Draft)];

    /// <summary>Concluded 办结: a decision or an end was reached.</summary>
    public static bool IsConcluded(CaseState state) => state is CaseState.Approved or CaseState.Denied or CaseState.Reported
        or CaseState.CertificateIssued or CaseState.Delivered or CaseState.Archived or CaseState.NotAccepted or CaseState.Withdrawn;

    public static string Name(CaseState state) => state switch
    {
        CaseState.Draft => "草稿",
        CaseState.PreAcceptance => "预受理",
        CaseState.SupplementRequested => "待补正",
        CaseState.NotAccepted => "不予受理",
        CaseState.Handling => "办理中",
        CaseState.Suspended => "特别程序",
        CaseState.Approved => "准予许可",
        CaseState.Denied => "不予许可",
        CaseState.Reported => "已上报",
        CaseState.CertificateIssued => "已发证",
        CaseState.Delivered => "已送达",
        CaseState.Archived => "已归档",
        CaseState.Withdrawn => "已撤回",
    };

    public static string Name(CaseTrigger trigger) => trigger switch
    {
        CaseTrigger.SaveDraft => "保存草稿",
        CaseTrigger.Submit => "提交申请",
        CaseTrigger.Review => "预审",
        CaseTrigger.Accept => "受理",
        CaseTrigger.Refuse => "不予受理",
        CaseTrigger.RequestSupplement => "一次性告知补正",
        CaseTrigger.Resubmit => "补正后重新提交",
        CaseTrigger.Claim => "签收",
        CaseTrigger.Assign => "分派",
        CaseTrigger.ActOnTask => "办理",
        CaseTrigger.StartSpecialProcedure => "启动特别程序",
        CaseTrigger.EndSpecialProcedure => "结束特别程序",
        CaseTrigger.RequestExtension => "申请延期",
        CaseTrigger.ApproveExtension => "批准延期",
        CaseTrigger.RejectExtension => "不批准延期",
        CaseTrigger.Withdraw => "撤回申请",
        CaseTrigger.IssueCertificate => "发证",
        CaseTrigger.Deliver => "送达",
        CaseTrigger.Archive => "归档",
        CaseTrigger.ExternalState => "业务系统推送",
        CaseTrigger.RevokeCertificate => "撤销证照",
        CaseTrigger.CancelCertificate => "注销证照",
        CaseTrigger.ReprintCertificate => "补打证照",
        CaseTrigger.AttachMaterial => "上传材料",
        CaseTrigger.MigrateWorkflow => "流程迁移",
        CaseTrigger.AutoApprove => "秒批",
        CaseTrigger.Verify => "事中事后核查",
    };

    public static string Channel(CaseChannel channel) => channel switch
    {
        CaseChannel.Window => "窗口受理",
        CaseChannel.Online => "网上申报",
        CaseChannel.Agent => "代办",
        CaseChannel.LineSystem => "部门业务系统",
    };

    /// <summary>The lifecycle in Graphviz DOT, for the documentation.</summary>
    public static string ToDot() =>
        "digraph CaseLifecycle {\n"
            + string.Join("\n", AllowedFrom.SelectMany(kv => kv.Value.Select(from => $"  {from} -> {Target(from, kv.Key)} [label=\"{kv.Key}\"];"))) + "\n}\n";

    private static string Target(CaseState from, CaseTrigger trigger) => trigger switch
    {
        CaseTrigger.Submit or CaseTrigger.Resubmit => nameof(CaseState.PreAcceptance),
        CaseTrigger.Accept => nameof(CaseState.Handling),
        CaseTrigger.Refuse => nameof(CaseState.NotAccepted),
        CaseTrigger.RequestSupplement => nameof(CaseState.SupplementRequested),
        CaseTrigger.ActOnTask => "Handling_or_Approved_Denied_Reported",
        CaseTrigger.StartSpecialProcedure => nameof(CaseState.Suspended),
        CaseTrigger.EndSpecialProcedure => nameof(CaseState.Handling),
        CaseTrigger.Withdraw => nameof(CaseState.Withdrawn),
        CaseTrigger.IssueCertificate => nameof(CaseState.CertificateIssued),
        CaseTrigger.Deliver => nameof(CaseState.Delivered),
        CaseTrigger.Archive => nameof(CaseState.Archived),
        CaseTrigger.AutoApprove => nameof(CaseState.Approved),
        _ => from.ToString(),
    };
}
