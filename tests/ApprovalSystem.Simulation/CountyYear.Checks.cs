using System.Diagnostics;
using System.Globalization;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Documents;
using ApprovalSystem.Web.Features.Supervision;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ApprovalSystem.Web.Features.Supervision.Performance;

namespace ApprovalSystem.Simulation;

public sealed partial class CountyYear
{
    /// <summary>What every run must have done at least once: a count of zero fails it (a simulation that walks only the happy path proves nothing).</summary>
    public static readonly IReadOnlyList<string> Required =
    [
        "act:file", "act:file-retry", "act:save-draft", "act:submit", "act:prefill", "act:accept", "act:refuse", "act:supplement", "act:resubmit", "act:withdraw",
        "act:claim", "act:assign", "act:approve", "act:deny", "act:return", "act:start-special", "act:end-special", "act:request-extension",
        "act:approve-extension", "act:reject-extension", "act:issue-certificate", "act:reprint", "act:revoke", "act:cancel", "act:deliver", "act:archive",
        "act:rate", "act:rectify-callback", "act:rectify-resolve", "act:rectify-contest", "act:rectify-confirm", "act:complain", "act:issue-order", "act:respond-order", "act:close-order", "act:push", "act:scan", "http:accept",
        "channel:online", "channel:window", "channel:agent",
        // joint-market-entry is not here: only the old joint 一件事 matters ran on it, and bundles replace them (decision 0058).
        "path:immediate", "path:promised-single", "path:countersign-review", "path:reported", "path:property-registration", "path:capital-construction",
        "outcome:approve", "outcome:deny", "outcome:return",
        "step:TaskStep", "step:ParallelStep", "step:CountersignStep",
        "certificate:food-business-licence", "certificate:public-place-hygiene", "certificate:construction-permit", "certificate:business-licence",
        "certificate:general-permit", "certificate:registration-certificate",
        "card:Yellow", "card:Red", "order:escalated", "final:Archived",
        "race:file", "race:accept", "race:withdraw-accept", "race:claim", "race:branches", "race-refused:accept", "race-refused:claim",
        "interleave:A-read-B-A", "interleave:B-read-A-B", "abandoned:file", "abandoned:accept", "abandoned:act-on-task",
        "act:bundle-file", "act:bundle-accept", "act:bundle-supplement", "act:bundle-resubmit", "act:bundle-refuse", "channel:bundle-online", "channel:bundle-window",
        "bundle:member", "bundle:member-started-later", "bundle:credit-code-carried",
        "bundle-final:Concluded", "bundle-final:Stopped", "bundle-final:NotAccepted",
    ];

