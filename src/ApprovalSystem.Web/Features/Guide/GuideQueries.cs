using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Guide;

/// <summary>The public service guide 办事指南: what anyone may read about the matters.</summary>
public sealed class GuideQueries(IDbContextFactory<AppDbContext> dbFactory)
{
    public sealed record DepartmentItem(string Code, string Name, string ShortName, string Window, string Phone, int MatterCount);

    public sealed record MatterItem(string Code, string Name, string DepartmentCode, string Department, MatterKind Kind, int LegalLimitDays,
        int PromisedLimitDays, decimal Fee);

    public async Task<List<DepartmentItem>> DepartmentsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Departments.AsNoTracking()
            .OrderBy(d => d.SortOrder)
            .Select(d => new DepartmentItem(d.Code, d.Name, d.ShortName, d.Window, d.Phone, d.Matters.Count(m => m.IsPublished)))
            .ToListAsync(ct);
    }

    /// <summary>Published matters, optionally of one department and matching a keyword in name, code or department.</summary>
    public async Task<List<MatterItem>> MattersAsync(string? departmentCode = null, string? keyword = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Matters.AsNoTracking().Where(m => m.IsPublished);
        if (!string.IsNullOrWhiteSpace(departmentCode))
        {
            query = query.Where(m => m.Department!.Code == departmentCode);
        }

        if (!string.IsNullOrWhiteSpace(keyword))
        {
            var words = keyword.Split(' ', '　', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var w in words)
            {
                query = query.Where(m => m.Name.Contains(w) || m.Code.Contains(w) || m.Department!.Name.Contains(w) || m.Department.ShortName.Contains(w));
            }
        }

        return await query
            .OrderBy(m => m.Department!.SortOrder).ThenBy(m => m.Code)
            .Select(m => new MatterItem(m.Code, m.Name, m.Department!.Code, m.Department.Name, m.Kind, m.LegalLimitDays, m.PromisedLimitDays, m.Fee))
            .ToListAsync(ct);
    }

    /// <summary>The word a bundle's name ends with (“一件事”一次办: one filing for several permits).</summary>
    public const string OneThing = "一件事";

    /// <summary>A bundle 一件事 as the home page offers it: its guide page (built with the bundle pages) and its life event.</summary>
    public sealed record OneThingItem(string Code, string Name, string LifeEvent)
    {
        public string Href => $"guide/bundles/{Uri.EscapeDataString(Code)}";
    }

    /// <summary>
    /// The published bundles 一件事 for the home page's entries (一件事一次办). The old joint matters whose names carried the mark are
    /// replaced by them (decision 0058), so the entries lead to the bundles, not to a matter that takes no new filing.
    /// </summary>
    public async Task<List<OneThingItem>> OneThingsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var bundles = await db.Bundles.AsNoTracking().Where(b => b.IsPublished).OrderBy(b => b.Code).ToListAsync(ct);
        return [.. bundles.Select(b => new OneThingItem(b.Code, b.Name, b.Definition.LifeEvent))];
    }

    public async Task<Matter?> MatterAsync(string code, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Matters.AsNoTracking().Include(m => m.Department).FirstOrDefaultAsync(m => m.Code == code && m.IsPublished, ct);
    }

    public async Task<Dictionary<string, string>> CentreAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Settings.AsNoTracking().ToDictionaryAsync(s => s.Key, s => s.Value, ct);
    }
}
