using System.Net;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Exchange;
using ApprovalSystem.Web.Features.Exchange.Inbound;
using ApprovalSystem.Web.Features.Exchange.Outbound;
using ApprovalSystem.Web.Features.Exchange.Resources;
using ApprovalSystem.Web.Features.Exchange.Systems;
using ApprovalSystem.Web.Tests.Infrastructure;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ApprovalSystem.Web.Tests.Exchange;

/// <summary>
/// Issue 14: the exchange's dead letters, deliveries and read log are paged over all their rows with exact totals (they
/// showed the newest 500: an older dead letter could not be replayed, an older read not audited). 1,300 rows of each are
/// written in bulk and every count, first and last page and search is compared with a recount in memory.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "IAsyncLifetime disposes the bUnit context.")]
public sealed class ExchangeListsTests(AppFactory factory) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private const int Rows = 1300;
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);
    private static readonly string[] Consumers = ["SW", "GA", "ZJ", "SCJG"];
    private static readonly string[] Keys = ["330799199001011234", "91330799MA2K3L4N5T", "330799198512127890"];

    private readonly BunitContext _ctx = new();

    public async Task InitializeAsync()
    {
        factory.CreateClient().Dispose();
        await using var db = factory.CreateDbContext();
        if (await db.InboundEvents.AnyAsync(e => e.EventId == "ev-00000"))
        {
            return; // written by the class's first test
        }

        var systemId = (await factory.Get<LineSystems.Handler>().RegisterAsync(new LineSystems.Command("BULK-YW", "批量系统", "ZJ", null))).System.Id;

        var subscription = new WebhookSubscription { SystemId = systemId, Url = "https://zj.example/hook", Secret = "s", CreatedAt = T0 };
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync();
        var resources = await db.ShareResources.OrderBy(r => r.Id).Select(r => r.Id).ToListAsync();
        for (var i = 0; i < Rows; i++)
        {
            db.InboundEvents.Add(new InboundEvent
            {
                SystemId = systemId, EventId = $"ev-{i:D5}", ExternalCaseId = $"ZJ-{i % 97:D3}", MatterCode = "330799-ZJ-001", Step = "受理",
                OccurredAt = T0.AddMinutes(i), ReceivedAt = T0.AddMinutes(i), Status = i % 3 == 0 ? InboundStatus.Applied : InboundStatus.DeadLetter,
                Reason = "事项未登记",
            });
            db.Outbox.Add(new OutboxMessage
            {
                EventId = $"out-{i:D5}", SubscriptionId = subscription.Id, Kind = "accepted", CaseId = i, CaseNumber = $"330799-20260302-{i % 40:D4}",
                CreatedAt = T0.AddMinutes(i), NextAttemptAt = T0.AddYears(50), Status = (DeliveryStatus)(i % 7 == 0 ? 2 : i % 5 == 0 ? 0 : 1), Attempts = 1,
            });
            db.ResourceReadLog.Add(new ResourceReadLog
            {
                ResourceId = resources[i % resources.Count], Consumer = Consumers[i % Consumers.Length], Reader = "reader-" + (i % 9),
                Key = MaskedKey(Keys[i % Keys.Length]), Fields = "企业名称|住所", Purpose = "核验", At = T0.AddMinutes(i),
            });
        }

        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Fact]
    public async Task DeadLetters_ArePagedOverAllOfThem_NewestFirst_AndSearchedByEventOrBusinessCase()
    {
        var queries = factory.Get<ExchangeQueries>();
        await using var db = factory.CreateDbContext();
        var all = await db.InboundEvents.AsNoTracking().Where(e => e.Status == InboundStatus.DeadLetter).OrderByDescending(e => e.Id).Select(e => e.Id).ToListAsync();
        Assert.True(all.Count > 800, $"{all.Count} dead letters");

        var first = await queries.InboundAsync(InboundStatus.DeadLetter, null, 0, 50);
        var last = await queries.InboundAsync(InboundStatus.DeadLetter, null, all.Count / 50 * 50, 50);
        var byCase = await queries.InboundAsync(InboundStatus.DeadLetter, "ZJ-005", 0, 1000);
        var byEvent = await queries.InboundAsync(InboundStatus.DeadLetter, "ev-0000", 0, 1000);

        Assert.Equal(all.Count, first.Total);
        Assert.Equal(all.Take(50), first.Rows.Select(r => r.Id));
        Assert.Equal(all.Skip(all.Count / 50 * 50), last.Rows.Select(r => r.Id));
        Assert.Equal(await db.InboundEvents.CountAsync(e => e.Status == InboundStatus.DeadLetter && e.ExternalCaseId == "ZJ-005"), byCase.Total);
        Assert.All(byCase.Rows, r => Assert.Equal("ZJ-005", r.ExternalCaseId));
        Assert.Equal(["ev-00008", "ev-00007", "ev-00005", "ev-00004", "ev-00002", "ev-00001"], byEvent.Rows.Select(r => r.EventId)); // the oldest, not in any first 500
    }

    [Fact]
    public async Task Deliveries_AreCountedPerStatus_PagedAndFoundByCaseNumber()
    {
        var queries = factory.Get<ExchangeQueries>();
        await using var db = factory.CreateDbContext();
        var all = await db.Outbox.AsNoTracking().OrderByDescending(m => m.Id).Select(m => new { m.Id, m.Status, m.CaseNumber }).ToListAsync();

        var counts = await queries.DeliveryCountsAsync();
        var failed = await queries.DeliveriesAsync(DeliveryStatus.Failed, null, 50, 50);
        var everything = await queries.DeliveriesAsync(null, null, 1250, 50);
        var oneCase = await queries.DeliveriesAsync(null, "330799-20260302-0007", 0, 1000);
        var partOfANumber = await queries.DeliveriesAsync(null, "0007", 0, 50);

        foreach (var status in Enum.GetValues<DeliveryStatus>())
        {
            Assert.Equal(all.Count(m => m.Status == status), counts[status]);
        }

        Assert.Equal(all.Count(m => m.Status == DeliveryStatus.Failed), failed.Total);
        Assert.Equal(all.Where(m => m.Status == DeliveryStatus.Failed).Skip(50).Take(50).Select(m => m.Id), failed.Rows.Select(r => r.Id));
        Assert.Equal(all.Count, everything.Total);
        Assert.Equal(all.Skip(1250).Take(50).Select(m => m.Id), everything.Rows.Select(r => r.Id));
        Assert.Equal(all.Where(m => m.CaseNumber == "330799-20260302-0007").Select(m => m.Id), oneCase.Rows.Select(r => r.Id));
        Assert.Equal(Rows / 40 + (Rows % 40 > 7 ? 1 : 0), oneCase.Total);
        Assert.Equal(0, partOfANumber.Total); // the whole number: an index lookup
    }

    [Fact]
    public async Task ReadLog_IsPagedForEachDepartment_AndNarrowedToTheReadsOfOneKey()
    {
        var catalogue = factory.Get<ResourceCatalogue>();
        await using var db = factory.CreateDbContext();
        var resources = await db.ShareResources.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Provider);
        var all = await db.ResourceReadLog.AsNoTracking().OrderByDescending(l => l.Id).Select(l => new { l.Id, l.Consumer, l.ResourceId, l.Key }).ToListAsync();
        var provider = resources.Values.First();
        var seen = all.Where(l => l.Consumer == provider || resources[l.ResourceId] == provider).ToList();

        var supervisors = await catalogue.ReadLogAsync(null, null, 1200, 50);
        var department = await catalogue.ReadLogAsync(provider, null, 0, 1000);
        var oneKey = await catalogue.ReadLogAsync(null, " " + Keys[1].ToLowerInvariant() + " ", 0, 1000);
        var oneKeyForDepartment = await catalogue.ReadLogAsync("SW", Keys[0], 0, 1000);

        Assert.Equal(all.Count, supervisors.Total);
        Assert.Equal(all.Skip(1200).Take(50).Select(l => l.Id), supervisors.Rows.Select(r => r.Id));
        Assert.Equal(seen.Count, department.Total);
        Assert.Equal(seen.Take(1000).Select(l => l.Id), department.Rows.Select(r => r.Id));
        Assert.Equal(all.Where(l => l.Key == MaskedKey(Keys[1])).Select(l => l.Id), oneKey.Rows.Select(r => r.Id));
        Assert.True(oneKey.Total >= Rows / Keys.Length, $"{oneKey.Total} reads of one key");
        Assert.Equal(all.Count(l => l.Key == MaskedKey(Keys[0]) && (l.Consumer == "SW" || resources[l.ResourceId] == "SW")), oneKeyForDepartment.Total);
        Assert.All(oneKey.Rows, r => Assert.DoesNotContain(Keys[1], r.Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Api_PagesWithSkipTake_SaysTheTotal_AndRefusesAnUnknownStatus()
    {
        var admin = await ApiSession.SignInAsync(factory, "admin");

        var (letters, lettersBody) = await admin.GetAsync("/api/exchange/admin/dead-letters?skip=800&take=100&q=ev-");
        var (deliveries, deliveriesBody) = await admin.GetAsync("/api/exchange/admin/deliveries?status=failed&take=5");
        var (log, logBody) = await admin.GetAsync($"/api/exchange/admin/read-log?key={Keys[2]}&take=3");
        var (wrong, wrongBody) = await admin.GetAsync("/api/exchange/admin/deliveries?status=lost");
        var (officer, _) = await (await ApiSession.SignInAsync(factory, "officer.scjg")).GetAsync("/api/exchange/admin/read-log");

        await using var db = factory.CreateDbContext();
        var deadLetters = await db.InboundEvents.CountAsync(e => e.Status == InboundStatus.DeadLetter && e.EventId.StartsWith("ev-"));
        Assert.Equal(deadLetters.ToString(System.Globalization.CultureInfo.InvariantCulture), letters.Headers.GetValues("X-Total-Count").Single());
        Assert.Equal(Math.Min(100, deadLetters - 800), lettersBody.GetArrayLength());
        Assert.Equal((await db.Outbox.CountAsync(m => m.Status == DeliveryStatus.Failed)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            deliveries.Headers.GetValues("X-Total-Count").Single());
        Assert.All(deliveriesBody.EnumerateArray(), d => Assert.Equal("Failed", d.GetProperty("status").GetString()));
        Assert.Equal(5, deliveriesBody.GetArrayLength());
        Assert.Equal(3, logBody.GetArrayLength());
        Assert.True(int.Parse(log.Headers.GetValues("X-Total-Count").Single(), System.Globalization.CultureInfo.InvariantCulture) >= Rows / Keys.Length);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("投递状态", wrongBody.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, officer.StatusCode);
    }

    [Fact]
    public async Task AdminPage_CountsEveryDeadLetterAndDelivery_AndPagesThem()
    {
        _ctx.Services.AddMudServices();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        var scope = factory.Services.CreateScope();
        foreach (var type in new[] { typeof(LineSystems.Handler), typeof(PushCaseState.Handler), typeof(ExchangeQueries), typeof(WebhookDispatcher), typeof(TimeProvider) })
        {
            _ctx.Services.AddSingleton(type, scope.ServiceProvider.GetRequiredService(type));
        }

        _ctx.AddAuthorization().SetAuthorized("admin").SetRoles(Roles.Administrator);
        _ctx.Render<MudPopoverProvider>();
        await using var db = factory.CreateDbContext();
        var deadLetters = await db.InboundEvents.CountAsync(e => e.Status == InboundStatus.DeadLetter);
        var failed = await db.Outbox.CountAsync(m => m.Status == DeliveryStatus.Failed);
        var deliveries = await db.Outbox.CountAsync();

        var page = _ctx.Render<ExchangeAdmin>();
        page.WaitForAssertion(() => Assert.Contains($"死信（{deadLetters}）", page.Markup, StringComparison.Ordinal));
        // Found and clicked on the renderer's thread: the page re-renders as its counts and tables load.
        await page.InvokeAsync(() => page.FindAll(".mud-tab").Single(t => t.TextContent.StartsWith("死信", StringComparison.Ordinal)).Click());

        page.WaitForAssertion(() =>
        {
            Assert.Equal(50, page.FindAll("#dead-letters tbody tr").Count);
            Assert.Contains($"1-50 / {deadLetters:N0}", page.Find("#dead-letters").TextContent, StringComparison.Ordinal);
        });
        page.WaitForAssertion(() => Assert.Equal($"推送投递（失败 {failed}）",
            page.FindAll(".mud-tab").Single(t => t.TextContent.StartsWith("推送投递", StringComparison.Ordinal)).TextContent.Trim()));
        await page.InvokeAsync(() => page.FindAll(".mud-tab").Single(t => t.TextContent.StartsWith("推送投递", StringComparison.Ordinal)).Click());
        page.WaitForAssertion(() =>
        {
            Assert.Equal(50, page.FindAll("#deliveries tbody tr").Count);
            Assert.Contains($"1-50 / {deliveries:N0}", page.Find("#deliveries").TextContent, StringComparison.Ordinal); // 1,300
        });
    }

    private static string MaskedKey(string key) =>
        key.Length == 18 ? Masking.IdNumber(key) : key[..3] + new string('*', key.Length - 6) + key[^3..];
}
