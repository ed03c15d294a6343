using System.Text.Encodings.Web;
using System.Text.Unicode;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Components;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Documents;
using ApprovalSystem.Web.Features.Account;
using ApprovalSystem.Web.Features.Account.Certificates;
using ApprovalSystem.Web.Features.Admin;
using ApprovalSystem.Web.Features.AutoApproval;
using ApprovalSystem.Web.Features.Bundles;
using ApprovalSystem.Web.Features.Cases;
using ApprovalSystem.Web.Features.Certificates;
using ApprovalSystem.Web.Features.Commitments;
using ApprovalSystem.Web.Features.Exchange;
using ApprovalSystem.Web.Features.Guide;
using ApprovalSystem.Web.Features.Portal;
using ApprovalSystem.Web.Features.Ratings;
using ApprovalSystem.Web.Features.Privacy;
using ApprovalSystem.Web.Features.Supervision;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Infrastructure.Http;
using ApprovalSystem.Web.Infrastructure.Messaging;
using ApprovalSystem.Web.Infrastructure.Observability;
using ApprovalSystem.Web.Infrastructure.Security;
using ApprovalSystem.Web.Infrastructure.Seeding;
using ApprovalSystem.Web.Infrastructure.Sessions;
using Hangfire;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
if (!builder.Environment.IsDevelopment())
{
    // Outside Development the console log is one JSON object a line with a UTC timestamp, for a log processor (ASVS 16.2.2,
    // 16.2.4; decision 0035). `Logging:Console:FormatterName` in configuration still chooses otherwise.
    builder.Logging.AddJsonConsole(o =>
    {
        o.UseUtcTimestamp = true;
        o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
    });
}
builder.Configuration.AddRootSettings();

// Static files go out as the build wrote them: gzip and brotli copies, fingerprinted names cached for a year (decision 0032).
// For a build (not a publish) the SDK's runtime handler is on by default: it re-sends a file whose time stamp differs from the
// build's by a second as gzip without compression (MudBlazor's CSS left at 613 KiB), even for a brotli request, labelled br
// (the browser then drops the file). Turn ReloadStaticAssetsAtRuntime on only with BuildCompressionFormats back to gzip.
builder.Configuration["ReloadStaticAssetsAtRuntime"] ??= "false";

var dataFolder = Path.GetFullPath(builder.Configuration["Storage:DataPath"] ?? "data", builder.Environment.ContentRootPath);
var database = builder.Configuration.ReadDatabaseOptions(dataFolder);
builder.Services.AddSingleton(database);
builder.Services.AddSingleton(new StorageOptions(dataFolder));
builder.Services.AddSingleton(TimeProvider.System);

// Blazor would otherwise write Chinese as &#x..; entities.
builder.Services.AddSingleton(HtmlEncoder.Create(UnicodeRanges.All));

// A list page's first rows are read while prerendering and carried into its circuit (PagedTable, decision 0020): the
// browser sends that state back when the circuit starts, in one SignalR message. 50 rows of Chinese text come to 40-130 KB
// (the state is JSON with \uXXXX escapes, protected and base64-encoded); SignalR's default of 32 KB would end the circuit.
builder.Services.AddRazorComponents().AddInteractiveServerComponents().AddHubOptions(o => o.MaximumReceiveMessageSize = 256 * 1024);
builder.Services.AddMudServices(config =>
{
    // Bottom centre: a message never covers the header's 退出 or a phone's menu button (issue 16).
    config.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomCenter;
});
builder.Services.AddChineseCulture(); // zh-CN for requests and circuits, and MudBlazor's own texts in Chinese
builder.Services.AddCascadingAuthenticationState();

builder.Services.AddAppDatabase(database);
builder.Services.AddSharedKeyRing(builder.Configuration); // Data Protection keys in the database, shared by every node (decision 0042)
builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
builder.Services.AddServerSessions();
builder.Services.AddAuthorization();
builder.Services.AddIdentityCore<ApplicationUser>(o =>
    {
        // Length and a list of common passwords (PasswordPolicy, decision 0026); no rules about kinds of characters (ASVS 6.2.5).
        o.Password.RequiredLength = 1; // the length is PasswordPolicy's (8 or 12): one message, not Identity's as well
        o.Password.RequireDigit = false;
        o.Password.RequireLowercase = false;
        o.Password.RequireUppercase = false;
        o.Password.RequireNonAlphanumeric = false;
        o.Password.RequiredUniqueChars = 1;
        o.User.RequireUniqueEmail = false;
        o.Lockout.MaxFailedAccessAttempts = 5;
        o.Tokens.AuthenticatorTokenProvider = OneTimeCodeProvider.Name; // each code signs in once (decision 0028)
    })
    .AddRoles<IdentityRole>()
    .AddEntityFrameworkStores<AppDbContext>()
    .AddSignInManager()
    .AddErrorDescriber<ChineseIdentityErrorDescriber>()
    .AddPasswordValidator<PasswordPolicy>()
    .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>()
    .AddDefaultTokenProviders()
    .AddTokenProvider<OneTimeCodeProvider>(OneTimeCodeProvider.Name);
builder.Services.ConfigureApplicationCookie(o =>
{
    o.LoginPath = "/account/login";
    o.LogoutPath = "/account/logout";
    o.AccessDeniedPath = "/account/access-denied";
    o.Cookie.Name = RequestOriginGuard.AuthCookieName;
    // Secure whenever the browser speaks HTTPS — behind the TLS-terminating proxy too (forwarded headers below).
    // The HTTP API answers 401/403 (problem details) instead of redirecting to the sign-in page.
    o.Events.OnRedirectToLogin = ctx => ApiAwareRedirect(ctx, StatusCodes.Status401Unauthorized);
    o.Events.OnRedirectToAccessDenied = ctx => ApiAwareRedirect(ctx, StatusCodes.Status403Forbidden);
});

