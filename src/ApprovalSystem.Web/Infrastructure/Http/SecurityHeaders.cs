namespace ApprovalSystem.Web.Infrastructure.Http;

/// <summary>
/// The response headers that tell a browser what the site allows (decision 0022, ASVS 3.4), through NetEscapades'
/// middleware: <c>X-Content-Type-Options: nosniff</c> on every answer (pages, API, downloads, static files), and on pages a
/// Content-Security-Policy whose scripts come only from this site (no inline script, no eval: Blazor and MudBlazor load
/// theirs from files), no framing by other sites, <c>Referrer-Policy</c> and a <c>Permissions-Policy</c> that turns off
/// the device features the system never uses. Styles may be inline: MudBlazor writes its theme and its components' sizes
/// as style attributes. Scripts connect to this site only, and to the applicant's local signing agent when one is configured
/// (<c>Signing:Agent:Url</c>, decision 0053).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The policy; <paramref name="signingAgent"/> is the local signing agent's origin scripts may also connect to, if any.</summary>
    public static IServiceCollection AddAppSecurityHeaders(this IServiceCollection services, string? signingAgent) =>
        services.AddSecurityHeaderPolicies(p => p.SetDefaultPolicy(headers => Policy(headers, signingAgent)));

    internal static void Policy(HeaderPolicyCollection headers, string? signingAgent) => headers
        .AddContentTypeOptionsNoSniff()
        .AddFrameOptionsDeny()
        .AddReferrerPolicyStrictOriginWhenCrossOrigin()
        .AddCrossOriginOpenerPolicy(b => b.SameOrigin())
        .AddPermissionsPolicy(b =>
        {
            b.AddAccelerometer().None();
            b.AddCamera().None();
            b.AddGeolocation().None();
            b.AddGyroscope().None();
            b.AddMagnetometer().None();
            b.AddMicrophone().None();
            b.AddPayment().None();
            b.AddUsb().None();
        })
        .AddContentSecurityPolicy(b =>
        {
            b.AddDefaultSrc().Self();
            b.AddScriptSrc().Self();
            b.AddStyleSrc().Self().UnsafeInline();
            b.AddImgSrc().Self().Data();
            b.AddFontSrc().Self().Data();
            var connect = b.AddConnectSrc().Self(); // the circuit's WebSocket to this host
            if (signingAgent is not null)
            {
                connect.From(signingAgent); // the applicant's local signing agent (decision 0053)
            }

            b.AddFrameSrc().Self(); // a certificate's PDF shown for printing
            b.AddObjectSrc().None();
            b.AddBaseUri().Self();
            b.AddFormAction().Self();
            b.AddFrameAncestors().None();
        });
}
