using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;

namespace ApprovalSystem.Web.Infrastructure.Sessions;

/// <summary>Server-side sessions for the sign-in cookie and for the interactive pages' circuits (decision 0025).</summary>
public static class SessionSetup
{
    public static IServiceCollection AddServerSessions(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddSingleton<SessionStore>();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<SessionStore>((o, store) => o.SessionStore = store);
        // The security stamp check builds the principal afresh every 30 minutes: the request it runs in keeps the session id.
        services.Configure<SecurityStampValidatorOptions>(o => o.OnRefreshingPrincipal = context =>
        {
            if (context.CurrentPrincipal?.FindFirst(SessionStore.SessionClaim) is { } sid && context.NewPrincipal?.Identity is ClaimsIdentity identity
                && !identity.HasClaim(c => c.Type == SessionStore.SessionClaim))
            {
                identity.AddClaim(new Claim(SessionStore.SessionClaim, sid.Value));
            }

            return Task.CompletedTask;
        });
        services.AddScoped<SessionActivity>();
        services.AddScoped<CircuitHandler>(sp => sp.GetRequiredService<SessionActivity>());
        services.AddScoped<AuthenticationStateProvider, SessionRevalidation>();
        return services;
    }
}

/// <summary>Whether the person used an interactive page since the last look (its clicks and keys come over the circuit).</summary>
public sealed class SessionActivity : CircuitHandler
{
    private int _active;

    public bool TakeActive() => Interlocked.Exchange(ref _active, 0) == 1;

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        context =>
        {
            Volatile.Write(ref _active, 1);
            return next(context);
        };
}

/// <summary>
/// An interactive page asks every minute whether its session is still live: one ended by sign-out elsewhere, a password
/// change, an administrator or the staff idle time turns the page's user anonymous (its content gives way to sign-in).
/// </summary>
public sealed class SessionRevalidation(ILoggerFactory loggers, SessionStore store, SessionActivity activity)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var user = authenticationState.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return true;
        }

        return user.FindFirstValue(SessionStore.SessionClaim) is { } sid && await store.IsLiveAsync(sid, activity.TakeActive(), cancellationToken);
    }
}
