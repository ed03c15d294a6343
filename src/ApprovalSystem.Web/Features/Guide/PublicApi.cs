using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Web.Features.Guide;
using Microsoft.AspNetCore.Http.HttpResults;

using ApprovalSystem.Web.Infrastructure.Http;

namespace ApprovalSystem.Web.Features.Guide;

/// <summary>The anonymous part of the HTTP API: the public catalogue.</summary>
public static class PublicApi
{
    public sealed record MatterDto(string Code, string Name, string Department, string DepartmentCode, string Kind, int LegalLimitDays, int PromisedLimitDays,
        decimal Fee);

    public sealed record DepartmentDto(string Code, string Name, string ShortName, string Window, string Phone, int MatterCount);

    /// <param name="When">The situations the material is needed in (condition over the answers to <see cref="SituationDto"/>s); null: always.</param>
    public sealed record MaterialDto(string Name, bool Required, string Form, int Copies, string? Condition, string? When);

    /// <summary>A guide question 情形: answer it with one of its options when filing (<c>situation</c>); asked only when <paramref name="When"/> holds.</summary>
    public sealed record SituationDto(string Key, string Text, IReadOnlyList<string> Options, string? Help, string? When);

    public sealed record MatterDetailDto(
        string Code, string Name, string Department, string DepartmentCode, string Kind, int LegalLimitDays, int PromisedLimitDays,
        decimal Fee, string? FeeBasis, string LegalBasis, string? Conditions, IReadOnlyList<MaterialDto> Materials, string Workflow, string? CertificateType,
        IReadOnlyList<SituationDto> Situations);

    public static IEndpointRouteBuilder MapPublicApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("公共目录 Public catalogue").AllowAnonymous();

        api.MapGet("/matters", async Task<Ok<List<MatterDto>>> (GuideQueries guide, string? department, string? q, CancellationToken ct) =>
        {
            var matters = await guide.MattersAsync(department, q, ct);
            return TypedResults.Ok(matters.Select(m =>
                new MatterDto(m.Code, m.Name, m.Department, m.DepartmentCode, KindName(m.Kind), m.LegalLimitDays, m.PromisedLimitDays, m.Fee)).ToList());
        })
        .CacheOutput(CatalogueCache.Policy)
        .WithName("ListMatters")
        .WithSummary("The public matter catalogue (optionally filtered by department code and keyword).");

        api.MapGet("/matters/{code}", async Task<Results<Ok<MatterDetailDto>, ProblemHttpResult>> (GuideQueries guide, string code, CancellationToken ct) =>
        {
            var m = await guide.MatterAsync(code, ct);
            if (m is null)
            {
                return TypedResults.Problem(title: "事项不存在", detail: $"没有编码为“{code}”的公开事项，请核对事项编码（可通过 GET /api/matters 查询）。",
                    statusCode: StatusCodes.Status404NotFound);
            }

            return TypedResults.Ok(new MatterDetailDto(m.Code, m.Name, m.Department!.Name, m.Department.Code, KindName(m.Kind), m.LegalLimitDays,
                m.PromisedLimitDays,
                m.Fee, m.FeeBasis, m.LegalBasis, m.Conditions,
                m.Materials.Select(x => new MaterialDto(x.Name, x.Required, x.Form.ToString().ToLowerInvariant(), x.Copies, x.Condition, x.When)).ToList(),
                m.WorkflowId, m.CertificateType, m.Situations.Select(q => new SituationDto(q.Key, q.Text, q.Options, q.Help, q.When)).ToList()));
        })
        .CacheOutput(CatalogueCache.Policy)
        .WithName("GetMatter")
        .WithSummary("One matter of the public catalogue with its materials and its guide questions 情形.");

        api.MapGet("/departments", async Task<Ok<List<DepartmentDto>>> (GuideQueries guide, CancellationToken ct) =>
        {
            var departments = await guide.DepartmentsAsync(ct);
            return TypedResults.Ok(departments.Select(d => new DepartmentDto(d.Code, d.Name, d.ShortName, d.Window, d.Phone, d.MatterCount)).ToList());
        })
        .CacheOutput(CatalogueCache.Policy)
        .WithName("ListDepartments")
        .WithSummary("The departments of the service centre.");

        return app;
    }

    private static string KindName(MatterKind kind) => kind.ToString().ToLowerInvariant();
}
