using System.Security.Claims;
using ApprovalSystem.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>Claims the pages need on every request without a database round trip.</summary>
public static class AppClaims
{
    public const string DisplayName = "approval:display_name";
    public const string DepartmentId = "approval:department_id";
    public const string StationId = "approval:station_id";
    public const string DepartmentCode = "approval:department_code";
    public const string StationCode = "approval:station_code";

    /// <summary>Present when the account has a second factor turned on (decision 0028).</summary>
    public const string SecondFactor = "approval:2fa";

    public static int? Department(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirst(DepartmentId)?.Value, out var id) ? id : null;

    public static int? Station(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirst(StationId)?.Value, out var id) ? id : null;

    public static string Name(this ClaimsPrincipal user) => user.FindFirst(DisplayName)?.Value ?? user.Identity?.Name ?? "";
}

public sealed class AppClaimsPrincipalFactory(UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options,
    Microsoft.EntityFrameworkCore.IDbContextFactory<AppDbContext> dbFactory)
    : UserClaimsPrincipalFactory<ApplicationUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ApplicationUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(AppClaims.DisplayName, user.DisplayName));
        if (user.TwoFactorEnabled)
        {
            identity.AddClaim(new Claim(AppClaims.SecondFactor, "totp"));
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        if (user.DepartmentId is { } d)
        {
            identity.AddClaim(new Claim(AppClaims.DepartmentId, d.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var code = db.Departments.Where(x => x.Id == d).Select(x => x.Code).FirstOrDefault();
            if (code is not null)
            {
                identity.AddClaim(new Claim(AppClaims.DepartmentCode, code));
            }
        }

        if (user.StationId is { } s)
        {
            identity.AddClaim(new Claim(AppClaims.StationId, s.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var code = db.Stations.Where(x => x.Id == s).Select(x => x.Code).FirstOrDefault();
            if (code is not null)
            {
                identity.AddClaim(new Claim(AppClaims.StationCode, code));
            }
        }

        return identity;
    }
}
