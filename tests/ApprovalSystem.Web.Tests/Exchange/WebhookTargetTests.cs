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
/// Webhooks cannot be aimed inward (server-side request forgery, ASVS V1/V13 SSRF): refused when subscribed, refused again when
/// delivered, whatever the notation or name of the address; an administrator's allow-list per system narrows or opens ranges.
/// This factory keeps the default: no opt-in to private addresses.
/// </summary>
public sealed class WebhookTargetTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private async Task<HttpClient> SystemAsync(IReadOnlyList<string>? allowList = null)
    {
        var issued = await factory.Get<LineSystems.Handler>().RegisterAsync(
            new LineSystems.Command("WT-" + Guid.NewGuid().ToString("N")[..8], "回调系统", "SW", null, allowList));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeys.Header, issued.ApiKey);
        return client;
    }

    [Theory]
    [InlineData("http://127.0.0.1:5432/hook")]
    [InlineData("http://127.1.2.3/hook")]
    [InlineData("http://[::1]:6379/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://172.16.0.9/hook")]
    [InlineData("http://192.168.1.1/hook")]
    [InlineData("http://100.64.0.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://[::ffff:127.0.0.1]:8080/hook")]
    [InlineData("http://[::ffff:10.0.0.1]/hook")]
    [InlineData("http://0.0.0.0:8080/hook")]
    [InlineData("http://[::]/hook")]
    [InlineData("http://224.0.0.1/hook")]
    [InlineData("http://2130706433/hook")]
    [InlineData("http://localhost:8080/hook")]
    public async Task Subscribe_ToAnInternalAddress_Is422_NamingWhatIsWrong(string url)
    {
        var system = await SystemAsync();
        await using var db = factory.CreateDbContext();
        var before = await db.WebhookSubscriptions.CountAsync();

        var response = await system.PostAsJsonAsync("/api/exchange/subscriptions", new { url, kinds = new[] { "filed" } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("回调地址不允许", problem.GetProperty("title").GetString());
        Assert.Equal(WebhookTargetPolicy.InternalAddress, problem.GetProperty("errors").GetProperty("url")[0].GetString());
        Assert.Equal(before, await db.WebhookSubscriptions.CountAsync());
    }

    [Fact]
    public async Task Subscribe_ToAPublicAddress_IsAccepted()
    {
        var system = await SystemAsync();

        var response = await system.PostAsJsonAsync("/api/exchange/subscriptions", new { url = "http://8.8.8.8/hook", kinds = new[] { "filed" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{0}/hook")]
    [InlineData("http://localhost:{0}/hook")]
    [InlineData("http://[::1]:{0}/hook")]
    [InlineData("http://[::ffff:127.0.0.1]:{0}/hook")]
    public async Task Deliver_ToAStoredInternalSubscription_FailsWithTheGenericReason_AndNothingReachesTheMachine(string url)
    {
        // Stored as it is: a subscription from before the check, or one whose name now resolves inward ("localhost" is
        // refused only when the delivery connects).
        using var probe = new ConnectionProbe();
        var id = await StoredWebhooks.StoreAsync(factory, string.Format(System.Globalization.CultureInfo.InvariantCulture, url, probe.Port));

        var row = await StoredWebhooks.DeliverAsync(factory, id);

        Assert.Equal(0, probe.Connections);
        Assert.Equal((DeliveryStatus.Pending, 1, DeliveryErrors.Refused), (row.Status, row.Attempts, row.LastError));
    }

    [Fact]
    public async Task AllowList_OfHosts_RefusesOtherHosts_AndItsRanges_OpenOnlyThosePrivateAddresses()
    {
        var hostsOnly = await SystemAsync(["hook.zj.example"]);
        var refused = await hostsOnly.PostAsJsonAsync("/api/exchange/subscriptions", new { url = "https://8.8.8.8/hook", kinds = new[] { "filed" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains(WebhookTargetPolicy.NotListed, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var department = await SystemAsync(["10.20.0.0/16"]);
        Assert.Equal(HttpStatusCode.Created,
            (await department.PostAsJsonAsync("/api/exchange/subscriptions", new { url = "http://10.20.1.5/hook", kinds = new[] { "filed" } })).StatusCode);
        var outside = await department.PostAsJsonAsync("/api/exchange/subscriptions", new { url = "http://10.30.1.5/hook", kinds = new[] { "filed" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, outside.StatusCode);
        var local = await department.PostAsJsonAsync("/api/exchange/subscriptions", new { url = "http://localhost/hook", kinds = new[] { "filed" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, local.StatusCode);
    }

    [Fact]
    public async Task AllowList_IsSetByAnAdministrator_AndRefusesLoopbackOrTooWideRanges()
    {
        var issued = await factory.Get<LineSystems.Handler>().RegisterAsync(new LineSystems.Command("WT-ADM-" + Guid.NewGuid().ToString("N")[..6], "白名单", "SW", null));
        var admin = await ApiSession.SignInAsync(factory, "admin");
        var path = $"/api/exchange/admin/systems/{issued.System.Id}/webhook-targets";

        foreach (var (entry, words) in new[] { ("127.0.0.0/8", "本机"), ("0.0.0.0/0", "过大"), ("10.0.0.0/33", "前缀"), ("not a host", "不是有效") })
        {
            var bad = await admin.Client.PutAsJsonAsync(path, new { targets = new[] { entry } });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode); // well-formed but invalid (decision 0024)
            Assert.Contains(words, await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var ok = await admin.Client.PutAsJsonAsync(path, new { targets = new[] { "Hook.ZJ.example", "10.20.3.4/16", "*.gov.example" } });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        await using var db = factory.CreateDbContext();
        Assert.Equal("hook.zj.example,*.gov.example,10.20.0.0/16", (await db.LineSystems.SingleAsync(s => s.Id == issued.System.Id)).WebhookAllowList);
    }

    [Fact]
    public async Task DeliveryErrors_KeptBeforeTheFixedReasons_AreNotShownAsTheyWere()
    {
        var id = await StoredWebhooks.StoreAsync(factory, "https://8.8.8.8/hook");
        await using (var db = factory.CreateDbContext())
        {
            await db.Outbox.Where(m => m.Id == id).ExecuteUpdateAsync(u => u.SetProperty(m => m.LastError, "Connection refused (10.0.0.5:5432)")
                .SetProperty(m => m.NextAttemptAt, DateTimeOffset.UtcNow.AddDays(1)));
        }

        var admin = await ApiSession.SignInAsync(factory, "admin");
        var shown = (await admin.GetOkAsync("/api/exchange/admin/deliveries")).EnumerateArray().Single(d => d.GetProperty("id").GetInt64() == id);

        Assert.Equal(DeliveryErrors.Earlier, shown.GetProperty("lastError").GetString());
    }
}
