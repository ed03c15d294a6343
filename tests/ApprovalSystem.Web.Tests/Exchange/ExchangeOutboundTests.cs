using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Exchange.Outbound;
using ApprovalSystem.Web.Features.Exchange.Systems;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Exchange;

/// <summary>
/// The centre's case events to subscribers: outbox written with the act, signed webhooks, retries with back-off. The receivers
/// listen on this machine, so this class opts in to private addresses (<see cref="LoopbackWebhooksFactory"/>).
/// </summary>
public sealed class ExchangeOutboundTests(LoopbackWebhooksFactory factory) : IClassFixture<LoopbackWebhooksFactory>
{
    [Fact]
    public async Task Webhook_FailingTwice_IsRetriedWithBackoffUntilDelivered_AndSigned()
    {
        using var receiver = new WebhookReceiver(failures: 2);
        var issued = await factory.Get<LineSystems.Handler>().RegisterAsync(new LineSystems.Command("SUB-" + Guid.NewGuid().ToString("N")[..6], "订阅系统", "SW", null));
        var system = factory.CreateClient();
        system.DefaultRequestHeaders.Add(ApiKeys.Header, issued.ApiKey);
        var subscribed = await system.PostAsJsonAsync("/api/exchange/subscriptions", new { url = receiver.Url, kinds = new[] { "filed" } });
        Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        var created = await subscribed.Content.ReadFromJsonAsync<JsonElement>();
        var secret = created.GetProperty("secret").GetString()!;
        var subscriptionId = created.GetProperty("subscription").GetProperty("id").GetInt32();

        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        const string matter = TestMatters.Joint;
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
    public async Task Webhook_AnsweredWithARedirect_IsNotFollowed_AndFails()
    {
        using var target = new WebhookReceiver();
        using var redirecting = new WebhookReceiver(redirectTo: target.Url);
        var id = await StoredWebhooks.StoreAsync(factory, redirecting.Url);

        var row = await StoredWebhooks.DeliverAsync(factory, id);

        Assert.Equal(1, redirecting.Requests);
        Assert.Equal(0, target.Requests);
        Assert.Equal((DeliveryStatus.Pending, 1, DeliveryErrors.Http(302)), (row.Status, row.Attempts, row.LastError));
    }

    [Fact]
    public async Task Webhook_ConnectionCutOrRefused_KeepsAFixedReason_NotThePortOrTheSocketsWords()
    {
        using var cutting = new ConnectionProbe();
        var closed = ConnectionProbe.FreePort();
        var cut = await StoredWebhooks.StoreAsync(factory, $"http://127.0.0.1:{cutting.Port}/hook");
        var refused = await StoredWebhooks.StoreAsync(factory, $"http://127.0.0.1:{closed}/hook");

        var (afterCut, afterRefused) = (await StoredWebhooks.DeliverAsync(factory, cut), await StoredWebhooks.DeliverAsync(factory, refused));

        Assert.True(cutting.Connections >= 1, "the opt-in lets the delivery reach this machine");
        Assert.Equal(DeliveryErrors.ConnectFailed, afterCut.LastError);
        Assert.Equal(DeliveryErrors.ConnectFailed, afterRefused.LastError);
        foreach (var (error, port) in new[] { (afterCut.LastError!, cutting.Port), (afterRefused.LastError!, closed) })
        {
            Assert.DoesNotContain(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error, StringComparison.Ordinal);
            Assert.DoesNotContain("127.0.0.1", error, StringComparison.Ordinal);
            Assert.DoesNotContain("refused", error, StringComparison.OrdinalIgnoreCase);
        }

        var admin = await ApiSession.SignInAsync(factory, "admin");
        var shown = (await admin.GetOkAsync("/api/exchange/admin/deliveries")).EnumerateArray().Single(d => d.GetProperty("id").GetInt64() == refused);
        Assert.Equal(DeliveryErrors.ConnectFailed, shown.GetProperty("lastError").GetString());
    }

    [Fact]
    public void Sign_IsHmacSha256HexOfTheBody() =>
        Assert.Equal("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", WebhookDispatcher.Sign("key", "The quick brown fox jumps over the lazy dog"));
}
