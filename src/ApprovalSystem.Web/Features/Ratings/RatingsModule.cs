using ApprovalSystem.Core.Identity;
using ApprovalSystem.Core.Ratings;
using ApprovalSystem.Web.Features.Portal;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ApprovalSystem.Web.Features.Ratings;

/// <summary>
/// 好差评 as GB/T 39734-2020 asks (issue 21, decision 0061): ratings per point and indicator (the handler is the portal's
/// <see cref="Feedback"/>), rectifications of every 差评, the figures and the export for the provincial system.
/// </summary>
public static class RatingsModule
{
    public static IServiceCollection AddRatings(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Ratings").Get<RatingsOptions>() ?? new RatingsOptions());
        services.AddScoped<Rectifications.Handler>();
        services.AddScoped<RatingFigures>();
        return services;
    }

    public sealed record RateRequest(RatingPoint Point, int Level, string? Comment, Dictionary<string, int>? Indicators);

    public sealed record RatingDto(string Point, int Level, string LevelName, string Channel, IReadOnlyDictionary<string, int> Indicators, string? Comment,
        DateTimeOffset RatedAt, bool Counted);

    public sealed record CallBackRequest(DateTimeOffset CalledAt, string? Whom, string? Notes);

    public sealed record ResolveRequest(RectificationResolution Resolution, string? Text);

    public sealed record TextRequest(string? Text);

    public sealed record AppealRequest(AppealGround Ground, string? Reason);

    public sealed record DecideRequest(bool Upheld, string? Decision);

