using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Core.Journal;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Cases.Queries;

/// <summary>Reads of cases, always through the actor's visibility.</summary>
public sealed partial class CaseQueries(IDbContextFactory<AppDbContext> dbFactory, LookupGuard? guard = null)
{
    public sealed record Summary(long Id, string? Number, string MatterName, string Applicant, CaseState State, CaseChannel Channel, DateTimeOffset CreatedAt,
        DateTimeOffset? SubmittedAt, DateTimeOffset? DueAt);

    /// <summary>The public progress view 办件查询: no personal data beyond a masked name.</summary>
    public sealed record PublicProgress(string Number, string MatterName, string Applicant, string State, DateTimeOffset? SubmittedAt,
        DateTimeOffset? AcceptedAt, DateTimeOffset? DueAt, DateTimeOffset? ConcludedAt, IReadOnlyList<PublicStep> Steps);

    public sealed record PublicStep(string Title, string Department, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, string? Outcome);

    /// <summary>One page of a list and the size of the whole list.</summary>
    public sealed record Page<T>(IReadOnlyList<T> Rows, int Total);

    /// <summary>How many cases are in each of <paramref name="states"/>: exact, one indexed count per state.</summary>
    public async Task<Dictionary<CaseState, int>> CountByStateAsync(IReadOnlyCollection<CaseState> states, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = await StateCounts.ReadAsync<CaseState>(db, StateCounts.CaseState, ct);
        return states.Distinct().ToDictionary(s => s, s => counts[s]);
    }

    /// <summary>
    /// One page of a window queue (filings to review, supplements outstanding, results to deliver or archive), oldest
    /// filing first, and the queue's exact size: each queue pages on its own, so a full queue never hides another.
    /// </summary>
    public async Task<Page<Summary>> WindowQueueAsync(IReadOnlyCollection<CaseState> states, int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = await StateCounts.ReadAsync<CaseState>(db, StateCounts.CaseState, ct);
        var total = states.Distinct().Sum(s => counts[s]);
        skip = Math.Max(0, skip);
        take = Math.Clamp(take, 1, 200);

        // Each state's oldest skip + take filings, read in the order of the (State, SubmittedAt, Id) index, merged here: one
        // ordered range per state. (An IN over several states is not in that order on PostgreSQL, which then sorts the whole
        // queue: 100,000 cases waiting to be archived cost 1.2 s a page.)
        var keys = new List<(DateTimeOffset? At, long Id)>();
        foreach (var state in states.Distinct())
        {
            var first = await db.Cases.AsNoTracking().Where(c => c.State == state).OrderBy(c => c.SubmittedAt).ThenBy(c => c.Id).Take(skip + take)
                .Select(c => new { c.SubmittedAt, c.Id }).ToListAsync(ct);
            keys.AddRange(first.Select(k => (k.SubmittedAt, k.Id)));
        }

        var ids = keys.OrderBy(k => k.At).ThenBy(k => k.Id).Skip(skip).Take(take).Select(k => k.Id).ToList();
        var order = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var rows = (await db.Cases.AsNoTracking().IgnoreAutoIncludes().Where(c => ids.Contains(c.Id)).ToListAsync(ct)).OrderBy(c => order[c.Id]).ToList();
        return new Page<Summary>(
            rows.Select(c => new Summary(c.Id, c.Number, c.MatterName, c.Applicant.Name, c.State, c.Channel, c.CreatedAt, c.SubmittedAt,
                c.State == CaseState.PreAcceptance ? c.Review.DueAt : c.Promised.DueAt)).ToList(),
            total);
    }

    /// <summary>Officers of a department, for assignment.</summary>
    public async Task<List<(string Id, string Name)>> DepartmentStaffAsync(string departmentCode, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var staff = await (from u in db.Users
                           join ur in db.UserRoles on u.Id equals ur.UserId
                           join r in db.Roles on ur.RoleId equals r.Id
                           where u.Department!.Code == departmentCode && (r.Name == Roles.Officer || r.Name == Roles.DepartmentHead)
                           orderby u.DisplayName
                           select new { u.Id, u.DisplayName }).Distinct().ToListAsync(ct);
        return staff.Select(s => (s.Id, s.DisplayName)).ToList();
    }

    public async Task<string> DepartmentFullNameAsync(string code, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Departments.Where(d => d.Code == code).Select(d => d.Name).FirstOrDefaultAsync(ct) ?? code;
    }

    public async Task<Dictionary<string, string>> FormLabelsAsync(int matterId, CancellationToken ct = default) =>
        (await FormFieldsAsync(matterId, ct)).ToDictionary(f => f.Key, f => f.Label);

    /// <summary>The application form's fields of the matter (none when the matter is gone).</summary>
    public async Task<List<FormField>> FormFieldsAsync(int matterId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Matters.AsNoTracking().Where(m => m.Id == matterId).Select(m => m.FormFields).FirstOrDefaultAsync(ct) ?? [];
    }

