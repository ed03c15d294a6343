using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Cases;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Infrastructure.Http;

namespace ApprovalSystem.Web.Features.Certificates;

/// <summary>
/// Certificates over HTTP: issuing and reprinting a case's certificate (under the case's address), and the certificate
/// register 证照库 (list, revoke, cancel). The public check is the /verify page.
/// </summary>
public static class CertificatesApi
{
    public sealed record CertificateDto(long Id, string Number, long CaseId, string CaseNumber, string Type, string HolderName, DateTimeOffset IssuedAt,
        DateOnly? ValidUntil,
        string Status, string? StatusReason, int ReprintCount);

    public sealed record ReasonDto(string Reason);

    public static IEndpointRouteBuilder MapCertificatesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cases").WithTags("办件 Cases").RequireAuthorization().AddEndpointFilter(new ProblemFilter("办件不存在"))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/{id:long}/certificate", async (long id, HttpContext http, IssueCertificate.Handler h, CancellationToken ct) =>
                CaseApi.Ok(await h.HandleAsync(new(id), http.User.ToActor(), ct)))
            .WithName("IssueCertificate")
            .WithSummary("Issue the certificate 制证发证 of an approved case (window clerk); it is registered with a verification code.");

        api.MapPost("/{id:long}/certificate/reprint", async (long id, HttpContext http, CertificateActs.Handler h, CancellationToken ct) =>
        {
            var record = await h.RecordReprintAsync(id, http.User.ToActor(), ct);
            return TypedResults.Ok(new { record.Number, record.ReprintCount });
        }).WithName("ReprintCertificate")
            .WithSummary("Record a reprint 补打 of the case's certificate (counted and journalled); then download documents/certificate.");

        var register = app.MapGroup("/api/certificates").WithTags("证照库 Certificates").RequireAuthorization().AddEndpointFilter(new ProblemFilter("办件不存在"));
        register.MapGet("", async (HttpContext http, CertificateQueries queries, TimeProvider clock,
            string? status, string? type, string? q, int? skip, int? take, CancellationToken ct) =>
        {
            // Filtered over the whole register; X-Total-Count says how many match, skip/take page through them.
            var page = await queries.RegisterAsync(http.User.ToActor(), new(status, type, q), skip ?? 0, take ?? 1000, ct);
            var today = WorkingTime.LocalDate(clock.GetUtcNow());
            http.Response.Headers["X-Total-Count"] = page.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Ok(page.Rows
                .Select(x => new CertificateDto(x.Id, x.Number, x.CaseId, x.CaseNumber,
                    Documents.CertificateTypes.Types.TryGetValue(x.Type, out var t) ? t.Title : x.Type, x.HolderName,
                    x.IssuedAt, x.ValidUntil, x.StatusName(today), x.StatusReason, x.ReprintCount))
                .ToList());
        }).WithName("ListCertificates")
            .WithSummary("The certificate register 证照库, newest first (filters over the whole register: status 有效/已撤销/已注销/已过期, "
                + "type code, q = part of the number, holder or case number; skip/take, at most 1,000; X-Total-Count).");

        register.MapPost("/{id:long}/revoke", async (long id, ReasonDto body, HttpContext http, CertificateActs.Handler h, CancellationToken ct) =>
        {
            var r = await h.ChangeStatusAsync(new(id, CertificateStatus.Revoked, body.Reason), http.User.ToActor(), ct);
            return TypedResults.Ok(new { r.Number, Status = r.Status.ToString(), r.StatusReason });
        }).WithName("RevokeCertificate")
            .WithSummary("Revoke 撤销 a certificate with a reason (administrator or head of the issuing department); journalled on its case.");

        register.MapPost("/{id:long}/cancel", async (long id, ReasonDto body, HttpContext http, CertificateActs.Handler h, CancellationToken ct) =>
        {
            var r = await h.ChangeStatusAsync(new(id, CertificateStatus.Cancelled, body.Reason), http.User.ToActor(), ct);
            return TypedResults.Ok(new { r.Number, Status = r.Status.ToString(), r.StatusReason });
        }).WithName("CancelCertificate")
            .WithSummary("Cancel 注销 a certificate with a reason (administrator or head of the issuing department); journalled on its case.");

        return app;
    }
}
