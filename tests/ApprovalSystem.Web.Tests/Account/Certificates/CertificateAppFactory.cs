using System.Net;
using System.Security.Cryptography.X509Certificates;
using ApprovalSystem.Web.Features.Account.Certificates;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalSystem.Web.Tests.Account.Certificates;

/// <summary>
/// The app on Kestrel with an HTTPS endpoint that takes the app's own TLS settings for HTTPS (the test CA's server certificate, a
/// client certificate asked for), as the sign-in port has them; clients present the test CA's certificates through HttpClient.
/// </summary>
public sealed class CertificateAppFactory : AppFactory
{
    public CertificateAppFactory()
    {
        UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Listen(IPAddress.Loopback, 0, l => l.UseHttps()); // UseHttps() with the app's ConfigureHttpsDefaults
        });
    }

    protected override bool FromTemplate => true; // the first start's database is the plain one

    /// <summary>The test CA the development start made in the data folder.</summary>
    public string TestCa => Path.Combine(DataFolder, "certificates");

    public Uri HttpsAddress
    {
        get
        {
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            return new Uri(addresses.First(a => a.StartsWith("https:", StringComparison.Ordinal)));
        }
    }

    /// <summary>A browser-like client (cookies, no redirects followed) presenting <paramref name="file"/> of the test CA, or no certificate.</summary>
    public HttpClient CertificateClient(string? file)
    {
        var address = HttpsAddress; // starts the host, which makes the test CA
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        using var server = TestCertificateAuthority.Load(TestCa, TestCertificateAuthority.Files.Server);
        var expected = server.Thumbprint;
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => // the test CA's server certificate, pinned
            certificate is not null && string.Equals(certificate.GetCertHashString(), expected, StringComparison.OrdinalIgnoreCase);
        if (file is not null)
        {
            handler.SslOptions.ClientCertificates = [TestCertificateAuthority.Load(TestCa, file)];
        }

        var client = new HttpClient(handler) { BaseAddress = address };
        client.DefaultRequestHeaders.Add(Web.Infrastructure.Http.RequestOriginGuard.ApiHeader, "XMLHttpRequest");
        return client;
    }

    /// <summary>The certificate in <paramref name="file"/> of the test CA (public part).</summary>
    public X509Certificate2 Certificate(string file) => TestCertificateAuthority.Load(TestCa, file);
}
