using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Infrastructure.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Admin;

/// <summary>An administrator edits one matter of the catalogue (or adds one).</summary>
public static class EditMatter
{
    public sealed class Handler(IDbContextFactory<AppDbContext> dbFactory, WorkflowCatalog workflows, IOutputCacheStore? cache = null)
    {
        public async Task<MatterData?> LoadAsync(string code, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var m = await db.Matters.AsNoTracking().Include(x => x.Department).FirstOrDefaultAsync(x => x.Code == code, ct);
            return m is null ? null : MatterData.From(m, m.Department!.Code);
        }

        /// <summary>Saves the matter; returns the problems (property, message) when it breaks a rule.</summary>
        public async Task<IReadOnlyList<CatalogueProblem>> SaveAsync(string? originalCode, MatterData data, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var departments = await db.Departments.ToDictionaryAsync(d => d.Code, d => d.Id, ct);
            var problems = CatalogueRules.Validate(new CatalogueData { Matters = [data] }, departments.Keys, await workflows.IdsAsync(ct)).ToList();
            var code = data.Code.Trim();
            if (code != originalCode && await db.Matters.AnyAsync(m => m.Code == code, ct))
            {
                problems.Add(new CatalogueProblem(CataloguePart.Matter, 0, nameof(MatterData.Code), $"事项编码“{code}”已被其他事项使用"));
            }

            if (problems.Count > 0)
            {
                return problems;
            }

            var entity = originalCode is null ? null : await db.Matters.FirstOrDefaultAsync(m => m.Code == originalCode, ct);
            if (entity is null)
            {
                entity = new Matter();
                db.Matters.Add(entity);
            }

            data.ApplyTo(entity, departments[data.Department.Trim()]);
            await db.SaveChangesAsync(ct);
            await CatalogueCache.EvictAsync(cache, ct);
            return [];
        }
    }
}

/// <summary>An administrator edits a department's contact data.</summary>
public static class EditDepartment
{
    public sealed class Handler(IDbContextFactory<AppDbContext> dbFactory, IOutputCacheStore? cache = null)
    {
        public async Task<List<Department>> ListAsync(CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.Departments.AsNoTracking().OrderBy(d => d.SortOrder).ToListAsync(ct);
        }

        public async Task<Dictionary<int, int>> MatterCountsAsync(CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.Matters.GroupBy(m => m.DepartmentId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        }

        /// <summary>Returns a message when the department cannot be saved.</summary>
        public async Task<string?> SaveAsync(Department input, CancellationToken ct = default)
        {
            if (string.IsNullOrWhiteSpace(input.Name))
            {
                return "部门名称不能为空";
            }

            var code = input.Code.Trim().ToUpperInvariant();
            if (code.Length is 0 or > 16 || !code.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)))
            {
                return "部门编码只能由大写字母和数字组成，不超过16位";
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (await db.Departments.AnyAsync(d => d.Code == code && d.Id != input.Id, ct))
            {
                return $"部门编码“{code}”已被使用";
            }

            var entity = input.Id == 0 ? null : await db.Departments.FindAsync([input.Id], ct);
            if (entity is null)
            {
                entity = new Department { SortOrder = (await db.Departments.MaxAsync(d => (int?)d.SortOrder, ct) ?? 0) + 1 };
                db.Departments.Add(entity);
            }
            else if (entity.Code != code && await db.Matters.AnyAsync(m => m.DepartmentId == entity.Id, ct))
            {
                // Matter codes and workflow definitions name the department by code.
                return "该部门已有事项，不能修改部门编码";
            }

            entity.Code = code;
            entity.Name = input.Name.Trim();
            entity.ShortName = string.IsNullOrWhiteSpace(input.ShortName) ? entity.Name : input.ShortName.Trim();
            entity.Window = input.Window?.Trim() ?? "";
            entity.Phone = input.Phone?.Trim() ?? "";
            entity.SupervisionContact = input.SupervisionContact?.Trim() ?? "";
            await db.SaveChangesAsync(ct);
            await CatalogueCache.EvictAsync(cache, ct);
            return null;
        }
    }
}
