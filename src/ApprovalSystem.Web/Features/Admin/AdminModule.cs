using System.Text;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Workflows;
using ApprovalSystem.Workflows.Bpmn;
using ApprovalSystem.Web.Features.Admin.Catalogue;

namespace ApprovalSystem.Web.Features.Admin;

/// <summary>Administration: the catalogue (import, export, matters, departments) and the working-day calendar.</summary>
public static class AdminModule
{
    public static IServiceCollection AddAdmin(this IServiceCollection services)
    {
        services.AddScoped<ImportCatalogue.Handler>();
        services.AddScoped<ExportCatalogue.Handler>();
        services.AddScoped<MatterQueries>();
        services.AddScoped<EditMatter.Handler>();
        services.AddScoped<Bundles.EditBundle.Handler>();
        services.AddScoped<EditDepartment.Handler>();
        services.AddScoped<CalendarAdmin.Handler>();
        services.AddScoped<Users.UserAdmin.Handler>();
        services.AddScoped<Workflows.WorkflowDrafts>();
        services.AddScoped<Workflows.WorkflowHistory>();
        services.AddScoped<Workflows.WorkflowMigrations>();
        services.AddScoped<FlowDryRun.DryRunWorkflow.Handler>();
        services.AddScoped<FlowDryRun.DryRunWorkflow.IDefinitionSource, FlowDryRun.DryRunWorkflow.StoredVersions>();
        services.AddScoped<FlowDesigner.IWorkflowDraftStore, FlowDesigner.DatabaseDraftStore>();
        services.AddScoped<FlowDesigner.FlowDesignerQueries>();

        // The county's catalogue on the first start (every environment).
        services.AddScoped<Infrastructure.Seeding.IReferenceSeed, Catalogue.CatalogueSeed>();
        return services;
    }

    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/api").RequireAuthorization(p => p.RequireRole(Roles.Administrator)).ExcludeFromDescription();
        admin.MapGet("/catalogue.xlsx", async (ExportCatalogue.Handler handler, TimeProvider time, CancellationToken ct) =>
        {
            var bytes = await handler.HandleAsync(ct);
            return TypedResults.File(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                $"事项目录-{time.GetUtcNow().ToOffset(ApprovalSystem.Core.Cases.WorkingTime.ChinaOffset):yyyyMMdd}.xlsx");
        });
        admin.MapGet("/workflows/{id}.json", async Task<IResult> (string id, int? version, Workflows.WorkflowDrafts drafts, CancellationToken ct) =>
            await drafts.ExportAsync(id, version, ct) is { } file
                ? TypedResults.File(System.Text.Encoding.UTF8.GetBytes(file.Json), "application/json", file.FileName)
                : TypedResults.Problem(version is null ? "该流程没有草稿" : $"流程“{id}”没有第{version}版", statusCode: StatusCodes.Status404NotFound));

        // A stored version of a flow as a BPMN 2.0 file with its diagram, for bpmn.io / Camunda Modeler.
        app.MapGet("/admin/workflows/{id}/versions/{version:int}.bpmn", async (string id, int version, WorkflowCatalog catalog, CancellationToken ct) =>
        {
            WorkflowDefinition definition;
            try
            {
                definition = await catalog.VersionAsync(id, version, ct);
            }
            catch (CaseRuleException)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "流程版本不存在",
                    detail: $"流程“{id}”没有第{version}版：请在流程列表中选择已有的版本再下载。");
            }

            var bytes = Encoding.UTF8.GetBytes(BpmnExporter.ExportText(definition));
            return TypedResults.File(bytes, "application/xml", $"{id}-v{version}.bpmn");
        }).RequireAuthorization(p => p.RequireRole(Roles.Administrator)).ExcludeFromDescription();
        return app;
    }
}