var workflowFolder = WorkflowRegistry.ResolveFolder(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddSingleton(new WorkflowRegistry(workflowFolder));
builder.Services.AddAppHangfire(builder.Configuration, database);
builder.Services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database");
builder.Services.AddOpenApi(o =>
{
    o.AddDocumentTransformer<ApiKeyOpenApi>();
    o.CreateSchemaReferenceId = ApiKeyOpenApi.SchemaId;
});
builder.Services.AddProblemDetails();
builder.Services.AddCatalogueCache();
builder.Services.AddApiProblems();
// connect-src: this site, and the applicant's local signing agent when one is configured (decision 0053)
builder.Services.AddAppSecurityHeaders(ApprovalSystem.Web.Features.Cases.Signatures.SigningAgentOptions.OriginFrom(builder.Configuration));
builder.Services.AddPublicPageCompression();
builder.Services.AddReverseProxySupport(builder.Configuration);
builder.Services.AddHsts(o => // outside Development (UseHsts below): a year, subdomains too (ASVS 3.4.1)
{
    o.MaxAge = TimeSpan.FromDays(365);
    o.IncludeSubDomains = true;
});
builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));

// The modules. Writers and observers of case acts run in the order their modules register them:
// the documents' outbox, notifications, the exchange outbox (in the act's transaction); the document worker's wake-up,
// live dashboards (after it).
builder.Services.AddCaseInfrastructure();
builder.Services.AddDocuments(builder.Configuration);
builder.Services.AddAccount();
builder.Services.AddSms(builder.Configuration, builder.Environment); // registration codes by SMS (decision 0041)
builder.Services.AddGuide();
builder.Services.AddAdmin();
builder.Services.AddCases();
builder.Services.AddBundles(); // 一件事 (decision 0054)
builder.Services.AddCertificates();
builder.Services.AddAutoApproval(); // 秒批 (decision 0059)
builder.Services.AddCommitments();
builder.Services.AddPortal();
builder.Services.AddRatings();
builder.Services.AddSupervision();
builder.Services.AddExchange(builder.Configuration);
builder.Services.AddPrivacy();
builder.AddObservability(); // metrics, traces, redacted logs, health entries (decision 0044)
builder.AddCertificateSignIn(dataFolder); // digital-certificate sign-in: options, the test CA, the sign-in port (decision 0051)

var app = builder.Build();
if (OperatorCommands.Requested(args) is { } command) // `migrate`, `verify-journal`: run once and exit (deploy/README.md)
{
    Environment.ExitCode = await OperatorCommands.RunAsync(command, app.Services, database);
    return;
}

app.UseForwardedClientCertificate(); // a proxy's forwarded client certificate, from trusted proxies only (decision 0051)
app.UseForwardedHeaders(); // the client's address and scheme as the trusted proxy saw them (ReverseProxy:*)
app.UseSecurityHeaders();
app.UseLibraryAssetCaching(); // the UI packages' files, asked for with their version, kept for a year (decision 0068)
app.UseChineseCulture();
app.UsePublicPageCompression(); // visitors' pages only (BREACH)
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
    app.UseHsts();
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseApiProblems();
app.UseSecurityLog(); // 401, 403 and 429 answers, and what the guard below refuses (decision 0035)
app.UseRequestOriginGuard();
app.UseAuthentication();
app.UsePasswordChangeRequirement(); // a temporary password is replaced before anything else (decision 0038)
app.UseSecondFactorRequirement();
app.UseAuthorization();
app.UseOutputCache();
app.UseRateLimiter();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapAccountEndpoints();
app.MapGuide();
app.MapCases();
app.MapBundles();
app.MapRatings();
app.MapCertificates();
app.MapCommitments();
app.MapSupervision();
app.MapAdminEndpoints();
app.UseExchange();
if (app.Environment.IsDevelopment() || app.Configuration.GetValue<bool>("OpenApi:Enabled"))
{
    app.MapOpenApi(); // the API's description is a map for an attacker too: off in Production unless asked for
}

app.MapHealthChecks("/health"); // status only, for anyone (a load balancer); the entries at /health/details for operators
app.MapObservability();
app.MapHangfireDashboard("/hangfire", new DashboardOptions
{
    Authorization = [new HangfireSetup.AdministratorsOnly()],
    DashboardTitle = "后台任务",
    AppPath = "/",
});

await ActivatorUtilities.CreateInstance<DatabaseInitializer>(app.Services).InitializeAsync();
await SupervisionSchedule.StartAsync(app.Services);
PrivacyModule.Schedule(app.Services);
StartupReport.Print(app, database, dataFolder);
Console.WriteLine(string.Join(Environment.NewLine, CertificateSignInSetup.Describe(app.Configuration))); // the sign-in port, the test CA

await app.RunAsync();

static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx,
    int status)
{
    if (ctx.Request.Path.StartsWithSegments("/api"))
    {
        return status == 401
            ? ApiProblems.WriteAsync(ctx.HttpContext, status, "未登录", "请先登录后再调用此接口。")
            : ApiProblems.WriteAsync(ctx.HttpContext, status, "无权访问", "您的账号无权调用此接口。");
    }

    ctx.Response.Redirect(ctx.RedirectUri);
    return Task.CompletedTask;
}

/// <summary>Exposed for WebApplicationFactory tests.</summary>
public partial class Program;
