using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Portal;

/// <summary>A user's inbox 消息: only their own notifications, newest first, and how many are unread (the layout's badge).</summary>
public sealed class InboxQueries(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>The reader's latest 200 notifications, newest first.</summary>
    public async Task<List<Notification>> ListAsync(CaseActor reader, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Notifications.AsNoTracking().Where(n => n.UserId == reader.UserId).OrderByDescending(n => n.Id).Take(200).ToListAsync(ct);
    }

    /// <summary>How many of the user's notifications are unread.</summary>
    public async Task<int> UnreadCountAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null, ct);
    }
}
