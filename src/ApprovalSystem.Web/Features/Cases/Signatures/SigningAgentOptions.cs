namespace ApprovalSystem.Web.Features.Cases.Signatures;

/// <summary>
/// The local signing agent (数字证书助手, section <c>Signing:Agent</c>, decision 0053): the small service a CA's USB-key component
/// runs on the applicant's own computer, which the case page's script asks to sign a filing (docs/signing-agent.md). Empty
/// <see cref="Url"/> turns the browser signing off; the CSP then lets pages connect to nothing but this site.
/// </summary>
public sealed class SigningAgentOptions
{
    public const string Section = "Signing:Agent";

    public const string DefaultUrl = "http://127.0.0.1:18199";

    /// <summary>The agent's address as the applicant's browser reaches it (a loopback address; its origin is added to connect-src).</summary>
    public string? Url { get; set; } = DefaultUrl;

    /// <summary>The agent's origin (<c>scheme://host:port</c>) from the configuration, or null when it is off or not an http(s) address.</summary>
    public static string? OriginFrom(IConfiguration configuration)
    {
        var url = configuration.GetSection(Section).Get<SigningAgentOptions>() is { } options ? options.Url : DefaultUrl;
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
    }
}
