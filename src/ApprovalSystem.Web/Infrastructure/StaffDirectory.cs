using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>Who works where: the accounts of a department that hold one of some roles.</summary>
public static class StaffDirectory
{
    public static async Task<List<string>> UserIdsAsync(AppDbContext db, string department, string[] roles, CancellationToken ct) =>
        await (from u in db.Users
               join ur in db.UserRoles on u.Id equals ur.UserId
               join role in db.Roles on ur.RoleId equals role.Id
               where u.Department!.Code == department && roles.Contains(role.Name!)
               select u.Id).Distinct().ToListAsync(ct);
}
