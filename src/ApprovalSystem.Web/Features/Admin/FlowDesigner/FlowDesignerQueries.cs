using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Admin.FlowDesigner;

/// <summary>What the designer's side panel offers from the catalogue: departments, and the form fields of the flow's matters.</summary>
public sealed class FlowDesignerQueries(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>A form field a condition may name, with the matter it comes from.</summary>
    public sealed record FormFieldRow(string Key, string Label, string Matter);

    /// <summary>Department codes and their short names, in display order.</summary>
    public async Task<List<(string Code, string Name)>> DepartmentsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Departments.AsNoTracking().OrderBy(d => d.SortOrder).Select(d => new { d.Code, d.ShortName }).ToListAsync(ct);
        return [.. rows.Select(r => (r.Code, r.ShortName))];
    }

    /// <summary>The application-form fields of the matters whose cases run on <paramref name="workflowId"/>, each key once.</summary>
    public async Task<List<FormFieldRow>> FormFieldsAsync(string workflowId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var matters = await db.Matters.AsNoTracking().Where(m => m.WorkflowId == workflowId).OrderBy(m => m.Code).ToListAsync(ct);
        return [.. matters.SelectMany(m => m.FormFields.Select(f => new FormFieldRow(f.Key, f.Label, m.Name))).DistinctBy(f => f.Key)];
    }
}
