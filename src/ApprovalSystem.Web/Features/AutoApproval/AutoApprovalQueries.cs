using ApprovalSystem.Core.AutoApproval;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Cases.Queries;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.AutoApproval;

/// <summary>One stored run of the 秒批 rules: which version, the outcome, and each condition with its inputs.</summary>
public sealed record AutoApprovalRunDto(long Id, long CaseId, string CaseNumber, string MatterCode, string MatterName, string Department, int RuleVersion,
    string RuleVersionStatus, bool Approved, DateTimeOffset At, IReadOnlyList<ConditionOutcome> Conditions, bool Flagged);

/// <summary>A rule version as the administrator sees it.</summary>
public sealed record RuleVersionDto(int Id, string MatterCode, int Version, RuleVersionStatus Status, AutoApprovalRuleSet Rules, string? Note,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? PublishedAt, string? PublishedBy, DateTimeOffset? RetiredAt);

/// <summary>A matter with 秒批 rules: its published version (if any) and how its runs went.</summary>
public sealed record ConfiguredMatterDto(string Code, string Name, string Department, int? PublishedVersion, int Versions, int Runs, int Approved);

/// <summary>What the case page, the supervisors' list and the administrators' page read about 秒批.</summary>
public sealed class AutoApprovalQueries(IDbContextFactory<AppDbContext> dbFactory)
{
    public static readonly string FlagRule = SupervisionAlerts.RuleKey(AlertKind.AutoApprovalUnpublishedRules);

    /// <summary>The runs on one case, newest first (a case filed again after a supplement may have several).</summary>
    public async Task<IReadOnlyList<AutoApprovalRunDto>> ForCaseAsync(long caseId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await RowsAsync(db, db.AutoApprovalRuns.AsNoTracking().Where(r => r.CaseId == caseId).OrderByDescending(r => r.Id), ct);
    }

    /// <summary>
    /// Automatic decisions (or, with <paramref name="approvedOnly"/> false, every run), filtered by matter and by the China-time days
    /// [<paramref name="from"/>, <paramref name="to"/>], newest first, a page at a time with the exact total.
    /// </summary>
    public async Task<CaseQueries.Page<AutoApprovalRunDto>> ListAsync(string? matterCode, DateOnly? from, DateOnly? to, bool approvedOnly, int skip,
        int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.AutoApprovalRuns.AsNoTracking().Where(r => !approvedOnly || r.Approved);
        if (matterCode?.Trim() is { Length: > 0 } code)
        {
            query = query.Where(r => r.MatterCode == code);
        }

        if (from is { } f)
        {
            var start = Start(f);
            query = query.Where(r => r.At >= start);
        }

        if (to is { } t)
        {
            var end = Start(t.AddDays(1));
            query = query.Where(r => r.At < end);
        }

        var total = await query.CountAsync(ct);
        var page = query.OrderByDescending(r => r.At).ThenByDescending(r => r.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 200));
        var rows = await RowsAsync(db, page, ct);
        return new(rows, total);
    }

    /// <summary>How many automatic decisions supervision flagged 自动审批所用规则版本未发布.</summary>
    public async Task<int> FlaggedCountAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.SupervisionAlerts.AsNoTracking().CountAsync(a => a.Rule == FlagRule, ct);
    }

    public async Task<IReadOnlyList<ConfiguredMatterDto>> MattersAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var versions = await db.AutoApprovalRuleVersions.AsNoTracking().ToListAsync(ct);
        var codes = versions.Select(v => v.MatterCode).Distinct().ToList();
        var matters = await db.Matters.AsNoTracking().Where(m => codes.Contains(m.Code))
            .Select(m => new { m.Code, m.Name, Department = m.Department!.Name }).ToListAsync(ct);
        var runs = await db.AutoApprovalRuns.AsNoTracking().GroupBy(r => r.MatterCode)
            .Select(g => new { g.Key, Runs = g.Count(), Approved = g.Count(r => r.Approved) }).ToListAsync(ct);
        return [.. matters.OrderBy(m => m.Code).Select(m =>
        {
            var mine = versions.Where(v => v.MatterCode == m.Code).ToList();
            var run = runs.FirstOrDefault(r => r.Key == m.Code);
            return new ConfiguredMatterDto(m.Code, m.Name, m.Department, mine.FirstOrDefault(v => v.Status == RuleVersionStatus.Published)?.Version,
                mine.Count, run?.Runs ?? 0, run?.Approved ?? 0);
        })];
    }

    public async Task<IReadOnlyList<RuleVersionDto>> VersionsAsync(string matterCode, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.AutoApprovalRuleVersions.AsNoTracking().Where(v => v.MatterCode == matterCode).OrderByDescending(v => v.Version).ToListAsync(ct);
        return [.. rows.Select(ToDto)];
    }

    internal static RuleVersionDto ToDto(AutoApprovalRuleVersion v) => new(v.Id, v.MatterCode, v.Version, v.Status, AutoApprovalRuleSet.FromJson(v.Rules),
        v.Note, v.CreatedAt, v.CreatedBy, v.PublishedAt, v.PublishedBy, v.RetiredAt);

    /// <summary>The status name shown for a version.</summary>
    public static string StatusName(RuleVersionStatus status) => status switch
    {
        RuleVersionStatus.Draft => "草稿",
        RuleVersionStatus.Published => "已发布",
        RuleVersionStatus.Retired => "已停用",
    };

    // In UTC: PostgreSQL's timestamptz takes no other offset.
    private static DateTimeOffset Start(DateOnly day) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), ApprovalSystem.Core.Cases.WorkingTime.ChinaOffset).ToUniversalTime();

    private static async Task<IReadOnlyList<AutoApprovalRunDto>> RowsAsync(AppDbContext db, IQueryable<AutoApprovalRun> query, CancellationToken ct)
    {
        var rows = await query.ToListAsync(ct);
        var ids = rows.Select(r => r.RuleVersionId).Distinct().ToList();
        var statuses = await db.AutoApprovalRuleVersions.AsNoTracking().Where(v => ids.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Status, ct);
        var cases = rows.Select(r => r.CaseId).Distinct().ToList();
        var flagged = await db.SupervisionAlerts.AsNoTracking().Where(a => a.Rule == FlagRule && a.CaseId != null && cases.Contains(a.CaseId.Value))
            .Select(a => a.CaseId!.Value)
            .ToListAsync(ct);
        return [.. rows.Select(r => new AutoApprovalRunDto(r.Id, r.CaseId, r.CaseNumber, r.MatterCode, r.MatterName, r.Department, r.RuleVersion,
            StatusName(statuses.GetValueOrDefault(r.RuleVersionId)), r.Approved, r.At, AutoApprover.Outcomes(r), r.Approved && flagged.Contains(r.CaseId)))];
    }
}
