using ApprovalSystem.Web.Data;
using Microsoft.AspNetCore.Antiforgery;
using ApprovalSystem.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;

namespace ApprovalSystem.Web.Features.Account;

/// <summary>Accounts: sign-in, registration, sign-out.</summary>
public static class AccountModule
{
    public static IServiceCollection AddAccount(this IServiceCollection services)
    {
        services.AddSingleton<Infrastructure.Security.SignInThrottle>();
        services.AddScoped<SignIn.Handler>();
        services.AddScoped<Register.Validator>();
        services.AddScoped<Register.Handler>();
        services.AddScoped<RegistrationGuard>();
        services.AddScoped<ChangePassword.Handler>();
        services.AddScoped<ChangeContact.Handler>();
        services.AddScoped<TwoFactor.Handler>();
        services.AddScoped<OwnSessions.Handler>();
        services.AddScoped<Window.WindowPasswordReset.Handler>(); // account recovery at the window (decision 0038)
        return services;
    }

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // Signing out is a state change too: only from the layout's own form, with its antiforgery token (decision 0022).
        app.MapPost("/account/logout", async Task<IResult> (HttpContext http, IAntiforgery antiforgery, SignInManager<ApplicationUser> signIn,
            ILoggerFactory loggers) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return TypedResults.BadRequest("退出请求无效：请在本系统的页面上点击“退出”。");
            }

            var user = SecurityLog.UserOf(http);
            await signIn.SignOutAsync();
            SecurityLog.SignedOut(loggers.CreateLogger(SecurityLog.Category), user, SecurityLog.AddressOf(http));
            http.Response.Headers["Clear-Site-Data"] = "\"cache\", \"storage\""; // nothing of the session stays in the browser
            return TypedResults.LocalRedirect("/");
        }).DisableAntiforgery().ExcludeFromDescription();
        return app;
    }
}
