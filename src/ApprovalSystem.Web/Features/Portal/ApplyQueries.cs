using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Portal;

/// <summary>What the apply page 申报 reads: the matter applied for, and what the centre already knows of an applicant.</summary>
public sealed class ApplyQueries(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>What the centre knows of an applicant: from a registered account, or from the latest earlier case.</summary>
    /// <remarks>From an account, a missing phone, address or legal representative leaves what was typed; from a case, each replaces it.</remarks>
    public sealed record KnownApplicant(bool Registered, string Name, string? Phone, string? Address, string? LegalRepresentative);

    /// <summary>A published matter with its department; null when there is none or it is not open for applications.</summary>
    public async Task<Matter?> MatterAsync(string code, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Matters.AsNoTracking().Include(m => m.Department).FirstOrDefaultAsync(m => m.Code == code && m.IsPublished, ct);
    }

    /// <summary>
    /// The known data of the person or unit with this ID number or credit code, for one who files for others (a township
    /// agent, a window clerk). Applicants file for themselves and look up nobody: null for them.
    /// </summary>
    public async Task<KnownApplicant?> KnownApplicantAsync(string idNumber, CaseActor actor, CancellationToken ct = default)
    {
        if (actor.Is(Roles.Applicant) || !(actor.Is(Roles.Agent) || actor.Is(Roles.Clerk)))
        {
            return null;
        }

        var id = idNumber.Trim().ToUpperInvariant();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.IdNumber == id || u.CreditCode == id, ct);
        if (user is not null)
        {
            return new KnownApplicant(true, user.DisplayName, user.PhoneNumber, user.Address, user.LegalRepresentative);
        }

        var earlier = await db.Cases.AsNoTracking().IgnoreAutoIncludes().Where(c => c.Applicant.IdNumber == id).OrderByDescending(c => c.Id)
            .Select(c => c.Applicant).FirstOrDefaultAsync(ct);
        return earlier is null ? null : new KnownApplicant(false, earlier.Name, earlier.Phone, earlier.Address, earlier.LegalRepresentative);
    }
}