    public static IEndpointRouteBuilder MapRatings(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/cases").WithTags("好差评 Ratings").RequireAuthorization().AddEndpointFilter(new ProblemFilter("办件不存在"))
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        cases.MapPost("/{id:long}/ratings", async (long id, [FromBody] RateRequest body, HttpContext http, Feedback.Handler handler, CancellationToken ct) =>
        {
            await handler.RateAsync(new Feedback.RateCommand(id, body.Level, body.Comment, body.Point, body.Indicators), http.User.ToActor(), ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(p => p.RequireRole(Roles.Applicant, Roles.Agent)).WithName("RateCase")
            .WithSummary("Rate one point of the case (Acceptance after acceptance, Conclusion after conclusion), once each: level 1–5, the channel's "
                + "indicators, a reason for a 差评 (which opens a rectification).");
        cases.MapGet("/{id:long}/ratings", async (long id, HttpContext http, Feedback.Handler handler, Cases.Queries.CaseQueries queries,
            CancellationToken ct) =>
        {
            _ = await queries.GetAsync(id, http.User.ToActor(), ct) ?? throw new CaseNotFoundException("办件不存在，或您无权查看");
            var ratings = await handler.RatingsAsync(id, ct);
            return TypedResults.Ok(ratings.Select(r => new RatingDto(r.Point.ToString(), r.Level, ServiceRatings.LevelName(r.Level), r.Channel,
                ServiceRatings.Parse(r.Indicators), r.Comment, r.RatedAt, !r.Excluded)).ToList());
        }).WithName("CaseRatings").WithSummary("The case's ratings by point, for whoever may see the case.");

        var api = app.MapGroup("/api/ratings").WithTags("好差评 Ratings").RequireAuthorization().AddEndpointFilter(new ProblemFilter("整改记录不存在"))
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/rectifications", async (HttpContext http, Rectifications.Handler handler, bool? open, CancellationToken ct) =>
            TypedResults.Ok((await handler.ListAsync(http.User.ToActor(), open ?? false, ct)).Select(r => r.Item).ToList()))
            .WithName("Rectifications")
            .WithSummary("Rectifications of 差评: a department's staff see theirs, supervisors all; open=true leaves out closed ones.");
        api.MapGet("/rectifications/{id:long}", async Task<Results<Ok<Rectification>, ProblemHttpResult>> (long id, HttpContext http,
            Rectifications.Handler handler, CancellationToken ct) =>
            await handler.GetAsync(id, http.User.ToActor(), ct) is { } row
                ? TypedResults.Ok(row.Item)
                : TypedResults.Problem(title: "整改记录不存在", detail: "整改记录不存在，或您无权查看", statusCode: StatusCodes.Status404NotFound))
            .WithName("Rectification");
        api.MapPost("/rectifications/{id:long}/call-back", async (long id, [FromBody] CallBackRequest body, HttpContext http, Rectifications.Handler h,
            CancellationToken ct) =>
        {
            await h.CallBackAsync(new(id, body.CalledAt, body.Whom ?? "", body.Notes ?? ""), http.User.ToActor(), ct);
            return TypedResults.NoContent();
        }).WithName("RecordCallBack").WithSummary("The department records its call-back 回访: when, whom, what was said.");
        api.MapPost("/rectifications/{id:long}/resolve", async (long id, [FromBody] ResolveRequest body, HttpContext http, Rectifications.Handler h,
            CancellationToken ct) =>
        {
            await h.ResolveAsync(new(id, body.Resolution, body.Text ?? ""), http.User.ToActor(), ct);
            return TypedResults.NoContent();
        }).WithName("ResolveRectification").WithSummary("Fixed (what was fixed) or Explained (why the request has no legal basis); stops the clock.");
        api.MapPost("/rectifications/{id:long}/confirm", async (long id, HttpContext http, Rectifications.Handler h, CancellationToken ct) =>
        {
            await h.ConfirmAsync(id, http.User.ToActor(), ct);
            return TypedResults.NoContent();
        }).WithName("ConfirmRectification").WithSummary("The applicant who rated confirms the resolution.");
        api.MapPost("/rectifications/{id:long}/contest", async (long id, [FromBody] TextRequest body, HttpContext http, Rectifications.Handler h,
            CancellationToken ct) =>
        {
            await h.ContestAsync(new(id, body.Text ?? ""), http.User.ToActor(), ct);
            return TypedResults.NoContent();
        }).WithName("ContestRectification").WithSummary("The applicant contests the resolution; it reopens, once.");
        api.MapPost("/rectifications/{id:long}/appeal", async (long id, [FromBody] AppealRequest body, HttpContext http, Rectifications.Handler h,
            CancellationToken ct) =>
        {
            await h.AppealAsync(new(id, body.Ground, body.Reason ?? ""), http.User.ToActor(), ct);
            return TypedResults.NoContent();
        }).WithName("AppealRating").WithSummary("The department appeals the rating as Wrong or Malicious 申诉, once.");
        api.MapPost("/rectifications/{id:long}/decide", async (long id, [FromBody] DecideRequest body, HttpContext http, Rectifications.Handler h,
            CancellationToken ct) =>
        {
            await h.DecideAsync(new(id, body.Upheld, body.Decision ?? ""), http.User.ToActor(), ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(p => p.RequireRole(Roles.Supervisor)).WithName("DecideAppeal")
            .WithSummary("A supervisor decides the appeal; upheld, the rating no longer counts in the score.");
        api.MapGet("/export.xlsx", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (DateOnly? from, DateOnly? to, RatingFigures figures,
            CancellationToken ct) =>
        {
            if (from is null || to is null || to < from || to.Value.DayNumber - from.Value.DayNumber > 366)
            {
                return TypedResults.Problem(title: "统计期间有误", detail: "请给出起止日期 from、to（yyyy-MM-dd，含两端，不超过一年）",
                    statusCode: StatusCodes.Status400BadRequest);
            }

            var rows = await figures.RatingsAsync(from.Value, to.Value.AddDays(1), ct);
            return TypedResults.File(RatingFigures.Workbook("好差评", rows), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                $"好差评-{from:yyyyMMdd}-{to:yyyyMMdd}.xlsx");
        }).RequireAuthorization(p => p.RequireRole(Roles.Administrator, Roles.Supervisor)).WithName("RatingsExport")
            .WithSummary("The ratings of the days from…to (inclusive) in the standard's fields, for the provincial 好差评 system.");
        return app;
    }
}
