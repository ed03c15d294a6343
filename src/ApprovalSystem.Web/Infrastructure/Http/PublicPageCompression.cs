using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace ApprovalSystem.Web.Infrastructure.Http;

/// <summary>
/// Pages for visitors without a session — the guide, a matter's guide, the lookup form, the sign-in page — are sent compressed
/// (Brotli, else gzip; a 51 KB guide page becomes about 8 KB on a phone's network). Static assets are compressed at build time
/// already. Pages of signed-in users are not: they carry personal data beside text the user typed, the combination BREACH
/// reads through compression; a visitor's pages carry nothing secret (the antiforgery token differs in every answer).
/// </summary>
public static class PublicPageCompression
{
    public static IServiceCollection AddPublicPageCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ["text/html"];
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        return services;
    }

    public static IApplicationBuilder UsePublicPageCompression(this IApplicationBuilder app) =>
        app.UseWhen(
            c => (HttpMethods.IsGet(c.Request.Method) || HttpMethods.IsHead(c.Request.Method))
                && !c.Request.Cookies.ContainsKey(RequestOriginGuard.AuthCookieName),
            branch => branch.UseResponseCompression());
}
