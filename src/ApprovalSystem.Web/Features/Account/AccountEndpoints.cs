using ApprovalSystem.Web.Data;
using Microsoft.AspNetCore.Identity;

namespace ApprovalSystem.Web.Features.Account;

public static class AccountEndpoints
{
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
