using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;

namespace ApprovalSystem.Web.Infrastructure.Http;

/// <summary>
/// Turns the domain's refusals into problem details a person (or a line system's developer) can act
/// on: validation errors and wrong input by field (camelCase, as in the JSON: 400, 413, 415), a rule refused (409), not found (404),
/// and any exception type mapped to a status by <paramref name="more"/>.
/// </summary>
public sealed class ProblemFilter(string notFoundTitle = "不存在", bool fieldNamesInDetail = false, params (Type Exception, string Title, int Status)[] more)
    : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ValidationException e)
        {
            return TypedResults.ValidationProblem(
                e.Errors.GroupBy(x => ToCamel(x.PropertyName)).ToDictionary(g => g.Key, g => g.Select(x => x.ErrorMessage).ToArray()),
                detail: string.Join("；", e.Errors.Select(x => fieldNamesInDetail ? $"{ToCamel(x.PropertyName)}：{x.ErrorMessage}" : x.ErrorMessage)),
                title: "提交的内容有误");
        }
        catch (CaseInputException e)
        {
            var errors = e.Errors.ToDictionary(x => x.Key, x => x.Value);
            return e.Problem switch
            {
                InputProblem.Invalid => TypedResults.ValidationProblem(errors, detail: e.Message, title: "提交的内容有误"),
                InputProblem.TooLarge => TypedResults.Problem(title: "文件过大", detail: e.Message, statusCode: StatusCodes.Status413PayloadTooLarge,
                    extensions: new Dictionary<string, object?> { ["errors"] = errors }),
                InputProblem.UnsupportedType => TypedResults.Problem(title: "文件类型不支持", detail: e.Message, statusCode: StatusCodes.Status415UnsupportedMediaType,
                    extensions: new Dictionary<string, object?> { ["errors"] = errors }),
                InputProblem.KeyReused => TypedResults.Problem(title: "幂等键已用于另一次申报", detail: e.Message, statusCode: StatusCodes.Status422UnprocessableEntity,
                    extensions: new Dictionary<string, object?> { ["errors"] = errors }),
            };
        }
        catch (CaseRuleException e)
        {
            return TypedResults.Problem(title: "无法办理", detail: e.Message, statusCode: StatusCodes.Status409Conflict);
        }
        catch (CaseNotFoundException e)
        {
            return TypedResults.Problem(title: notFoundTitle, detail: e.Message, statusCode: StatusCodes.Status404NotFound);
        }
        catch (Exception e) when (more.FirstOrDefault(m => m.Exception.IsInstanceOfType(e)) is { Exception: not null } map)
        {
            return TypedResults.Problem(title: map.Title, detail: e.Message, statusCode: map.Status);
        }
    }

    private static string ToCamel(string name) => string.Join('.', name.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));
}
