using System.Security.Claims;
using ApprovalSystem.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>Claims the pages need on every request without a database round trip.</summary>
public static class AppClaims
{
    public const string DisplayName = "approval:display_name";
    public const string DepartmentId = "approval:department_id";
    public const string StationId = "approval:station_id";

    public static int? Department(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirst(DepartmentId)?.Value, out var id) ? id : null;

    public static int? Station(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirst(StationId)?.Value, out var id) ? id : null;

    public static string Name(this ClaimsPrincipal user) => user.FindFirst(DisplayName)?.Value ?? user.Identity?.Name ?? "";
}

public sealed class AppClaimsPrincipalFactory(UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ApplicationUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ApplicationUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(AppClaims.DisplayName, user.DisplayName));
        if (user.DepartmentId is { } d)
        {
            identity.AddClaim(new Claim(AppClaims.DepartmentId, d.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (user.StationId is { } s)
        {
            identity.AddClaim(new Claim(AppClaims.StationId, s.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return identity;
    }
}
