using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Supervision.Alerts;

/// <summary>
/// The process rules of <see cref="ProcessSupervision"/> (Core) run by the scan: on every case
/// whose journal moved, and once per scan on the decided cases still waiting for their archive
/// (the one rule that fires with time alone; the overdue step is raised with its red card).
/// </summary>
public sealed class ProcessRuleSet(WorkflowCatalog catalog, SupervisionOptions options) : ISupervisionRuleSet
{
    public async Task<IReadOnlyList<SupervisionAlertDraft>> EvaluateAsync(AppDbContext db, Case c, WorkingTime time, DateTimeOffset now, CancellationToken ct)
    {
        var facts = CaseFacts.From(c, await WorkflowOfAsync(c, ct));
        if (c.Channel == CaseChannel.LineSystem)
        {
            // Filed and concluded in a department's line system (pushed through the exchange): never
            // accepted or handled at the centre — 体外循环.
            var name = await db.LineSystems.AsNoTracking().Where(l => l.Code == c.ExternalSystem).Select(l => l.Name).FirstOrDefaultAsync(ct);
            facts = facts with { LineSystem = name ?? c.ExternalSystem, LineConcludedAt = c.ConcludedAt, HandledInSystem = false };
        }

        if (c.AutoApproved)
        {
            // 秒批: the version the decision named, as it stands now (published when, retired when).
            var version = await db.AutoApprovalRuns.AsNoTracking().Where(r => r.CaseId == c.Id && r.Approved).OrderByDescending(r => r.Id)
                .Join(db.AutoApprovalRuleVersions.AsNoTracking(), r => r.RuleVersionId, v => v.Id, (r, v) => new { v.Version, v.PublishedAt, v.RetiredAt })
                .FirstOrDefaultAsync(ct);
            facts = facts with { AutoApproval = version is null ? new AutoApprovalFacts(0, null, null)
                : new AutoApprovalFacts(version.Version, version.PublishedAt, version.RetiredAt) };
        }

        return Drafts(new ProcessSupervision(time, Options).Check(facts, now), c);
    }

    public async Task<IReadOnlyList<SupervisionAlertDraft>> EvaluateDueAsync(AppDbContext db, WorkingTime time, DateTimeOffset now, CancellationToken ct)
    {
        var decided = new[] { CaseState.Approved, CaseState.Denied, CaseState.Reported, CaseState.CertificateIssued, CaseState.Delivered };
        // Decided long enough ago that the archive limit may have passed, not reported yet: the backlog of unarchived cases.
        var before = now.AddDays(-options.ArchiveWithinWorkingDays);
        // Ordered along the (State, SubmittedAt) index: without the order SQLite may, given statistics
        // where nearly every case is open, scan the whole Cases table every minute.
        var cases = await db.Cases.AsNoTracking().Where(c => decided.Contains(c.State) && c.DecidedAt != null && c.DecidedAt < before
                && !db.SupervisionAlerts.Any(a => a.CaseId == c.Id && a.Rule == NotArchivedKey))
            .OrderBy(c => c.State).ThenBy(c => c.SubmittedAt).Take(2000).ToListAsync(ct);
        var rule = new NotArchivedRule(time, Options);
        return [.. cases.SelectMany(c => Drafts([.. rule.Check(CaseFacts.From(c, null), now)], c))];
    }

    /// <summary>The overdue-step alerts of a case whose step just got its red card.</summary>
    public static IReadOnlyList<SupervisionAlertDraft> StepOverdue(Case c, DateTimeOffset now) =>
        Drafts([.. new StepOverdueRule().Check(CaseFacts.From(c, null), now)], c);

    private static readonly string NotArchivedKey = SupervisionAlerts.RuleKey(AlertKind.NotArchived);

    private ProcessRuleOptions Options => new() { ArchiveWithinDays = options.ArchiveWithinWorkingDays };

    private async Task<WorkflowDefinition?> WorkflowOfAsync(Case c, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(c.WorkflowId) || c.WorkflowVersion is not { } version)
        {
            return null;
        }

        try
        {
            return await catalog.VersionAsync(c.WorkflowId, version, ct);
        }
        catch (CaseRuleException)
        {
            return null; // a definition no longer stored: the order rule is skipped
        }
    }

    private static List<SupervisionAlertDraft> Drafts(IReadOnlyList<SupervisionAlert> alerts, Case c) =>
        [.. alerts.Select(a => new SupervisionAlertDraft(a.Key, SupervisionAlerts.RuleKey(a.Kind), a.CaseId, c.Number, c.LeadDepartment, a.Message,
            [.. a.Evidence.Select(e => (EvidenceName(e.Key), EvidenceValue(e.Value)))]))];

    private static string EvidenceName(string key) => key switch
    {
        "step" => "环节",
        "department" => "部门",
        "dueAt" => "期限",
        "closedAt" => "完成时间",
        "decidedAt" => "决定时间",
        "archiveDueAt" => "归档期限",
        "acceptedAt" => "受理时间",
        "filedAt" => "申报时间",
        "reviewDueAt" => "受理期限",
        "legalFee" => "法定收费",
        "feeCharged" => "实收金额",
        "missing" => "缺少材料",
        "lineSystem" => "条线系统",
        "lineConcludedAt" => "条线办结时间",
        "ruleVersion" => "规则版本",
        "publishedAt" => "发布时间",
        "retiredAt" => "停用时间",
        _ => key,
    };

    /// <summary>ISO instants as China time for people; anything else as it is.</summary>
    private static string EvidenceValue(string value) =>
        value.Length == 20 && value[^1] == 'Z'
            && DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToOffset(WorkingTime.ChinaOffset).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)
            : value;
}
