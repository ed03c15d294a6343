using ApprovalSystem.Web.Infrastructure;

namespace ApprovalSystem.Web.Documents;

/// <summary>Rendering the case's documents; every act's documents written in its transaction, rendered and kept after it.</summary>
public static class DocumentsModule
{
    public static IServiceCollection AddDocuments(this IServiceCollection services)
    {
        services.AddSingleton<DocumentRenderer>();
        services.AddSingleton<CaseDocumentArchive>();
        services.AddSingleton<ICaseActWriter, DocumentOutbox>();
        services.AddSingleton<DocumentWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<DocumentWorker>());
        services.AddSingleton<ICaseActObserver>(sp => sp.GetRequiredService<DocumentWorker>());
        return services;
    }
}
