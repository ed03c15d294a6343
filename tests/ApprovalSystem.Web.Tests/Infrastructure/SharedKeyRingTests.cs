using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ApprovalSystem.Web.Infrastructure.Http;
using ApprovalSystem.Web.Infrastructure.Seeding;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApprovalSystem.Web.Tests.Infrastructure;

/// <summary>
/// The Data Protection key ring is in the database under one application name, so a second node reads what the first protected:
/// sign-in cookies, antiforgery tokens, any payload (issue 17 item 2; decision 0042).
/// </summary>
public sealed class SharedKeyRingTests(NodePair nodes) : IClassFixture<NodePair>
{
    /// <summary>Sends each GET to one node and each POST to the other, with one cookie jar, as a load balancer without stickiness would.</summary>
    private sealed class Split(HttpMessageHandler gets, HttpMessageHandler posts) : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _gets = new(gets);
        private readonly HttpMessageInvoker _posts = new(posts);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            (request.Method == HttpMethod.Get ? _gets : _posts).SendAsync(request, cancellationToken);
    }

    [Fact]
    public void APayloadProtectedOnOneNode_IsReadOnTheOther_FromKeysInTheDatabase()
    {
        var secret = nodes.A.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("issue-17").Protect("办件 330799");

        Assert.Equal("办件 330799", nodes.B.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("issue-17").Unprotect(secret));
        using var db = nodes.A.CreateDbContext();
        Assert.NotEmpty(db.DataProtectionKeys.AsNoTracking().ToList());
        Assert.Equal("ApprovalSystem", nodes.B.Services.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator);
    }

    [Fact]
    public async Task AFormFromOneNode_IsAcceptedByTheOther_AndItsSignInCookieIsReadBack()
    {
        using var client = new HttpClient(new CookieContainerHandler(new CookieContainer())
        {
            InnerHandler = new Split(nodes.A.Server.CreateHandler(), nodes.B.Server.CreateHandler()),
        }) { BaseAddress = new Uri("http://localhost") };
        client.DefaultRequestHeaders.Add(RequestOriginGuard.ApiHeader, "XMLHttpRequest");

        // The sign-in page (and its antiforgery token) from A, the form posted to B; B's cookie then read by A.
        await new BrowserSession(client).SignInAsync("citizen", DemoAccounts.Password);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/cases/mine")).StatusCode);
    }

    [Fact]
    public async Task WithACertificate_TheStoredKeysAreEncrypted_AndStillShared()
    {
        var folder = Directory.CreateTempSubdirectory("approval-cert-");
        var path = Path.Combine(folder.FullName, "keys.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=ApprovalSystem key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pfx, "pfx-密码"));
        }

        using var pair = new CertifiedPair(path);
        var secret = pair.A.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("issue-17").Protect("证照");

        Assert.Equal("证照", pair.B.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("issue-17").Unprotect(secret));
        using var db = pair.A.CreateDbContext();
        var stored = db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).ToList();
        Assert.NotEmpty(stored);
        Assert.All(stored, xml =>
        {
            Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal); // the plain key element is gone, only its encryption is stored
        });
        folder.Delete(recursive: true);
    }

    private sealed class CertifiedPair(string path) : NodePair(new Dictionary<string, string?>
    {
        ["DataProtection:CertificatePath"] = path,
        ["DataProtection:CertificatePassword"] = "pfx-密码",
    });
}
