namespace ApprovalSystem.Core.Catalogue;

/// <summary>Which part of a catalogue a problem is in.</summary>
public enum CataloguePart
{
    Department,
    Station,
    Matter,

    /// <summary>A bundle 一件事 (decision 0054).</summary>
    Bundle,
}

/// <summary>
/// One problem found in a catalogue: the part, its index in <see cref="CatalogueData"/>, the
/// property path (e.g. <c>Materials[2].Copies</c>) and a Chinese message.
/// </summary>
public sealed record CatalogueProblem(CataloguePart Part, int Index, string Property, string Message);

/// <summary>Validates a whole catalogue before anything of it is saved: all or nothing.</summary>
public static class CatalogueRules
{
    /// <param name="data">The catalogue to check.</param>
    /// <param name="existingDepartmentCodes">Departments already in the database (a workbook may leave them out).</param>
    /// <param name="workflowIds">Workflow definitions that loaded.</param>
    public static IReadOnlyList<CatalogueProblem> Validate(CatalogueData data, IEnumerable<string> existingDepartmentCodes, IReadOnlySet<string> workflowIds)
    {
        var problems = new List<CatalogueProblem>();
        var seenDepartments = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < data.Departments.Count; i++)
        {
            var d = data.Departments[i];
            if (string.IsNullOrWhiteSpace(d.Code))
            {
                problems.Add(new(CataloguePart.Department, i, nameof(DepartmentData.Code), "部门编码不能为空"));
            }
            else if (!d.Code.Trim().All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)) || d.Code.Trim().Length > 16)
            {
                problems.Add(new(CataloguePart.Department, i, nameof(DepartmentData.Code), $"部门编码“{d.Code}”只能由大写字母和数字组成，不超过16位"));
            }
            else if (!seenDepartments.Add(d.Code.Trim()))
            {
                problems.Add(new(CataloguePart.Department, i, nameof(DepartmentData.Code), $"部门编码“{d.Code}”重复"));
            }

            if (string.IsNullOrWhiteSpace(d.Name))
            {
                problems.Add(new(CataloguePart.Department, i, nameof(DepartmentData.Name), "部门名称不能为空"));
            }
        }

        var seenStations = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < data.Stations.Count; i++)
        {
            var s = data.Stations[i];
            if (string.IsNullOrWhiteSpace(s.Code) || !seenStations.Add(s.Code.Trim()))
            {
                problems.Add(new(CataloguePart.Station, i, nameof(StationData.Code), string.IsNullOrWhiteSpace(s.Code) ? "服务站编码不能为空" : $"服务站编码“{s.Code}”重复"));
            }

            if (string.IsNullOrWhiteSpace(s.Name))
            {
                problems.Add(new(CataloguePart.Station, i, nameof(StationData.Name), "服务站名称不能为空"));
            }
        }

        var departments = new HashSet<string>(existingDepartmentCodes, StringComparer.Ordinal);
        departments.UnionWith(seenDepartments);
        var validator = new MatterValidator(new CatalogueReferences(departments, workflowIds));
        var seenMatters = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < data.Matters.Count; i++)
        {
            var m = data.Matters[i];
            if (!string.IsNullOrWhiteSpace(m.Code) && !seenMatters.Add(m.Code.Trim()))
            {
                problems.Add(new(CataloguePart.Matter, i, nameof(MatterData.Code), $"事项编码“{m.Code}”重复"));
            }

            foreach (var failure in validator.Validate(m).Errors)
            {
                problems.Add(new(CataloguePart.Matter, i, failure.PropertyName, failure.ErrorMessage));
            }
        }

        // Bundles name matters of the same catalogue (decision 0054).
        var seenBundles = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < data.Bundles.Count; i++)
        {
            var b = data.Bundles[i];
            if (!string.IsNullOrWhiteSpace(b.Code) && (!seenBundles.Add(b.Code.Trim()) || seenMatters.Contains(b.Code.Trim())))
            {
                problems.Add(new(CataloguePart.Bundle, i, nameof(BundleData.Code), $"一件事编码“{b.Code}”重复"));
            }

            problems.AddRange(BundleValidator.Problems(b, data.Matters, departments)
                .Select(message => new CatalogueProblem(CataloguePart.Bundle, i, "", message)));
        }

        return problems;
    }
}
