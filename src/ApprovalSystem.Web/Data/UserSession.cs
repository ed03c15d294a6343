namespace ApprovalSystem.Web.Data;

/// <summary>
/// A signed-in session kept on the server (decision 0025): the sign-in cookie carries only <see cref="Id"/>, so signing
/// out, a password change or an administrator ends the session for every copy of the cookie.
/// </summary>
public sealed class UserSession
{
    /// <summary>128 random bits, hex; the only thing the cookie carries.</summary>
    public string Id { get; set; } = "";

    public string UserId { get; set; } = "";

    public string UserName { get; set; } = "";

    /// <summary>Staff sessions end after a configured idle time (applicants' do not).</summary>
    public bool Staff { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The last request or interactive event, written at most once a minute.</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>signout, password, admin, idle, user (ended from the list of one's own sessions).</summary>
    /// <summary>At most <see cref="EndReasonLength"/> characters (SQLite would store more; PostgreSQL and SQL Server refuse them).</summary>
    public string? EndReason { get; set; }

    public const int EndReasonLength = 16;

    public string? IpAddress { get; set; }

    public string? UserAgent { get; set; }

    /// <summary>The authentication ticket (claims, properties) as ASP.NET Core serializes it.</summary>
    public byte[] Ticket { get; set; } = [];
}