    /// <summary>The day's invariants over the open cases: states with clocks, due moments by the independent calendar, one card per crossed clock.</summary>
    private async Task CheckDayAsync(DateOnly day)
    {
        _act = "invariants of the day";
        await using var db = _host.CreateDbContext();
        await CheckRectificationsAsync(db);
        await CheckBundlesAsync(db, all: false);
        var openStates = CaseLifecycle.FiledOpenStates.ToList();
        var open = await db.Cases.AsNoTracking().Where(c => openStates.Contains(c.State)).ToListAsync();
        var ids = open.Select(c => c.Id).ToList();
        var cards = (await db.SupervisionCards.AsNoTracking().Where(k => ids.Contains(k.CaseId)).Select(k => new { k.SubjectKey, k.Kind, k.RaisedAt, k.CaseId }).ToListAsync())
            .GroupBy(k => (k.SubjectKey, k.Kind)).ToDictionary(g => g.Key, g => g.ToList());
        // A case mirrored from a line system runs on that system's clocks (it pushes its own steps), not the centre's.
        foreach (var c in open.Where(c => c.Channel != CaseChannel.LineSystem))
        {
            switch (c.State)
            {
                case CaseState.Handling when !c.OpenSteps.Any():
                    throw Fail($"case {c.Number} is being handled with no open step: it waits forever");
                case CaseState.Handling when c.OpenSteps.FirstOrDefault(s => s.Deadline.DueAt is null) is { } clockless:
                    throw Fail($"case {c.Number}: the open step {clockless.Title} has no due moment");
                case CaseState.Suspended when c.OpenSteps.Any(s => s.Deadline.DueAt is not null) || c.Promised.DueAt is not null:
                    throw Fail($"case {c.Number} is suspended but a clock still runs");
                case CaseState.PreAcceptance when c.Review.DueAt is null:
                    throw Fail($"case {c.Number} ({c.Channel}) waits at the window with no review clock: {c.Review}; acts "
                        + string.Join(", ", await db.Journal.AsNoTracking().Where(e => e.CaseId == c.Id).OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync()));
            }

            var plain = c.SpecialProcedures.Count == 0 && !c.Extensions.Any(e => e.Approved == true) && c.SupplementRequestedAt is null;
            if (plain && c.AcceptedAt is { } accepted && c.Promised.DueAt is { } due && IndependentCalendar.Due(accepted, c.PromisedLimitDays) is { } expected && expected != due)
            {
                throw Fail($"case {c.Number}: promised due {due:O}, but {c.PromisedLimitDays} working days from {accepted:O} end at {expected:O}");
            }

            foreach (var step in c.OpenSteps.Where(s => plain && s.EntryCount == 1 && s.Deadline.DueAt is not null))
            {
                if (IndependentCalendar.Due(step.OpenedAt, step.Deadline.LimitDays) is { } stepDue && stepDue != step.Deadline.DueAt)
                {
                    throw Fail($"case {c.Number}, step {step.Title}: due {step.Deadline.DueAt:O}, but {step.Deadline.LimitDays} working days from {step.OpenedAt:O} end at {stepDue:O}");
                }
            }

            if (c.State == CaseState.Suspended)
            {
                var since = c.SpecialProcedures.LastOrDefault(p => p.EndedAt is null)?.StartedAt;
                if (cards.Values.SelectMany(v => v).FirstOrDefault(k => k.CaseId == c.Id && since is not null && k.RaisedAt > since) is { } during)
                {
                    throw Fail($"case {c.Number} is suspended since {since:O} but got a {during.Kind} card at {during.RaisedAt:O}");
                }

                continue;
            }

            if (c.State != CaseState.Handling)
            {
                continue;
            }

            // The scan ran at 18:00: every crossed clock has exactly one card of each kind.
            var items = new List<(string Key, DateTimeOffset? WarnAt, DateTimeOffset? DueAt)> { (CardRecord.CaseKey(c.Id), c.Promised.WarnAt, c.Promised.DueAt) };
            items.AddRange(c.OpenSteps.Select(s => (CardRecord.StepKey(c.Id, s.WorkItemId), s.Deadline.WarnAt, s.Deadline.DueAt)));
            foreach (var (key, warnAt, dueAt) in items)
            {
                foreach (var (kind, moment) in new[] { (CardKind.Yellow, warnAt), (CardKind.Red, dueAt) })
                {
                    var raised = cards.GetValueOrDefault((key, kind))?.Count ?? 0;
                    if (moment <= Now && raised != 1)
                    {
                        throw Fail($"{key}: its {kind} moment {moment:O} has passed, and it has {raised} {kind} cards");
                    }
                }
            }
        }
    }

    /// <summary>
    /// The rectifications' clocks (decision 0069): each due moment equals the independent calendar's, and each crossed clock of an
    /// unresolved round (the first, or after a contest the second) has exactly one card of each kind on its own subject.
    /// </summary>
    private async Task CheckRectificationsAsync(AppDbContext db)
    {
        var unresolved = await db.Rectifications.AsNoTracking()
            .Where(r => r.State != Core.Ratings.RectificationState.Voided
                && (r.ResolvedAt == null || r.State == Core.Ratings.RectificationState.Reopened))
            .ToListAsync();
        var rounds = unresolved.Select(r => r.ResolvedAt is null
            ? (Item: r, WorkItem: r.CardWorkItem, From: r.OpenedAt, Due: (DateTimeOffset?)r.DueAt, Warn: (DateTimeOffset?)r.WarnAt)
            : (Item: r, WorkItem: r.ReopenedCardWorkItem, From: r.ContestedAt ?? r.OpenedAt, Due: r.ReopenedDueAt, Warn: r.ReopenedWarnAt)).ToList();
        var subjects = rounds.Select(x => new CardSubject(x.Item.CaseId, x.WorkItem).ToString()).ToList();
        var cards = (await db.SupervisionCards.AsNoTracking().Where(k => subjects.Contains(k.SubjectKey)).Select(k => new { k.SubjectKey, k.Kind }).ToListAsync())
            .GroupBy(k => (k.SubjectKey, k.Kind)).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (item, workItem, from, due, warn) in rounds)
        {
            // The independent calendar knows 2026 only: a clock that ends in 2027 is checked for its cards, not its day.
            if (due is null || (IndependentCalendar.Due(from, item.LimitDays) is { } expected && expected != due))
            {
                throw Fail($"rectification {item.Id} ({workItem}): due {due:O}, but {item.LimitDays} working days from {from:O} end otherwise");
            }

            var subject = new CardSubject(item.CaseId, workItem).ToString();
            foreach (var (kind, moment) in new[] { (CardKind.Yellow, warn), (CardKind.Red, due) })
            {
                var raised = cards.GetValueOrDefault((subject, kind));
                if (moment <= Now && raised != 1)
                {
                    throw Fail($"{subject}: its {kind} moment {moment:O} has passed, and it has {raised} {kind} cards");
                }
            }
        }

