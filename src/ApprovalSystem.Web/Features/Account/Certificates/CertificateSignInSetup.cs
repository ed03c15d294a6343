using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace ApprovalSystem.Web.Features.Account.Certificates;

/// <summary>
/// Wires certificate sign-in (decision 0051): the options, the test CA of a development start, the sign-in port's TLS (every HTTPS
/// endpoint Kestrel serves asks for a client certificate and leaves judging it to <see cref="ClientCertificateCheck"/>, which says
/// in Chinese what is wrong), and the certificate a TLS-terminating proxy forwards in a header.
/// </summary>
public static class CertificateSignInSetup
{
    /// <summary>
    /// Reads <c>CertificateSignIn</c>; in Development without a CA folder, makes (once) and uses the test CA under
    /// <paramref name="dataFolder"/><c>/certificates</c> (valid from <paramref name="clock"/>'s now); binds the sign-in port when one is
    /// configured.
    /// </summary>
    public static WebApplicationBuilder AddCertificateSignIn(this WebApplicationBuilder builder, string dataFolder, TimeProvider? clock = null)
    {
        var section = builder.Configuration.GetSection(CertificateSignInOptions.Section);
        if (builder.Environment.IsDevelopment() && string.IsNullOrEmpty(section["CaFolder"]) && section.GetValue("DevelopmentCa", true))
        {
            var folder = Path.Combine(dataFolder, "certificates");
            if (!TestCertificateAuthority.Exists(folder))
            {
                TestCertificateAuthority.Create(folder, (clock ?? TimeProvider.System).GetUtcNow());
            }

            section["CaFolder"] = Path.Combine(folder, TestCertificateAuthority.CaFolderName);
            section["TestCaFolder"] = folder;
            if (string.IsNullOrEmpty(section["ServerCertificate"]))
            {
                section["ServerCertificate"] = Path.Combine(folder, TestCertificateAuthority.Files.Server);
                section["ServerCertificatePassword"] = TestCertificateAuthority.Password;
            }
        }

        builder.Services.Configure<CertificateSignInOptions>(section);
        builder.Services.AddSingleton<ClientCertificateCheck>();
        builder.Services.AddScoped<CertificateSignIn.Handler>();
        builder.Services.AddScoped<CertificateBindings.Handler>();

        var options = section.Get<CertificateSignInOptions>() ?? new CertificateSignInOptions();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ClientCertificateMode = options.Mode;
            https.ClientCertificateValidation = (_, _, _) => true; // judged by ClientCertificateCheck, which can say why
            https.CheckCertificateRevocation = false;
            if (!string.IsNullOrEmpty(options.ServerCertificate))
            {
                https.ServerCertificate = X509CertificateLoader.LoadPkcs12FromFile(options.ServerCertificate, options.ServerCertificatePassword);
            }
        }));
        if (options.Port is { } port)
        {
            // Kestrel serves the configured URLs plus this one; a URL list replaces its default, so that default goes in as well.
            var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey) is { Length: > 0 } configured ? configured : "http://localhost:5000";
            var host = options.ListenAddress is "*" or "0.0.0.0" ? "*" : options.ListenAddress;
            builder.WebHost.UseUrls($"{urls};https://{host}:{port}");
        }

        return builder;
    }

    /// <summary>
    /// Takes the client certificate a TLS-terminating proxy put in <see cref="CertificateSignInOptions.ForwardedHeader"/> (nginx's
    /// <c>$ssl_client_escaped_cert</c>: URL-escaped PEM; or base64 DER) as the connection's, when the request came from a trusted
    /// proxy or a Unix socket; from anyone else the header is dropped. Runs before the forwarded headers replace the peer address.
    /// </summary>
    public static IApplicationBuilder UseForwardedClientCertificate(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<CertificateSignInOptions>>().Value;
        if (string.IsNullOrEmpty(options.ForwardedHeader))
        {
            return app;
        }

        var header = options.ForwardedHeader;
        var proxies = options.TrustedProxies.Select(IPAddress.Parse).ToHashSet();
        return app.Use(async (context, next) =>
        {
            if (context.Request.Headers.TryGetValue(header, out var value))
            {
                context.Request.Headers.Remove(header);
                var peer = context.Connection.RemoteIpAddress;
                if ((peer is null || proxies.Contains(peer) || (peer.IsIPv4MappedToIPv6 && proxies.Contains(peer.MapToIPv4())))
                    && Parse(value.ToString()) is { } certificate)
                {
                    context.Connection.ClientCertificate = certificate;
                    context.Response.RegisterForDispose(certificate);
                }
            }

            await next(context);
        });
    }

    /// <summary>A forwarded certificate: URL-escaped or plain PEM, or base64 DER; null when it is none of them (or empty: no certificate).</summary>
    internal static X509Certificate2? Parse(string value)
    {
        var text = value.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(value) : value;
        text = text.Trim();
        if (text.Length == 0 || text == "(null)")
        {
            return null;
        }

        try
        {
            if (text.StartsWith("-----BEGIN", StringComparison.Ordinal))
            {
                return X509Certificate2.CreateFromPem(text);
            }

            return X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text));
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Where people sign in with a certificate: the configured address, this host on the sign-in port, or this host when a proxy
    /// forwards certificates or Kestrel's TLS serves this connection; null when there is none.
    /// </summary>
    public static string? SignInUrl(CertificateSignInOptions options, HttpRequest request)
    {
        if (!string.IsNullOrEmpty(options.PublicUrl))
        {
            return options.PublicUrl;
        }

        if (options.Port is { } port)
        {
            return $"https://{request.Host.Host}:{port}/account/certificate";
        }

        // Behind a proxy that forwards certificates, or on a connection Kestrel's own TLS serves (which asks for one): this host.
        var tls = request.HttpContext.Features.Get<Microsoft.AspNetCore.Connections.Features.ITlsHandshakeFeature>() is not null;
        return string.IsNullOrEmpty(options.ForwardedHeader) && !tls ? null : "/account/certificate";
    }

    /// <summary>The start-up report's lines: where the sign-in port is, which CA is trusted, and a development start's test certificates.</summary>
    public static IEnumerable<string> Describe(IConfiguration configuration)
    {
        var section = configuration.GetSection(CertificateSignInOptions.Section);
        var options = section.Get<CertificateSignInOptions>() ?? new CertificateSignInOptions();
        if (options.Port is null && string.IsNullOrEmpty(options.ForwardedHeader))
        {
            yield return "Certificate sign-in: off (CertificateSignIn:Port or CertificateSignIn:ForwardedHeader turns it on)";
            yield break;
        }

        yield return options.Port is { } port
            ? $"Certificate sign-in: https://{options.ListenAddress}:{port}/account/certificate (client certificate {options.Mode})"
            : $"Certificate sign-in: behind a proxy, certificate in header {options.ForwardedHeader}";
        yield return $"  trusted CAs: {options.CaFolder ?? "(none: every certificate is refused)"}; revocation: {options.Revocation}";
        if (section["TestCaFolder"] is { } test)
        {
            var enterprise = Path.Combine(test, TestCertificateAuthority.Files.Enterprise);
            yield return $"  TEST CA (development only) in {test}: the demo enterprise's certificate {enterprise}";
            var ca = Path.Combine(test, TestCertificateAuthority.Files.CaCertificate);
            yield return $"  (password {TestCertificateAuthority.Password}; import it into the browser), CA certificate {ca}";
        }
    }
}
