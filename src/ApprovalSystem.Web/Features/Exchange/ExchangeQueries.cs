using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Exchange.Inbound;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Exchange;

/// <summary>Read models for the exchange pages: dead letters and deliveries (administrators), and the departments they name.</summary>
public sealed class ExchangeQueries(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<IReadOnlyList<ExchangeApi.InboundDto>> InboundAsync(InboundStatus? status, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var systems = await db.LineSystems.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Code, ct);
        var rows = await db.InboundEvents.AsNoTracking().Where(e => status == null || e.Status == status).OrderByDescending(e => e.Id).Take(500)
            .ToListAsync(ct);
        return rows.Select(e => new ExchangeApi.InboundDto(e.Id, systems.GetValueOrDefault(e.SystemId, "?"), e.EventId, e.ExternalCaseId, e.MatterCode, e.Step,
            e.OccurredAt, e.ReceivedAt, e.Status.ToString(), e.Reason, e.CaseId, e.Replays, e.Payload)).ToList();
    }

    public async Task<IReadOnlyList<ExchangeApi.DeliveryDto>> DeliveriesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var subs = await db.WebhookSubscriptions.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Url, ct);
        var rows = await db.Outbox.AsNoTracking().OrderByDescending(m => m.Id).Take(500).ToListAsync(ct);
        return rows.Select(m => new ExchangeApi.DeliveryDto(m.Id, m.EventId, m.Kind, m.CaseNumber, m.SubscriptionId,
            subs.GetValueOrDefault(m.SubscriptionId, "?"), m.Status.ToString(), m.Attempts, m.NextAttemptAt, m.DeliveredAt, m.LastError)).ToList();
    }

    public sealed record DepartmentName(string Code, string Name);

    /// <summary>Every department's code and full name, by code.</summary>
    public async Task<IReadOnlyList<DepartmentName>> DepartmentsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Departments.AsNoTracking().OrderBy(d => d.Code).Select(d => new DepartmentName(d.Code, d.Name)).ToListAsync(ct);
    }
}
