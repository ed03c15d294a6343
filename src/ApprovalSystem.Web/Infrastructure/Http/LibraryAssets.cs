using System.Reflection;

namespace ApprovalSystem.Web.Infrastructure.Http;

/// <summary>
/// The UI packages' files (MudBlazor, Z.Blazor.Diagrams) by their plain names, which have brotli copies (fingerprinted package names
/// do not: decision 0032), with the package's version in the query. A browser keeps them for a year instead of asking again on every
/// page: a stylesheet asked again held every page's first paint until the answer came (decision 0068).
/// </summary>
public static class LibraryAssets
{
    private const string Forever = "public, max-age=31536000, immutable";

    private static readonly IReadOnlyDictionary<string, string> Versions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["/_content/MudBlazor/"] = VersionOf(typeof(MudBlazor.MudButton)),
        ["/_content/Z.Blazor.Diagrams/"] = VersionOf(typeof(Blazor.Diagrams.BlazorDiagram)),
    };

    /// <summary>
    /// The address to link: <paramref name="path"/> (relative to the base, e.g. <c>_content/MudBlazor/MudBlazor.min.css</c>) and its
    /// package's version.
    /// </summary>
    public static string Url(string path) =>
        Versions.FirstOrDefault(v => ("/" + path).StartsWith(v.Key, StringComparison.Ordinal)) is { Value: { } version }
            ? $"{path}?v={Uri.EscapeDataString(version)}"
            : throw new ArgumentException($"{path} is not a file of a package with a version here", nameof(path));

    /// <summary>A package's file asked for with its current version is cached for a year; any other request is left as it is.</summary>
    public static IApplicationBuilder UseLibraryAssetCaching(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path.Value;
        if (path is not null && context.Request.Query.TryGetValue("v", out var asked)
            && Versions.Any(v => path.StartsWith(v.Key, StringComparison.Ordinal) && string.Equals(v.Value, asked, StringComparison.Ordinal)))
        {
            context.Response.OnStarting(() =>
            {
                if (context.Response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status304NotModified)
                {
                    context.Response.Headers.CacheControl = Forever;
                }

                return Task.CompletedTask;
            });
        }

        await next();
    });

    /// <summary>The package's own version (9.12.0), not its assembly version, which a package may keep across releases.</summary>
    private static string VersionOf(Type type)
    {
        var assembly = type.Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return (informational?.Split('+')[0] is { Length: > 0 } version ? version : assembly.GetName().Version?.ToString()) ?? "0";
    }
}
