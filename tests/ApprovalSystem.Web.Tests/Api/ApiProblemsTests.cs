using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ApprovalSystem.Web.Tests.Infrastructure;

namespace ApprovalSystem.Web.Tests.Api;

/// <summary>Errors under /api are problem details in Chinese that name what to fix, never the site's HTML pages.</summary>
public sealed class ApiProblemsTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task AMissingBodyField_IsNamed_AndTheLookupTakesNothingFromTheAddress()
    {
        var visitor = factory.CreateClient();
        var (status, problem) = await ProblemAsync(await visitor.PostAsync("/api/cases/lookup",
            new StringContent("""{"code":"123456"}""", Encoding.UTF8, "application/json")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("请填写办件编号", problem.GetProperty("errors").GetProperty("number")[0].GetString());

        // The query code is a secret: an address carrying it is not an operation (proxies log addresses, ASVS 14.2.1).
        var (old, _) = await ProblemAsync(await visitor.GetAsync("/api/cases/lookup?number=330799-20261203-0001&code=123456"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, old);
    }

    [Fact]
    public async Task ABodyThatIsNotJson_OrHasAFieldOfTheWrongType_IsExplained()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");

        var (status, problem) = await ProblemAsync(await citizen.Client.PostAsync("/api/cases", new StringContent("{matterCode: 330799", Encoding.UTF8, "application/json")));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("请求正文不是有效的 JSON", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        (status, problem) = await ProblemAsync(await citizen.Client.PostAsync("/api/cases", new StringContent("""{"matterCode":"330799-SCJG-002","submit":"yes"}""", Encoding.UTF8, "application/json")));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.EndsWith("位置：$.submit", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Nothing was filed by either request.
        var mine = await citizen.Client.GetStringAsync("/api/cases/mine");
        Assert.Equal(0, JsonDocument.Parse(mine).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task AnUnknownAddressOrMethod_UnderApi_IsProblemDetails_WhilePagesKeepTheirHtml()
    {
        var client = factory.CreateClient();

        var (status, problem) = await ProblemAsync(await client.GetAsync("/api/no-such-endpoint"));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("接口或资源不存在", problem.GetProperty("title").GetString());
        Assert.Contains("/api/no-such-endpoint", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        (status, problem) = await ProblemAsync(await client.DeleteAsync("/api/matters"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Equal("不支持的请求方法", problem.GetProperty("title").GetString());

        var page = await client.GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public void ABodyTooLarge_IsToldAsSuch_NotAsABadFormat()
    {
        var tooLarge = new Microsoft.AspNetCore.Http.BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
        var malformed = new Microsoft.AspNetCore.Http.BadHttpRequestException("Something odd.", StatusCodes.Status400BadRequest);

        Assert.Equal("请求内容过大：上传的文件不能超过20 MB。", Web.Infrastructure.Http.ApiProblems.Explain(tooLarge));
        Assert.Equal("请求格式不正确，请核对参数和请求正文（接口文档见 /openapi/v1.json）。", Web.Infrastructure.Http.ApiProblems.Explain(malformed));
    }

    private static async Task<(HttpStatusCode Status, JsonElement Problem)> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.Equal((int)response.StatusCode, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        return (response.StatusCode, problem);
    }
}
