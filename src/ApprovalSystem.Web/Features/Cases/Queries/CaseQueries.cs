using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Core.Journal;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Cases.Queries;

/// <summary>Reads of cases, always through the actor's visibility.</summary>
public sealed class CaseQueries(IDbContextFactory<AppDbContext> dbFactory)
{
    public sealed record Summary(long Id, string? Number, string MatterName, string Applicant, CaseState State, CaseChannel Channel, DateTimeOffset CreatedAt, DateTimeOffset? SubmittedAt, DateTimeOffset? DueAt);

    /// <summary>The public progress view 办件查询: no personal data beyond a masked name.</summary>
    public sealed record PublicProgress(string Number, string MatterName, string Applicant, string State, DateTimeOffset? SubmittedAt, DateTimeOffset? AcceptedAt, DateTimeOffset? DueAt, DateTimeOffset? ConcludedAt, IReadOnlyList<PublicStep> Steps);

    public sealed record PublicStep(string Title, string Department, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, string? Outcome);

    public async Task<Case?> GetAsync(long id, CaseActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var c = await db.Cases.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        return c is not null && c.IsVisibleTo(actor) ? c : null;
    }

    public async Task<long?> IdByNumberAsync(string number, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Cases.Where(c => c.Number == number).Select(c => (long?)c.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>An applicant's own cases; an agent's station's cases; a clerk's latest filings.</summary>
    public async Task<List<Summary>> MineAsync(CaseActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        IQueryable<Case> query = db.Cases.AsNoTracking().IgnoreAutoIncludes();
        if (actor.Is(Roles.Applicant))
        {
            query = query.Where(c => c.OwnerUserId == actor.UserId);
        }
        else if (actor.Is(Roles.Agent))
        {
            query = query.Where(c => c.StationCode != null && c.StationCode == actor.Station);
        }
        else if (actor.Is(Roles.Officer) || actor.Is(Roles.DepartmentHead))
        {
            query = query.Where(c => c.LeadDepartment == actor.Department || c.Steps.Any(s => s.Department == actor.Department));
        }
        else if (!(actor.Is(Roles.Clerk) || actor.Is(Roles.Supervisor) || actor.Is(Roles.Administrator)))
        {
            return [];
        }

        var rows = await query.OrderByDescending(c => c.Id).Take(500).ToListAsync(ct);
        return rows.Select(c => new Summary(c.Id, c.Number, c.MatterName, c.Applicant.Name, c.State, c.Channel, c.CreatedAt, c.SubmittedAt, c.Promised.DueAt)).ToList();
    }

    /// <summary>Case number plus query code, as printed on the receipt. Null when either is wrong (no hint which).</summary>
    public async Task<PublicProgress?> LookupAsync(string number, string queryCode, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var c = await db.Cases.AsNoTracking().FirstOrDefaultAsync(x => x.Number == number.Trim(), ct);
        if (c is null || c.QueryCode is null || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(c.QueryCode), System.Text.Encoding.ASCII.GetBytes(queryCode.Trim())))
        {
            return null;
        }

        var departments = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.ShortName, ct);
        return new PublicProgress(c.Number!, c.MatterName, Masking.PersonName(c.Applicant.Name), CaseLifecycle.Name(c.State), c.SubmittedAt, c.AcceptedAt,
            c.Promised.DueAt, c.ConcludedAt,
            c.Steps.OrderBy(s => s.OpenedAt).Select(s => new PublicStep(s.Title, departments.GetValueOrDefault(s.Department, s.Department), s.OpenedAt, s.ClosedAt,
                s.Outcome switch { "approve" => "同意", "deny" => "不同意", "return" => "退回", "cancelled" => "已取消", _ => null })).ToList());
    }

    public async Task<List<CaseJournalEntry>> JournalAsync(long caseId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Journal.AsNoTracking().Where(e => e.CaseId == caseId).OrderBy(e => e.Sequence).ToListAsync(ct);
    }

    public async Task<JournalVerification> VerifyJournalAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await CaseJournal.VerifyAsync(db, ct);
    }
}
