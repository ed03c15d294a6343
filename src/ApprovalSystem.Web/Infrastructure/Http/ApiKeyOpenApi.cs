using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ApprovalSystem.Web.Infrastructure.Http;

/// <summary>
/// Declares the line systems' API key (header X-Api-Key) in the OpenAPI document and requires it on
/// the exchange endpoints they call (not the administrators' ones, which use the signed-in session).
/// </summary>
public sealed class ApiKeyOpenApi : IOpenApiDocumentTransformer
{
    public const string Scheme = "LineSystemApiKey";

    /// <summary>
    /// A nested type's schema is named with its declaring type (PushCaseState.Command → PushCaseStateCommand): by their own
    /// names alone two use cases' Command or ApplicantInput would share one schema, and the document would describe one body as
    /// the other.
    /// </summary>
    public static string? SchemaId(System.Text.Json.Serialization.Metadata.JsonTypeInfo type) =>
        OpenApiOptions.CreateDefaultSchemaReferenceId(type) is { } id && type.Type is { IsNested: true, DeclaringType: { } outer }
            ? outer.Name + id
            : OpenApiOptions.CreateDefaultSchemaReferenceId(type);

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Api-Key",
            Description = "A registered line system's key (shown once at registration or rotation; revocable).",
        };
        foreach (var (path, item) in document.Paths)
        {
            if (!path.StartsWith("/api/exchange/", StringComparison.Ordinal) || path.StartsWith("/api/exchange/admin", StringComparison.Ordinal)
                || path.StartsWith("/api/exchange/prefill", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var operation in item.Operations?.Values.ToList() ?? [])
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, document)] = [] });
            }
        }

        return Task.CompletedTask;
    }
}
