using System.Net;
using System.Security.Claims;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure.Sessions;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalSystem.Web.Tests.Account;

/// <summary>What the account administration tests share: a signed-in principal as the app builds it, a probe of a cookie.</summary>
internal static class AccountTestKit
{
    /// <summary>The principal the app builds for <paramref name="account"/> at sign-in (roles, claims), in session <paramref name="sid"/>.</summary>
    public static async Task<ClaimsPrincipal> PrincipalAsync(AppFactory app, string account, string? sid = null)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByNameAsync(account) ?? throw new InvalidOperationException("no account " + account);
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync(user);
        if (sid is not null)
        {
            ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(SessionStore.SessionClaim, sid));
        }

        return principal;
    }

    public static async Task<string> UserIdAsync(AppFactory app, string account)
    {
        await using var db = app.CreateDbContext();
        return await db.Users.Where(u => u.UserName == account).Select(u => u.Id).SingleAsync();
    }

    /// <summary>The live sessions of an account, oldest first.</summary>
    public static async Task<List<string>> SessionsAsync(AppFactory app, string account)
    {
        await using var db = app.CreateDbContext();
        var rows = await db.UserSessions.Where(s => s.UserName == account && s.EndedAt == null).Select(s => new { s.Id, s.CreatedAt }).ToListAsync();
        return [.. rows.OrderBy(s => s.CreatedAt).Select(s => s.Id)];
    }

    /// <summary>Whether a cookie still signs its holder in (the sessions page answers instead of sending to sign-in).</summary>
    public static async Task<bool> SignedInAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/account/sessions");
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>What the sign-in page answers to an account and a password (its alert), and where it sends on success.</summary>
    public static async Task<(HttpStatusCode Status, string Page, string? Location)> TrySignInAsync(AppFactory app, string account, string password)
    {
        var session = new BrowserSession(app.CreateBrowserClient());
        using var response = await session.SubmitFormAsync("/account/login",
            new Dictionary<string, string> { ["Input.Account"] = account, ["Input.Password"] = password });
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.OriginalString);
    }
}
