using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Net.Http.Headers;

namespace ApprovalSystem.Web.Infrastructure.Http;

/// <summary>
/// The public catalogue (the guide's pages and <c>/api/matters</c>, <c>/api/departments</c>) served to visitors who are
/// not signed in from the output cache: rendered once, then sent as stored bytes until the catalogue changes. The node
/// that changes it evicts at once (<see cref="EvictAsync"/>); other nodes within <see cref="Lifetime"/>. Signed-in
/// requests are never cached (the default policy), nor a response that sets a cookie.
/// </summary>
public static class CatalogueCache
{
    public const string Policy = "catalogue";

    public const string Tag = "catalogue";

    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    // A page in 长辈版 differs from the standard one (the class on <html>, from the mode's cookie): one copy of each.
    public static IServiceCollection AddCatalogueCache(this IServiceCollection services)
    {
        services.AddOutputCache(o => o.AddPolicy(Policy, b => b.Tag(Tag).Expire(Lifetime).AddPolicy<IgnoreAntiforgeryCookie>()
            .VaryByValue(http => new("elder", http.Request.Cookies[Components.App.ElderModeCookie] == "1" ? "1" : "0"))));

        // An eviction on this node evicts on every node (decision 0043): the store is wrapped to tell the others.
        var store = services.Last(d => d.ServiceType == typeof(IOutputCacheStore));
        services.Remove(store);
        services.AddSingleton<IOutputCacheStore>(sp => new ClusterOutputCacheStore(
            store.ImplementationInstance as IOutputCacheStore ?? (IOutputCacheStore)(store.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, store.ImplementationType!)),
            sp.GetRequiredService<Cluster.IClusterEvents>()));
        return services;
    }

    /// <summary>After a change of a matter, a department or the whole catalogue: the next request renders afresh.</summary>
    public static async Task EvictAsync(IOutputCacheStore? store, CancellationToken ct = default)
    {
        if (store is not null)
        {
            await store.EvictByTagAsync(Tag, ct);
        }
    }
}

/// <summary>The output cache's store, telling the other nodes of every eviction by tag (they evict theirs, <see cref="EvictHereAsync"/>).</summary>
internal sealed class ClusterOutputCacheStore(IOutputCacheStore inner, Cluster.IClusterEvents events) : IOutputCacheStore
{
    public async ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        await inner.EvictByTagAsync(tag, cancellationToken);
        await events.PublishAsync(Cluster.ClusterTopics.OutputCache, tag, cancellationToken);
    }

    /// <summary>Another node evicted <paramref name="tag"/>.</summary>
    public ValueTask EvictHereAsync(string tag) => inner.EvictByTagAsync(tag, CancellationToken.None);

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

    public ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken) =>
        inner.SetAsync(key, value, tags, validFor, cancellationToken);
}

/// <summary>
/// Every Razor component page asks for an antiforgery cookie as its response starts, and the default policy stores no
/// response that sets a cookie. A catalogue page for visitors has no form that posts (its search is a GET form), so the
/// cookie is not needed: when it is the only cookie set, the response is stored anyway, and a response served from the
/// store has the stored cookie taken out as it starts, so no visitor is ever handed another's cookie.
/// </summary>
internal sealed class IgnoreAntiforgeryCookie : IOutputCachePolicy
{
    private const string CookiePrefix = ".AspNetCore.Antiforgery.";

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var response = context.HttpContext.Response;
        response.OnStarting(() =>
        {
            response.Headers.Remove(HeaderNames.SetCookie);
            return Task.CompletedTask;
        });
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var response = context.HttpContext.Response;
        if (!context.AllowCacheStorage && response.StatusCode == StatusCodes.Status200OK && context.EnableOutputCaching
            && context.HttpContext.User.Identity?.IsAuthenticated != true
            && response.Headers.SetCookie is { Count: > 0 } cookies && cookies.All(c => c?.StartsWith(CookiePrefix, StringComparison.Ordinal) == true))
        {
            context.AllowCacheStorage = true;
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A page that renders statically (no live connection) for visitors who are not signed in, so the output cache can keep
/// it; signed-in staff get it interactive as every other page. It must work both ways (links and GET forms).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class StaticForVisitorsAttribute : Attribute;
