using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Infrastructure.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Admin.Catalogue;

/// <summary>
/// Import the catalogue from an Excel workbook: every error is listed by sheet, row and column,
/// and a workbook with any error changes nothing.
/// </summary>
public static class ImportCatalogue
{
    public sealed record Command(Stream Workbook);

    public sealed record Result(IReadOnlyList<WorkbookError> Errors, int Departments, int Stations, int Matters)
    {
        public bool Succeeded => Errors.Count == 0;
    }

    public sealed class Handler(IDbContextFactory<AppDbContext> dbFactory, WorkflowCatalog workflows, IOutputCacheStore? cache = null)
    {
        public async Task<Result> HandleAsync(Command command, CancellationToken ct = default)
        {
            var (data, map, errors) = CatalogueWorkbook.Read(command.Workbook);
            if (errors.Count > 0)
            {
                return new Result(errors, 0, 0, 0);
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var existing = await db.Departments.Select(d => d.Code).ToListAsync(ct);
            var problems = CatalogueRules.Validate(data, existing, await workflows.IdsAsync(ct));
            if (problems.Count > 0)
            {
                return new Result(problems.Select(p => CatalogueWorkbook.Locate(p, map)).OrderBy(e => e.Sheet).ThenBy(e => e.Row).ToList(), 0, 0, 0);
            }

            // The workbook has no sheet for the 告知承诺 terms (decision 0060): a matter keeps the terms it has.
            var terms = (await db.Matters.AsNoTracking().Where(m => m.Commitment != null).Select(m => new { m.Code, m.Commitment }).ToListAsync(ct))
                .ToDictionary(m => m.Code, m => m.Commitment);
            foreach (var m in data.Matters.Where(m => m.Commitment is null))
            {
                m.Commitment = terms.GetValueOrDefault(m.Code.Trim());
            }

            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var (departments, stations, matters) = await CatalogueWriter.ApplyAsync(db, data, ct);
            await tx.CommitAsync(ct);
            await CatalogueCache.EvictAsync(cache, ct);
            return new Result([], departments, stations, matters);
        }
    }
}

/// <summary>Export the whole catalogue as a workbook that imports back unchanged.</summary>
public static class ExportCatalogue
{
    public sealed class Handler(IDbContextFactory<AppDbContext> dbFactory)
    {
        public async Task<byte[]> HandleAsync(CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return CatalogueWorkbook.Write(await CatalogueWriter.ReadAsync(db, ct));
        }
    }
}
