using ApprovalSystem.Core.Calendar;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Home;

/// <summary>What each role's home page shows about the catalogue, the calendar and the user's unit.</summary>
public sealed class HomeQueries(IDbContextFactory<AppDbContext> dbFactory, TimeProvider time)
{
    public sealed record Overview(int Departments, int Matters, IReadOnlyDictionary<MatterKind, int> ByKind, int ChargedMatters, int Stations, int Users);

    public sealed record Today(DateOnly Date, bool IsWorkingDay, string? DayName, DateOnly FiveWorkingDaysLater, DateOnly TwentyWorkingDaysLater,
        IReadOnlyList<CalendarDay> Upcoming);

    public sealed record Unit(string Name, string Window, string Phone, string SupervisionContact,
        IReadOnlyList<(string Code, string Name, MatterKind Kind, int Promised)> Matters, IReadOnlyList<(string Name, string Role)> Staff);

    public async Task<Overview> OverviewAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var kinds = await db.Matters.GroupBy(m => m.Kind).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return new Overview(
            await db.Departments.CountAsync(ct),
            kinds.Sum(k => k.Count),
            kinds.ToDictionary(k => k.Key, k => k.Count),
            await db.Matters.CountAsync(m => m.Fee > 0, ct),
            await db.Stations.CountAsync(ct),
            await db.Users.CountAsync(ct));
    }

    public async Task<Today> TodayAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var days = await db.CalendarDays.AsNoTracking().ToListAsync(ct);
        var calendar = new WorkingCalendar(days);
        var today = ApprovalSystem.Core.Cases.WorkingTime.LocalDate(time.GetUtcNow());
        return new Today(
            today,
            calendar.IsWorkingDay(today),
            days.FirstOrDefault(d => d.Date == today)?.Name,
            calendar.AddWorkingDays(today, 5),
            calendar.AddWorkingDays(today, 20),
            days.Where(d => d.Date >= today).OrderBy(d => d.Date).Take(6).ToList());
    }

    public async Task<Unit?> DepartmentAsync(int departmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var d = await db.Departments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == departmentId, ct);
        if (d is null)
        {
            return null;
        }

        var matters = await db.Matters.AsNoTracking().Where(m => m.DepartmentId == departmentId).OrderBy(m => m.Code)
            .Select(m => new { m.Code, m.Name, m.Kind, m.PromisedLimitDays }).ToListAsync(ct);
        var staff = await (from u in db.Users
                           join ur in db.UserRoles on u.Id equals ur.UserId
                           join r in db.Roles on ur.RoleId equals r.Id
                           where u.DepartmentId == departmentId
                           orderby r.Name, u.DisplayName
                           select new { u.DisplayName, r.Name }).ToListAsync(ct);
        return new Unit(d.Name, d.Window, d.Phone, d.SupervisionContact,
            matters.Select(m => (m.Code, m.Name, m.Kind, m.PromisedLimitDays)).ToList(),
            staff.Select(s => (s.DisplayName, s.Name ?? "")).ToList());
    }

    /// <summary>What needs doing now, per role: counts that link to the lists.</summary>
    public sealed record Todo(int WindowReview, int WindowOverdue, int WindowToDeliver, int DepartmentOpen, int DepartmentLate, int Mine,
        int MyCasesNeedingAction, int Unread);

    public async Task<Todo> TodoAsync(ApprovalSystem.Core.Cases.CaseActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow();
        var cases = db.Cases.AsNoTracking().IgnoreAutoIncludes();
        int review = 0, overdue = 0, deliver = 0, open = 0, late = 0, mine = 0, action = 0;
        if (actor.Is(ApprovalSystem.Core.Identity.Roles.Clerk))
        {
            review = await cases.CountAsync(c => c.State == ApprovalSystem.Core.Cases.CaseState.PreAcceptance, ct);
            var dues = await cases.Where(c => c.State == ApprovalSystem.Core.Cases.CaseState.PreAcceptance).Select(c => c.Review.DueAt).ToListAsync(ct);
            overdue = dues.Count(d => d < now);
            deliver = await cases.CountAsync(c => c.State == ApprovalSystem.Core.Cases.CaseState.Approved
                || c.State == ApprovalSystem.Core.Cases.CaseState.CertificateIssued
                || c.State == ApprovalSystem.Core.Cases.CaseState.Denied || c.State == ApprovalSystem.Core.Cases.CaseState.NotAccepted, ct);
        }

        if (actor.Department is { } dept
            && (actor.Is(ApprovalSystem.Core.Identity.Roles.Officer) || actor.Is(ApprovalSystem.Core.Identity.Roles.DepartmentHead)))
        {
            var steps = await db.Set<ApprovalSystem.Core.Cases.CaseStep>().AsNoTracking().Where(s => s.Department == dept && s.ClosedAt == null)
                .Select(s => new { s.AssigneeId, s.Deadline.WarnAt }).ToListAsync(ct);
            open = steps.Count;
            late = steps.Count(s => s.WarnAt <= now);
            mine = steps.Count(s => s.AssigneeId == actor.UserId);
        }

        if (actor.Is(ApprovalSystem.Core.Identity.Roles.Applicant) || actor.Is(ApprovalSystem.Core.Identity.Roles.Agent))
        {
            action = await cases.CountAsync(c => (c.OwnerUserId == actor.UserId || (c.StationCode != null && c.StationCode == actor.Station))
                && (c.State == ApprovalSystem.Core.Cases.CaseState.SupplementRequested || c.State == ApprovalSystem.Core.Cases.CaseState.Draft), ct);
        }

        var unread = await db.Notifications.CountAsync(n => n.UserId == actor.UserId && n.ReadAt == null, ct);
        return new Todo(review, overdue, deliver, open, late, mine, action, unread);
    }

    public async Task<string?> StationNameAsync(int stationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Stations.Where(s => s.Id == stationId).Select(s => s.Name).FirstOrDefaultAsync(ct);
    }

    public async Task<ApplicationUser?> UserAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
    }
}
