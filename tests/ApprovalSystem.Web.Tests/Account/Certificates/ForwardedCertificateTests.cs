using System.Net;
using ApprovalSystem.Web.Features.Account.Certificates;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Files = ApprovalSystem.Web.Features.Account.Certificates.TestCertificateAuthority.Files;

namespace ApprovalSystem.Web.Tests.Account.Certificates;

/// <summary>Behind a TLS-terminating proxy (nginx): the client certificate arrives in a header, read only when forwarding is configured.</summary>
public sealed class ForwardedCertificateTests : IDisposable
{
    private const string Header = "X-SSL-Client-Cert";
    private readonly ProxiedFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task CertificateInTheProxysHeader_IsTheClients()
    {
        using var client = _app.CreateBrowserClient();
        var certificate = TestCertificateAuthority.Load(Path.Combine(_app.DataFolder, "certificates"), Files.Enterprise);
        client.DefaultRequestHeaders.Add(Header, Uri.EscapeDataString(certificate.ExportCertificatePem()));

        var page = await client.GetStringAsync("/account/certificate");

        Assert.Contains("id=\"certificate-bind\"", page, StringComparison.Ordinal);
        Assert.Contains("云溪县绿源食品有限公司", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokedCertificateInTheHeader_IsRefusedAsOverTls()
    {
        using var client = _app.CreateBrowserClient();
        var certificate = TestCertificateAuthority.Load(Path.Combine(_app.DataFolder, "certificates"), Files.Revoked);
        client.DefaultRequestHeaders.Add(Header, Uri.EscapeDataString(certificate.ExportCertificatePem()));

        var page = await client.GetStringAsync("/account/certificate");

        Assert.Contains("已被吊销", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutForwardingConfigured_TheHeaderIsIgnored()
    {
        using var plain = new AppFactory();
        using var client = plain.CreateBrowserClient();
        var certificate = TestCertificateAuthority.Load(Path.Combine(plain.DataFolder, "certificates"), Files.Enterprise);
        client.DefaultRequestHeaders.Add(Header, Uri.EscapeDataString(certificate.ExportCertificatePem()));

        var page = await client.GetStringAsync("/account/certificate");

        Assert.Contains(ClientCertificateCheck.Messages.Missing, page, StringComparison.Ordinal);
    }

    private sealed class ProxiedFactory : AppFactory
    {
        protected override bool FromTemplate => true;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("CertificateSignIn:ForwardedHeader", Header);
        }
    }
}
