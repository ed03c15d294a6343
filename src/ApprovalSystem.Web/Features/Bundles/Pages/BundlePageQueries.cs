using ApprovalSystem.Core.Bundles;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;

namespace ApprovalSystem.Web.Features.Bundles.Pages;

/// <summary>What the applicant's bundle pages read besides <see cref="BundleQueries.ViewAsync"/>: who may act, what each member waits for.</summary>
public sealed class BundlePageQueries(BundleStore bundles)
{
    /// <param name="IsFiler">The applicant, or the agent station or clerk who filed: may upload, resubmit, continue a draft.</param>
    /// <param name="MayRate">The applicant or the agent who filed (一键评价 is theirs).</param>
    /// <param name="Produced">Merged materials a member produces (营业执照 from the registration): shared, never uploaded.</param>
    /// <param name="WaitsFor">Per member case: the names of the members it waits for.</param>
    public sealed record Extras(bool IsFiler, bool MayRate, IReadOnlySet<string> Produced, IReadOnlyDictionary<long, string> WaitsFor,
        BundleCase Bundle);

    /// <summary>The extras of a bundle the actor may see (otherwise <see cref="Infrastructure.CaseNotFoundException"/>).</summary>
    public async Task<Extras> ExtrasAsync(long bundleId, CaseActor actor, CancellationToken ct = default)
    {
        var b = await bundles.FindAsync(bundleId, actor, ct);
        var filer = b.IsFiler(actor);
        var produced = b.Definition.Materials.Where(m => m.From.Count > 0).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var waits = b.Members.Where(m => m.After.Count > 0).ToDictionary(m => m.CaseId,
            m => string.Join("”“", m.After.Select(a => b.Members.FirstOrDefault(x => x.MatterCode == a)?.MatterName ?? a)));
        return new Extras(filer, filer && (actor.Is(Roles.Applicant) || actor.Is(Roles.Agent)), produced, waits, b);
    }
}
