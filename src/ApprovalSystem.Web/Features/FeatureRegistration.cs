using ApprovalSystem.Web.Features.Account;
using ApprovalSystem.Web.Features.Admin;
using ApprovalSystem.Web.Features.Admin.Catalogue;
using ApprovalSystem.Web.Features.Guide;
using ApprovalSystem.Web.Infrastructure;

namespace ApprovalSystem.Web.Features;

public static class FeatureRegistration
{
    /// <summary>Every use case's handler; pages and endpoints inject them directly (no mediator).</summary>
    public static IServiceCollection AddFeatures(this IServiceCollection services)
    {
        services.AddScoped<SignIn.Handler>();
        services.AddScoped<Register.Validator>();
        services.AddScoped<Register.Handler>();
        services.AddScoped<GuideQueries>();
        services.AddScoped<Home.HomeQueries>();
        services.AddScoped<ImportCatalogue.Handler>();
        services.AddScoped<ExportCatalogue.Handler>();
        services.AddScoped<EditMatter.Handler>();
        services.AddScoped<EditDepartment.Handler>();
        services.AddScoped<CalendarAdmin.Handler>();

        services.AddSingleton<WorkingTimeProvider>();
        services.AddSingleton<WorkflowCatalog>();
        services.AddScoped<CaseStore>();
        services.AddSingleton<ReferenceCache>();
        services.AddSingleton<Documents.DocumentRenderer>();
        services.AddHttpContextAccessor();
        services.AddSingleton<Documents.CaseDocumentArchive>();

        // What every case act does besides its own rows, in this order: in its transaction, then after its commit.
        services.AddSingleton<ICaseActWriter, Cases.Notifications.CaseNotifier>();
        services.AddSingleton<ICaseActWriter, Exchange.Outbound.ExchangeOutbox>();
        services.AddSingleton<ICaseActObserver>(sp => sp.GetRequiredService<Documents.CaseDocumentArchive>());
        services.AddSingleton<ICaseActObserver>(sp => sp.GetRequiredService<Supervision.SupervisionLive>());
        services.AddScoped<CertificateRegister.CertificateActs.Validator>();
        services.AddScoped<CertificateRegister.CertificateActs.Handler>();
        services.AddScoped<Cases.Detail.CaseActions>();
        services.AddScoped<Portal.Feedback.RateValidator>();
        services.AddScoped<Portal.Feedback.ComplainValidator>();
        services.AddScoped<Portal.Feedback.Handler>();
        services.AddScoped<Cases.Queries.CaseQueries>();
        services.AddSingleton<Cases.Queries.LookupGuard>();
        services.AddScoped<Cases.Filing.FileCase.Validator>();
        services.AddScoped<Cases.Filing.SaveDraft.Validator>();
        services.AddScoped<Cases.Filing.WithdrawCase.Validator>();
        services.AddScoped<Cases.Filing.UploadMaterial.Validator>();
        services.AddScoped<Cases.Acceptance.ReviewCase.Validator>();
        services.AddScoped<Cases.Handling.ClaimTask.Validator>();
        services.AddScoped<Cases.Handling.AssignTask.Validator>();
        services.AddScoped<Cases.Handling.SpecialProcedureActs.EndValidator>();
        services.AddScoped<Cases.Handling.ExtensionActs.AnswerValidator>();
        services.AddScoped<Cases.Filing.FileCase.Handler>();
        services.AddScoped<Cases.Filing.SaveDraft.Handler>();
        services.AddScoped<Cases.Filing.SubmitCase.Handler>();
        services.AddScoped<Cases.Filing.WithdrawCase.Handler>();
        services.AddScoped<Cases.Filing.ResubmitCase.Validator>();
        services.AddScoped<Cases.Filing.ResubmitCase.Handler>();
        services.AddScoped<Cases.Filing.UploadMaterial.Handler>();
        services.AddScoped<Cases.Acceptance.ReviewCase.Handler>();
        services.AddScoped<Cases.Acceptance.AcceptCase.Validator>();
        services.AddScoped<Cases.Acceptance.AcceptCase.Handler>();
        services.AddScoped<Cases.Acceptance.RefuseCase.Validator>();
        services.AddScoped<Cases.Acceptance.RefuseCase.Handler>();
        services.AddScoped<Cases.Acceptance.RequestSupplement.Validator>();
        services.AddScoped<Cases.Acceptance.RequestSupplement.Handler>();
        services.AddScoped<Cases.Handling.ClaimTask.Handler>();
        services.AddScoped<Cases.Handling.AssignTask.Handler>();
        services.AddScoped<Cases.Handling.ActOnTask.Validator>();
        services.AddScoped<Cases.Handling.ActOnTask.Handler>();
        services.AddScoped<Cases.Handling.SpecialProcedureActs.StartValidator>();
        services.AddScoped<Cases.Handling.SpecialProcedureActs.Handler>();
        services.AddScoped<Cases.Handling.ExtensionActs.RequestValidator>();
        services.AddScoped<Cases.Handling.ExtensionActs.Handler>();
        services.AddScoped<Cases.Conclusion.IssueCertificate.Handler>();
        services.AddScoped<Cases.Conclusion.DeliverCase.Validator>();
        services.AddScoped<Cases.Conclusion.DeliverCase.Handler>();
        services.AddScoped<Cases.Conclusion.ArchiveCase.Validator>();
        services.AddScoped<Cases.Conclusion.ArchiveCase.Handler>();
        services.AddSingleton<Supervision.SupervisionLive>();
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Supervision").Get<Supervision.SupervisionOptions>() ?? new Supervision.SupervisionOptions());
        services.AddScoped<Supervision.ISupervisionRuleSet, Supervision.ProcessRuleSet>();
        services.AddScoped<Supervision.SupervisionScanner>();
        services.AddScoped<Supervision.SupervisionQueries>();
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Supervision:Scoring").Get<Core.Supervision.ScoringRules>() ?? Core.Supervision.ScoringRules.Default);
        services.AddScoped<Supervision.PerformanceAggregator>();
        services.AddScoped<Supervision.PerformanceQueries>();
        services.AddScoped<Supervision.SupervisionOrders.IssueValidator>();
        services.AddScoped<Supervision.SupervisionOrders.RespondValidator>();
        services.AddScoped<Supervision.SupervisionOrders.Handler>();
        return services;
    }
}
