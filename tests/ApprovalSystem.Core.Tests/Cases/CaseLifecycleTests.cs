using ApprovalSystem.Core.Cases;
using ApprovalSystem.Workflows;
using static ApprovalSystem.Core.Tests.Cases.CaseFixture;

namespace ApprovalSystem.Core.Tests.Cases;

/// <summary>The lifecycle table (<see cref="CaseLifecycle.AllowedFrom"/>) as the aggregate's verbs enforce it.</summary>
public class CaseLifecycleTests
{
    private const string GuardPrefix = "办件当前状态为";

    public static TheoryData<CaseState, CaseTrigger> Forbidden()
    {
        var data = new TheoryData<CaseState, CaseTrigger>();
        foreach (var trigger in Enum.GetValues<CaseTrigger>())
        {
            foreach (var state in Enum.GetValues<CaseState>().Where(s => !CaseLifecycle.AllowedFrom[trigger].Contains(s)))
            {
                data.Add(state, trigger);
            }
        }

        return data;
    }

    public static TheoryData<CaseState, CaseTrigger> Allowed()
    {
        var data = new TheoryData<CaseState, CaseTrigger>();
        foreach (var (trigger, states) in CaseLifecycle.AllowedFrom)
        {
            foreach (var state in states)
            {
                data.Add(state, trigger);
            }
        }

        return data;
    }

    [Fact]
    public void AllowedFrom_HasARowForEveryTrigger()
    {
        Assert.All(Enum.GetValues<CaseTrigger>(), t => Assert.NotEmpty(CaseLifecycle.AllowedFrom[t]));
    }

