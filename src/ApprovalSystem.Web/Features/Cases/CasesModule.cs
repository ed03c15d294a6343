using ApprovalSystem.Web.Infrastructure;

namespace ApprovalSystem.Web.Features.Cases;

/// <summary>A case's life: filing, acceptance, handling, conclusion, the case page and queries, notifications, the case API.</summary>
public static class CasesModule
{
    public static IServiceCollection AddCases(this IServiceCollection services)
    {
        services.AddSingleton<Filing.FileCase.Validator>(); // stateless once built: its rules were built again for every filing
        services.AddScoped<Filing.FileCase.Handler>();
        services.AddScoped<Signatures.FilingSignatures.Handler>(); // applicants' signatures of their filings (decision 0051)
        services.AddOptions<Signatures.SigningAgentOptions>().BindConfiguration(Signatures.SigningAgentOptions.Section); // the browser's signing agent (0053)
        services.AddScoped<Filing.SaveDraft.Validator>();
        services.AddScoped<Filing.SaveDraft.Handler>();
        services.AddScoped<Filing.SubmitCase.Handler>();
        services.AddScoped<Filing.WithdrawCase.Validator>();
        services.AddScoped<Filing.WithdrawCase.Handler>();
        services.AddScoped<Filing.ResubmitCase.Validator>();
        services.AddScoped<Filing.ResubmitCase.Handler>();
        services.AddScoped<Filing.UploadMaterial.Validator>();
        services.AddScoped<Filing.UploadMaterial.Handler>();

        services.AddScoped<Acceptance.ReviewCase.Validator>();
        services.AddScoped<Acceptance.ReviewCase.Handler>();
        services.AddScoped<Acceptance.AcceptCase.Validator>();
        services.AddScoped<Acceptance.AcceptCase.Handler>();
        services.AddScoped<Acceptance.RefuseCase.Validator>();
        services.AddScoped<Acceptance.RefuseCase.Handler>();
        services.AddScoped<Acceptance.RequestSupplement.Validator>();
        services.AddScoped<Acceptance.RequestSupplement.Handler>();

        services.AddScoped<Handling.ClaimTask.Validator>();
        services.AddScoped<Handling.ClaimTask.Handler>();
        services.AddScoped<Handling.AssignTask.Validator>();
        services.AddScoped<Handling.AssignTask.Handler>();
        services.AddScoped<Handling.ActOnTask.Validator>();
        services.AddScoped<Handling.ActOnTask.Handler>();
        services.AddScoped<Handling.SpecialProcedureActs.StartValidator>();
        services.AddScoped<Handling.SpecialProcedureActs.EndValidator>();
        services.AddScoped<Handling.SpecialProcedureActs.Handler>();
        services.AddScoped<Handling.ExtensionActs.RequestValidator>();
        services.AddScoped<Handling.ExtensionActs.AnswerValidator>();
        services.AddScoped<Handling.ExtensionActs.Handler>();

        services.AddScoped<Conclusion.DeliverCase.Validator>();
        services.AddScoped<Conclusion.DeliverCase.Handler>();
        services.AddScoped<Conclusion.ArchiveCase.Validator>();
        services.AddScoped<Conclusion.ArchiveCase.Handler>();

        services.AddScoped<Detail.CaseActions>();
        services.AddScoped<Queries.CaseQueries>();
        services.AddMemoryCache();
        services.AddScoped<Work.WorklistQueries>();
        services.AddSingleton<Queries.LookupGuard>();

        // In every act's transaction: the applicant's, the department's and the assignee's notifications.
        services.AddSingleton<ICaseActWriter, Notifications.CaseNotifier>();
        services.AddSingleton<Infrastructure.Seeding.IDemoSeed, Demo.DemoCaseSeed>();
        return services;
    }

    public static IEndpointRouteBuilder MapCases(this IEndpointRouteBuilder app)
    {
        app.MapCaseApi();
        return app;
    }
}
