using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Exchange.Outbound;

/// <summary>
/// Delivers due outbox rows to their subscribers' webhooks, signed with HMAC-SHA256 over the body
/// (<c>X-Signature: sha256=&lt;hex&gt;</c>). A failure is retried with exponential back-off until
/// <see cref="MaxAttempts"/>; attempts and the last error are kept for the administrators' page.
/// Each row is leased (its next attempt moved forward) before sending, so two nodes running the job
/// at once do not both send it; a crash after the lease only delays it (at least once).
/// </summary>
public sealed class WebhookDispatcher(IDbContextFactory<AppDbContext> dbFactory, IHttpClientFactory httpFactory)
{
    public const string HttpClientName = "exchange-webhooks";

    public const int MaxAttempts = 10;

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>30 s, 1 min, 2 min, 4 min… capped at 6 h.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(30 * Math.Pow(2, Math.Max(0, attempts - 1)), 6 * 3600));

    public static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    /// <summary>Sends every row due at <paramref name="now"/>; returns how many were delivered.</summary>
    public async Task<int> DeliverDueAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = await db.Outbox.AsNoTracking().Where(m => m.Status == DeliveryStatus.Pending && m.NextAttemptAt <= now)
            .OrderBy(m => m.NextAttemptAt).Take(100).ToListAsync(ct);
        var subscriptions = await db.WebhookSubscriptions.AsNoTracking().ToDictionaryAsync(s => s.Id, ct);
        var client = httpFactory.CreateClient(HttpClientName);
        var delivered = 0;
        foreach (var m in due)
        {
            var leased = await db.Outbox.Where(x => x.Id == m.Id && x.Status == DeliveryStatus.Pending && x.NextAttemptAt == m.NextAttemptAt)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.NextAttemptAt, now + Lease), ct);
            if (leased == 0)
            {
                continue;
            }

            string? error;
            if (!subscriptions.TryGetValue(m.SubscriptionId, out var s) || !s.Active)
            {
                error = "订阅已停用";
            }
            else
            {
                error = await SendAsync(client, s, m, ct);
            }

            var attempts = m.Attempts + 1;
            if (error is null)
            {
                delivered++;
                await MoveAsync(db, m.Id, DeliveryStatus.Pending, DeliveryStatus.Delivered, rows => rows.ExecuteUpdateAsync(
                    u => u.SetProperty(x => x.Status, DeliveryStatus.Delivered).SetProperty(x => x.Attempts, attempts).SetProperty(x => x.DeliveredAt, now)
                        .SetProperty(x => x.LastError, (string?)null), ct), ct);
            }
            else
            {
                var status = attempts >= MaxAttempts ? DeliveryStatus.Failed : DeliveryStatus.Pending;
                await MoveAsync(db, m.Id, DeliveryStatus.Pending, status, rows => rows.ExecuteUpdateAsync(
                    u => u.SetProperty(x => x.Status, status).SetProperty(x => x.Attempts, attempts).SetProperty(x => x.NextAttemptAt, now + Backoff(attempts))
                        .SetProperty(x => x.LastError, error.Length > 1000 ? error[..1000] : error), ct), ct);
            }
        }

        return delivered;
    }

    /// <summary>Puts a failed delivery back in the queue (administrators).</summary>
    public async Task RetryAsync(long id, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await MoveAsync(db, id, DeliveryStatus.Failed, DeliveryStatus.Pending,
            rows => rows.ExecuteUpdateAsync(u => u.SetProperty(x => x.Status, DeliveryStatus.Pending).SetProperty(x => x.NextAttemptAt, now), ct), ct);
    }

    /// <summary>
    /// Updates a delivery that is still in <paramref name="from"/> and, when it moved to another status, the count of deliveries
    /// per status with it, in one transaction (decision 0021).
    /// </summary>
    private static async Task MoveAsync(AppDbContext db, long id, DeliveryStatus from, DeliveryStatus to,
        Func<IQueryable<OutboxMessage>, Task<int>> update, CancellationToken ct)
    {
        // The update runs around the change tracker, so the count's change is added here (tracked changes count themselves).
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await update(db.Outbox.Where(x => x.Id == id && x.Status == from)) == 1 && from != to)
        {
            StateCounts.Move(db, StateCounts.DeliveryStatus, (DeliveryStatus?)from, to);
            await db.SaveChangesAsync(ct);
        }

        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
    }

    private static async Task<string?> SendAsync(HttpClient client, WebhookSubscription s, OutboxMessage m, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, s.Url) { Content = new StringContent(m.Payload, Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add("X-Signature", Sign(s.Secret, m.Payload));
            request.Headers.Add("X-Event-Id", m.EventId);
            request.Headers.Add("X-Event-Kind", m.Kind);
            using var response = await client.SendAsync(request, ct);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            return "超时：" + e.Message;
        }
    }
}

/// <summary>The Hangfire job: one line over the dispatcher (safe to run twice, on two nodes).</summary>
public sealed class WebhookDeliveryJob(WebhookDispatcher dispatcher, TimeProvider clock)
{
    public const string Id = "exchange-webhooks";

    public Task RunAsync() => dispatcher.DeliverDueAsync(clock.GetUtcNow());
}
