using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Tests.Catalogue;

/// <summary>The seed catalogue the app ships with and the workflow definitions it refers to, loaded once.</summary>
internal static class ShippedCatalogue
{
    public static string RepositoryRoot { get; } = FindRoot();

    private static readonly Lazy<CatalogueData> LoadedData = new(() =>
        CatalogueData.Parse(File.ReadAllText(Path.Combine(RepositoryRoot, "src", "ApprovalSystem.Web", "Data", "Seed", "catalogue.json"))));

    private static readonly Lazy<WorkflowLoadResult> LoadedWorkflows = new(() =>
        new WorkflowLoader().LoadDirectory(Path.Combine(RepositoryRoot, "workflows")));

    public static CatalogueData Data => LoadedData.Value;

    public static WorkflowLoadResult Workflows => LoadedWorkflows.Value;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ApprovalSystem.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No ApprovalSystem.sln above {AppContext.BaseDirectory}.");
    }
}
