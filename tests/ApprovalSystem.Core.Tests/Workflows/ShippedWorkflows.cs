using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Tests.Workflows;

/// <summary>The definitions in the repository's workflows/ folder, loaded once.</summary>
internal static class ShippedWorkflows
{
    public static string Folder { get; } = FindFolder();

    private static readonly Lazy<WorkflowLoadResult> Loaded = new(() => new WorkflowLoader().LoadDirectory(Folder));

    public static WorkflowLoadResult Result => Loaded.Value;

    public static WorkflowDefinition Get(string id) =>
        Result.Definitions.SingleOrDefault(d => d.Id == id) ?? throw new InvalidOperationException(Result.ToString());

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ApprovalSystem.sln")))
            {
                return Path.Combine(dir.FullName, "workflows");
            }
        }

        throw new DirectoryNotFoundException($"No ApprovalSystem.sln above {AppContext.BaseDirectory}.");
    }
}
