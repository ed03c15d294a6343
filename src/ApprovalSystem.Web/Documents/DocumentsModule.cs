using ApprovalSystem.Web.Infrastructure;

namespace ApprovalSystem.Web.Documents;

/// <summary>Rendering the case's documents, and storing them as issued after every act.</summary>
public static class DocumentsModule
{
    public static IServiceCollection AddDocuments(this IServiceCollection services)
    {
        services.AddSingleton<DocumentRenderer>();
        services.AddSingleton<CaseDocumentArchive>();
        services.AddSingleton<ICaseActObserver>(sp => sp.GetRequiredService<CaseDocumentArchive>());
        return services;
    }
}
