using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.Pkcs;
using System.Text.Json;
using ApprovalSystem.SigningAgent;
using ApprovalSystem.Web.Features.Account.Certificates;
using ApprovalSystem.Web.Features.Cases.Signatures;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Files = ApprovalSystem.Web.Features.Account.Certificates.TestCertificateAuthority.Files;

namespace ApprovalSystem.Web.Tests.Cases;

/// <summary>
/// The reference signing agent's protocol (docs/signing-agent.md, decision 0053): it answers the configured application's
/// pages only, lists its certificate, signs what it is given with the applicant's key, and says why when it does not.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "IAsyncLifetime disposes the client and the agent.")]
public sealed class SigningAgentTests : IAsyncLifetime
{
    private const int Port = 5714;
    private const string App = "https://approval.example.gov.cn";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "approval-tests", "agent-" + Guid.NewGuid().ToString("N"));
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };
    private WebApplication? _agent;
    private bool _confirm = true;

    public async Task InitializeAsync()
    {
        TestCertificateAuthority.Create(_folder, DateTimeOffset.UtcNow);
        var key = SigningKey.Load(Path.Combine(_folder, Files.Enterprise), TestCertificateAuthority.Password);
        _agent = Agent.Build(new AgentSettings(key, [App], Port, _ => _confirm));
        await _agent.StartAsync();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string origin, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("Origin", origin);
        return await _http.SendAsync(request);
    }

    [Fact]
    public async Task AnotherSitesPage_GetsNoAnswer_AndNothingSigned()
    {
        using var status = await SendAsync(HttpMethod.Get, "/status", "https://evil.example.com");
        using var sign = await SendAsync(HttpMethod.Post, "/sign", "https://evil.example.com", new { content = "e30=" });

        Assert.Equal(HttpStatusCode.Forbidden, status.StatusCode);
        Assert.False(status.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.Forbidden, sign.StatusCode);
        Assert.DoesNotContain("cms", await sign.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAppsPage_IsGrantedCors_ListsTheCertificate_AndGetsASignatureThatVerifies()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/sign");
        preflight.Headers.Add("Origin", App);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Private-Network", "true");
        using var granted = await _http.SendAsync(preflight);
        using var status = await SendAsync(HttpMethod.Get, "/status", App);
        var content = "{\"v\":1,\"matter\":\"测试\"}"u8.ToArray();
        using var signed = await SendAsync(HttpMethod.Post, "/sign", App, new { content = Convert.ToBase64String(content), description = "签名测试" });

        Assert.Equal(HttpStatusCode.NoContent, granted.StatusCode);
        Assert.Equal(App, granted.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", granted.Headers.GetValues("Access-Control-Allow-Private-Network").Single());
        var certificate = JsonDocument.Parse(await status.Content.ReadAsStringAsync()).RootElement.GetProperty("certificates")[0];
        using var expected = TestCertificateAuthority.Load(_folder, Files.Enterprise);
        Assert.Equal(CertificateSignIn.Thumbprint(expected), certificate.GetProperty("thumbprint").GetString());
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        cms.Decode(Convert.FromBase64String(JsonDocument.Parse(await signed.Content.ReadAsStringAsync()).RootElement.GetProperty("cms").GetString()!));
        cms.CheckSignature(verifySignatureOnly: true);
        Assert.Equal(expected.Thumbprint, cms.SignerInfos[0].Certificate!.Thumbprint);
    }

    [Fact]
    public async Task CancelledOrAnotherCertificate_IsAnsweredWithItsErrorCode()
    {
        using var other = await SendAsync(HttpMethod.Post, "/sign", App, new { content = "e30=", certificateThumbprint = new string('A', 64) });
        _confirm = false;
        using var cancelled = await SendAsync(HttpMethod.Post, "/sign", App, new { content = "e30=" });

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal("no-certificate", JsonDocument.Parse(await other.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Conflict, cancelled.StatusCode);
        Assert.Equal("cancelled", JsonDocument.Parse(await cancelled.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData(null, "http://127.0.0.1:18199")]
    [InlineData("", null)]
    [InlineData("https://127.0.0.1:18443/agent/", "https://127.0.0.1:18443")]
    [InlineData("javascript:alert(1)", null)]
    public void TheCspAllowsTheAgentsOrigin_OnlyWhenOneIsConfigured(string? url, string? origin)
    {
        var settings = url is null ? [] : new Dictionary<string, string?> { ["Signing:Agent:Url"] = url };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        Assert.Equal(origin, SigningAgentOptions.OriginFrom(configuration));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }
}
