using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Cases;

/// <summary>
/// A case the API answers with carries its form's ID-card and mobile fields masked, for every caller, as the case page shows
/// them (docs/privacy.md, decision 0029): the full value is needed for no API use, and staff who need it reveal it on the
/// case page, where the read is recorded. The applicant's own name stays; its masked ID and mobile are not in the answer.
/// </summary>
public sealed class PersonalFormDataFilter(IDbContextFactory<AppDbContext> dbFactory) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        return inner switch
        {
            Ok<CaseApi.CaseDto> { Value: { } dto } => TypedResults.Ok(await MaskAsync(dto, context.HttpContext.RequestAborted)),
            Created<CaseApi.CaseDto> { Value: { } dto } created =>
                TypedResults.Created(created.Location, await MaskAsync(dto, context.HttpContext.RequestAborted)),
            _ => result,
        };
    }

    private async Task<CaseApi.CaseDto> MaskAsync(CaseApi.CaseDto dto, CancellationToken ct)
    {
        if (dto.FormData.Count == 0)
        {
            return dto;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var fields = await db.Matters.AsNoTracking().Where(m => m.Code == dto.MatterCode).Select(m => m.FormFields).FirstOrDefaultAsync(ct) ?? [];
        var kinds = fields.ToDictionary(f => f.Key, f => f.Type);
        return dto with
        {
            FormData = dto.FormData.ToDictionary(kv => kv.Key, kv => kinds.GetValueOrDefault(kv.Key) switch
            {
                FieldKind.IdCard => Masking.IdNumber(kv.Value),
                FieldKind.Phone => Masking.Mobile(kv.Value),
                _ => kv.Value,
            }),
        };
    }
}
