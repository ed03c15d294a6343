using System.Security.Claims;
using System.Security.Cryptography;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace ApprovalSystem.Web.Infrastructure.Sessions;

/// <summary>
/// Signed-in sessions kept in the database (decision 0025): the cookie handler's <see cref="ITicketStore"/>, so the
/// cookie carries a session id and the ticket stays here. A session ends at sign-out, when its user changes the password,
/// when an administrator or the user ends it, and — for staff — after <c>Security:StaffIdleMinutes</c> (default 30)
/// without a request or an interactive event. Each node keeps a looked-up session for <see cref="CacheFor"/>: a session
/// ended on another node stops working there within that time (on this node at once).
/// </summary>
public sealed class SessionStore(IDbContextFactory<AppDbContext> dbFactory, IMemoryCache cache, TimeProvider clock, IConfiguration configuration,
    ILoggerFactory loggers) : ITicketStore
{
    private readonly ILogger _log = loggers.CreateLogger(Security.SecurityLog.Category);

    /// <summary>The claim carrying the session id in the signed-in principal (so an interactive page knows its session).</summary>
    public const string SessionClaim = "approval:sid";

    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    public TimeSpan StaffIdle { get; } = TimeSpan.FromMinutes(Math.Max(1, configuration.GetValue("Security:StaffIdleMinutes", 30)));

    private sealed record Entry(AuthenticationTicket Ticket, bool Staff, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt);

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, CancellationToken.None);

    public Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken) => StoreAsync(ticket, null!, cancellationToken);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        if (ticket.Principal.Identity is ClaimsIdentity identity)
        {
            identity.AddClaim(new Claim(SessionClaim, id));
        }

        var now = clock.GetUtcNow();
        var principal = ticket.Principal;
        var session = new UserSession
        {
            Id = id,
            UserId = principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "",
            UserName = principal.Identity?.Name ?? "",
            Staff = IsStaff(principal),
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = ticket.Properties.ExpiresUtc ?? now.AddDays(14),
            IpAddress = httpContext?.Connection.RemoteIpAddress?.ToString(),
            UserAgent = httpContext?.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua[..Math.Min(ua.Length, 256)] : null,
            Ticket = TicketSerializer.Default.Serialize(ticket),
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        cache.Set(id, new Entry(ticket, session.Staff, now, session.ExpiresAt), CacheFor);
        return id;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    public async Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        // A renewed principal is built afresh (security stamp check, password change): it keeps naming its session.
        if (ticket.Principal.Identity is ClaimsIdentity identity && !identity.HasClaim(c => c.Type == SessionClaim))
        {
            identity.AddClaim(new Claim(SessionClaim, key));
        }

        var expires = ticket.Properties.ExpiresUtc ?? clock.GetUtcNow().AddDays(14);
        var bytes = TicketSerializer.Default.Serialize(ticket);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.UserSessions.Where(s => s.Id == key && s.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Ticket, bytes).SetProperty(s => s.ExpiresAt, expires), cancellationToken);
        cache.Remove(key);
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    /// <summary>Every request with the cookie: the session's ticket, counting the request as activity.</summary>
    public Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken) => LookUpAsync(key, active: true, cancellationToken);

    /// <summary>
    /// Whether the session is still live (an interactive page asks every minute). Only a page that was used since counts as
    /// activity: an open tab nobody touches does not keep a staff session from its idle end.
    /// </summary>
    public async Task<bool> IsLiveAsync(string key, bool active, CancellationToken cancellationToken = default) =>
        await LookUpAsync(key, active, cancellationToken) is not null;

    private async Task<AuthenticationTicket?> LookUpAsync(string key, bool active, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!cache.TryGetValue(key, out Entry? entry) || entry is null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var row = await db.UserSessions.AsNoTracking().Where(s => s.Id == key && s.EndedAt == null)
                .Select(s => new { s.Ticket, s.Staff, s.LastSeenAt, s.ExpiresAt }).FirstOrDefaultAsync(cancellationToken);
            if (row is null || TicketSerializer.Default.Deserialize(row.Ticket) is not { } ticket)
            {
                return null;
            }

            entry = new Entry(ticket, row.Staff, row.LastSeenAt, row.ExpiresAt);
            cache.Set(key, entry, CacheFor);
        }

        if (entry.ExpiresAt <= now || (entry.Staff && now - entry.LastSeenAt > StaffIdle))
        {
            await EndAsync(key, entry.ExpiresAt <= now ? "expired" : "idle", cancellationToken: cancellationToken);
            return null;
        }

        if (active)
        {
            await TouchAsync(key, entry, now, cancellationToken);
        }

        return entry.Ticket;
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    /// <summary>The cookie handler calls this at sign-out.</summary>
    public Task RemoveAsync(string key, CancellationToken cancellationToken) => EndAsync(key, "signout", cancellationToken: cancellationToken);

    /// <summary>Ends one session (only if it belongs to <paramref name="userId"/>, when given).</summary>
    public async Task<bool> EndAsync(string key, string reason, string? userId = null, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mine = db.UserSessions.Where(s => s.Id == key && s.EndedAt == null && (userId == null || s.UserId == userId));
        var name = reason == "signout" ? null : await mine.Select(s => s.UserName).FirstOrDefaultAsync(cancellationToken);
        var ended = await mine.ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now).SetProperty(s => s.EndReason, Reason(reason)), cancellationToken);
        cache.Remove(key);
        if (ended > 0 && name is not null)
        {
            Security.SecurityLog.SessionsEnded(_log, ended, name, reason, "one session");
        }

        return ended > 0;
    }

    /// <summary>Ends every live session of a user but <paramref name="except"/> (a password change keeps the one it came from).</summary>
    public async Task<int> EndAllAsync(string userId, string reason, string? except = null, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var keys = await db.UserSessions.Where(s => s.UserId == userId && s.EndedAt == null && s.Id != except)
            .Select(s => new { s.Id, s.UserName }).ToListAsync(cancellationToken);
        var ended = await db.UserSessions.Where(s => s.UserId == userId && s.EndedAt == null && s.Id != except)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now).SetProperty(s => s.EndReason, Reason(reason)), cancellationToken);
        foreach (var key in keys)
        {
            cache.Remove(key.Id);
        }

        if (ended > 0)
        {
            Security.SecurityLog.SessionsEnded(_log, ended, keys[0].UserName, reason, "all others");
        }

        return ended;
    }

    /// <summary>
    /// Ends every live session of every user but <paramref name="except"/> (the administrator's own): after a suspected
    /// break-in, everyone signs in again (ASVS 7.4.5). Other nodes drop their cached sessions within <see cref="CacheFor"/>.
    /// </summary>
    public async Task<int> EndEveryoneAsync(string reason, string? except = null, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var keys = await db.UserSessions.Where(s => s.EndedAt == null && s.Id != except).Select(s => s.Id).ToListAsync(cancellationToken);
        var ended = await db.UserSessions.Where(s => s.EndedAt == null && s.Id != except)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now).SetProperty(s => s.EndReason, Reason(reason)), cancellationToken);
        foreach (var key in keys)
        {
            cache.Remove(key);
        }

        return ended;
    }

    /// <summary>When the user last signed in (the newest session's start), if ever since sessions were kept.</summary>
    public async Task<Dictionary<string, DateTimeOffset>> LastSignInsAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var last = new Dictionary<string, DateTimeOffset>();
        foreach (var id in userIds) // a page of users (at most 50); SQLite cannot take MAX of a converted date
        {
            var at = await db.UserSessions.AsNoTracking().Where(s => s.UserId == id).OrderByDescending(s => s.CreatedAt)
                .Select(s => (DateTimeOffset?)s.CreatedAt).FirstOrDefaultAsync(cancellationToken);
            if (at is { } value)
            {
                last[id] = value;
            }
        }

        return last;
    }

    public sealed record SessionView(string Id, string UserName, bool Staff, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, string? IpAddress,
        string? UserAgent);

    /// <summary>Live sessions: a user's own (<paramref name="userId"/>), or everyone's for an administrator (newest first).</summary>
    public async Task<List<SessionView>> LiveAsync(string? userId, string? userName = null, int take = 200, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.UserSessions.AsNoTracking().Where(s => s.EndedAt == null && s.ExpiresAt > now);
        if (userId is not null)
        {
            query = query.Where(s => s.UserId == userId);
        }

        if (!string.IsNullOrWhiteSpace(userName))
        {
            var name = userName.Trim();
            query = query.Where(s => s.UserName == name);
        }

        var idleSince = now - StaffIdle;
        return await query.Where(s => !s.Staff || s.LastSeenAt >= idleSince).OrderByDescending(s => s.LastSeenAt).Take(take)
            .Select(s => new SessionView(s.Id, s.UserName, s.Staff, s.CreatedAt, s.LastSeenAt, s.IpAddress, s.UserAgent)).ToListAsync(cancellationToken);
    }

    private async Task TouchAsync(string key, Entry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (now - entry.LastSeenAt < TouchEvery)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.UserSessions.Where(s => s.Id == key && s.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAt, now), cancellationToken);
        cache.Set(key, entry with { LastSeenAt = now }, CacheFor);
    }

    private static bool IsStaff(ClaimsPrincipal principal) =>
        principal.FindAll(ClaimTypes.Role).Any(r => r.Value is not Roles.Applicant);

    /// <summary>A reason that fits its column, checked on every database (SQLite alone would have stored a longer one).</summary>
    private static string Reason(string reason)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reason.Length, UserSession.EndReasonLength, nameof(reason));
        return reason;
    }
}
