using ApprovalSystem.Core.Calendar;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Home;

/// <summary>What each role's home page shows about the catalogue, the calendar and the user's unit.</summary>
public sealed class HomeQueries(IDbContextFactory<AppDbContext> dbFactory, TimeProvider time)
{
    public sealed record Overview(int Departments, int Matters, IReadOnlyDictionary<MatterKind, int> ByKind, int ChargedMatters, int Stations, int Users);

    public sealed record Today(DateOnly Date, bool IsWorkingDay, string? DayName, DateOnly FiveWorkingDaysLater, DateOnly TwentyWorkingDaysLater, IReadOnlyList<CalendarDay> Upcoming);

    public sealed record Unit(string Name, string Window, string Phone, string SupervisionContact, IReadOnlyList<(string Code, string Name, MatterKind Kind, int Promised)> Matters, IReadOnlyList<(string Name, string Role)> Staff);

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
        var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
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
