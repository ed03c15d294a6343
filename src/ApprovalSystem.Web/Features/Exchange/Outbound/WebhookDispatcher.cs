using System.Net;
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
/// A webhook goes only where its system's <see cref="WebhookTargetPolicy"/> allows, checked again as it connects, and the error kept
/// is one of <see cref="DeliveryErrors"/>: never what the network answered (decision 0023).
/// </summary>
public sealed class WebhookDispatcher(IDbContextFactory<AppDbContext> dbFactory, WebhookClients clients,
    Infrastructure.Observability.AppMetrics? metrics = null)
{
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
        var allowLists = await db.LineSystems.AsNoTracking().ToDictionaryAsync(s => s.Id, s => WebhookAllowList.Parse(s.WebhookAllowList), ct);
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
                error = DeliveryErrors.SubscriptionStopped;
            }
            else
            {
                error = await SendAsync(allowLists.GetValueOrDefault(s.SystemId, WebhookAllowList.Empty), s, m, ct);
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
                metrics?.DeliveryFailed(gaveUp: status == DeliveryStatus.Failed);
                await MoveAsync(db, m.Id, DeliveryStatus.Pending, status, rows => rows.ExecuteUpdateAsync(
                    u => u.SetProperty(x => x.Status, status).SetProperty(x => x.Attempts, attempts).SetProperty(x => x.NextAttemptAt, now + Backoff(attempts))
                        .SetProperty(x => x.LastError, error), ct), ct);
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

    private async Task<string?> SendAsync(WebhookAllowList allowList, WebhookSubscription s, OutboxMessage m, CancellationToken ct)
    {
        // The subscription may predate the rules, or the rules have changed since: checked at every delivery.
        var policy = clients.Policy(allowList);
        if (!Uri.TryCreate(s.Url, UriKind.Absolute, out var url) || policy.CheckUrl(url) is not null)
        {
            return DeliveryErrors.Refused;
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new StringContent(m.Payload, Encoding.UTF8),
                Version = HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add("X-Signature", Sign(s.Secret, m.Payload));
            request.Headers.Add("X-Event-Id", m.EventId);
            request.Headers.Add("X-Event-Kind", m.Kind);

            // Only the status matters: the body is not read (a large one costs nothing), a redirect is not followed.
            using var response = await clients.Client(allowList).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            return response.IsSuccessStatusCode ? null : DeliveryErrors.Http((int)response.StatusCode);
        }
        catch (HttpRequestException e)
        {
            return DeliveryErrors.Of(e);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return DeliveryErrors.Timeout;
        }
    }
}

/// <summary>
/// The reasons a delivery failed, as kept and shown to administrators: a fixed set, so the page never echoes what the network
/// answered (which ports are open inside, a server's words). Details go to no one: the subscriber sees its own server's logs.
/// </summary>
public static partial class DeliveryErrors
{
    public const string SubscriptionStopped = "订阅已停用";

    public const string Refused = "目标地址不允许";

    public const string Unresolvable = "域名无法解析";

    public const string ConnectFailed = "连接失败";

    public const string SecureConnectionFailed = "安全连接（TLS）失败";

    public const string Timeout = "超时";

    /// <summary>What rows written before the fixed set (with the network's words) show instead.</summary>
    public const string Earlier = "投递失败";

    private static readonly HashSet<string> Fixed = [SubscriptionStopped, Refused, Unresolvable, ConnectFailed, SecureConnectionFailed, Timeout, Earlier];

    /// <summary>The receiver's status code: its own server's answer, and the one thing of it the centre repeats.</summary>
    public static string Http(int status) => $"对方返回 HTTP {status}";

    public static string Of(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is WebhookTargetRefusedException refused)
            {
                return refused.Message == WebhookTargetPolicy.Unresolvable ? Unresolvable : Refused;
            }
        }

        return e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => Unresolvable,
            HttpRequestError.SecureConnectionError => SecureConnectionFailed,
            _ => ConnectFailed,
        };
    }

    /// <summary>A kept error as the administrators' page and API show it: one of the fixed reasons, never other text.</summary>
    public static string? ForDisplay(string? stored) =>
        stored is null || Fixed.Contains(stored) || HttpStatus().IsMatch(stored) ? stored : Earlier;

    [System.Text.RegularExpressions.GeneratedRegex(@"^对方返回 HTTP \d{3}$")]
    private static partial System.Text.RegularExpressions.Regex HttpStatus();
}

/// <summary>The Hangfire job: one line over the dispatcher (safe to run twice, on two nodes).</summary>
public sealed class WebhookDeliveryJob(WebhookDispatcher dispatcher, TimeProvider clock)
{
    public const string Id = "exchange-webhooks";

    public Task RunAsync() => dispatcher.DeliverDueAsync(clock.GetUtcNow());
}