    [Fact]
    public void Name_EveryStateHasItsOwnChineseName()
    {
        var names = Enum.GetValues<CaseState>().Select(CaseLifecycle.Name).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Contains(n, ch => ch is >= '\u4e00' and <= '\u9fff'));
    }

    [Fact]
    public void InState_FixtureReachesEveryState()
    {
        Assert.All(Enum.GetValues<CaseState>(), s => Assert.Equal(s, InState(s).State));
    }

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void Verb_FromAStateTheTableDoesNotAllow_ThrowsNamingTheStateInChinese(CaseState state, CaseTrigger trigger)
    {
        var c = InState(state);
        var recordsBefore = c.PendingRecords.Count;

        var e = Assert.Throws<CaseRuleException>(() => Fire(c, trigger));

        Assert.Equal($"{GuardPrefix}“{CaseLifecycle.Name(state)}”，不能{CaseLifecycle.Name(trigger)}", e.Message);
        Assert.Equal(state, c.State);
        Assert.Equal(recordsBefore, c.PendingRecords.Count);
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Verb_FromAStateTheTableAllows_PassesTheStateGuard(CaseState state, CaseTrigger trigger)
    {
        var c = InState(state);

        var e = Record.Exception(() => Fire(c, trigger));

        // Other rules (a missing pending extension, a certificate not yet issued…) may still refuse; the state may not.
        Assert.False(e is CaseRuleException { Message: var m } && m.StartsWith(GuardPrefix, StringComparison.Ordinal), e?.Message);
        Assert.False(e is not null and not CaseRuleException, e?.ToString());
    }

    // ---- the lifecycle of DOMAIN.md, written out here on its own -----------------------------------

    /// <summary>
    /// From which states each act may be taken, written from DOMAIN.md ("Case lifecycle") rather than
    /// copied from the code's table: a row changed by mistake in <see cref="CaseLifecycle.AllowedFrom"/>
    /// fails here.
    /// </summary>
    private static readonly Dictionary<CaseTrigger, CaseState[]> Domain = new()
    {
        // draft ─submit→ pre-acceptance; only a draft is edited.
        [CaseTrigger.SaveDraft] = [CaseState.Draft],
        [CaseTrigger.Submit] = [CaseState.Draft],

        // pre-acceptance ─→ accepted / supplement requested / not accepted; the window checks the materials there.
        [CaseTrigger.Review] = [CaseState.PreAcceptance],
        [CaseTrigger.Accept] = [CaseState.PreAcceptance],
        [CaseTrigger.RequestSupplement] = [CaseState.PreAcceptance],
        [CaseTrigger.Refuse] = [CaseState.PreAcceptance],

        // supplement requested ─resubmitted→ pre-acceptance.
        [CaseTrigger.Resubmit] = [CaseState.SupplementRequested],

        // handling: officers act on steps; a special procedure suspends (clock stops) and resumes.
        [CaseTrigger.ActOnTask] = [CaseState.Handling],
        [CaseTrigger.StartSpecialProcedure] = [CaseState.Handling],
        [CaseTrigger.EndSpecialProcedure] = [CaseState.Suspended],

        // Work is claimed, assigned and its limit extended while the case is handled, suspended or not.
        [CaseTrigger.Claim] = [CaseState.Handling, CaseState.Suspended],
        [CaseTrigger.Assign] = [CaseState.Handling, CaseState.Suspended],
        [CaseTrigger.RequestExtension] = [CaseState.Handling, CaseState.Suspended],
        [CaseTrigger.ApproveExtension] = [CaseState.Handling, CaseState.Suspended],
        [CaseTrigger.RejectExtension] = [CaseState.Handling, CaseState.Suspended],

        // any open state → withdrawn (by the applicant).
        [CaseTrigger.Withdraw] = [CaseState.Draft, CaseState.PreAcceptance, CaseState.SupplementRequested, CaseState.Handling, CaseState.Suspended],

        // approved → certificate issued → delivered → archived; every decision without a certificate is delivered too.
        [CaseTrigger.IssueCertificate] = [CaseState.Approved],
        [CaseTrigger.Deliver] = [CaseState.Approved, CaseState.CertificateIssued, CaseState.Denied, CaseState.NotAccepted, CaseState.Reported],
        [CaseTrigger.Archive] = [CaseState.Delivered, CaseState.NotAccepted, CaseState.Withdrawn],

        // The register's acts on an issued certificate keep the case where it is.
        [CaseTrigger.RevokeCertificate] = [CaseState.CertificateIssued, CaseState.Delivered, CaseState.Archived],
        [CaseTrigger.CancelCertificate] = [CaseState.CertificateIssued, CaseState.Delivered, CaseState.Archived],
        [CaseTrigger.ReprintCertificate] = [CaseState.CertificateIssued, CaseState.Delivered, CaseState.Archived],

        // Materials are handed in while filing, while the window reviews them and while it waits for the supplement.
        [CaseTrigger.AttachMaterial] = [CaseState.Draft, CaseState.PreAcceptance, CaseState.SupplementRequested],

        // An administrator moves a case being handled to another version of its flow.
        [CaseTrigger.MigrateWorkflow] = [CaseState.Handling, CaseState.Suspended],

        // A line system reports the state of a case it handles, from filing on.
        [CaseTrigger.ExternalState] = [.. Enum.GetValues<CaseState>().Where(s => s != CaseState.Draft)],

        // 秒批: the automatic approver accepts a filed case (Accept, above) and decides it in the same act (decision 0059).
        [CaseTrigger.AutoApprove] = [CaseState.Handling],

        // 告知承诺: the commitment is verified after the approval, whatever happened to the certificate since (decision 0060).
        [CaseTrigger.Verify] = [CaseState.Approved, CaseState.CertificateIssued, CaseState.Delivered, CaseState.Archived],
    };

    [Fact]
    public void AllowedFrom_IsTheLifecycleOfTheDomain()
    {
        Assert.Equal(Domain.Keys.Order(), CaseLifecycle.AllowedFrom.Keys.Order());
        Assert.All(Domain, row => Assert.True(
            row.Value.Order().SequenceEqual(CaseLifecycle.AllowedFrom[row.Key].Order()),
            $"{row.Key}: the domain allows {string.Join(", ", row.Value.Order())}; the code {string.Join(", ", CaseLifecycle.AllowedFrom[row.Key].Order())}"));
    }

    /// <summary>Where each arrow of DOMAIN.md's diagram leads when the aggregate's verb is used.</summary>
    [Theory]
    [InlineData(CaseState.Draft, CaseTrigger.Submit, CaseState.PreAcceptance)]
    [InlineData(CaseState.PreAcceptance, CaseTrigger.Accept, CaseState.Handling)]
    [InlineData(CaseState.PreAcceptance, CaseTrigger.RequestSupplement, CaseState.SupplementRequested)]
    [InlineData(CaseState.PreAcceptance, CaseTrigger.Refuse, CaseState.NotAccepted)]
    [InlineData(CaseState.PreAcceptance, CaseTrigger.Review, CaseState.PreAcceptance)]
    [InlineData(CaseState.SupplementRequested, CaseTrigger.Resubmit, CaseState.PreAcceptance)]
    [InlineData(CaseState.Handling, CaseTrigger.StartSpecialProcedure, CaseState.Suspended)]
    [InlineData(CaseState.Suspended, CaseTrigger.EndSpecialProcedure, CaseState.Handling)]
    [InlineData(CaseState.Handling, CaseTrigger.ActOnTask, CaseState.Handling)]
    [InlineData(CaseState.Approved, CaseTrigger.IssueCertificate, CaseState.CertificateIssued)]
    [InlineData(CaseState.CertificateIssued, CaseTrigger.Deliver, CaseState.Delivered)]
    [InlineData(CaseState.Denied, CaseTrigger.Deliver, CaseState.Delivered)]
    [InlineData(CaseState.Delivered, CaseTrigger.Archive, CaseState.Archived)]
    [InlineData(CaseState.NotAccepted, CaseTrigger.Archive, CaseState.Archived)]
    [InlineData(CaseState.Withdrawn, CaseTrigger.Archive, CaseState.Archived)]
    [InlineData(CaseState.Draft, CaseTrigger.Withdraw, CaseState.Withdrawn)]
    [InlineData(CaseState.PreAcceptance, CaseTrigger.Withdraw, CaseState.Withdrawn)]
    [InlineData(CaseState.SupplementRequested, CaseTrigger.Withdraw, CaseState.Withdrawn)]
    [InlineData(CaseState.Handling, CaseTrigger.Withdraw, CaseState.Withdrawn)]
    [InlineData(CaseState.Suspended, CaseTrigger.Withdraw, CaseState.Withdrawn)]
    public void Verb_LeadsWhereTheDomainSays(CaseState from, CaseTrigger trigger, CaseState to)
    {
        var c = InState(from);

        Fire(c, trigger);

        Assert.Equal(to, c.State);
    }

    [Fact]
    public void Handling_ConcludesApprovedOrDenied_ByItsLastStep()
    {
        Assert.Equal(CaseState.Approved, ApprovedPromisedSingle().State);

        var denied = Accepted();
        Act(denied, "承办", Officer(), Local(3, 3), Outcome.Deny, "经营场所不符合要求");
        Assert.Equal(CaseState.Denied, denied.State);
    }

    // ---- a representative set, by name ------------------------------------------------------------

    [Fact]
    public void Accept_OnADraft_ThrowsNamingTheDraftState()
    {
        var c = Drafted();

        var e = Assert.Throws<CaseRuleException>(() => c.Accept(Flow("promised-single"), Clerk, Monday, Time));

        Assert.Contains("草稿", e.Message, StringComparison.Ordinal);
        Assert.Null(c.AcceptedAt);
    }

    [Fact]
    public void Submit_Twice_Throws()
    {
        var c = Submitted();

        var e = Assert.Throws<CaseRuleException>(() => c.Submit("330799-20260302-0002", "ZZZZ", Applicant, Monday, Time));

        Assert.Contains("预受理", e.Message, StringComparison.Ordinal);
        Assert.Equal("330799-20260302-0001", c.Number);
    }

    [Fact]
    public void Refuse_AfterAcceptance_Throws()
    {
        var c = Accepted();

        var e = Assert.Throws<CaseRuleException>(() => c.Refuse("材料不全", Clerk, Local(3, 3), Time));

        Assert.Contains("办理中", e.Message, StringComparison.Ordinal);
        Assert.Null(c.RefusalReason);
    }

    [Fact]
    public void Withdraw_AfterApproval_Throws()
    {
        var c = ApprovedPromisedSingle();

        var e = Assert.Throws<CaseRuleException>(() => c.Withdraw("不要了", Applicant, Local(3, 6), Time));

        Assert.Contains("准予许可", e.Message, StringComparison.Ordinal);
        Assert.Equal(CaseState.Approved, c.State);
    }

    [Fact]
    public void Deliver_ApprovedCaseWithACertificateTypeBeforeIssue_Throws()
    {
        var c = ApprovedPromisedSingle();

        var e = Assert.Throws<CaseRuleException>(() => c.Deliver("邮寄", Clerk, Local(3, 6)));

        Assert.Equal("请先发证再送达", e.Message);
        Assert.Null(c.DeliveredAt);
    }

    [Fact]
    public void Deliver_ApprovedCaseOfAMatterWithoutCertificate_DeliversTheDecision()
    {
        var c = ApprovedPromisedSingle(Matter(certificate: null));

        c.Deliver("  邮寄  ", Clerk, Local(3, 6));

        Assert.Equal(CaseState.Delivered, c.State);
        Assert.Equal("邮寄", c.DeliveryMethod);
        Assert.Equal(Local(3, 6), c.DeliveredAt);
    }

    [Fact]
    public void IssueCertificate_ForAMatterWithoutCertificate_Throws()
    {
        var c = ApprovedPromisedSingle(Matter(certificate: null));

        Assert.Throws<CaseRuleException>(() => c.IssueCertificate("X-1", Clerk, Local(3, 6)));
        Assert.Equal(CaseState.Approved, c.State);
    }

    [Fact]
    public void IssueCertificateDeliverArchive_InOrder_ReachArchivedWithTheirRecords()
    {
        var c = ApprovedPromisedSingle();

        c.IssueCertificate("JY13307990000001", Officer(), Local(3, 6));
        c.Deliver("", Clerk, Local(3, 9));
        c.ArchiveCase(["准予行政许可决定书.pdf"], 30, " 档案室A-01 ", Clerk, Local(3, 10));

        Assert.Equal(CaseState.Archived, c.State);
        Assert.Equal("JY13307990000001", c.CertificateNumber);
        Assert.Equal(Local(3, 6), c.CertificateIssuedAt);
        Assert.Equal("窗口领取", c.DeliveryMethod);
        Assert.Equal(new ArchiveRecord(c.Archive!.Files, 30, "档案室A-01", Local(3, 10), Clerk.Name), c.Archive);
    }

    [Fact]
    public void IssueCertificate_ByAnOfficerOfAnotherDepartment_Throws()
    {
        var c = ApprovedPromisedSingle();

        Assert.Throws<CaseRuleException>(() => c.IssueCertificate("X-1", Officer("sw-o1", "SW"), Local(3, 6)));
    }

    [Theory]
    [InlineData(CaseState.Approved)]
    [InlineData(CaseState.CertificateIssued)]
    [InlineData(CaseState.Denied)]
    public void Archive_BeforeDelivery_Throws(CaseState state)
    {
        var c = InState(state);

        var e = Assert.Throws<CaseRuleException>(() => c.ArchiveCase(["决定书.pdf"], 30, "档案室", Clerk, Local(3, 10)));

        Assert.Contains(CaseLifecycle.Name(state), e.Message, StringComparison.Ordinal);
        Assert.Null(c.Archive);
    }

    [Theory]
    [InlineData(0, 30, "档案室")]
    [InlineData(1, 0, "档案室")]
    [InlineData(1, 30, " ")]
    public void Archive_WithoutFilesRetentionOrLocation_Throws(int files, int years, string location)
    {
        var c = InState(CaseState.Delivered);

        Assert.Throws<CaseRuleException>(() => c.ArchiveCase(Enumerable.Repeat("决定书.pdf", files).ToList(), years, location, Clerk, Local(3, 10)));
        Assert.Equal(CaseState.Delivered, c.State);
    }

    [Fact]
    public void Archive_NotAcceptedCase_NeedsNoDelivery()
    {
        var c = InState(CaseState.NotAccepted);

        c.ArchiveCase(["不予受理通知书.pdf"], 10, "档案室", Clerk, Local(3, 10));

        Assert.Equal(CaseState.Archived, c.State);
    }

    [Fact]
    public void Resubmit_WhenNoSupplementWasRequested_Throws()
    {
        var c = Submitted();

        var e = Assert.Throws<CaseRuleException>(() => c.Resubmit(Applicant, Monday, Time));

        Assert.Contains("预受理", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resubmit_AfterASupplementRequest_ReturnsToPreAcceptanceWithAFreshReviewClock()
    {
        var c = InState(CaseState.SupplementRequested);

        c.Resubmit(Applicant, Local(3, 9), Time, "已补齐营业执照复印件");

        Assert.Equal(CaseState.PreAcceptance, c.State);
        Assert.Equal(Time.DueAfter(Local(3, 9), Case.ReviewLimitDays), c.Review.DueAt);
        Assert.Equal(0, c.Review.UsedDays);
    }

    [Fact]
    public void Act_WhileSuspended_Throws()
    {
        var c = InState(CaseState.Suspended);

        var e = Assert.Throws<CaseRuleException>(() => Act(c, "承办", Officer(), Local(3, 4)));

        Assert.Contains("特别程序", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Act_AfterTheCaseIsDecided_Throws()
    {
        var c = InState(CaseState.Denied);

        Assert.Throws<CaseRuleException>(() => c.Act(Flow("promised-single"), "wi-1", Outcome.Approve, "同意", null, Officer(), Local(3, 4), Time));
    }

    [Fact]
    public void EndSpecialProcedure_WhenNoneIsRunning_Throws()
    {
        var c = Accepted();

        var e = Assert.Throws<CaseRuleException>(() => c.EndSpecialProcedure("完成", Officer(), Local(3, 4), Time));

        Assert.Contains("办理中", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AttachMaterial_AfterAcceptance_Throws()
    {
        var c = Accepted();

        Assert.Throws<CaseRuleException>(() => c.AttachMaterial("授权委托书", "ab", "a.pdf", 10, Applicant, Local(3, 3)));
    }

    [Fact]
    public void AttachMaterial_NotOnTheChecklist_Throws()
    {
        var c = Drafted();

        Assert.Throws<CaseRuleException>(() => c.AttachMaterial("户口本", "ab", "a.pdf", 10, Applicant, Monday));
    }

    /// <summary>Calls the verb that fires <paramref name="trigger"/> with an actor and arguments that satisfy the other rules where they can.</summary>
    private static void Fire(Case c, CaseTrigger trigger)
    {
        var now = Local(3, 11);
        var flow = Flow(c.WorkflowId);
        var item = c.OpenSteps.FirstOrDefault()?.WorkItemId ?? "wi-1";
        switch (trigger)
        {
            case CaseTrigger.SaveDraft:
                c.UpdateDraft(new Dictionary<string, string> { ["unitName"] = "改" }, Person, Applicant, now);
                break;
            case CaseTrigger.Submit:
                c.Submit("330799-20260311-0009", "ABCD", Applicant, now, Time);
                break;
            case CaseTrigger.Review:
                c.ReviewMaterials(["食品经营许可申请书"], Clerk, now);
                break;
            case CaseTrigger.Accept:
                c.Accept(flow, Clerk, now, Time);
                break;
            case CaseTrigger.Refuse:
                c.Refuse("不属于本部门职权范围", Clerk, now, Time);
                break;
            case CaseTrigger.RequestSupplement:
                c.RequestSupplement(["营业执照复印件"], Clerk, now, Time);
                break;
            case CaseTrigger.Resubmit:
                c.Resubmit(Applicant, now, Time);
                break;
            case CaseTrigger.Claim:
                c.Claim(item, Officer(), now);
                break;
            case CaseTrigger.Assign:
                c.Assign(item, "scjg-o2", "经办人scjg-o2", "SCJG", Head(), now);
                break;
            case CaseTrigger.ActOnTask:
                c.Act(flow, item, Outcome.Approve, "同意", null, Officer(), now, Time);
                break;
            case CaseTrigger.StartSpecialProcedure:
                c.StartSpecialProcedure("专家评审", "需专家评审", Officer(), now, Time);
                break;
            case CaseTrigger.EndSpecialProcedure:
                c.EndSpecialProcedure("评审通过", Officer(), now, Time);
                break;
            case CaseTrigger.RequestExtension:
                c.RequestExtension("情况复杂", Officer(), now, 10);
                break;
            case CaseTrigger.ApproveExtension:
                c.AnswerExtension(true, "同意延期", Head(), now, Time);
                break;
            case CaseTrigger.RejectExtension:
                c.AnswerExtension(false, "不同意", Head(), now, Time);
                break;
            case CaseTrigger.Withdraw:
                c.Withdraw("不再需要", Applicant, now, Time);
                break;
            case CaseTrigger.IssueCertificate:
                c.IssueCertificate("JY13307990000002", Clerk, now);
                break;
            case CaseTrigger.Deliver:
                c.Deliver("窗口领取", Clerk, now);
                break;
            case CaseTrigger.Archive:
                c.ArchiveCase(["决定书.pdf"], 30, "档案室", Clerk, now);
                break;
            case CaseTrigger.ExternalState:
                c.ApplyExternalState(new ExternalStateReport("SCJG-YW", "X-1", "e-1", ExternalStep.Processing, "审查", "同意", CaseActor.System("市场监管业务系统"), now), Time);
                break;
            case CaseTrigger.RevokeCertificate:
            case CaseTrigger.CancelCertificate:
                c.RecordCertificateAct(trigger, "以欺骗手段取得许可", new CaseActor("admin", "系统管理员", [ApprovalSystem.Core.Identity.Roles.Administrator]), now);
                break;
            case CaseTrigger.ReprintCertificate:
                c.RecordCertificateAct(trigger, null, Clerk, now);
                break;
            case CaseTrigger.AttachMaterial:
                c.AttachMaterial(c.Materials[0].Name, "ab", "a.pdf", 10, Clerk, now);
                break;
            case CaseTrigger.MigrateWorkflow:
                c.MigrateWorkflow(flow, flow, new Dictionary<string, string>(), null, new CaseActor("admin", "系统管理员", [ApprovalSystem.Core.Identity.Roles.Administrator]),
                    now, Time);
                break;
            case CaseTrigger.AutoApprove:
                c.DecideAutomatically(flow, new AutoApprovalGrant(c.MatterCode, 1, true), CaseActor.AutoApprover, now, Time);
                break;
            case CaseTrigger.Verify:
                c.RecordVerification(true, null, Officer(), now, Time);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(trigger), trigger, null);
        }
    }
}
