using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Supervision;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

using ApprovalSystem.Web.Infrastructure.Http;
using ApprovalSystem.Web.Features.Supervision.Performance;

namespace ApprovalSystem.Web.Features.Supervision;

/// <summary>Supervision: the attachments of supervision-order responses, and a scan on demand for administrators.</summary>
public static class SupervisionApi
{
    public static void MapSupervisionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/supervision").WithTags("Supervision").RequireAuthorization();

        api.MapGet("/orders/{id:long}/files/{sha}",
            async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> (long id, string sha, HttpContext http, StorageOptions storage,
            IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var order = await db.SupervisionOrders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
            var visible = order is not null && (actor.Is(Roles.Supervisor) || actor.Is(Roles.Administrator) || actor.Department == order.Department);
            var entry = visible ? order!.Attachments.Select(a => a.Split('|', 2)).FirstOrDefault(p => p.Length == 2 && p[0] == sha) : null;
            if (entry is null)
            {
                return TypedResults.Problem(title: "附件不存在，或您无权查看", statusCode: StatusCodes.Status404NotFound);
            }

            var type = await db.StoredFiles.Where(f => f.Sha256 == sha).Select(f => f.ContentType).FirstOrDefaultAsync(ct) ?? "application/octet-stream";
            return TypedResults.PhysicalFile(ContentFiles.PathFor(storage.DataFolder, sha), type, entry[1]);
        }).WithName("SupervisionOrderFile").WithSummary("Download an attachment of a supervision order's response (supervisors and the department).");

        api.MapGet("/performance.xlsx",
            async Task<Results<FileContentHttpResult, ProblemHttpResult>> (int year, string? period, Core.Supervision.PerformanceDimension? dimension,
            PerformanceQueries queries, CancellationToken ct) =>
        {
            if (year is < 2000 or > 2100 || (period is not null && !System.Text.RegularExpressions.Regex.IsMatch(period, "^(q[1-4]|m([1-9]|1[0-2]))$")))
            {
                return TypedResults.Problem(title: "统计期间有误", detail: "请给出年度（2000–2100）和期间：季度 q1–q4 或月份 m1–m12", statusCode: StatusCodes.Status400BadRequest);
            }

            var months = PerformancePage.MonthsOf(year, period ?? "q1");
            var dim = dimension ?? Core.Supervision.PerformanceDimension.Department;
            var rows = await queries.EvaluateAsync(months, dim, ct);
            return TypedResults.File(PerformanceQueries.Workbook(months, dim, rows), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                $"绩效评估-{months.Title}.xlsx");
        }).RequireAuthorization(p => p.RequireRole(Roles.Administrator, Roles.Supervisor))
            .WithName("PerformanceExport").WithSummary("The performance table of a month (period=m1…m12) or quarter (q1…q4) as Excel.");

        api.MapPost("/scan", async (ScanJob scanner, CancellationToken ct) => TypedResults.Ok(await scanner.ScanAsync(ct)))
            .RequireAuthorization(p => p.RequireRole(Roles.Administrator, Roles.Supervisor))
            .WithName("SupervisionScan").WithSummary("Run the supervision scan now (it also runs every minute in the background).");
    }
}
