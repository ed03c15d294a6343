using ApprovalSystem.Workflows;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>
/// The workflow definitions loaded from the <c>workflows/</c> folder at start. Broken files do not
/// stop the others; their errors are kept for the admin page and the start-up log.
/// </summary>
public sealed class WorkflowRegistry
{
    public WorkflowRegistry(string folder)
    {
        Folder = folder;
        var result = new WorkflowLoader().LoadDirectory(folder);
        Definitions = result.Definitions;
        Errors = result.Errors;
        Ids = Definitions.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
    }

    public string Folder { get; }

    public IReadOnlyList<WorkflowDefinition> Definitions { get; }

    public IReadOnlyList<WorkflowLoadError> Errors { get; }

    public IReadOnlySet<string> Ids { get; }

    public WorkflowDefinition? Find(string id) => Definitions.FirstOrDefault(d => d.Id == id);

    /// <summary>The folder next to the build output (copied there by the project) or the repository's.</summary>
    public static string ResolveFolder(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration["Workflows:Path"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured, contentRoot);
        }

        var beside = Path.Combine(AppContext.BaseDirectory, "workflows");
        return Directory.Exists(beside) ? beside : Path.GetFullPath(Path.Combine(contentRoot, "..", "..", "workflows"));
    }
}
