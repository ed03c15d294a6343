using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

using ApprovalSystem.Web.Features.Supervision.Cards;
using ApprovalSystem.Web.Features.Supervision.Alerts;

namespace ApprovalSystem.Web.Features.Supervision.Orders;

/// <summary>Supervision orders 督办单 not answered by their date escalate once.</summary>
public sealed class OrderEscalation(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>Unanswered orders past their response date escalate once: a red card notice to the department and the supervisors.</summary>
    public async Task<int> EscalateOrdersAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var late = await db.SupervisionOrders.AsNoTracking().Where(o => o.State == OrderState.Issued && o.RespondBy < now).Select(o => o.Id)
            .ToListAsync(ct);
        var count = 0;
        foreach (var id in late)
        {
            // Under the once-only lock: an order another node's scan escalated a moment ago is seen escalated and skipped.
            await using var once = await OnceOnly.BeginAsync(db, ct);
            var order = await db.SupervisionOrders.FirstAsync(o => o.Id == id, ct);
            if (order.State != OrderState.Issued)
            {
                OnceOnly.Lost("escalation");
                continue;
            }

            if (!order.Escalate(now))
            {
                continue;
            }

            var recipients = await SupervisionRecipients.ForDepartmentAsync(db, order.Department, ct);
            var body = $"督办单 {order.Number} 已超过反馈期限（{SupervisionOrders.Handler.Due(order):yyyy年M月d日}）未反馈，已升级督办。";
            db.Notifications.AddRange(recipients.Select(u =>
                new Notification { UserId = u, Title = "督办逾期未回复", Body = body, Link = $"/supervision/orders/{order.Id}", CreatedAt = now }));
            db.SupervisionAlerts.Add(new SupervisionAlertRecord
            {
                Key = $"order-late:{order.Id}", Rule = SupervisionRuleNames.OrderLate, CaseId = order.CaseId, CaseNumber = order.CaseNumber,
                Department = order.Department,
                Message = body, Evidence = $"督办单: {order.Number}\n反馈期限: {SupervisionOrders.Handler.Due(order):yyyy-MM-dd}\n签发人: {order.IssuedByName}",
                RaisedAt = now,
            });
            await CaseJournal.AppendEventAsync(db, order.CaseId ?? 0, order.CaseNumber, now, CardRaiser.SystemActor, CaseJournal.Supervision.OrderEscalated, "",
                body, new Dictionary<string, string> { ["order"] = order.Number }, ct);
            await db.SaveChangesAsync(ct);
            await once.CommitAsync(ct);
            count++;
        }

        return count;
    }
}