    /// <summary>The guide's questions 情形 of the matter, to show a case's answers in the questions' words (none when the matter is gone).</summary>
    public async Task<List<SituationQuestion>> SituationsAsync(int matterId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Matters.AsNoTracking().Where(m => m.Id == matterId).Select(m => m.Situations).FirstOrDefaultAsync(ct) ?? [];
    }

    public async Task<string> CentreNameAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Settings.Where(s => s.Key == "Centre.Name").Select(s => s.Value).FirstOrDefaultAsync(ct) ?? "行政服务中心";
    }

    public async Task<Dictionary<string, string>> DepartmentNamesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.ShortName, ct);
    }

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

    /// <summary>
    /// One page of an applicant's own cases, an agent's station's cases, a department's cases or (window, supervision)
    /// all cases, newest first, with how many there are; <paramref name="text"/> matches part of the applicant's name, or
    /// the case number from its start or the start of one of its parts (<see cref="SearchTerms"/>), over all of them.
    /// </summary>
    public async Task<Page<Summary>> MineAsync(CaseActor actor, int skip, int take, string? text = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        IQueryable<Case> query = db.Cases.AsNoTracking().IgnoreAutoIncludes();

        // Unsearched, a department's or everyone's cases are counted by the counts the acts keep (decision 0021): counting a
        // million cases a view cost 0.8 s on PostgreSQL. An applicant's or a station's are counted on their own index.
        Func<Task<int>>? kept = null;
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
            kept = () => StateCounts.ReadAsync(db, StateCounts.CaseDepartment, actor.Department ?? "", ct);
        }
        else if (actor.Is(Roles.Clerk) || actor.Is(Roles.Supervisor) || actor.Is(Roles.Administrator))
        {
            kept = async () => (await StateCounts.ReadAsync<CaseState>(db, StateCounts.CaseState, ct)).Values.Sum();
        }
        else
        {
            return new([], 0);
        }

        // A whole case number is looked up; anything else in the search index (decision 0019): part of a name anywhere,
        // a number from its start or the start of one of its parts.
        query = text?.Trim() switch
        {
            null or "" => query,
            var t when CaseNumberPart().IsMatch(t) && t.Length >= 12 && await query.AnyAsync(c => c.Number == t, ct) => query.Where(c => c.Number == t),
            var t => Matching(query, SearchTerms.CaseIds(db, t)),
        };

        var total = string.IsNullOrWhiteSpace(text) && kept is not null ? await kept() : await query.CountAsync(ct);
        var rows = await query.OrderByDescending(c => c.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500)).ToListAsync(ct);
        return new(rows.Select(c => new Summary(c.Id, c.Number, c.MatterName, c.Applicant.Name, c.State, c.Channel, c.CreatedAt, c.SubmittedAt,
            c.Promised.DueAt)).ToList(), total);
    }

    /// <summary>What the public lookup answers: the progress, nothing found, or too many wrong attempts (<see cref="LookupGuard"/>).</summary>
    public sealed record LookupAnswer(PublicProgress? Progress, bool Blocked);

    /// <summary>
    /// The public lookup with its guard: <paramref name="client"/> names who asks (an address, or one
    /// open lookup page), so wrong query codes are counted against it and against the number.
    /// </summary>
    public async Task<LookupAnswer> LookupAsync(string number, string queryCode, string client, CancellationToken ct = default)
    {
        if (guard is not null && await guard.IsBlockedAsync(client, number, ct))
        {
            return new(null, true);
        }

        var progress = await LookupAsync(number, queryCode, ct);
        if (progress is null)
        {
            if (guard is not null)
            {
                await guard.FailedAsync(client, number, ct);
            }
        }

        return new(progress, false);
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
            c.Steps.OrderBy(s => s.OpenedAt)
                .Select(s => new PublicStep(s.Title, departments.GetValueOrDefault(s.Department, s.Department), s.OpenedAt, s.ClosedAt,
                s.Outcome?.Chinese())).ToList());
    }

    /// <summary>
    /// The case's journal as <paramref name="actor"/> may read it (the caller has checked that they may see the case): the applicant and
    /// the agent read every act on it but not the supervision's own entries (<see cref="CaseJournal.Supervision.Actions"/>).
    /// </summary>
    public async Task<List<CaseJournalEntry>> JournalAsync(long caseId, CaseActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entries = db.Journal.AsNoTracking().Where(e => e.CaseId == caseId);
        if (!Privacy.PersonalDataReads.IsStaff(actor))
        {
            var supervision = CaseJournal.Supervision.Actions.ToList();
            entries = entries.Where(e => !supervision.Contains(e.Action));
        }

        return await entries.OrderBy(e => e.At).ThenBy(e => e.Sequence).ToListAsync(ct);
    }

    public async Task<JournalVerification> VerifyJournalAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await CaseJournal.VerifyAsync(db, ct);
    }

    private static IQueryable<Case> Matching(IQueryable<Case> query, IQueryable<long> ids) => query.Where(c => ids.Contains(c.Id));

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9-]+$")]
    private static partial System.Text.RegularExpressions.Regex CaseNumberPart();
}
