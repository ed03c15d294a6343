using System.Text.Json;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Exchange.Inbound;
using ApprovalSystem.Web.Features.Exchange.Outbound;
using ApprovalSystem.Web.Features.Exchange.Resources;
using ApprovalSystem.Web.Features.Exchange.Supervision;
using ApprovalSystem.Web.Features.Exchange.Systems;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Exchange;

/// <summary>
/// The exchange HTTP API 共享交换接口 under /api/exchange. Line systems call it with their API key
/// (<c>X-Api-Key</c>); the administration part under /api/exchange/admin is for signed-in
/// administrators. Every endpoint is rate-limited per system (or per user). Errors are problem details.
/// </summary>
public static class ExchangeApi
{
    private const string SystemItem = "exchange.system";

    public sealed record SubscribeRequest(string? Url, IReadOnlyList<string>? Kinds);

    /// <summary>An absolute http(s) address that fits its column, and only event kinds the outbox raises.</summary>
    public sealed class SubscribeValidator : AbstractValidator<SubscribeRequest>
    {
        public SubscribeValidator()
        {
            RuleFor(x => x.Url)
                .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp))
                .WithMessage("请提供 http(s) 回调地址").Text(1000, "回调地址");
            this.Entries(x => x.Kinds, ExchangeOutbox.Kinds.Count, 32, "事件类型");
            RuleForEach(x => x.Kinds).Must(k => k is null || ExchangeOutbox.Kinds.Contains(k.Trim()))
                .WithMessage((_, k) => $"未知的事件类型“{(k.Length > 32 ? k[..32] + "…" : k)}”，可用：{string.Join("、", ExchangeOutbox.Kinds)}");
        }
    }

    private static readonly SubscribeValidator Subscriptions = new();

    public sealed record SubscriptionDto(int Id, int SystemId, string Url, IReadOnlyList<string> Kinds, bool Active, DateTimeOffset CreatedAt);

    public sealed record SubscriptionCreated(SubscriptionDto Subscription, string Secret);

    public sealed record AccessRequestBody(IReadOnlyList<string>? Fields, string? Purpose);

    /// <summary>One shared record by its key (a credit code or a resident's ID number), read for a purpose.</summary>
    public sealed record RecordQuery(string? Key, string? Purpose);

    /// <summary>Whose values to prefill a form with: ResidentId (the default) or CreditCode, and the number.</summary>
    public sealed record PrefillQuery(ApplicantIdType? IdType, string? IdNumber);

    public sealed record InboundDto(long Id, string System, string EventId, string ExternalCaseId, string MatterCode, string Step, DateTimeOffset OccurredAt,
        DateTimeOffset ReceivedAt,
        string Status, string? Reason, long? CaseId, int Replays, string Payload);

    public sealed record DeliveryDto(long Id, string EventId, string Kind, string? CaseNumber, int SubscriptionId, string Url, string Status, int Attempts,
        DateTimeOffset NextAttemptAt,
        DateTimeOffset? DeliveredAt, string? LastError);

    /// <summary>The system that called, set by the API key filter.</summary>
    public static LineSystem CallingSystem(this HttpContext http) => (LineSystem)http.Items[SystemItem]!;

    public static IEndpointRouteBuilder MapExchangeApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/exchange").WithTags("共享交换 Exchange").AddEndpointFilter<SystemRateLimit>()
            .AddEndpointFilter(new Infrastructure.Http.ProblemFilter("不存在", (typeof(ResourceAccessDeniedException), "未获授权", StatusCodes.Status403Forbidden)));
        var systems = api.MapGroup("").AllowAnonymous().AddEndpointFilter<RequireApiKey>();

        systems.MapPost("/cases/events",
            async Task<Results<Ok<PushCaseState.Result>, Accepted<PushCaseState.Result>, ValidationProblem>> (HttpContext http, PushCaseState.Handler handler,
            CancellationToken ct) =>
        {
            var (command, problem) = await ReadAsync<PushCaseState.Command>(http, ct);
            if (problem is not null)
            {
                return problem;
            }

            var result = await handler.HandleAsync(http.CallingSystem(), command!, ct);
            return result.Status == "deadLetter" ? TypedResults.Accepted((string?)null, result) : TypedResults.Ok(result);
        }).Accepts<PushCaseState.Command>("application/json")
          .WithName("PushCaseState")
          .WithSummary("A line system pushes the state of a case it handles. Idempotent by eventId; "
              + "a push that cannot be mapped is kept as a dead letter (202).");

        systems.MapPost("/subscriptions",
            async Task<Results<Created<SubscriptionCreated>, ProblemHttpResult>> (SubscribeRequest body, HttpContext http,
            IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, Infrastructure.ReferenceCache cache, WebhookClients clients, CancellationToken ct) =>
        {
            await Subscriptions.ValidateAndThrowAsync(body, ct);
            var url = new Uri(body.Url!);

            // Where the centre would post: resolved and checked now, and again at every delivery (decision 0023).
            if (await clients.Policy(WebhookAllowList.Parse(http.CallingSystem().WebhookAllowList)).CheckAsync(url, ct) is { } refused)
            {
                return TypedResults.Problem(title: "回调地址不允许", detail: $"url：{refused}", statusCode: StatusCodes.Status422UnprocessableEntity,
                    extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["url"] = [refused] } });
            }

            var kinds = (body.Kinds ?? []).Select(k => k.Trim()).Distinct().ToList();
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var s = new WebhookSubscription { SystemId = http.CallingSystem().Id, Url = url.ToString(),
                Secret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), EventKinds = string.Join(',', kinds),
                CreatedAt = clock.GetUtcNow() };
            db.WebhookSubscriptions.Add(s);
            await db.SaveChangesAsync(ct);
            cache.Invalidate(Infrastructure.ReferenceCache.Webhooks);
            return TypedResults.Created($"/api/exchange/subscriptions/{s.Id}", new SubscriptionCreated(ToDto(s), s.Secret));
        }).WithName("Subscribe").WithSummary("Subscribe a webhook to the centre's case events; the HMAC secret is returned once.");

        systems.MapGet("/supervision-feed", async (DateTimeOffset? since, long? after, SupervisionFeed feed, CancellationToken ct) =>
            TypedResults.Ok(await feed.ReadAsync(since, after ?? 0, ct)))
            .WithName("SupervisionFeed")
            .WithSummary("Node rows (申请/受理/告知/补正/特别程序开始/特别程序结束/结果/办结) derived from the case journal; page with 'after' = last sequence.");

        systems.MapGet("/resources", async (ResourceCatalogue catalogue, CancellationToken ct) => TypedResults.Ok(await catalogue.ListAsync(ct)))
            .WithName("ListResources").WithSummary("The resource catalogue.");

        systems.MapPost("/resources/{code}/requests",
            async (string code, AccessRequestBody body, HttpContext http, ResourceCatalogue catalogue, CancellationToken ct) =>
        {
            var system = http.CallingSystem();
            return TypedResults.Ok(await catalogue.RequestAsync(code, system.Department, body.Fields ?? [], body.Purpose ?? "", system.Code, ct));
        }).WithName("RequestResourceAccess").WithSummary("The calling system's department requests chosen fields of a resource, with a purpose.");

        // The record's key (a credit code, a resident's ID number) and the purpose travel in the body, never in the address:
        // proxies and access logs keep addresses (ASVS 14.2.1).
        systems.MapPost("/resources/{code}/records/query",
            async Task<Results<Ok<SharedRecord>, ProblemHttpResult>> (string code, RecordQuery body, HttpContext http, ResourceCatalogue catalogue,
            CancellationToken ct) =>
        {
            var system = http.CallingSystem();
            return await catalogue.QueryAsync(code, body.Key ?? "", system.Department, system.Code, body.Purpose ?? "", ct) is { } record
                ? TypedResults.Ok(record)
                : TypedResults.Problem(title: "记录不存在", detail: "资源中没有该记录。", statusCode: 404);
        }).WithName("QueryResource")
          .WithSummary("Reads one record by its key (in the body): only the fields granted to the caller's department; the read is logged with its purpose.");

        var admin = api.MapGroup("/admin").RequireAuthorization(p => p.RequireRole(Roles.Administrator));
        admin.MapGet("/systems", async (LineSystems.Handler h, CancellationToken ct) => TypedResults.Ok(await h.ListAsync(ct))).WithName("ListLineSystems");
        admin.MapPost("/systems", async (LineSystems.Command body, LineSystems.Handler h, CancellationToken ct) =>
        {
            var issued = await h.RegisterAsync(body, ct);
            return TypedResults.Created($"/api/exchange/admin/systems/{issued.System.Id}", issued);
        }).WithName("RegisterLineSystem").WithSummary("Registers a line system; the API key is in the answer and shown only this once.");
        admin.MapPost("/systems/{id:int}/rotate", async (int id, LineSystems.Handler h, CancellationToken ct) => TypedResults.Ok(await h.RotateAsync(id, ct)))
            .WithName("RotateApiKey");
        admin.MapPut("/systems/{id:int}/webhook-targets",
            async (int id, LineSystems.WebhookTargetsCommand body, LineSystems.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.SetWebhookTargetsAsync(id, body.Targets, ct)))
            .WithName("SetWebhookTargets")
            .WithSummary("Sets a system's webhook allow-list: host names (hook.example.gov.cn, *.example.gov.cn) and address ranges (10.20.0.0/16); "
                + "a listed range also opens the private addresses in it. Empty: any public address.");
        admin.MapPost("/systems/{id:int}/revoke", async (int id, LineSystems.Handler h, CancellationToken ct) => TypedResults.Ok(await h.RevokeAsync(id, ct)))
            .WithName("RevokeApiKey");
        admin.MapGet("/dead-letters", async (HttpContext http, ExchangeQueries queries, string? q, int? skip, int? take, CancellationToken ct) =>
            TypedResults.Ok(Paged(http, await queries.InboundAsync(InboundStatus.DeadLetter, q, skip ?? 0, take ?? ExchangeQueries.MaxPage, ct))))
            .WithName("ListDeadLetters")
            .WithSummary("Dead letters, newest first: q = a sender's event id or business case id (whole or its beginning); skip/take, "
                + "at most 1,000; X-Total-Count says how many match.");
        admin.MapPost("/dead-letters/{id:long}/replay",
            async Task<Results<Ok<PushCaseState.Result>, ValidationProblem>> (long id, HttpContext http, PushCaseState.Handler handler, CancellationToken ct) =>
        {
            // An empty body (or {}) replays the stored push as it is.
            PushCaseState.Command? corrected = null;
            using var reader = new StreamReader(http.Request.Body);
            var text = (await reader.ReadToEndAsync(ct)).Trim();
            if (text.Length > 0 && text != "{}")
            {
                var (command, problem) = Parse<PushCaseState.Command>(text);
                if (problem is not null)
                {
                    return problem;
                }

                corrected = command;
            }

            return TypedResults.Ok(await handler.ReplayAsync(id, corrected, ct));
        }).Accepts<PushCaseState.Command>(isOptional: true, "application/json")
          .WithName("ReplayDeadLetter").WithSummary("Applies a dead letter again, optionally with a corrected push in the body.");
        admin.MapGet("/deliveries", async Task<Results<Ok<IReadOnlyList<DeliveryDto>>, ValidationProblem>> (HttpContext http, ExchangeQueries q,
            string? status, string? caseNumber, int? skip, int? take, CancellationToken ct) =>
        {
            DeliveryStatus? wanted = null;
            if (status is { Length: > 0 })
            {
                if (!Enum.TryParse<DeliveryStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                {
                    return Problem("status", "投递状态应为 Pending、Delivered 或 Failed");
                }

                wanted = parsed;
            }

            return TypedResults.Ok(Paged(http, await q.DeliveriesAsync(wanted, caseNumber, skip ?? 0, take ?? ExchangeQueries.MaxPage, ct)));
        }).WithName("ListDeliveries")
          .WithSummary("Webhook deliveries, newest first: status = Pending, Delivered or Failed; caseNumber = one case's whole number; "
              + "skip/take, at most 1,000; X-Total-Count says how many match.");
        admin.MapPost("/deliveries/{id:long}/retry", async (long id, WebhookDispatcher d, TimeProvider clock, CancellationToken ct) =>
        {
            await d.RetryAsync(id, clock.GetUtcNow(), ct);
            return TypedResults.NoContent();
        }).WithName("RetryDelivery");
        admin.MapGet("/read-log", async (HttpContext http, ResourceCatalogue c, string? key, int? skip, int? take, CancellationToken ct) =>
            TypedResults.Ok(Paged(http, await c.ReadLogAsync(null, key, skip ?? 0, take ?? ExchangeQueries.MaxPage, ct))))
            .WithName("ResourceReadLog")
            .WithSummary("Every read of a shared resource, newest first: key = a record's whole key (the reads of that record); skip/take, "
                + "at most 1,000; X-Total-Count says how many match.");

        // The ID number travels in the body, never in the address (ASVS 14.2.1); a read, yet a POST, so it also proves its origin.
        app.MapPost("/api/exchange/prefill", async Task<Results<Ok<IReadOnlyList<PrefillValue>>, ProblemHttpResult>> (
            PrefillQuery body, HttpContext http, Prefill prefill, CancellationToken ct) =>
            await prefill.ForActorAsync(http.User.ToActor(), body.IdType ?? ApplicantIdType.ResidentId, body.IdNumber ?? "", ct) is { } values
                ? TypedResults.Ok(values)
                : TypedResults.Problem(title: "无权查询他人信息", detail: Prefill.NotYourselfMessage, statusCode: StatusCodes.Status403Forbidden))
                    .RequireAuthorization(p => p.RequireRole(Roles.Clerk, Roles.Applicant, Roles.Agent)).AddEndpointFilter<SystemRateLimit>()
                    .WithTags("共享交换 Exchange")
          .WithName("Prefill")
          .WithSummary("Values for a form from granted resources (by credit code or resident id), each with its source; the read is logged. "
              + "Clerks may look up anyone, agents the resident they file for, applicants only themselves (403 otherwise).")
          .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    /// <summary>A page's rows, its total in the X-Total-Count header.</summary>
    private static IReadOnlyList<T> Paged<T>(HttpContext http, Cases.Queries.CaseQueries.Page<T> page)
    {
        http.Response.Headers["X-Total-Count"] = page.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return page.Rows;
    }

    private static SubscriptionDto ToDto(WebhookSubscription s) =>
        new(s.Id, s.SystemId, s.Url, s.EventKinds.Split(',', StringSplitOptions.RemoveEmptyEntries), s.Active, s.CreatedAt);

    /// <summary>Reads a JSON body; a malformed value becomes a problem naming its field.</summary>
    private static async Task<(T? Value, ValidationProblem? Problem)> ReadAsync<T>(HttpContext http, CancellationToken ct)
        where T : class
    {
        using var reader = new StreamReader(http.Request.Body);
        return Parse<T>(await reader.ReadToEndAsync(ct));
    }

    private static (T? Value, ValidationProblem? Problem) Parse<T>(string text)
        where T : class
    {
        try
        {
            var value = text.Trim().Length == 0 ? null : JsonSerializer.Deserialize<T>(text, PushCaseState.Json);
            return value is null ? (null, Problem("body", "请求体不能为空")) : (value, null);
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } p ? p.TrimStart('$', '.') : "body";
            return (null, Problem(field, $"“{field}”的格式不正确"));
        }
    }

    private static ValidationProblem Problem(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: $"{field}：{message}", title: "提交的内容有误");

    /// <summary>Authenticates a registered line system by its API key (hashed at rest); a revoked or unknown key is refused.</summary>
    private sealed class RequireApiKey : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var http = context.HttpContext;
            if (http.Request.Headers[ApiKeys.Header].FirstOrDefault() is not { Length: > 0 } key)
            {
                return TypedResults.Problem(title: "未认证", detail: $"请在 {ApiKeys.Header} 请求头中提供接入系统的 API 密钥。", statusCode: 401);
            }

            var hash = ApiKeys.Hash(key);

            // Guessed keys are limited by the caller's address before they cost a lookup (ApiKeyAttempts).
            var attempts = http.RequestServices.GetRequiredService<ApiKeyAttempts>();
            var (allowed, retryAfter) = await attempts.TryLookupAsync(hash, http.Connection.RemoteIpAddress, http.RequestAborted);
            if (!allowed)
            {
                var seconds = Infrastructure.Http.ApiProblems.RetryAfterSeconds(retryAfter ?? TimeSpan.FromMinutes(1));
                http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Problem(title: "请求过于频繁",
                    detail: $"来自该地址的无效 API 密钥过多，请 {seconds} 秒后再试。", statusCode: StatusCodes.Status429TooManyRequests);
            }

            await using var db = await http.RequestServices.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(http.RequestAborted);
            var system = await db.LineSystems.AsNoTracking().FirstOrDefaultAsync(s => s.KeyHash == hash, http.RequestAborted);
            if (system is null)
            {
                attempts.Refused(hash);
                return TypedResults.Problem(title: "未认证", detail: "API 密钥无效。", statusCode: 401);
            }

            if (system.RevokedAt is not null)
            {
                attempts.Refused(hash);
                return TypedResults.Problem(title: "未认证", detail: "API 密钥已被吊销，请联系管理员重新签发。", statusCode: 401);
            }

            attempts.Accepted(hash);
            http.Items[SystemItem] = system;
            return await next(context);
        }
    }
}
