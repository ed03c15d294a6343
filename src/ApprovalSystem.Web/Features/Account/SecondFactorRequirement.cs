using ApprovalSystem.Web.Infrastructure.Http;

namespace ApprovalSystem.Web.Features.Account;

/// <summary>
/// With <c>Security:RequireStaffSecondFactor</c>, a signed-in staff member without a second factor reaches nothing but the
/// page that turns it on (and signing out): pages redirect there, the API answers 403 (decision 0028).
/// </summary>
public static class SecondFactorRequirement
{
    // The password page too: a temporary password is replaced first (TemporaryPassword), then the second factor is set up.
    private static readonly string[] Open = ["/account/two-factor", "/account/password", "/account/logout", "/account/login", "/account/login-code",
        "/account/access-denied", "/_framework", "/_content", "/not-found", "/error"];

    public static IApplicationBuilder UseSecondFactorRequirement(this WebApplication app)
    {
        var required = app.Configuration.GetValue("Security:RequireStaffSecondFactor", false);
        return app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (!TwoFactor.MustEnrol(context.User, required) || Open.Any(p => path.StartsWithSegments(p)) || Path.HasExtension(path.Value))
            {
                await next(context);
                return;
            }

            if (path.StartsWithSegments("/api") || path.StartsWithSegments("/_blazor"))
            {
                await ApiProblems.WriteAsync(context, StatusCodes.Status403Forbidden, "须先启用双重验证",
                    "本系统要求工作人员账号启用双重验证：请在浏览器中打开“双重验证”页面（/account/two-factor）启用后再试。");
                return;
            }

            context.Response.Redirect("/account/two-factor");
        });
    }
}
