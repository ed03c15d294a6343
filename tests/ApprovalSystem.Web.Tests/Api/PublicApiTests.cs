using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ApprovalSystem.Web.Tests.Infrastructure;

namespace ApprovalSystem.Web.Tests.Api;

public sealed class PublicApiTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Matters_ReturnsWholePublicCatalogueAnonymously()
    {
        var matters = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/matters");

        Assert.Equal(JsonValueKind.Array, matters.ValueKind);
        Assert.True(matters.GetArrayLength() >= 338);
        var first = matters[0];
        foreach (var property in new[] { "code", "name", "department", "kind", "legalLimitDays", "promisedLimitDays", "fee" })
        {
            Assert.True(first.TryGetProperty(property, out _), property);
        }

        Assert.Contains(matters.EnumerateArray(), m => m.GetProperty("kind").GetString() == "immediate");
        Assert.All(matters.EnumerateArray(), m => Assert.True(m.GetProperty("promisedLimitDays").GetInt32() <= m.GetProperty("legalLimitDays").GetInt32()));
    }

    [Fact]
    public async Task Matters_FilterByKeyword()
    {
        var matters = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/matters?q=" + Uri.EscapeDataString("食品经营"));

        Assert.True(matters.GetArrayLength() > 0);
        Assert.All(matters.EnumerateArray(), m => Assert.Contains("食品经营", m.GetProperty("name").GetString()!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Departments_ListsAtLeast36()
    {
        var departments = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/departments");

        Assert.True(departments.GetArrayLength() >= 36);
        Assert.Contains(departments.EnumerateArray(), d => d.GetProperty("name").GetString() == "云溪县市场监督管理局");
    }

    [Fact]
    public async Task UnknownMatter_IsProblemDetailsInChinese()
    {
        var response = await factory.CreateClient().GetAsync("/api/matters/NO-SUCH-CODE");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("事项不存在", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheCatalogueEndpoints()
    {
        var doc = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/matters", out _));
        Assert.True(paths.TryGetProperty("/api/departments", out _));
        Assert.True(paths.TryGetProperty("/api/cases", out _) || paths.TryGetProperty("/api/cases/", out _));
        Assert.True(paths.TryGetProperty("/api/cases/lookup", out _));
    }

    [Fact]
    public async Task OpenApiDocument_EveryCaseOperation_HasANameASummary_AndDeclaresItsProblems()
    {
        var doc = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var operations = doc.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/cases/", StringComparison.Ordinal) && p.Name != "/api/cases/lookup")
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name, Operation: o.Value)))
            .ToList();

        Assert.True(operations.Count >= 20, $"{operations.Count} case operations");
        Assert.All(operations, o =>
        {
            Assert.True(o.Operation.TryGetProperty("operationId", out _), $"{o.Method} {o.Path} has no operationId");
            Assert.False(string.IsNullOrWhiteSpace(o.Operation.TryGetProperty("summary", out var summary) ? summary.GetString() : null), $"{o.Method} {o.Path} has no summary");
            var responses = o.Operation.GetProperty("responses");
            Assert.True(responses.TryGetProperty("409", out _) && responses.TryGetProperty("404", out _), $"{o.Method} {o.Path} does not declare 404 and 409");
        });
        var act = operations.Single(o => o.Path == "/api/cases/{id}/tasks/{workItemId}/act").Operation;
        Assert.Equal("ActOnTask", act.GetProperty("operationId").GetString());
    }

    [Fact]
    public async Task Health_AnswersOkWhenDatabaseIsReachable()
    {
        var response = await factory.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
