using ApprovalSystem.Web.Data;
using Microsoft.AspNetCore.Identity;

namespace ApprovalSystem.Web.Features.Account;

/// <summary>Accounts: sign-in, registration, sign-out.</summary>
public static class AccountModule
{
    public static IServiceCollection AddAccount(this IServiceCollection services)
    {
        services.AddScoped<SignIn.Handler>();
        services.AddScoped<Register.Validator>();
        services.AddScoped<Register.Handler>();
        return services;
    }

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/logout", async (SignInManager<ApplicationUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/");
        }).ExcludeFromDescription();
        return app;
    }
}
