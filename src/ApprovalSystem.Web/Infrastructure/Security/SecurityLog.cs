using System.Text.RegularExpressions;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Infrastructure.Observability;

namespace ApprovalSystem.Web.Infrastructure.Security;

/// <summary>
/// Security events in the technical log, under one category (<see cref="Category"/>) with fixed event ids and names, so an
/// operator can route them to their own store and alert on them (ASVS 16.3; decision 0035; the log inventory in
/// docs/security.md "Logs"): every sign-in step, success and failure; sign-outs, password and second-factor changes and
/// sessions ended by someone; refused requests (401, 403, 429) and requests from another site. Each entry says who (the
/// account name, or a masked form of what was typed), from where (the client's address) and what; never a password, a
/// code or a whole ID or mobile number: the parameters naming a person are classified <see cref="PersonalDataAttribute"/> and
/// masked by the logging pipeline (a citizen's account name is the ID number; decision 0044); what was typed into the account box
/// is masked here already (<see cref="MaskTyped"/>: it may be a password).
/// </summary>
public static partial class SecurityLog
{
    public const string Category = "ApprovalSystem.Security";

    [LoggerMessage(EventId = 1001, EventName = "SignInSucceeded", Level = LogLevel.Information,
        Message = "Sign-in succeeded for {User} from {Address} ({Step})")]
    public static partial void SignInSucceeded(ILogger logger, [PersonalData] string user, string address, string step);

    [LoggerMessage(EventId = 1002, EventName = "SignInFailed", Level = LogLevel.Warning,
        Message = "Sign-in failed for {Account} from {Address}: {Reason}")]
    public static partial void SignInFailed(ILogger logger, [PersonalData] string account, string address, string reason);

    [LoggerMessage(EventId = 1003, EventName = "SignedOut", Level = LogLevel.Information, Message = "Signed out: {User} from {Address}")]
    public static partial void SignedOut(ILogger logger, [PersonalData] string user, string address);

    [LoggerMessage(EventId = 1004, EventName = "CredentialChanged", Level = LogLevel.Information,
        Message = "Credential changed for {User} from {Address}: {Change}")]
    public static partial void CredentialChanged(ILogger logger, [PersonalData] string user, string address, string change);

    [LoggerMessage(EventId = 1005, EventName = "CredentialChangeFailed", Level = LogLevel.Warning,
        Message = "Credential change refused for {User} from {Address}: {Change}")]
    public static partial void CredentialChangeFailed(ILogger logger, [PersonalData] string user, string address, string change);

    [LoggerMessage(EventId = 1006, EventName = "SessionsEnded", Level = LogLevel.Information,
        Message = "{Count} session(s) of {User} ended by {By}: {Reason}")]
    public static partial void SessionsEnded(ILogger logger, int count, [PersonalData] string user, [PersonalData] string by, string reason);

    [LoggerMessage(EventId = 1007, EventName = "AccountDisabled", Level = LogLevel.Warning,
        Message = "Account {User} disabled by {By} from {Address}; {Sessions} session(s) ended")]
    public static partial void AccountDisabled(ILogger logger, [PersonalData] string user, [PersonalData] string by, string address, int sessions);

    [LoggerMessage(EventId = 1008, EventName = "AccountEnabled", Level = LogLevel.Information,
        Message = "Account {User} enabled by {By} from {Address}")]
    public static partial void AccountEnabled(ILogger logger, [PersonalData] string user, [PersonalData] string by, string address);

    [LoggerMessage(EventId = 1009, EventName = "PasswordReset", Level = LogLevel.Warning,
        Message = "Password of {User} reset by {By} from {Address} ({Where}: {Reason}); {Sessions} session(s) ended")]
    public static partial void PasswordReset(ILogger logger, [PersonalData] string user, [PersonalData] string by, string address, string where, string reason,
        int sessions);

    [LoggerMessage(EventId = 1010, EventName = "SecondFactorReset", Level = LogLevel.Warning,
        Message = "Second factor of {User} removed by {By} from {Address}; {Sessions} session(s) ended")]
    public static partial void SecondFactorReset(ILogger logger, [PersonalData] string user, [PersonalData] string by, string address, int sessions);

    [LoggerMessage(EventId = 1011, EventName = "EverySessionEnded", Level = LogLevel.Warning,
        Message = "Every user's sessions ended by {By} from {Address}: {Sessions} session(s)")]
    public static partial void EverySessionEnded(ILogger logger, [PersonalData] string by, string address, int sessions);

    [LoggerMessage(EventId = 1012, EventName = "ReauthenticationFailed", Level = LogLevel.Warning,
        Message = "Password asked again for {User} ({Purpose}) was wrong")]
    public static partial void ReauthenticationFailed(ILogger logger, [PersonalData] string user, string purpose);

    [LoggerMessage(EventId = 1013, EventName = "AccountActRefused", Level = LogLevel.Warning,
        Message = "{By} from {Address} may not {Act} account {User}: {Reason}")]
    public static partial void AccountActRefused(ILogger logger, [PersonalData] string by, string address, string act, [PersonalData] string user,
        string reason);

