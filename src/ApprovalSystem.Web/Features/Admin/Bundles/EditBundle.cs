using System.Text.Json;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Admin.Bundles;

/// <summary>
/// An administrator lists, edits, adds, publishes and unpublishes the catalogue's bundles 一件事 (decision 0057). A save runs
/// <see cref="BundleValidator"/> over the catalogue's matters and departments and keeps nothing while a problem remains; running
/// bundle cases keep the definition they were filed with (decision 0054).
/// </summary>
public static class EditBundle
{
    /// <summary>A bundle in the administrator's list.</summary>
    public sealed record Summary(string Code, string Name, string LifeEvent, string Department, int Members, int PromisedLimitDays, bool IsPublished);

    /// <summary>A matter to pick as a member: its code, name and department.</summary>
    public sealed record MatterChoice(string Code, string Name, string Department, bool IsPublished);

    public sealed class Handler(IDbContextFactory<AppDbContext> dbFactory, IOutputCacheStore? cache = null)
    {
        public async Task<List<Summary>> ListAsync(CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var departments = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.Name, ct);
            var bundles = await db.Bundles.AsNoTracking().OrderBy(b => b.Code).ToListAsync(ct);
            return [.. bundles.Select(b => new Summary(b.Code, b.Name, b.Definition.LifeEvent, departments.GetValueOrDefault(b.Department, b.Department),
                b.Definition.Members.Count, b.Definition.PromisedLimitDays, b.IsPublished))];
        }

        /// <summary>A copy of the bundle's definition to edit (null when there is none with that code).</summary>
        public async Task<BundleData?> LoadAsync(string code, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var b = await db.Bundles.AsNoTracking().FirstOrDefaultAsync(x => x.Code == code, ct);
            return b is null ? null : Copy(b.Definition);
        }

        /// <summary>The matters an administrator can pick as members, by code.</summary>
        public async Task<List<MatterChoice>> MattersAsync(CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.Matters.AsNoTracking().OrderBy(m => m.Code)
                .Select(m => new MatterChoice(m.Code, m.Name, m.Department!.Name, m.IsPublished)).ToListAsync(ct);
        }

        /// <summary>What is wrong with the bundle (Chinese), checked against the catalogue as it is now.</summary>
        public async Task<IReadOnlyList<string>> ProblemsAsync(string? originalCode, BundleData data, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await ProblemsAsync(db, originalCode, data, ct);
        }

        /// <summary>Saves the bundle (a new one when <paramref name="originalCode"/> is null); returns the problems when it breaks a rule.</summary>
        public async Task<IReadOnlyList<string>> SaveAsync(string? originalCode, BundleData data, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var problems = await ProblemsAsync(db, originalCode, data, ct);
            if (problems.Count > 0)
            {
                return problems;
            }

            var entity = originalCode is null ? null : await db.Bundles.FirstOrDefaultAsync(b => b.Code == originalCode, ct);
            if (entity is null)
            {
                entity = new Bundle();
                db.Bundles.Add(entity);
            }

            entity.Apply(Copy(Trimmed(data)));
            await db.SaveChangesAsync(ct);
            await CatalogueCache.EvictAsync(cache, ct);
            return [];
        }

        /// <summary>Publishes (the guide offers it, filings accepted) or unpublishes it; publishing checks it again first.</summary>
        public async Task<IReadOnlyList<string>> SetPublishedAsync(string code, bool published, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var entity = await db.Bundles.FirstOrDefaultAsync(b => b.Code == code, ct);
            if (entity is null)
            {
                return [$"一件事“{code}”不存在"];
            }

            var data = Copy(entity.Definition);
            data.IsPublished = published;
            if (published && await ProblemsAsync(db, code, data, ct) is { Count: > 0 } problems)
            {
                return problems;
            }

            entity.Apply(data);
            await db.SaveChangesAsync(ct);
            await CatalogueCache.EvictAsync(cache, ct);
            return [];
        }

        private static async Task<IReadOnlyList<string>> ProblemsAsync(AppDbContext db, string? originalCode, BundleData data, CancellationToken ct)
        {
            var departments = await db.Departments.AsNoTracking().ToListAsync(ct);
            var matters = await db.Matters.AsNoTracking().Include(m => m.Department).ToListAsync(ct);
            var problems = BundleValidator.Problems(Trimmed(data), [.. matters.Select(m => MatterData.From(m, m.Department!.Code))],
                departments.Select(d => d.Code).ToHashSet()).ToList();
            var code = data.Code.Trim();
            if (code.Any(char.IsControl))
            {
                problems.Insert(0, "一件事编码不能含有控制字符");
            }

            if (code != originalCode && (await db.Bundles.AnyAsync(b => b.Code == code, ct) || matters.Any(m => m.Code == code)))
            {
                problems.Insert(0, $"一件事编码“{code}”已被使用");
            }

            return problems;
        }

        /// <summary>The definition with its texts trimmed and its empty rows (nothing typed) dropped.</summary>
        private static BundleData Trimmed(BundleData data)
        {
            var copy = Copy(data);
            copy.Code = copy.Code.Trim();
            copy.Name = copy.Name.Trim();
            copy.LifeEvent = copy.LifeEvent.Trim();
            copy.Department = copy.Department.Trim();
            copy.Members = [.. copy.Members.Where(m => !string.IsNullOrWhiteSpace(m.Matter))];
            copy.Situations = [.. copy.Situations.Where(q => !string.IsNullOrWhiteSpace(q.Key) || !string.IsNullOrWhiteSpace(q.Text))];
            copy.FormFields = [.. copy.FormFields.Where(f => !string.IsNullOrWhiteSpace(f.Key) || !string.IsNullOrWhiteSpace(f.Label))];
            copy.Materials = [.. copy.Materials.Where(m => !string.IsNullOrWhiteSpace(m.Name))];
            foreach (var m in copy.Members)
            {
                m.Matter = m.Matter.Trim();
                m.When = string.IsNullOrWhiteSpace(m.When) ? null : m.When.Trim();
            }

            return copy;
        }

        /// <summary>A deep copy (the definition is one JSON document; the editor never changes the stored instance).</summary>
        public static BundleData Copy(BundleData data) =>
            JsonSerializer.Deserialize<BundleData>(JsonSerializer.Serialize(data, CatalogueData.JsonOptions), CatalogueData.JsonOptions)!;
    }
}
