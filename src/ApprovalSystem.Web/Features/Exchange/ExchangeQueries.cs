using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Exchange.Inbound;
using Microsoft.EntityFrameworkCore;
using static ApprovalSystem.Web.Features.Cases.Queries.CaseQueries;

namespace ApprovalSystem.Web.Features.Exchange;

/// <summary>Read models for the exchange pages: dead letters and deliveries (administrators), and the departments they name.</summary>
public sealed class ExchangeQueries(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>The most rows one page (or one API call) returns.</summary>
    public const int MaxPage = 1000;

    /// <summary>Pushes in a status (dead letters for the page), newest first, a page at a time over all of them with the exact
    /// total; <paramref name="text"/> is a sender's event id or business case id, whole or its beginning (searched among the
    /// pushes of the status: dead letters are few beside the applied pushes).</summary>
    public async Task<Page<ExchangeApi.InboundDto>> InboundAsync(InboundStatus? status, string? text, int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var systems = await db.LineSystems.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Code, ct);
        var query = db.InboundEvents.AsNoTracking().Where(e => status == null || e.Status == status);
        if (text?.Trim() is { Length: > 0 } t)
        {
            query = query.Where(e => e.EventId.StartsWith(t) || e.ExternalCaseId.StartsWith(t));
        }

        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(e => e.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, MaxPage)).ToListAsync(ct);
        return new(rows.Select(e => new ExchangeApi.InboundDto(e.Id, systems.GetValueOrDefault(e.SystemId, "?"), e.EventId, e.ExternalCaseId, e.MatterCode,
            e.Step, e.OccurredAt, e.ReceivedAt, e.Status.ToString(), e.Reason, e.CaseId, e.Replays, e.Payload)).ToList(), total);
    }

    /// <summary>How many deliveries are in each status: the counts kept with the deliveries (decision 0021), a sum of a few rows each.</summary>
    public async Task<Dictionary<DeliveryStatus, int>> DeliveryCountsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await StateCounts.ReadAsync<DeliveryStatus>(db, StateCounts.DeliveryStatus, ct);
    }

    /// <summary>Webhook deliveries, newest first, a page at a time with the exact total: all, or those in a status, or those
    /// of one case (its whole number: an index lookup).</summary>
    public async Task<Page<ExchangeApi.DeliveryDto>> DeliveriesAsync(DeliveryStatus? status, string? caseNumber, int skip, int take,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var subs = await db.WebhookSubscriptions.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Url, ct);
        var query = db.Outbox.AsNoTracking().Where(m => status == null || m.Status == status);
        if (caseNumber?.Trim() is { Length: > 0 } number)
        {
            query = query.Where(m => m.CaseNumber == number);
        }

        int total;
        if (caseNumber?.Trim() is { Length: > 0 })
        {
            total = await query.CountAsync(ct);
        }
        else
        {
            // All deliveries, or those of a status: the kept counts, not a count of millions of rows.
            var counts = await StateCounts.ReadAsync<DeliveryStatus>(db, StateCounts.DeliveryStatus, ct);
            total = status is { } s ? counts[s] : counts.Values.Sum();
        }

        var rows = await query.OrderByDescending(m => m.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, MaxPage)).ToListAsync(ct);
        return new(rows.Select(m => new ExchangeApi.DeliveryDto(m.Id, m.EventId, m.Kind, m.CaseNumber, m.SubscriptionId,
            subs.GetValueOrDefault(m.SubscriptionId, "?"), m.Status.ToString(), m.Attempts, m.NextAttemptAt, m.DeliveredAt,
            Outbound.DeliveryErrors.ForDisplay(m.LastError))).ToList(), total);
    }

    public sealed record DepartmentName(string Code, string Name);

    /// <summary>Every department's code and full name, by code.</summary>
    public async Task<IReadOnlyList<DepartmentName>> DepartmentsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Departments.AsNoTracking().OrderBy(d => d.Code).Select(d => new DepartmentName(d.Code, d.Name)).ToListAsync(ct);
    }
}
