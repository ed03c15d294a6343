using System.IO.Compression;
using System.Net.Http.Headers;
using ApprovalSystem.Web.Infrastructure.Seeding;

namespace ApprovalSystem.Web.Tests.Infrastructure;

/// <summary>A visitor's pages come compressed; a signed-in user's pages never do (BREACH; decision 0040).</summary>
public sealed class PublicPageCompressionTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private static async Task<(string? Encoding, long Bytes, string Text)> GetAsync(HttpClient client, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var encoding = response.Content.Headers.ContentEncoding.SingleOrDefault();
        await using var body = encoding == "br" ? new BrotliStream(new MemoryStream(bytes), CompressionMode.Decompress) : (Stream)new MemoryStream(bytes);
        using var reader = new StreamReader(body);
        return (encoding, bytes.LongLength, await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task TheGuide_ReachesAVisitorCompressed_ButASignedInUserUncompressed()
    {
        var (encoding, bytes, text) = await GetAsync(factory.CreateClient(), "/guide");
        Assert.Equal("br", encoding);
        Assert.Contains("办事指南", text, StringComparison.Ordinal);
        Assert.True(bytes * 3 < System.Text.Encoding.UTF8.GetByteCount(text), $"{bytes} bytes for {text.Length} characters");

        var citizen = new BrowserSession(factory.CreateBrowserClient());
        await citizen.SignInAsync("citizen", DemoAccounts.Password);
        var (signedIn, _, page) = await GetAsync(citizen.Client, "/guide");
        Assert.Null(signedIn);
        Assert.Contains("办事指南", page, StringComparison.Ordinal);
    }
}
