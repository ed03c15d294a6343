using System.Security.Claims;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;

namespace ApprovalSystem.Web.Infrastructure;

public static class ActorAccessor
{
    /// <summary>The signed-in user as the case engine sees them (roles, department and station codes from claims).</summary>
    public static CaseActor ToActor(this ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("未登录"),
        user.Name(),
        Roles.All.Where(user.IsInRole).ToList(),
        user.FindFirstValue(AppClaims.DepartmentCode),
        user.FindFirstValue(AppClaims.StationCode));
}
