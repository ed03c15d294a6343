namespace ApprovalSystem.Web.Infrastructure.Http;

/// <summary>
/// Every state change made with the sign-in cookie proves it came from this site (decision 0022, ASVS 3.5):
/// <list type="bullet">
/// <item>a request that changes state (any method but GET, HEAD, OPTIONS, TRACE) and every request to the Blazor hub
/// (<c>/_blazor</c>: its WebSocket would otherwise let another site drive a signed-in user's circuit) is refused when the
/// browser says it comes from another site: <c>Sec-Fetch-Site: cross-site</c>, an <c>Origin</c> that is not this site's
/// (or one of <c>Security:AllowedOrigins</c>), or <c>Origin: null</c>;</item>
/// <item>an API call that changes state and carries the sign-in cookie must also carry the header
/// <c>X-Requested-With</c> (any value): a form or an image on another site cannot send it, and a script on another site
/// cannot without a CORS preflight, which this app never grants. Calls with an exchange API key carry no cookie and are
/// not concerned.</item>
/// </list>
/// Forms posted to the site itself carry antiforgery tokens on top (Blazor's forms; sign-out). A signed-in API call of any
/// method is refused when the browser says another site caused it, and API answers are <c>Cache-Control: no-store</c>.
/// </summary>
public static class RequestOriginGuard
{
    public const string ApiHeader = "X-Requested-With";

    public static IApplicationBuilder UseRequestOriginGuard(this WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Security.SecurityLog.Category);
        var allowed = (app.Configuration.GetSection("Security:AllowedOrigins").Get<string[]>() ?? [])
            .Select(o => Uri.TryCreate(o, UriKind.Absolute, out var u) ? u.Authority : null).OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return app.Use(async (context, next) =>
        {
            var request = context.Request;
            var changes = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
                || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method));
            var hub = request.Path.StartsWithSegments("/_blazor");
            if ((changes || hub) && !FromThisSite(request, allowed))
            {
                LogCrossSite(log, context);
                await RefuseAsync(context, "请求来源不明", "该请求来自其他网站，已被拒绝。请在本系统的页面中操作。");
                return;
            }

            var api = request.Path.StartsWithSegments("/api");
            var signedIn = request.Cookies.ContainsKey(AuthCookieName);
            if (api && signedIn && string.Equals(request.Headers["Sec-Fetch-Site"], "cross-site", StringComparison.OrdinalIgnoreCase))
            {
                // Not even a read: a link on another site must not make a clerk's browser look up (and log a read of) a resident.
                LogCrossSite(log, context);
                await RefuseAsync(context, "请求来源不明", "该请求来自其他网站，已被拒绝。请在本系统的页面中操作。");
                return;
            }

            if (api)
            {
                // Answers with personal data are not kept by the browser or any cache on the way (ASVS 14.3.2).
                context.Response.OnStarting(() =>
                {
                    if (!context.Response.Headers.ContainsKey("Cache-Control"))
                    {
                        context.Response.Headers.CacheControl = "no-store";
                    }

                    return Task.CompletedTask;
                });
            }

            if (changes && api && signedIn && string.IsNullOrWhiteSpace(request.Headers[ApiHeader]))
            {
                await RefuseAsync(context, "缺少请求头",
                    $"以登录身份调用会改变数据的接口时，请求须带 {ApiHeader} 请求头（任意值），以证明请求来自本系统的页面或您自己的程序。");
                return;
            }

            await next(context);
        });
    }

    /// <summary>The sign-in cookie's name (set in Program.cs).</summary>
    public const string AuthCookieName = "approval.auth";

    /// <summary>
    /// True unless the browser says the request comes from another site. Clients that are not browsers send neither
    /// header and pass (they cannot carry a victim's cookie).
    /// </summary>
    internal static bool FromThisSite(HttpRequest request, IReadOnlySet<string> allowed)
    {
        if (string.Equals(request.Headers["Sec-Fetch-Site"], "cross-site", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && (string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase) || allowed.Contains(uri.Authority));
    }

    private static void LogCrossSite(ILogger log, HttpContext context)
    {
        // The guard runs before authentication: the user is named by the session cookie's presence only.
        var request = context.Request;
        var user = request.Cookies.ContainsKey(AuthCookieName) ? "(signed-in cookie)" : "-";
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        Security.SecurityLog.CrossSiteRefused(log, request.Method, Security.SecurityLog.SafePath(request.Path),
            Security.SecurityLog.SafeOrigin(request.Headers.Origin), site.Length == 0 ? "-" : site[..Math.Min(site.Length, 20)], user,
            Security.SecurityLog.AddressOf(context));
        Security.SecurityLog.MarkLogged(context);
    }

    private static Task RefuseAsync(HttpContext context, string title, string detail)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            return ApiProblems.WriteAsync(context, StatusCodes.Status403Forbidden, title, detail);
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync($"{title}：{detail}");
    }
}
