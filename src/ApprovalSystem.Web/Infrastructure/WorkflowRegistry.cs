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
        _loaded = result.Definitions;
        _loadErrors = result.Errors;
        Definitions = result.Definitions;
        Errors = result.Errors;
        Ids = Definitions.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
    }

    private readonly IReadOnlyList<WorkflowDefinition> _loaded;
    private readonly IReadOnlyList<WorkflowLoadError> _loadErrors;

    public string Folder { get; }

    /// <summary>The definitions that loaded and, once <see cref="CheckDepartments"/> ran, name only departments of the catalogue.</summary>
    public IReadOnlyList<WorkflowDefinition> Definitions { get; private set; }

    /// <summary>What is wrong with the files that did not load, for the administrators' page.</summary>
    public IReadOnlyList<WorkflowLoadError> Errors { get; private set; }

    public IReadOnlySet<string> Ids { get; private set; }

    /// <summary>
    /// Sets aside the definitions that name a department the catalogue does not have (a typo there
    /// would open steps nobody can act on), reporting each such step with the others' errors.
    /// </summary>
    public void CheckDepartments(IReadOnlySet<string> departmentCodes)
    {
        var errors = _loadErrors.ToList();
        var definitions = new List<WorkflowDefinition>();
        foreach (var definition in _loaded)
        {
            var unknown = definition.DepartmentCodes().Where(d => !departmentCodes.Contains(d.Department)).ToList();
            errors.AddRange(unknown.Select(d => new WorkflowLoadError(
                definition.File ?? definition.Id + ".json",
                d.StepId,
                $"{(d.BranchId is null ? "" : $"branch \"{d.BranchId}\": ")}unknown department \"{d.Department}\" (not in the catalogue of departments)")));
            if (unknown.Count == 0)
            {
                definitions.Add(definition);
            }
        }

        (Definitions, Errors) = (definitions, errors);
        Ids = definitions.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
    }

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
