using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Features.Cases.Queries;
using ApprovalSystem.Web.Features.Exchange.Supervision;
using ApprovalSystem.Web.Features.Exchange.Systems;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalSystem.Web.Tests.Exchange;

/// <summary>Line systems push case states through the API: mapping, idempotency, ordering, dead letters, keys.</summary>
public sealed class ExchangeInboundTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private static readonly CaseActor Supervisor = new("supervisor-test", "监察员", [ApprovalSystem.Core.Identity.Roles.Supervisor]);

    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 2, 0, 0, TimeSpan.Zero);

    /// <summary>An SCJG matter still filed on its own (the first ones by code are replaced by bundles, decision 0058).</summary>
    private async Task<string> ScjgMatterAsync()
    {
        var replaced = await factory.Get<ApprovalSystem.Web.Features.Bundles.ReplacedMatters>().AllAsync();
        await using var db = factory.CreateDbContext();
        var codes = await db.Matters.AsNoTracking().Where(m => m.Department!.Code == "SCJG").OrderBy(m => m.Code).Select(m => m.Code).ToListAsync();
        return codes.First(c => !replaced.ContainsKey(c));
    }

    private async Task<(HttpClient Client, IssuedKey Key)> SystemAsync(string? department = "SCJG")
    {
        var issued = await factory.Get<LineSystems.Handler>().RegisterAsync(new LineSystems.Command("YW-" + Guid.NewGuid().ToString("N")[..8], "市场监管业务系统", department!, null));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeys.Header, issued.ApiKey);
        return (client, issued);
    }

    private static object Push(string eventId, string caseId, string matterCode, string step, DateTimeOffset at, string? centreCaseNumber = null, bool withApplicant = true) => new
    {
        eventId,
        caseId,
        centreCaseNumber,
        matterCode,
        step,
        opinion = step + "意见",
        actor = new { name = "王审查" },
        occurredAt = at,
        applicant = withApplicant ? new { name = "云溪县绿源食品有限公司", idType = "CreditCode", idNumber = "91330799MA2K3L4N5T", phone = "13800000002" } : null,
        documents = new[] { new { name = "现场核查记录.pdf" } },
    };

    private static async Task<JsonElement> PostAsync(HttpClient client, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await client.PostAsJsonAsync("/api/exchange/cases/events", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Push_NewExternalCase_CreatesMirroredCase_InTimelineAndSupervisionFeed()
    {
        var (client, _) = await SystemAsync();
        var matter = await ScjgMatterAsync();
        var extId = "YW-" + Guid.NewGuid().ToString("N")[..6];

        var result = await PostAsync(client, Push(Guid.NewGuid().ToString(), extId, matter, "受理", T0));

        Assert.Equal("applied", result.GetProperty("status").GetString());
        var caseId = result.GetProperty("caseId").GetInt64();
        await using var db = factory.CreateDbContext();
        var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == caseId);
        Assert.Equal(CaseChannel.LineSystem, c.Channel);
        Assert.Equal(CaseState.Handling, c.State);
        Assert.Equal(extId, c.ExternalCaseId);
        var timeline = await factory.Get<CaseQueries>().JournalAsync(caseId, Supervisor);
        Assert.Contains(timeline, e => e.Action == nameof(CaseTrigger.ExternalState) && e.Opinion!.Contains("现场核查记录.pdf", StringComparison.Ordinal));

        var feed = await client.GetFromJsonAsync<List<NodeRow>>("/api/exchange/supervision-feed?since=" + Uri.EscapeDataString(T0.AddMinutes(-1).ToString("O")));
        Assert.Equal(["申请", "受理"], feed!.Where(r => r.CaseNumber == c.Number).Select(r => r.Node));
    }

    [Fact]
    public async Task Push_WithCentreCaseNumber_MapsOntoExistingCase_ThenByLink()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var matter = await ScjgMatterAsync();
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = matter, submit = true, formData = await TestForms.RequiredAsync(factory, matter) });
        var number = filed.GetProperty("number").GetString()!;
        var (client, _) = await SystemAsync();
        var extId = "YW-" + Guid.NewGuid().ToString("N")[..6];

        var first = await PostAsync(client, Push(Guid.NewGuid().ToString(), extId, matter, "审查", T0, centreCaseNumber: number, withApplicant: false));
        var second = await PostAsync(client, Push(Guid.NewGuid().ToString(), extId, matter, "审核", T0.AddHours(1), withApplicant: false));

        Assert.Equal(filed.GetProperty("id").GetInt64(), first.GetProperty("caseId").GetInt64());
        Assert.Equal(filed.GetProperty("id").GetInt64(), second.GetProperty("caseId").GetInt64());
        await using var db = factory.CreateDbContext();
        Assert.Equal(1, await db.Cases.CountAsync(c => c.Number == number));
        Assert.Equal(2, await db.Journal.CountAsync(e => e.CaseNumber == number && e.Action == nameof(CaseTrigger.ExternalState)));
        Assert.Equal(CaseState.PreAcceptance, (await db.Cases.AsNoTracking().SingleAsync(c => c.Number == number)).State);
    }

    [Fact]
    public async Task Push_SameEventIdTwice_IsAppliedOnce()
    {
        var (client, _) = await SystemAsync();
        var matter = await ScjgMatterAsync();
        var eventId = Guid.NewGuid().ToString();
        var body = Push(eventId, "YW-" + Guid.NewGuid().ToString("N")[..6], matter, "受理", T0);

        var first = await PostAsync(client, body);
        var again = await PostAsync(client, body);

        Assert.False(first.GetProperty("duplicate").GetBoolean());
        Assert.True(again.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.GetProperty("caseId").GetInt64(), again.GetProperty("caseId").GetInt64());
        await using var db = factory.CreateDbContext();
        var caseId = first.GetProperty("caseId").GetInt64();
        Assert.Equal(1, await db.Journal.CountAsync(e => e.CaseId == caseId && e.Action == nameof(CaseTrigger.ExternalState)));
        Assert.Equal(1, await db.InboundEvents.CountAsync(e => e.EventId == eventId));
    }

    [Fact]
    public async Task Push_OlderEventAfterNewer_IsPlacedInTimelineButDoesNotMoveStateBack()
    {
        var (client, _) = await SystemAsync();
        var matter = await ScjgMatterAsync();
        var extId = "YW-" + Guid.NewGuid().ToString("N")[..6];

        var created = await PostAsync(client, Push(Guid.NewGuid().ToString(), extId, matter, "受理", T0));
        await PostAsync(client, Push(Guid.NewGuid().ToString(), extId, matter, "准予", T0.AddDays(3), withApplicant: false));
        await PostAsync(client, Push(Guid.NewGuid().ToString(), extId, matter, "特别程序开始", T0.AddDays(1), withApplicant: false));

        var caseId = created.GetProperty("caseId").GetInt64();
        await using var db = factory.CreateDbContext();
        Assert.Equal(CaseState.Approved, (await db.Cases.AsNoTracking().SingleAsync(c => c.Id == caseId)).State);
        var steps = (await factory.Get<CaseQueries>().JournalAsync(caseId, Supervisor)).Where(e => e.Action == nameof(CaseTrigger.ExternalState))
            .Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("step").GetString()).ToList();
        Assert.Equal(["受理", "特别程序开始", "准予"], steps);
    }

    [Fact]
    public async Task Push_UnknownMatter_IsDeadLetter_ThenReplayedWithCorrection()
    {
        var (client, _) = await SystemAsync();
        var matter = await ScjgMatterAsync();
        var eventId = Guid.NewGuid().ToString();
        var extId = "YW-" + Guid.NewGuid().ToString("N")[..6];

        var dead = await PostAsync(client, Push(eventId, extId, "330799-NOPE-999", "受理", T0), HttpStatusCode.Accepted);

        Assert.Equal("deadLetter", dead.GetProperty("status").GetString());
        Assert.Contains("330799-NOPE-999", dead.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var admin = await ApiSession.SignInAsync(factory, "admin");
        var letters = await admin.GetOkAsync("/api/exchange/admin/dead-letters");
        var id = letters.EnumerateArray().Single(l => l.GetProperty("eventId").GetString() == eventId).GetProperty("id").GetInt64();

        var replayed = await admin.PostOkAsync($"/api/exchange/admin/dead-letters/{id}/replay", Push("ignored", extId, matter, "受理", T0));

        Assert.True(replayed.GetProperty("status").GetString() == "applied", replayed.ToString());
        await using var db = factory.CreateDbContext();
        var row = await db.InboundEvents.AsNoTracking().SingleAsync(e => e.Id == id);
        Assert.Equal(ApprovalSystem.Web.Data.InboundStatus.Applied, row.Status);
        Assert.Equal(eventId, row.EventId);
        Assert.Equal(1, row.Replays);
        Assert.NotNull(row.CaseId);
    }

    [Fact]
    public async Task Push_UnknownStep_IsDeadLetterNamingTheStep()
    {
        var (client, _) = await SystemAsync();

        var dead = await PostAsync(client, Push(Guid.NewGuid().ToString(), "YW-x1", await ScjgMatterAsync(), "喝茶", T0), HttpStatusCode.Accepted);

        Assert.Contains("喝茶", dead.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_BadPayloads_AreProblemDetailsNamingTheField()
    {
        var (client, _) = await SystemAsync();
        var matter = await ScjgMatterAsync();

        var missing = await PostAsync(client, new { caseId = "x", matterCode = matter, step = "受理", actor = new { name = "王" }, occurredAt = T0 }, HttpStatusCode.UnprocessableEntity);
        var badId = await PostAsync(client, new { eventId = "e", caseId = "x", matterCode = matter, step = "受理", actor = new { name = "王" }, occurredAt = T0, applicant = new { name = "某", idType = "CreditCode", idNumber = "91330799MA2K3L4N5X" } }, HttpStatusCode.UnprocessableEntity);
        var response = await client.PostAsync("/api/exchange/cases/events", new StringContent("""{"eventId":"e","occurredAt":"昨天"}""", System.Text.Encoding.UTF8, "application/json"));
        var malformed = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.True(missing.GetProperty("errors").TryGetProperty("eventId", out _), missing.ToString());
        Assert.True(badId.GetProperty("errors").TryGetProperty("applicant.idNumber", out _), badId.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(malformed.GetProperty("errors").TryGetProperty("occurredAt", out _), malformed.ToString());
    }

    [Fact]
    public async Task ApiKey_RevokedOrRotatedAway_IsRefused_NewKeyWorks()
    {
        var admin = await ApiSession.SignInAsync(factory, "admin");
        var registered = await admin.PostOkAsync("/api/exchange/admin/systems", new { code = "GA-YW-" + Guid.NewGuid().ToString("N")[..4], name = "公安业务系统", department = "GA" });
        var id = registered.GetProperty("system").GetProperty("id").GetInt32();
        var key = registered.GetProperty("apiKey").GetString()!;
        await using (var db = factory.CreateDbContext())
        {
            var stored = await db.LineSystems.AsNoTracking().SingleAsync(s => s.Id == id);
            Assert.Equal(ApiKeys.Hash(key), stored.KeyHash);
            Assert.DoesNotContain(key, stored.KeyHash + stored.KeyPrefix + stored.Name, StringComparison.Ordinal);
        }

        async Task<HttpStatusCode> CallAsync(string? k)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/exchange/resources");
            if (k is not null)
            {
                request.Headers.Add(ApiKeys.Header, k);
            }

            return (await factory.CreateClient().SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await CallAsync(key));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(null));
        await admin.PostOkAsync($"/api/exchange/admin/systems/{id}/revoke");
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(key));
        var rotated = await admin.PostOkAsync($"/api/exchange/admin/systems/{id}/rotate");
        var newKey = rotated.GetProperty("apiKey").GetString()!;
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(key));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(newKey));
    }

    [Fact]
    public async Task AdminEndpoints_WithoutAdministrator_AreRefused()
    {
        var clerk = await ApiSession.SignInAsync(factory, "clerk");

        var (response, _) = await clerk.PostAsync("/api/exchange/admin/systems", new { code = "X1", name = "x", department = "GA" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheExchangeEndpoints()
    {
        var doc = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/exchange/cases/events", out var push));
        Assert.True(push.GetProperty("post").TryGetProperty("requestBody", out _));
        Assert.True(paths.TryGetProperty("/api/exchange/supervision-feed", out _));
        Assert.True(paths.TryGetProperty("/api/exchange/resources/{code}/records/query", out _));
        Assert.True(paths.TryGetProperty("/api/exchange/admin/dead-letters/{id}/replay", out var replay));

        // The line systems' key is declared and required where they call, not on the administrators' endpoints.
        var scheme = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("LineSystemApiKey");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        Assert.Contains("LineSystemApiKey", push.GetProperty("post").GetProperty("security").GetRawText(), StringComparison.Ordinal);
        Assert.False(replay.GetProperty("post").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task Push_RetriedAfterAnAttemptThatNeverApplied_IsAppliedNow()
    {
        var (client, issued) = await SystemAsync();
        var matter = await ScjgMatterAsync();
        var eventId = Guid.NewGuid().ToString();
        var body = Push(eventId, "YW-" + Guid.NewGuid().ToString("N")[..6], matter, "受理", T0);
        await using (var db = factory.CreateDbContext())
        {
            // What a crash between storing the push and applying it leaves behind.
            db.InboundEvents.Add(new ApprovalSystem.Web.Data.InboundEvent
            {
                SystemId = issued.System.Id, EventId = eventId, ExternalCaseId = "x", MatterCode = matter, Step = "受理", OccurredAt = T0,
                ReceivedAt = DateTimeOffset.UtcNow.AddMinutes(-5), Payload = JsonSerializer.Serialize(body), Status = ApprovalSystem.Web.Data.InboundStatus.Received,
            });
            await db.SaveChangesAsync();
        }

        var result = await PostAsync(client, body);

        Assert.Equal("applied", result.GetProperty("status").GetString());
        Assert.True(result.TryGetProperty("caseId", out var id) && id.ValueKind == JsonValueKind.Number);
    }

    [Fact]
    public async Task ACaseConcludedInALineSystem_IsAHandledOutsideTheSystemAlert_OnTheNextScan()
    {
        var (client, _) = await SystemAsync();
        var matter = await ScjgMatterAsync();
        var extId = "YW-" + Guid.NewGuid().ToString("N")[..6];
        var accepted = await PostAsync(client, Push(Guid.NewGuid().ToString(), extId, matter, "受理", T0));
        var open = accepted.GetProperty("caseId").GetInt64();

        using (var scope = factory.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<Features.Supervision.ScanJob>().ScanAsync();
        }

        await using (var db = factory.CreateDbContext())
        {
            Assert.DoesNotContain(await db.SupervisionAlerts.Where(a => a.CaseId == open).ToListAsync(), a => a.Rule == "handled-outside-system");
        }

        await PostAsync(client, Push(Guid.NewGuid().ToString(), extId, matter, "准予", T0.AddHours(3)));
        using (var scope = factory.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<Features.Supervision.ScanJob>().ScanAsync();
        }

        await using (var db = factory.CreateDbContext())
        {
            var alert = Assert.Single(await db.SupervisionAlerts.Where(a => a.CaseId == open && a.Rule == "handled-outside-system").ToListAsync());
            Assert.Contains("市场监管业务系统", alert.Message, StringComparison.Ordinal);
        }
    }
}
