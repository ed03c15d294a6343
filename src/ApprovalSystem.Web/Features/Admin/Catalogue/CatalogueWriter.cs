using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Admin.Catalogue;

/// <summary>
/// Writes an already validated catalogue into the database: departments, stations and matters are
/// matched by code and updated or added. Matters absent from the data are left as they are.
/// The caller saves once, so a catalogue lands whole or not at all.
/// </summary>
public static class CatalogueWriter
{
    public static async Task<(int Departments, int Stations, int Matters)> ApplyAsync(AppDbContext db, CatalogueData data, CancellationToken ct)
    {
        var departments = await db.Departments.ToDictionaryAsync(d => d.Code, ct);
        var order = departments.Count == 0 ? 0 : departments.Values.Max(d => d.SortOrder);
        foreach (var d in data.Departments)
        {
            var code = d.Code.Trim();
            if (!departments.TryGetValue(code, out var entity))
            {
                entity = new Department { Code = code, SortOrder = ++order };
                db.Departments.Add(entity);
                departments[code] = entity;
            }

            entity.Name = d.Name.Trim();
            entity.ShortName = string.IsNullOrWhiteSpace(d.ShortName) ? entity.Name : d.ShortName.Trim();
            entity.Window = d.Window.Trim();
            entity.Phone = d.Phone.Trim();
            entity.SupervisionContact = d.SupervisionContact.Trim();
        }

        var stations = await db.Stations.ToDictionaryAsync(s => s.Code, ct);
        foreach (var s in data.Stations)
        {
            var code = s.Code.Trim();
            if (!stations.TryGetValue(code, out var entity))
            {
                entity = new Station { Code = code };
                db.Stations.Add(entity);
                stations[code] = entity;
            }

            entity.Name = s.Name.Trim();
            entity.Phone = s.Phone.Trim();
        }

        // New departments need their ids before matters can point at them.
        await db.SaveChangesAsync(ct);

        var matters = await db.Matters.ToDictionaryAsync(m => m.Code, ct);
        foreach (var m in data.Matters)
        {
            var code = m.Code.Trim();
            if (!matters.TryGetValue(code, out var entity))
            {
                entity = new Matter();
                db.Matters.Add(entity);
                matters[code] = entity;
            }

            m.ApplyTo(entity, departments[m.Department.Trim()].Id);
        }

        // Bundles 一件事 (decision 0054), matched by code like matters.
        var bundles = await db.Bundles.ToDictionaryAsync(b => b.Code, ct);
        foreach (var b in data.Bundles)
        {
            if (!bundles.TryGetValue(b.Code.Trim(), out var entity))
            {
                entity = new Bundle();
                db.Bundles.Add(entity);
                bundles[b.Code.Trim()] = entity;
            }

            entity.Apply(b);
        }

        await db.SaveChangesAsync(ct);
        return (data.Departments.Count, data.Stations.Count, data.Matters.Count);
    }

    /// <summary>Reads the whole catalogue back in the data-file shape (for export).</summary>
    public static async Task<CatalogueData> ReadAsync(AppDbContext db, CancellationToken ct)
    {
        var departments = await db.Departments.AsNoTracking().OrderBy(d => d.SortOrder).ToListAsync(ct);
        var codes = departments.ToDictionary(d => d.Id, d => d.Code);
        var matters = await db.Matters.AsNoTracking().OrderBy(m => m.Code).ToListAsync(ct);
        var stations = await db.Stations.AsNoTracking().OrderBy(s => s.Code).ToListAsync(ct);
        return new CatalogueData
        {
            Departments = departments.Select(d => new DepartmentData
            {
                Code = d.Code, Name = d.Name, ShortName = d.ShortName, Window = d.Window, Phone = d.Phone, SupervisionContact = d.SupervisionContact,
            }).ToList(),
            Stations = stations.Select(s => new StationData { Code = s.Code, Name = s.Name, Phone = s.Phone }).ToList(),
            Matters = matters.Select(m => MatterData.From(m, codes[m.DepartmentId])).ToList(),
            Bundles = await db.Bundles.AsNoTracking().OrderBy(b => b.Code).Select(b => b.Definition).ToListAsync(ct),
        };
    }
}
