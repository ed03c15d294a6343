using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Journal;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Supervision.Dashboard;

/// <summary>The supervisors' live dashboard figures and their drill-down lists.</summary>
public sealed class SupervisionQueries(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public sealed record Figures(
        IReadOnlyList<(CaseState State, int Count)> OpenByState,
        IReadOnlyList<(string Department, string Name, int Open, int Yellow, int Red)> ByDepartment,
        int ActiveYellow,
        int ActiveRed,
        int FiledToday,
        int ConcludedToday,
        int OpenOrders,
        int LateOrders,
        IReadOnlyList<SupervisionAlertRecord> NewestAlerts,
        IReadOnlyList<CardRecord> NewestCards);

    public sealed record CaseRow(long Id, string? Number, string MatterName, string Applicant, string Department, CaseState State, DateTimeOffset? SubmittedAt,
        DateTimeOffset? DueAt);

    public async Task<Figures> FiguresAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var startOfToday = WorkingTime.EndOfDay(WorkingTime.LocalDate(clock.GetUtcNow()).AddDays(-1));
        var open = CaseLifecycle.FiledOpenStates.ToList();
        var openCases = db.Cases.AsNoTracking().IgnoreAutoIncludes().Where(c => open.Contains(c.State));
        var byState = await openCases.GroupBy(c => c.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var byDept = await openCases.GroupBy(c => c.LeadDepartment).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var cards = await db.SupervisionCards.AsNoTracking().Where(c => c.ClosedAt == null).GroupBy(c => new { c.Department, c.Kind })
            .Select(g => new { g.Key.Department, g.Key.Kind, Count = g.Count() }).ToListAsync(ct);
        var names = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.ShortName, ct);
        var departments = byDept.Select(d => d.Key).Union(cards.Select(c => c.Department)).Distinct()
            .Select(d => (d, names.GetValueOrDefault(d, d), byDept.FirstOrDefault(x => x.Key == d)?.Count ?? 0,
                cards.Where(c => c.Department == d && c.Kind == CardKind.Yellow).Sum(c => c.Count),
                cards.Where(c => c.Department == d && c.Kind == CardKind.Red).Sum(c => c.Count)))
            .OrderByDescending(d => d.Item5).ThenByDescending(d => d.Item4).ThenByDescending(d => d.Item3).ToList();
        var now = clock.GetUtcNow();
        return new Figures(
            byState.Select(s => (s.Key, s.Count)).OrderBy(s => s.Key).ToList(),
            departments,
            cards.Where(c => c.Kind == CardKind.Yellow).Sum(c => c.Count),
            cards.Where(c => c.Kind == CardKind.Red).Sum(c => c.Count),
            await db.Cases.IgnoreAutoIncludes().CountAsync(c => c.SubmittedAt >= startOfToday, ct),
            await db.Cases.IgnoreAutoIncludes().CountAsync(c => c.ConcludedAt >= startOfToday, ct),
            await db.SupervisionOrders.CountAsync(o => o.State == OrderState.Issued || o.State == OrderState.Escalated, ct),
            await db.SupervisionOrders.CountAsync(o => (o.State == OrderState.Issued || o.State == OrderState.Escalated) && o.RespondBy < now, ct),
            await db.SupervisionAlerts.AsNoTracking().OrderByDescending(a => a.RaisedAt).ThenByDescending(a => a.Id).Take(10).ToListAsync(ct),
            await db.SupervisionCards.AsNoTracking().Where(c => c.ClosedAt == null).OrderByDescending(c => c.RaisedAt).ThenByDescending(c => c.Id).Take(10)
                .ToListAsync(ct));
    }

    /// <summary>The cases behind a figure: "state:Handling", "dept:SCJG", "filed-today", "concluded-today", "card:Yellow", "card:Red".</summary>
    public async Task<List<CaseRow>> DrillAsync(string figure, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var startOfToday = WorkingTime.EndOfDay(WorkingTime.LocalDate(clock.GetUtcNow()).AddDays(-1));
        var open = CaseLifecycle.FiledOpenStates.ToList();
        var cases = db.Cases.AsNoTracking().IgnoreAutoIncludes();
        var (kind, value) = figure.Split(':', 2) is [var k, var v] ? (k, v) : (figure, "");
        cases = kind switch
        {
            "open" => cases.Where(c => open.Contains(c.State)),
            "state" when Enum.TryParse<CaseState>(value, out var s) => cases.Where(c => c.State == s),
            "dept" => cases.Where(c => open.Contains(c.State) && c.LeadDepartment == value),
            "filed-today" => cases.Where(c => c.SubmittedAt >= startOfToday),
            "concluded-today" => cases.Where(c => c.ConcludedAt >= startOfToday),
            "card" when Enum.TryParse<CardKind>(value, out var card) =>
                cases.Where(c => db.SupervisionCards.Any(x => x.CaseId == c.Id && x.Kind == card && x.ClosedAt == null)),
            _ => cases.Where(c => false),
        };
        // Newest first in the order of the figure's own index (the day's filings or conclusions), else by id.
        var ordered = kind switch
        {
            "filed-today" => cases.OrderByDescending(c => c.SubmittedAt).ThenByDescending(c => c.Id),
            "concluded-today" => cases.OrderByDescending(c => c.ConcludedAt).ThenByDescending(c => c.Id),
            _ => cases.OrderByDescending(c => c.Id),
        };
        var rows = await ordered.Take(200)
            .Select(c => new { c.Id, c.Number, c.MatterName, c.Applicant.Name, c.LeadDepartment, c.State, c.SubmittedAt, c.Promised.DueAt }).ToListAsync(ct);
        // The department's name, not its code (a supervisor reads 市场监管局, not SCJG).
        var codes = rows.Select(r => r.LeadDepartment).Distinct().ToList();
        var names = await db.Departments.AsNoTracking().Where(d => codes.Contains(d.Code)).ToDictionaryAsync(d => d.Code, d => d.ShortName, ct);
        return rows.Select(r => new CaseRow(r.Id, r.Number, r.MatterName, r.Name, names.GetValueOrDefault(r.LeadDepartment, r.LeadDepartment), r.State,
            r.SubmittedAt, r.DueAt)).ToList();
    }

    /// <summary>Each department's short name by its code.</summary>
    public async Task<Dictionary<string, string>> DepartmentNamesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.ShortName, ct);
    }

    public async Task<List<CardRecord>> CardsAsync(long caseId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.SupervisionCards.AsNoTracking().Where(c => c.CaseId == caseId).OrderBy(c => c.RaisedAt).ToListAsync(ct);
    }

    public async Task<List<SupervisionAlertRecord>> AlertsAsync(long? caseId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.SupervisionAlerts.AsNoTracking();
        q = caseId is null ? q : q.Where(a => a.CaseId == caseId);
        return await q.OrderByDescending(a => a.RaisedAt).ThenByDescending(a => a.Id).Take(500).ToListAsync(ct);
    }

    /// <summary>One case's journal entries against the chain around them.</summary>
    public async Task<JournalVerification> VerifyCaseJournalAsync(long caseId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await CaseJournal.VerifyCaseAsync(db, caseId, ct);
    }

    /// <summary>The whole journal against its hash chain: intact, or the first entry that no longer matches.</summary>
    public async Task<JournalVerification> VerifyJournalAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await CaseJournal.VerifyAsync(db, ct);
    }
}
