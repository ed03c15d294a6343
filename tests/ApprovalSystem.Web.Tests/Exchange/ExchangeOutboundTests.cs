using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Exchange.Outbound;
using ApprovalSystem.Web.Features.Exchange.Systems;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Exchange;

/// <summary>The centre's case events to subscribers: outbox written with the act, signed webhooks, retries with back-off.</summary>
public sealed class ExchangeOutboundTests(AppFactory factory) : IClassFixture<AppFactory>
{
    /// <summary>A loopback webhook receiver that answers 500 to the first <c>failures</c> requests.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly int _failures;
        private readonly Task _loop;

        public Receiver(int failures)
        {
            _failures = failures;
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/hook/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public string Url { get; }

        public List<(string Body, string? Signature, string? EventId)> Received { get; } = [];

        public int Requests { get; private set; }

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext ctx;
                try
                {
                    ctx = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var reader = new StreamReader(ctx.Request.InputStream);
                var body = await reader.ReadToEndAsync();
                lock (Received)
                {
                    Requests++;
                    if (Requests > _failures)
                    {
                        Received.Add((body, ctx.Request.Headers["X-Signature"], ctx.Request.Headers["X-Event-Id"]));
                    }
                }

                ctx.Response.StatusCode = Requests > _failures ? 200 : 500;
                ctx.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task Webhook_FailingTwice_IsRetriedWithBackoffUntilDelivered_AndSigned()
    {
        using var receiver = new Receiver(failures: 2);
        var issued = await factory.Get<LineSystems.Handler>().RegisterAsync(new LineSystems.Command("SUB-" + Guid.NewGuid().ToString("N")[..6], "订阅系统", "SW", null));
        var system = factory.CreateClient();
        system.DefaultRequestHeaders.Add(ApiKeys.Header, issued.ApiKey);
        var subscribed = await system.PostAsJsonAsync("/api/exchange/subscriptions", new { url = receiver.Url, kinds = new[] { "filed" } });
        Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        var created = await subscribed.Content.ReadFromJsonAsync<JsonElement>();
        var secret = created.GetProperty("secret").GetString()!;
        var subscriptionId = created.GetProperty("subscription").GetProperty("id").GetInt32();

        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        const string matter = "330799-SCJG-001";
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = matter, submit = true, formData = await TestForms.RequiredAsync(factory, matter) });
        var number = filed.GetProperty("number").GetString();

        await using var db = factory.CreateDbContext();
        var row = await db.Outbox.AsNoTracking().SingleAsync(m => m.SubscriptionId == subscriptionId);
        Assert.Equal("filed", row.Kind);
        Assert.Equal(number, row.CaseNumber);

        var dispatcher = factory.Get<WebhookDispatcher>();
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1); // whole seconds survive every provider; after the act
        Assert.Equal(0, await dispatcher.DeliverDueAsync(now));
        var afterFirst = await db.Outbox.AsNoTracking().SingleAsync(m => m.Id == row.Id);
        Assert.Equal((1, DeliveryStatus.Pending), (afterFirst.Attempts, afterFirst.Status));
        Assert.Contains("500", afterFirst.LastError, StringComparison.Ordinal);
        Assert.Equal(now + WebhookDispatcher.Backoff(1), afterFirst.NextAttemptAt);

        // Not due yet: nothing is sent.
        Assert.Equal(0, await dispatcher.DeliverDueAsync(now + TimeSpan.FromSeconds(1)));
        Assert.Equal(1, receiver.Requests);

        now = afterFirst.NextAttemptAt;
        Assert.Equal(0, await dispatcher.DeliverDueAsync(now));
        var afterSecond = await db.Outbox.AsNoTracking().SingleAsync(m => m.Id == row.Id);
        Assert.True(afterSecond.NextAttemptAt - now >= WebhookDispatcher.Backoff(2), "back-off grows");
        Assert.True(WebhookDispatcher.Backoff(2) > WebhookDispatcher.Backoff(1));

        Assert.Equal(1, await dispatcher.DeliverDueAsync(afterSecond.NextAttemptAt));
        var delivered = await db.Outbox.AsNoTracking().SingleAsync(m => m.Id == row.Id);
        Assert.Equal((3, DeliveryStatus.Delivered), (delivered.Attempts, delivered.Status));
        var (body, signature, eventId) = Assert.Single(receiver.Received);
        Assert.Equal(WebhookDispatcher.Sign(secret, body), signature);
        Assert.NotEqual(WebhookDispatcher.Sign("wrong", body), signature);
        Assert.Equal(row.EventId, eventId);
        Assert.Equal(number, JsonDocument.Parse(body).RootElement.GetProperty("caseNumber").GetString());

        var admin = await ApiSession.SignInAsync(factory, "admin");
        var deliveries = await admin.GetOkAsync("/api/exchange/admin/deliveries");
        Assert.Contains(deliveries.EnumerateArray(), d => d.GetProperty("id").GetInt64() == row.Id && d.GetProperty("status").GetString() == "Delivered");
    }

    [Fact]
    public void Sign_IsHmacSha256HexOfTheBody() =>
        Assert.Equal("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", WebhookDispatcher.Sign("key", "The quick brown fox jumps over the lazy dog"));
}