    [LoggerMessage(EventId = 1014, EventName = "RegistrationRefused", Level = LogLevel.Warning, Message = "Registration refused from {Address}: {Reason}")]
    public static partial void RegistrationRefused(ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 1015, EventName = "RegistrationCodeRequested", Level = LogLevel.Information,
        Message = "Registration code requested from {Address} for mobile {Mobile}: {Outcome}")]
    public static partial void RegistrationCodeRequested(ILogger logger, string address, string mobile, string outcome);

    [LoggerMessage(EventId = 1016, EventName = "RegistrationCodeRejected", Level = LogLevel.Warning,
        Message = "Registration code rejected from {Address}: {Reason}")]
    public static partial void RegistrationCodeRejected(ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 1017, EventName = "RegistrationLimited", Level = LogLevel.Warning,
        Message = "Registration code refused from {Address} for mobile {Mobile}: {Limit}")]
    public static partial void RegistrationLimited(ILogger logger, string address, string mobile, string limit);

    [LoggerMessage(EventId = 1018, EventName = "SmsDeliveryFailed", Level = LogLevel.Warning,
        Message = "SMS {Id} not accepted by the gateway (attempt {Attempts}): {Error}")]
    public static partial void SmsDeliveryFailed(ILogger logger, long id, int attempts, string? error);

    [LoggerMessage(EventId = 1019, EventName = "Registered", Level = LogLevel.Information, Message = "Account {User} registered from {Address}")]
    public static partial void Registered(ILogger logger, string user, string address);

    [LoggerMessage(EventId = 1020, EventName = "CertificateBound", Level = LogLevel.Information,
        Message = "Certificate {Thumbprint} ({Subject}) bound to {User} from {Address}")]
    public static partial void CertificateBound(ILogger logger, [PersonalData] string user, string address, string thumbprint,
        [PersonalData] string subject);

    [LoggerMessage(EventId = 1021, EventName = "CertificateUnbound", Level = LogLevel.Information,
        Message = "Certificate {Thumbprint} removed from {User} from {Address}")]
    public static partial void CertificateUnbound(ILogger logger, [PersonalData] string user, string address, string thumbprint);

    [LoggerMessage(EventId = 2001, EventName = "AccessRefused", Level = LogLevel.Warning,
        Message = "{Status} for {Method} {Path}: user {User} from {Address}")]
    public static partial void AccessRefused(ILogger logger, int status, string method, string path, [PersonalData] string user, string address);

    [LoggerMessage(EventId = 2002, EventName = "CrossSiteRefused", Level = LogLevel.Warning,
        Message = "Refused {Method} {Path} from another site: origin {Origin}, fetch site {FetchSite}, user {User} from {Address}")]
    public static partial void CrossSiteRefused(ILogger logger, string method, string path, string origin, string fetchSite, [PersonalData] string user,
        string address);

    [LoggerMessage(EventId = 2003, EventName = "TooManyRequests", Level = LogLevel.Warning,
        Message = "Rate limit hit by {Method} {Path}: user {User} from {Address}")]
    public static partial void TooManyRequests(ILogger logger, string method, string path, [PersonalData] string user, string address);

    /// <summary>Who: the signed-in account's name, or "-" for nobody.</summary>
    public static string UserOf(HttpContext context) => context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name ?? "?" : "-";

    public static string AddressOf(HttpContext? context) => context?.Connection.RemoteIpAddress?.ToString() ?? "-";

    /// <summary>
    /// What was typed as an account when it named nobody (or before it was looked up): it may be an ID or mobile number, or
    /// a password typed into the wrong box, so only its first two and last two characters and its length are kept.
    /// </summary>
    public static string MaskTyped(string? typed)
    {
        var text = (typed ?? "").Trim();
        return text.Length <= 4 ? new string('*', text.Length) + $"({text.Length})" : $"{text[..2]}…{text[^2..]}({text.Length})";
    }

    /// <summary>A path with every run of 11 or more digits (an ID or mobile number in a URL) masked.</summary>
    public static string SafePath(PathString path) => LongNumber().Replace(path.Value ?? "", m => Masking.IdNumber(m.Value));

    /// <summary>An Origin header kept to its scheme and authority, at most 100 characters (it is the client's text).</summary>
    public static string SafeOrigin(string? origin) =>
        string.IsNullOrEmpty(origin) ? "-"
        : Uri.TryCreate(origin, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority)
        : origin[..Math.Min(origin.Length, 100)];

    /// <summary>Logs the refusals the app answers (401, 403, 429) that no more specific event has logged already.</summary>
    public static IApplicationBuilder UseSecurityLog(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        return app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Items.ContainsKey(Logged))
            {
                return;
            }

            var status = context.Response.StatusCode;
            if (status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
            {
                AccessRefused(logger, status, context.Request.Method, SafePath(context.Request.Path), UserOf(context), AddressOf(context));
            }
            else if (status == StatusCodes.Status429TooManyRequests)
            {
                TooManyRequests(logger, context.Request.Method, SafePath(context.Request.Path), UserOf(context), AddressOf(context));
            }
        });
    }

    /// <summary>Marks a request whose refusal has been logged by a more specific event.</summary>
    public static void MarkLogged(HttpContext context) => context.Items[Logged] = true;

    private const string Logged = "security-log:logged";

    [GeneratedRegex(@"\d{11,}[\dXx]?")]
    private static partial Regex LongNumber();
}
