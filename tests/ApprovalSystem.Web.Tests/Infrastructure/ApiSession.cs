using System.Net.Http.Json;
using System.Text.Json;
using ApprovalSystem.Web.Infrastructure.Seeding;

namespace ApprovalSystem.Web.Tests.Infrastructure;

/// <summary>A signed-in user calling the HTTP API with their cookie.</summary>
public sealed class ApiSession
{
    private ApiSession(HttpClient client) => Client = client;

    public HttpClient Client { get; }

    public static async Task<ApiSession> SignInAsync(AppFactory factory, string account, string password = DemoAccounts.Password)
    {
        var browser = new BrowserSession(factory.CreateBrowserClient());
        await browser.SignInAsync(account, password);
        return new ApiSession(browser.Client);
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(string url, object? body = null, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body ?? new { }) };
        foreach (var (k, v) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(k, v);
        }

        var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<JsonElement> PostOkAsync(string url, object? body = null, IDictionary<string, string>? headers = null)
    {
        var (response, json) = await PostAsync(url, body, headers);
        Assert.True(response.IsSuccessStatusCode, $"POST {url}: {(int)response.StatusCode} {json}");
        return json;
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> GetAsync(string url)
    {
        var response = await Client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<JsonElement> GetOkAsync(string url)
    {
        var (response, json) = await GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {json}");
        return json;
    }
}
