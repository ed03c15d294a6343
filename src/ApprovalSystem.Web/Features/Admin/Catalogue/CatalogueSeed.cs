using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Infrastructure.Seeding;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Admin.Catalogue;

/// <summary>
/// The county's catalogue (departments, service stations, 340 matters, the region and the centre's settings) from
/// Data/Seed/catalogue.json, on the first start only: once departments exist, the catalogue is the administrators'
/// (edited on /admin/matters or imported as a workbook).
/// </summary>
public sealed class CatalogueSeed(WorkflowRegistry workflows, ILogger<CatalogueSeed> logger) : IReferenceSeed
{
    public int Order => 10;

    public async Task SeedAsync(AppDbContext db, CancellationToken ct)
    {
        if (await db.Departments.AnyAsync(ct))
        {
            return;
        }

        var data = CatalogueData.Parse(await File.ReadAllTextAsync(Path.Combine(DatabaseInitializer.SeedFolder, "catalogue.json"), ct));
        var problems = CatalogueRules.Validate(data, [], workflows.Ids);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The seed catalogue Data/Seed/catalogue.json is invalid:\n" +
                string.Join("\n", problems.Select(p => $"{p.Part} #{p.Index} {p.Property}: {p.Message}")));
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (departments, stations, matters) = await CatalogueWriter.ApplyAsync(db, data, ct);
        db.Settings.AddRange(
            new SystemSetting { Key = "Region.Code", Value = data.Region.Code },
            new SystemSetting { Key = "Region.Name", Value = data.Region.Name },
            new SystemSetting { Key = "Centre.Name", Value = data.Region.CentreName },
            new SystemSetting { Key = "Centre.Address", Value = data.Region.CentreAddress },
            new SystemSetting { Key = "Centre.Phone", Value = data.Region.CentrePhone },
            new SystemSetting { Key = "Centre.OpeningHours", Value = data.Region.OpeningHours });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Catalogue loaded: {Departments} departments, {Stations} stations, {Matters} matters", departments, stations, matters);
    }
}
