using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Core.Tests.Calendar;
using ApprovalSystem.Core.Tests.Workflows;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Tests.Cases;

/// <summary>
/// Matters, people and instants for the case tests, and builders that walk a case through the real
/// lifecycle into any state. Instants are UTC; China local time is UTC+8.
/// </summary>
internal static class CaseFixture
{
    public static readonly WorkingTime Time = new(Calendar2026.Create());

    /// <summary>Mon 2026-03-02 10:00 local: a plain working week with no holiday before 4 April.</summary>
    public static readonly DateTimeOffset Monday = Local(3, 2, 10);

    public static readonly CaseActor Applicant = new("app-1", "张三", [Roles.Applicant]);

    public static readonly CaseActor OtherApplicant = new("app-2", "李四", [Roles.Applicant]);

    public static readonly CaseActor Agent = new("agent-1", "王代办", [Roles.Agent], Station: "ST-XIAN");

    public static readonly CaseActor Clerk = new("clerk-1", "陈窗口", [Roles.Clerk], "FWZX");

    public static readonly CaseActor Supervisor = new("sup-1", "周监察", [Roles.Supervisor]);

    public static readonly ApplicantInfo Person = new()
    {
        Name = "张三",
        IdType = ApplicantIdType.ResidentId,
        IdNumber = "330702199003071234",
        Phone = "13800000000",
    };

    /// <summary>A local (UTC+8) wall-clock time in 2026, as the UTC instant.</summary>
    public static DateTimeOffset Local(int month, int day, int hour = 10, int minute = 0) =>
        new DateTimeOffset(2026, month, day, hour, minute, 0, WorkingTime.ChinaOffset).ToUniversalTime();

    /// <summary>The end (24:00 local) of a 2026 day: 16:00 UTC of that date.</summary>
    public static DateTimeOffset EndOf(int month, int day) => new(2026, month, day, 16, 0, 0, TimeSpan.Zero);

    public static CaseActor Officer(string id = "scjg-o1", string department = "SCJG") => new(id, "经办人" + id, [Roles.Officer], department);

    public static CaseActor Head(string department = "SCJG") => new($"head.{department.ToLowerInvariant()}", department + "负责人", [Roles.DepartmentHead], department);

    public static MatterSnapshot Matter(
        MatterKind kind = MatterKind.Promised,
        string workflow = "promised-single",
        int legal = 20,
        int promised = 10,
        string? certificate = "food-business-licence",
        WarningPolicy? warning = null,
        string department = "SCJG") => new(
            7,
            "330799-SCJG-002",
            "食品经营许可（新办）",
            kind,
            department,
            legal,
            promised,
            0m,
            certificate,
            warning ?? new WarningPolicy(2, null),
            workflow,
            [
                new MaterialRequirement { Name = "食品经营许可申请书", Required = true, Form = MaterialForm.Original },
                new MaterialRequirement { Name = "营业执照复印件", Required = true, Form = MaterialForm.Copy },
                new MaterialRequirement { Name = "授权委托书", Required = false, Form = MaterialForm.Original, Condition = "委托他人办理的提供" },
            ]);

    public static MatterSnapshot Joint() => Matter(MatterKind.Joint, "joint-market-entry", legal: 45, promised: 10, certificate: null);

    public static MatterSnapshot CapitalConstruction() => Matter(MatterKind.Joint, "capital-construction", legal: 45, promised: 30, certificate: null);

    public static MatterSnapshot Immediate() => Matter(MatterKind.Immediate, "immediate", legal: 20, promised: 0, certificate: null, warning: new WarningPolicy(null, 80));

    public static MatterSnapshot Reported() => Matter(MatterKind.Reported, "reported", legal: 20, promised: 5, certificate: null);

    public static MatterSnapshot Countersign() => Matter(MatterKind.Promised, "countersign-review", legal: 20, promised: 10, certificate: null);

    public static WorkflowDefinition Flow(string id) => ShippedWorkflows.Get(id);

    public static Case Drafted(MatterSnapshot? matter = null, CaseActor? filer = null, IReadOnlyDictionary<string, string>? form = null, DateTimeOffset? at = null) =>
        Case.Draft(matter ?? Matter(), Person, form ?? new Dictionary<string, string> { ["unitName"] = "云溪县张三便利店" }, filer ?? Applicant, at ?? Monday.AddDays(-3));

