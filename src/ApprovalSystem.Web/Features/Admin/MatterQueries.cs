using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Admin;

/// <summary>The administrators' view of the catalogue: every matter (published or not) and the departments.</summary>
public sealed class MatterQueries(IDbContextFactory<AppDbContext> dbFactory)
{
    public sealed record MatterRow(string Code, string Name, string DepartmentCode, string Department, MatterKind Kind, int Legal, int Promised, decimal Fee,
        string Workflow, bool Published);

    /// <summary>Every matter, by department order then code.</summary>
    public async Task<List<MatterRow>> MattersAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Matters.AsNoTracking().OrderBy(m => m.Department!.SortOrder).ThenBy(m => m.Code)
            .Select(m => new MatterRow(m.Code, m.Name, m.Department!.Code, m.Department.ShortName, m.Kind, m.LegalLimitDays, m.PromisedLimitDays, m.Fee,
                m.WorkflowId, m.IsPublished))
            .ToListAsync(ct);
    }

    /// <summary>The departments in their display order.</summary>
    public async Task<List<Department>> DepartmentsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Departments.AsNoTracking().OrderBy(d => d.SortOrder).ToListAsync(ct);
    }
}