        _report.Set("rectifications-unresolved", rounds.Count);
    }

    /// <summary>The year's invariants: the journal, certificates (unique numbers, verify pages, the documents' characters), tallies, counts.</summary>
    private async Task CheckEndAsync()
    {
        _act = "invariants of the year";
        await using var db = _host.CreateDbContext();

        // Every document an act issued is rendered and kept (the worker renders after each commit; what is left, now).
        await _host.Services.GetRequiredService<DocumentWorker>().DrainAsync();
        if (await db.PendingDocuments.AsNoTracking().FirstOrDefaultAsync() is { } unrendered)
        {
            throw Fail($"the {unrendered.Kind} of case {unrendered.CaseId} was never kept: {unrendered.Attempts} attempts, {unrendered.LastError}");
        }

        await CheckBundlesAsync(db, all: true);
        var journal = await CaseJournal.VerifyAsync(db);
        if (!journal.IsIntact)
        {
            throw Fail($"the journal does not verify: {journal.Problem} at {journal.FirstBadSequence}");
        }

        _report.Set("journal-entries", (int)journal.Checked);

        // The counts the acts kept per case state and delivery status (decision 0021) equal a recount of the tables.
        _act = "kept counts";
        var states = await db.Cases.AsNoTracking().IgnoreAutoIncludes().GroupBy(c => c.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        foreach (var (state, kept) in await StateCounts.ReadAsync<CaseState>(db, StateCounts.CaseState))
        {
            if (kept != (states.SingleOrDefault(s => s.Key == state)?.Count ?? 0))
            {
                throw Fail($"the kept count of cases {state} is {kept}, a recount {states.SingleOrDefault(s => s.Key == state)?.Count ?? 0}");
            }
        }

        var statuses = await db.Outbox.AsNoTracking().GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        foreach (var (status, kept) in await StateCounts.ReadAsync<DeliveryStatus>(db, StateCounts.DeliveryStatus))
        {
            if (kept != (statuses.SingleOrDefault(s => s.Key == status)?.Count ?? 0))
            {
                throw Fail($"the kept count of deliveries {status} is {kept}, a recount {statuses.SingleOrDefault(s => s.Key == status)?.Count ?? 0}");
            }
        }

        foreach (var department in await db.Departments.AsNoTracking().Select(d => d.Code).ToListAsync())
        {
            var touched = await db.Cases.AsNoTracking().IgnoreAutoIncludes()
                .CountAsync(c => c.LeadDepartment == department || c.Steps.Any(s => s.Department == department));
            if (await StateCounts.ReadAsync(db, StateCounts.CaseDepartment, department) is var kept && kept != touched)
            {
                throw Fail($"the kept count of {department}'s cases is {kept}, a recount {touched}");
            }
        }

        _report.Set("kept-counts-checked", states.Sum(s => s.Count));
        _act = "invariants of the year";

        // Certificates: one number each, in its type's series, and the public page tells its status.
        var certificates = await db.Certificates.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
        if (certificates.GroupBy(r => r.Number).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw Fail($"certificate number {twice.Key} was issued {twice.Count()} times");
        }

        if (certificates.FirstOrDefault(r => !r.Number.StartsWith(CertificateTypes.Types[r.Type].NumberPrefix, StringComparison.Ordinal)) is { } stray)
        {
            throw Fail($"certificate {stray.Number} of type {stray.Type} is not in its series {CertificateTypes.Types[stray.Type].NumberPrefix}");
        }

        var client = _host.CreateClient();
        foreach (var r in certificates.Where((r, i) => r.Status != CertificateStatus.Valid || i % Math.Max(1, (int)(1 / _options.HttpShare)) == 0))
        {
            _act = $"GET /verify/{r.Code}";
            var page = await client.GetStringAsync($"/verify/{r.Code}");
            var expected = r.Status switch { CertificateStatus.Valid => "本证照真实有效", CertificateStatus.Revoked => "已撤销", CertificateStatus.Cancelled => "已注销", _ => "已过期" };
            if (!page.Contains(expected, StringComparison.Ordinal))
            {
                throw Fail($"/verify of certificate {r.Number} ({r.Status}) does not say {expected}");
            }

            _report.Add("verify:" + r.Status);
        }

        // Documents: those stored since the last month's end (the earlier ones were checked then).
        await CheckDocumentsAsync();

        // Performance: the rows refreshed day by day equal a rebuild from the facts.
        _act = "performance rebuild";
        var daily = await Totals(db);
        await RunAsync("rebuild", sp => sp.GetRequiredService<PerformanceAggregator>().RebuildAsync());
        await using (var fresh = _host.CreateDbContext())
        {
            var rebuilt = await Totals(fresh);
            if (daily != rebuilt)
            {
                throw Fail($"the day-by-day performance tallies {daily} differ from a recount {rebuilt}");
            }
        }

        foreach (var kind in await db.SupervisionCards.AsNoTracking().GroupBy(k => k.Kind).Select(g => new { g.Key, Count = g.Count() }).ToListAsync())
        {
            _report.Set("card:" + kind.Key, kind.Count);
        }

        _report.Set("order:escalated", await db.SupervisionOrders.CountAsync(o => o.EscalatedAt != null));
        _report.Set("order:issued", await db.SupervisionOrders.CountAsync());
        _report.Set("alerts", await db.Set<SupervisionAlertRecord>().CountAsync());
        _report.Set("resource-reads", await db.ResourceReadLog.CountAsync());
        foreach (var state in await db.Cases.AsNoTracking().GroupBy(c => c.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync())
        {
            _report.Set("state:" + state.Key, state.Count);
        }

        await StorageAsync(db);

        // A count of zero fails a whole year; a part of one (a test's few months) need not see everything a year brings.
        var wholeYear = _options.From == new DateOnly(2026, 1, 1) && _options.To == new DateOnly(2026, 12, 31);
        var zero = Required.Where(k => wholeYear && _report.Count(k) == 0).ToList();
        if (_report.Filed >= _matters.Count && _report.Counts.Count(c => c.Key.StartsWith("matter:", StringComparison.Ordinal)) < _matters.Count)
        {
            zero.Add($"matters ({_report.Counts.Count(c => c.Key.StartsWith("matter:", StringComparison.Ordinal))} of {_matters.Count})");
        }

        if (zero.Count > 0)
        {
            throw Fail($"these never happened: {string.Join(", ", zero)}{Environment.NewLine}{_report.Summary()}");
        }
    }

    /// <summary>The database's size in bytes (SQLite: its pages, free ones included).</summary>
    /// <summary>The documents' text checked so far: through this document's id, and how many documents that was (the share counts on).</summary>
    private long _documentsCheckedThrough;
    private int _documentsSeen;

    /// <summary>
    /// Every character of the names a document prints is in its text, or the journal says which no font has. Run on the documents
    /// stored since the last run: at each month's end, before a pause and at the year's end, so the year's end (and a resumed year's
    /// last run) does not carry a whole year's documents. Which documents are checked does not depend on when: every one that prints
    /// a name with a rare character (unless told not to) and every n-th of all, counted across the runs.
    /// </summary>
    private async Task CheckDocumentsAsync()
    {
        _act = "documents' text";
        await using var db = _host.CreateDbContext();

        // All rendered first (the worker renders after each commit; while the drain runs, nothing else stores a document), so no
        // document stored later can have a smaller id than the last one checked here.
        await _host.Services.GetRequiredService<DocumentWorker>().DrainAsync();
        var after = _documentsCheckedThrough;
        var documents = await (from d in db.CaseDocuments.AsNoTracking()
                               join c in db.Cases.AsNoTracking().IgnoreAutoIncludes() on d.CaseId equals c.Id
                               where d.Id > after
                               orderby d.Id
                               select new { d.Id, d.CaseId, d.Kind, c.Applicant.Name }).ToListAsync();
        var every = Math.Max(1, (int)Math.Round(1 / Math.Max(0.0001, _options.DocumentCheckShare)));
        var seen = _documentsSeen;

        // pdftotext is a process per document: two at a time (the harness waits meanwhile, so both cores are free).
        var chosen = documents.Where((d, i) => (seen + i) % every == 0 || (_options.CheckEveryRareName && People.HasRareCharacter(d.Name))).ToList();
        var rare = 0;
        await Parallel.ForEachAsync(chosen, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (d, ct) =>
        {
            await using var own = _host.CreateDbContext();
            var stored = await own.CaseDocuments.AsNoTracking().SingleAsync(x => x.Id == d.Id, ct);
            var text = PdfText(await _host.Services.GetRequiredService<CaseDocumentArchive>().BytesAsync(stored, ct)).Replace("\n", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
            var missing = TextElements(d.Name.Replace(" ", "", StringComparison.Ordinal)).Where(ch => !text.Contains(ch, StringComparison.Ordinal)).ToList();
            if (missing.Count > 0 && d.Kind != nameof(CaseDocumentKind.Certificate)
                && !await own.Journal.AsNoTracking().AnyAsync(e => e.CaseId == d.CaseId && e.Action == "文书缺字", ct))
            {
                var number = await own.Cases.AsNoTracking().Where(x => x.Id == d.CaseId).Select(x => x.Number).SingleAsync(ct);
                throw Fail($"{d.Kind} of case {number} lacks {string.Join("", missing)} of {d.Name}, and the journal does not say so");
            }

            if (People.HasRareCharacter(d.Name))
            {
                Interlocked.Increment(ref rare);
            }
        });
        _report.Add("document-checked:rare-name", rare);
        _report.Add("document-checked:sampled", chosen.Count - rare);
        _documentsSeen += documents.Count;
        if (documents.Count > 0)
        {
            _documentsCheckedThrough = documents[^1].Id;
        }
    }

    private async Task<long> DatabaseBytesAsync(AppDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync(); // PostgreSQL's context may hold its connection open already
        }

        await using var command = connection.CreateCommand();
        command.CommandText = _host.IsPostgres
            ? "SELECT pg_database_size(current_database())"
            : "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>What the year takes on disk (issue 14): the database, and the files under the data folder (uploads, documents), in KB.</summary>
    private async Task StorageAsync(AppDbContext db)
    {
        var database = await DatabaseBytesAsync(db);
        var connection = db.Database.GetDbConnection();
        var folder = new DirectoryInfo(Path.Combine(_host.DataFolder, "files"));
        var files = folder.Exists ? folder.EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;
        _report.Set("storage:database-kb", (int)(database / 1024));
        _report.Set("storage:files-kb", (int)(files / 1024));
        _report.Set("storage:documents", await db.CaseDocuments.CountAsync());
        var cases = Math.Max(1, await db.Cases.CountAsync());
        _report.Set("storage:cases", cases);
        _report.Set("storage:database-per-case-kb", (int)Math.Round(database / 1024.0 / cases));

        // What the year added, without the catalogue, calendar and accounts the app starts with (the goal is what a case adds).
        _report.Set("storage:database-at-start-kb", (int)(_databaseBytesAtStart / 1024));
        _report.Set("storage:database-growth-per-case-bytes", (int)Math.Round((database - _databaseBytesAtStart) / (double)cases));
        _report.Set("storage:all-per-case-kb", (int)Math.Round((database + files) / 1024.0 / cases));
        if (_host.IsPostgres)
        {
            // PostgreSQL keeps the dead versions of updated rows until a vacuum makes the space reusable: the live data, compacted.
            await using var vacuum = connection.CreateCommand();
            vacuum.CommandText = "VACUUM FULL";
            vacuum.CommandTimeout = 3600;
            await vacuum.ExecuteNonQueryAsync();
            _report.Set("storage:database-growth-per-case-bytes-vacuumed", (int)Math.Round((await DatabaseBytesAsync(db) - _databaseBytesAtStart) / (double)cases));
        }

        // Where the database's bytes a case go, table by table with its indexes (issue 14's goal: ≤ 15 KB a case).
        await using var tables = connection.CreateCommand();
        tables.CommandText = _host.IsPostgres
            ? "SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
            : "SELECT coalesce(m.tbl_name, s.name), SUM(s.pgsize) FROM dbstat s LEFT JOIN sqlite_master m ON m.name = s.name GROUP BY 1";
        try
        {
            await using var reader = await tables.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var perCase = (int)Math.Round(reader.GetInt64(1) / (double)cases);
                if (perCase >= 100)
                {
                    _report.Set($"storage:bytes-per-case:{reader.GetString(0)}", perCase);
                }
            }
        }
        catch (System.Data.Common.DbException)
        {
            // SQLite built without the dbstat table: the totals above stand alone.
        }
    }

    private static async Task<(int Received, int Accepted, int Concluded, int Yellow, int Red, int Orders)> Totals(AppDbContext db)
    {
        var rows = await db.PerformanceDays.AsNoTracking().ToListAsync();
        return (rows.Sum(r => r.Received), rows.Sum(r => r.Accepted), rows.Sum(r => r.Concluded), rows.Sum(r => r.YellowCards), rows.Sum(r => r.RedCards), rows.Sum(r => r.Orders));
    }

    private static List<string> TextElements(string text)
    {
        var list = new List<string>();
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
        {
            list.Add(e.GetTextElement());
        }

        return list;
    }

    private static string PdfText(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), $"sim-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pdftotext", [file, "-"]) { RedirectStandardOutput = true })!;
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return text;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