    public static Case Submitted(MatterSnapshot? matter = null, CaseActor? filer = null, IReadOnlyDictionary<string, string>? form = null, DateTimeOffset? at = null)
    {
        var c = Drafted(matter, filer, form, at?.AddHours(-1));
        c.Submit("330799-20260302-0001", "Q7K2", filer ?? Applicant, at ?? Monday.AddDays(-3), Time);
        return c;
    }

    /// <summary>Filed online, every material received, accepted by the clerk at <paramref name="at"/> (Monday 2 March 10:00 by default).</summary>
    public static Case Accepted(MatterSnapshot? matter = null, IReadOnlyDictionary<string, string>? form = null, DateTimeOffset? at = null)
    {
        var m = matter ?? Matter();
        var when = at ?? Monday;
        var c = Submitted(m, form: form, at: when.AddHours(-2));
        c.ReviewMaterials(m.Materials.Select(x => x.Name).ToList(), Clerk, when.AddMinutes(-5));
        c.Accept(Flow(m.WorkflowId), Clerk, when, Time, "材料齐全，予以受理");
        return c;
    }

    /// <summary>The open step of a workflow step (and department, for joint steps).</summary>
    public static CaseStep Open(Case c, string title, string? department = null) =>
        Assert.Single(c.OpenSteps, s => s.Title == title && (department is null || s.Department == department));

    public static void Act(Case c, string title, CaseActor actor, DateTimeOffset at, Outcome outcome = Outcome.Approve, string? opinion = "同意", string? department = null) =>
        c.Act(Flow(c.WorkflowId), Open(c, title, department).WorkItemId, outcome, opinion, null, actor, at, Time);

    /// <summary>承办 → 审核 → 审批 all approved on the promised-single flow, one working day apart.</summary>
    public static Case ApprovedPromisedSingle(MatterSnapshot? matter = null)
    {
        var c = Accepted(matter);
        Act(c, "承办", Officer(), Local(3, 3), opinion: "材料真实，符合条件");
        Act(c, "审核", Officer("scjg-o2"), Local(3, 4), opinion: "同意承办意见");
        Act(c, "审批", Head(), Local(3, 5), opinion: "准予许可");
        return c;
    }

    /// <summary>A case of the promised-single matter (with a certificate) brought into <paramref name="state"/> through its verbs.</summary>
    public static Case InState(CaseState state)
    {
        switch (state)
        {
            case CaseState.Draft:
                return Drafted();
            case CaseState.PreAcceptance:
                return Submitted();
            case CaseState.SupplementRequested:
            {
                var c = Submitted();
                c.RequestSupplement(["营业执照复印件"], Clerk, Monday, Time);
                return c;
            }

            case CaseState.NotAccepted:
            {
                var c = Submitted();
                c.Refuse("不属于本部门职权范围", Clerk, Monday, Time);
                return c;
            }

            case CaseState.Handling:
                return Accepted();
            case CaseState.Suspended:
            {
                var c = Accepted();
                c.StartSpecialProcedure("现场核查", "需现场核查经营场所", Officer(), Local(3, 3), Time);
                return c;
            }

            case CaseState.Approved:
                return ApprovedPromisedSingle();
            case CaseState.Denied:
            {
                var c = Accepted();
                Act(c, "承办", Officer(), Local(3, 3), Outcome.Deny, "经营场所不符合要求");
                return c;
            }

            case CaseState.Reported:
            {
                var c = Accepted(Reported());
                Act(c, "受理审查", Officer(), Local(3, 3));
                Act(c, "上报上级", Head(), Local(3, 4));
                return c;
            }

            case CaseState.CertificateIssued:
            {
                var c = ApprovedPromisedSingle();
                c.IssueCertificate("JY13307990000001", Clerk, Local(3, 6));
                return c;
            }

            case CaseState.Delivered:
            {
                var c = InState(CaseState.CertificateIssued);
                c.Deliver("窗口领取", Clerk, Local(3, 9));
                return c;
            }

            case CaseState.Archived:
            {
                var c = InState(CaseState.Delivered);
                c.ArchiveCase(["受理通知书.pdf", "准予行政许可决定书.pdf"], 30, "档案室A-01", Clerk, Local(3, 10));
                return c;
            }

            case CaseState.Withdrawn:
            {
                var c = Submitted();
                c.Withdraw("不再需要", Applicant, Monday, Time);
                return c;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, null);
        }
    }
}
