using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Portal;

/// <summary>
/// Marking notifications read 标为已读: one, or all of the reader's. Only the reader's own unread
/// notifications change; another user's notification is never touched.
/// </summary>
public static class InboxActs
{
    public sealed class Handler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
    {
        /// <summary>Marks one of the reader's notifications read; returns how many changed (0 or 1).</summary>
        public async Task<int> MarkReadAsync(long notificationId, CaseActor reader, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.Notifications.Where(x => x.Id == notificationId && x.UserId == reader.UserId && x.ReadAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ReadAt, clock.GetUtcNow()), ct);
        }

        /// <summary>Marks every unread notification of the reader read; returns how many changed.</summary>
        public async Task<int> MarkAllReadAsync(CaseActor reader, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.Notifications.Where(x => x.UserId == reader.UserId && x.ReadAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ReadAt, clock.GetUtcNow()), ct);
        }
    }
}
