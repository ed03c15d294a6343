using ApprovalSystem.Web.Features.Cases;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Infrastructure.Http;

namespace ApprovalSystem.Web.Features.Commitments;

/// <summary>
/// 告知承诺制 (decision 0060): the verification afterwards 事中事后核查 of cases approved on commitment, the register of false commitments
/// and their repair 信用修复, as pages (/work/verifications, /supervision/false-commitments) and endpoints. Filing on commitment is part
/// of filing (FileCase.Command.OnCommitment); the approval is the window's accept-and-decide.
/// </summary>
public static class CommitmentsModule
{
    public sealed record VerificationDto(bool Truthful, string? Findings);

    public sealed record RepairDto(string Reason);

    public static IServiceCollection AddCommitments(this IServiceCollection services)
    {
        services.AddScoped<RecordVerification.Validator>();
        services.AddScoped<RecordVerification.Handler>();
        services.AddScoped<SignCommitment.Handler>();
        services.AddScoped<RepairCredit.Validator>();
        services.AddScoped<RepairCredit.Handler>();
        services.AddScoped<CommitmentQueries>();
        return services;
    }

    public static IEndpointRouteBuilder MapCommitments(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/cases").WithTags("办件 Cases").RequireAuthorization().AddEndpointFilter(new ProblemFilter("办件不存在"))
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status409Conflict);
        cases.MapPost("/{id:long}/verification", async (long id, VerificationDto body, HttpContext http, RecordVerification.Handler h,
                CancellationToken ct) => CaseApi.Ok(await h.HandleAsync(new(id, body.Truthful, body.Findings), http.User.ToActor(), ct)))
            .WithName("RecordVerification")
            .WithSummary("Record the verification 事中事后核查 of a case approved on commitment (lead department's officer): truthful, or not with the "
                + "findings — which revokes the certificate, records the false commitment and issues the 撤销行政许可决定书.");

        cases.MapPost("/{id:long}/commitment", async (long id, HttpContext http, SignCommitment.Handler h, CancellationToken ct) =>
                CaseApi.Ok(await h.HandleAsync(new(id), http.User.ToActor(), ct)))
            .WithName("SignCommitment")
            .WithSummary("Sign the matter's commitment 告知承诺书 on a draft (the applicant in person): the materials it replaces are no longer "
                + "required; refused (422) for a matter without it or an applicant with an unrepaired false commitment.");

        var api = app.MapGroup("/api").WithTags("告知承诺 Commitments").RequireAuthorization().AddEndpointFilter(new ProblemFilter("记录不存在"))
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/verifications", async (bool? done, HttpContext http, CommitmentQueries queries, CancellationToken ct) =>
                TypedResults.Ok(await queries.TasksAsync(http.User.ToActor(), done ?? false, ct: ct)))
            .WithName("ListVerifications")
            .WithSummary("Verification tasks 核查任务 of cases approved on commitment: open ones by due date (done=true: the latest done ones).");
        api.MapGet("/false-commitments", async (HttpContext http, CommitmentQueries queries, CancellationToken ct) =>
                TypedResults.Ok(await queries.FalseCommitmentsAsync(http.User.ToActor(), ct)))
            .WithName("ListFalseCommitments")
            .WithSummary("False commitments on record 虚假承诺记录, unrepaired first (administrators and supervisors).");
        api.MapPost("/false-commitments/{id:long}/repair", async (long id, RepairDto body, HttpContext http, RepairCredit.Handler h,
                CancellationToken ct) =>
            {
                var r = await h.HandleAsync(new(id, body.Reason), http.User.ToActor(), ct);
                return TypedResults.Ok(new { r.Id, r.CaseNumber, r.RepairedAt, r.RepairedBy, r.RepairReason });
            })
            .WithName("RepairCredit")
            .WithSummary("Record the repair 信用修复 of a false commitment with a reason (administrator or supervisor): the applicant may file on "
                + "commitment again.");
        return app;
    }
}
