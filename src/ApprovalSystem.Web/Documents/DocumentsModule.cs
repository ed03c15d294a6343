using ApprovalSystem.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ApprovalSystem.Web.Documents;

/// <summary>Rendering the case's documents; every act's documents written in its transaction, rendered and kept after it.</summary>
public static class DocumentsModule
{
    /// <param name="configuration"><c>Documents:Worker</c> false: this node renders no documents in the background (another
    /// node does, or, in tests, the test drains the outbox itself); downloads still render a waiting document on demand.</param>
    public static IServiceCollection AddDocuments(this IServiceCollection services, IConfiguration? configuration = null)
    {
        services.AddSingleton<DocumentRenderer>();
        services.AddSingleton(sp => SigningKeys.Load(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>(),
            sp.GetRequiredService<StorageOptions>().DataFolder, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IDocumentSigner, PadesSigner>(); // a seal platform's signer, registered before, takes its place
        services.AddSingleton<PdfSignatureCheck>();
        services.AddSingleton<CaseDocumentArchive>();
        services.AddSingleton<ICaseActWriter, DocumentOutbox>();
        services.AddSingleton<DocumentWorker>();
        if (configuration?.GetValue("Documents:Worker", true) != false)
        {
            services.AddHostedService(sp => sp.GetRequiredService<DocumentWorker>());
        }

        services.AddSingleton<ICaseActObserver>(sp => sp.GetRequiredService<DocumentWorker>());
        return services;
    }
}
