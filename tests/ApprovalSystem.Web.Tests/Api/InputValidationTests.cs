using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ApprovalSystem.Web.Features.Exchange.Systems;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Api;

/// <summary>
/// Well-formed requests with invalid content are refused with 422 and problem details naming the field by its JSON path, in
/// Chinese, and nothing is saved: the inputs the security review found answering 500 (or, for a push dated year 1, filing a case).
/// </summary>
public sealed class InputValidationTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 2, 0, 0, TimeSpan.Zero);

    private async Task<HttpClient> SystemAsync()
    {
        var issued = await factory.Get<LineSystems.Handler>().RegisterAsync(
            new LineSystems.Command("YW-" + Guid.NewGuid().ToString("N")[..8], "市场监管业务系统", "SCJG", null));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeys.Header, issued.ApiKey);
        return client;
    }

    /// <summary>An SCJG matter still filed on its own (the first ones by code are replaced by bundles, decision 0058).</summary>
    private async Task<string> ScjgMatterAsync()
    {
        var replaced = await factory.Get<ApprovalSystem.Web.Features.Bundles.ReplacedMatters>().AllAsync();
        await using var db = factory.CreateDbContext();
        var codes = await db.Matters.AsNoTracking().Where(m => m.Department!.Code == "SCJG").OrderBy(m => m.Code).Select(m => m.Code).ToListAsync();
        return codes.First(c => !replaced.ContainsKey(c));
    }

    private static object Push(string matter, string caseId, object occurredAt, object? documents = null) => new
    {
        eventId = Guid.NewGuid().ToString(),
        caseId,
        matterCode = matter,
        step = "受理",
        actor = new { name = "王审查" },
        occurredAt,
        applicant = new { name = "云溪县绿源食品有限公司", idType = "CreditCode", idNumber = "91330799MA2K3L4N5T", phone = "13800000002" },
        documents = documents ?? new[] { new { name = "现场核查记录.pdf" } },
    };

    /// <summary>Asserts a 422 problem in Chinese whose errors name <paramref name="field"/>; returns that field's message.</summary>
    private static async Task<string> Assert422Async(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(422, problem.GetProperty("status").GetInt32());
        Assert.Equal("提交的内容有误", problem.GetProperty("title").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), text);
        var message = messages[0].GetString()!;
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", message);
        Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        return message;
    }

    private async Task<(int Inbound, int Cases)> CountsAsync()
    {
        await using var db = factory.CreateDbContext();
        return (await db.InboundEvents.CountAsync(), await db.Cases.CountAsync());
    }

    [Fact]
    public async Task Subscribe_WithANullKind_Is422NamingKinds0_AndSubscribesNothing()
    {
        var client = await SystemAsync();
        await using var db = factory.CreateDbContext();
        var before = await db.WebhookSubscriptions.CountAsync();

        var response = await client.PostAsync("/api/exchange/subscriptions",
            new StringContent("""{"url":"https://example.com/hook","kinds":[null]}""", Encoding.UTF8, "application/json"));

        await Assert422Async(response, "kinds[0]");
        Assert.Equal(before, await db.WebhookSubscriptions.CountAsync());
    }

    [Fact]
    public async Task RequestResourceAccess_WithANullField_Is422NamingFields0_AndRequestsNothing()
    {
        var client = await SystemAsync();
        await using var db = factory.CreateDbContext();
        var resource = await db.ShareResources.AsNoTracking().OrderBy(r => r.Code).Select(r => r.Code).FirstAsync();
        var before = await db.AccessRequests.CountAsync();

        var response = await client.PostAsync($"/api/exchange/resources/{resource}/requests",
            new StringContent("""{"fields":[null],"purpose":"核验申请人身份"}""", Encoding.UTF8, "application/json"));

        await Assert422Async(response, "fields[0]");
        Assert.Equal(before, await db.AccessRequests.CountAsync());
    }

    [Fact]
    public async Task Push_WithANullDocument_Is422NamingDocuments0_AndStoresNothing()
    {
        var client = await SystemAsync();
        var before = await CountsAsync();

        var response = await client.PostAsJsonAsync("/api/exchange/cases/events", Push(await ScjgMatterAsync(), "YW-null-doc", T0, new object?[] { null }));

        await Assert422Async(response, "documents[0]");
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("1999-12-31T23:59:59+08:00")]
    public async Task Push_DatedOutsideTheSaneWindow_Is422NamingOccurredAt_AndCreatesNoCase(string occurredAt)
    {
        var client = await SystemAsync();
        var before = await CountsAsync();

        var response = await client.PostAsJsonAsync("/api/exchange/cases/events", Push(await ScjgMatterAsync(), "YW-" + Guid.NewGuid().ToString("N")[..8], occurredAt));

        var message = await Assert422Async(response, "occurredAt");
        Assert.Contains("2000-01-01", message, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Cases.AnyAsync(c => c.Number!.StartsWith("330799-0001") || c.Number!.StartsWith("330799-9999")));
    }

    [Fact]
    public async Task Push_WithTextLongerThanItsColumn_OrAControlCharacter_Is422NamingTheField_AndStoresNothing()
    {
        var client = await SystemAsync();
        var matter = await ScjgMatterAsync();
        var before = await CountsAsync();
        var push = JsonSerializer.SerializeToNode(Push(matter, "YW-long", T0))!.AsObject();
        push["applicant"]!["address"] = new string('长', 201);
        push["actor"]!["name"] = "王\u0000审查";

        var response = await client.PostAsync("/api/exchange/cases/events", new StringContent(push.ToJsonString(), Encoding.UTF8, "application/json"));

        await Assert422Async(response, "applicant.address");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty("actor.name", out _), problem.ToString());
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("1000000000000")]
    [InlineData("0.001")]
    public async Task Accept_WithAFeeTheColumnCannotHold_Is422NamingFeeCharged_AndTheCaseIsNotAccepted(string fee)
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        const string matter = TestMatters.Joint;
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = matter, submit = true, formData = await TestForms.RequiredAsync(factory, matter) });
        var id = filed.GetProperty("id").GetInt64();

        var response = await clerk.Client.PostAsync($"/api/cases/{id}/accept", new StringContent($$"""{"feeCharged":{{fee}}}""", Encoding.UTF8, "application/json"));

        await Assert422Async(response, "feeCharged");
        Assert.Equal("PreAcceptance", (await clerk.GetOkAsync($"/api/cases/{id}")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Act_WithAnOutcomeThatIsNoOutcome_Is422NamingOutcome_NotAConflict()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        const string matter = "330799-SCJG-011"; // its first step is SCJG's, the officer acting here
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = matter, submit = true, formData = await TestForms.RequiredAsync(factory, matter) });
        var officer = await ApiSession.SignInAsync(factory, "officer.scjg");

        var (unknown, _) = await officer.PostAsync($"/api/cases/{filed.GetProperty("id").GetInt64()}/tasks/wi-1/act", new { outcome = "maybe" });
        var (missing, _) = await officer.PostAsync($"/api/cases/{filed.GetProperty("id").GetInt64()}/tasks/wi-1/act", new { opinion = "同意" });

        await Assert422Async(unknown, "outcome");
        await Assert422Async(missing, "outcome");
    }

    [Fact]
    public async Task AQueryValueWithANulCharacter_Is400NamingTheParameter()
    {
        var response = await factory.CreateClient().GetAsync("/api/matters?q=%00");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("查询参数 q 含有不可见的控制字符", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"files\":[\"申请书\"],", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"files\":[\"申请书\"],\"retentionYears\":\"三十\",\"location\":\"A柜\"}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("[{\"files\":[\"申请书\"]}]", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("null", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"files\":[\"申请书\"],\"retentionYears\":30,\"location\":\"A柜\"}", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    public async Task AnUnparseableBody_Is400Or415_InChinese_NeverA500(string body, string type, HttpStatusCode expected)
    {
        var clerk = await ApiSession.SignInAsync(factory, "clerk");

        var response = await clerk.Client.PostAsync("/api/cases/1/archive", new StringContent(body, Encoding.UTF8, type));

        Assert.Equal(expected, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Matches(@"^\p{IsCJKUnifiedIdeographs}+$", problem.GetProperty("title").GetString());
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AHugeBody_IsRefused_NotA500()
    {
        var client = await SystemAsync();
        var huge = "{\"eventId\":\"" + new string('x', 8 * 1024 * 1024) + "\"}";

        var response = await client.PostAsync("/api/exchange/cases/events", new StringContent(huge, Encoding.UTF8, "application/json"));

        Assert.True((int)response.StatusCode is 413 or 422, $"{(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
