using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ApprovalSystem.Web.Infrastructure.Http;

/// <summary>
/// Turns the domain's refusals into problem details a person (or a line system's developer) can act
/// on: validation errors and wrong input by field (the JSON path, camelCase: 422 for a well-formed request whose content is
/// invalid; 413, 415), a rule refused by the case's state (409), not found (404), and any exception type mapped to a status by
/// <paramref name="more"/>. A request that is not even well-formed (not JSON, a wrong type) is answered 400 before it gets here.
/// </summary>
public sealed class ProblemFilter(string notFoundTitle = "不存在", params (Type Exception, string Title, int Status)[] more)
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
            var names = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<JsonFieldNames>();
            var failures = e.Errors.Select(x => (Field: JsonFieldNames.Rename(names, ToCamel(x.PropertyName)), x.ErrorMessage)).ToList();
            return Invalid(failures.GroupBy(x => x.Field).ToDictionary(g => g.Key, g => g.Select(x => x.ErrorMessage).Distinct().ToArray()));
        }
        catch (CaseInputException e)
        {
            var errors = e.Errors.ToDictionary(x => x.Key, x => x.Value);
            return e.Problem switch
            {
                InputProblem.Invalid => Invalid(errors),
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

    /// <summary>
    /// 422 with the errors by field, shaped as ASP.NET Core's validation problem (which is always 400); the detail names each
    /// field by its JSON path before its message ("fields[0]：字段名不能有空项").
    /// </summary>
    public static ProblemHttpResult Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "提交的内容有误",
            Detail = string.Join("；", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}：{m}"))),
        });

    private static string ToCamel(string name) => string.Join('.', name.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));
}

/// <summary>
/// Where an endpoint's JSON names a field otherwise than the command it fills (the body's "items" are the review's received
/// materials), the names errors are reported under: the first segment of a field's path is renamed.
/// </summary>
public sealed record JsonFieldNames(IReadOnlyDictionary<string, string> Names)
{
    public static string Rename(JsonFieldNames? names, string field)
    {
        if (names is null)
        {
            return field;
        }

        var end = field.IndexOfAny(['.', '[']);
        var head = end < 0 ? field : field[..end];
        return names.Names.TryGetValue(head, out var json) ? json + field[head.Length..] : field;
    }
}

public static class JsonFieldNamesExtensions
{
    /// <summary>Report the command's fields (camelCase) under the body's names: <c>("receivedMaterials", "items")</c>.</summary>
    public static TBuilder WithJsonNames<TBuilder>(this TBuilder builder, params (string Command, string Json)[] names)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new JsonFieldNames(names.ToDictionary(n => n.Command, n => n.Json)));
}
