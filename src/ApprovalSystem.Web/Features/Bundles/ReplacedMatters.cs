using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Data.Configurations;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Bundles;

/// <summary>A matter that a published bundle 一件事 replaces for new filings (decision 0058), and the bundle to file instead.</summary>
public sealed record Replacement(string MatterCode, string BundleCode, string BundleName)
{
    /// <summary>What the guide, the filing page and the API tell a person who asks for the old matter.</summary>
    public string Message => $"本事项已纳入“{BundleName}”，请通过一件事办理";

    /// <summary>The bundle's guide page (relative, as the app's links are).</summary>
    public string GuidePath => $"guide/bundles/{Uri.EscapeDataString(BundleCode)}";
}

/// <summary>
/// The matters named in a published bundle's <see cref="BundleData.Replaces"/> (decision 0058): no longer offered for new filings — the guide
/// and the filing page lead to the bundle, the filing API refuses them (422) — while their cases and drafts already filed run to the end.
/// Read from the bundles as stored, so publishing, withdrawing or editing a bundle takes effect at once, with no flag on the matter to keep true.
/// </summary>
/// <remarks>
/// Every filing asks. Reading every published definition for it cost more than the rest of the filing (6–7 ms and 590 KB a
/// filing with 16 bundles), so what the definitions say is kept, and each ask reads only the bundles' revisions (a random value
/// every save writes, <see cref="BundleConfiguration.Revision"/>): a change on any node shows at the next ask. A singleton.
/// </remarks>
public sealed class ReplacedMatters(IDbContextFactory<AppDbContext> dbFactory)
{
    private sealed record Replacing(string Code, string Name, IReadOnlyList<string> Replaces);

    private sealed record Snapshot(IReadOnlyList<(int Id, long Revision)> Stamps, IReadOnlyList<Replacing> Published);

    private volatile Snapshot? _snapshot;

    /// <summary>Every replaced matter by its code.</summary>
    public async Task<IReadOnlyDictionary<string, Replacement>> AllAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var matters = await db.Matters.AsNoTracking().Select(m => m.Code).ToListAsync(ct);
        var published = await PublishedAsync(db, ct);
        var all = new Dictionary<string, Replacement>(StringComparer.Ordinal);
        foreach (var code in matters)
        {
            if (Find(published, code) is { } r)
            {
                all[code] = r;
            }
        }

        return all;
    }

    /// <summary>The bundle that replaces <paramref name="matterCode"/>, or null when the matter is still filed on its own.</summary>
    public async Task<Replacement?> ForAsync(string matterCode, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ForAsync(db, matterCode, ct);
    }

    /// <summary>As <see cref="ForAsync(string, CancellationToken)"/>, inside a unit of work that has its context.</summary>
    public async Task<Replacement?> ForAsync(AppDbContext db, string matterCode, CancellationToken ct) =>
        Find(await PublishedAsync(db, ct), matterCode.Trim());

    /// <summary>What the published bundles replace: kept while no bundle was added, changed or removed since it was read.</summary>
    private async Task<IReadOnlyList<Replacing>> PublishedAsync(AppDbContext db, CancellationToken ct)
    {
        var stamps = (await db.Bundles.AsNoTracking().OrderBy(b => b.Id)
            .Select(b => new { b.Id, Revision = EF.Property<long>(b, BundleConfiguration.Revision) }).ToListAsync(ct))
            .Select(x => (x.Id, x.Revision)).ToList();
        if (_snapshot is { } kept && kept.Stamps.SequenceEqual(stamps))
        {
            return kept.Published;
        }

        // A catalogue holds a few dozen bundles: read whole (the definition is one JSON document) when one of them changed.
        var published = (await db.Bundles.AsNoTracking().Where(b => b.IsPublished).OrderBy(b => b.Code).ToListAsync(ct))
            .Select(b => new Replacing(b.Code, b.Name, [.. b.Definition.Replaces])).ToList();
        _snapshot = new Snapshot(stamps, published);
        return published;
    }

    private static Replacement? Find(IReadOnlyList<Replacing> bundles, string matterCode) =>
        bundles.FirstOrDefault(b => b.Replaces.Any(r => BundleData.Names(r, matterCode))) is { } b
            ? new Replacement(matterCode, b.Code, b.Name)
            : null;
}
