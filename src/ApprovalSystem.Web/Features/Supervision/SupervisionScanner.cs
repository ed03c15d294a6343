using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Supervision;

/// <summary>Settings of the supervision module (section "Supervision").</summary>
public sealed class SupervisionOptions
{
    /// <summary>How often the recurring scan runs, in minutes.</summary>
    public int ScanIntervalMinutes { get; set; } = 1;

    /// <summary>How far back each scan looks again, so a moment written just before the last scan is never missed.</summary>
    public int OverlapMinutes { get; set; } = 60;

    /// <summary>Working days a decided case may wait for archiving before it is reported.</summary>
    public int ArchiveWithinWorkingDays { get; set; } = 10;
}

/// <summary>
/// The recurring supervision scan: raises yellow and red cards on the cases' promised clocks and on
/// the open steps' clocks, escalates unanswered supervision orders, runs the process rules on the
/// cases that changed, and closes the cards of items that concluded.
/// <para>
/// Deadlines are data and the clock is a query: an item needs a card when its warning or due
/// moment lies between the last scan and now, so the scan reads only the items that crossed a
/// moment (range queries on indexed moment columns), never every open case. Cards are keyed by
/// subject and kind with a unique index: a second scan, a late one, or two nodes at once cannot
/// raise a card twice. A suspended clock has no moments, so nothing is raised while suspended;
/// a returned and re-entered step is a new work item with a new key, so its clock is re-armed.
/// </para>
/// </summary>
public sealed class SupervisionScanner(
    IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider clock,
    WorkingTimeProvider workingTime,
    SupervisionOptions options,
    SupervisionLive live,
    IEnumerable<ISupervisionRuleSet> ruleSets)
{
    public sealed record ScanResult(int Yellow, int Red, int Closed, int Alerts, int Escalated);

    /// <summary>The Hangfire entry point.</summary>
    public async Task RunAsync() => await ScanAsync();

    public async Task<ScanResult> ScanAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var state = await db.SupervisionScanStates.AsNoTracking().FirstOrDefaultAsync(s => s.Id == 1, ct);
        // The first scan looks at everything up to now (all crossings so far).
        // The process rules read the journal up to this point; the next scan goes on from here.
        var journalHead = await db.JournalHeads.AsNoTracking().Where(h => h.Id == CaseJournal.HeadId).Select(h => h.LastSequence).FirstOrDefaultAsync(ct);
        var plan = ScanPlan.Create(now, state?.ScannedUntil, TimeSpan.FromMinutes(options.OverlapMinutes));

        var candidates = new List<CardRecord>();
        candidates.AddRange(await CaseCardsAsync(db, plan, ct));
        candidates.AddRange(await StepCardsAsync(db, plan, ct));

        var raised = await RaiseAsync(candidates, now, ct);
        // The cases whose journal moved since the last scan: the process rules run on them, and
        // their active cards are checked for a concluded item.
        var afterSequence = state?.JournalSequence ?? 0;
        var changed = await db.Journal.AsNoTracking().Where(e => e.Sequence > afterSequence && e.Sequence <= journalHead && e.CaseId != 0).Select(e => e.CaseId).Distinct().ToListAsync(ct);
        var alerts = await StepOverdueAlertsAsync(raised, now, ct);
        alerts += await RunRulesAsync(changed, now, ct);
        var escalated = await EscalateOrdersAsync(now, ct);
        var closed = await CloseConcludedAsync(changed, now, ct);
        await SaveStateAsync(now, journalHead, ct);

        var result = new ScanResult(raised.Count(c => c.Kind == CardKind.Yellow), raised.Count(c => c.Kind == CardKind.Red), closed, alerts, escalated);
        if (raised.Count + closed + alerts + escalated > 0)
        {
            live.Publish();
        }

        return result;
    }

    /// <summary>The cases' promised clocks whose warning or due moment the window crosses, and the cards they are due.</summary>
    private static async Task<List<CardRecord>> CaseCardsAsync(AppDbContext db, ScanPlan plan, CancellationToken ct)
    {
        var (from, to) = (plan.From ?? DateTimeOffset.MinValue, plan.To);
        var rows = await db.Cases.AsNoTracking().IgnoreAutoIncludes()
            .Where(c => c.Promised.RunningSince != null && ((c.Promised.WarnAt > from && c.Promised.WarnAt <= to) || (c.Promised.DueAt > from && c.Promised.DueAt <= to)))
            .Select(c => new { c.Id, c.Number, c.MatterName, c.LeadDepartment, c.Promised.WarnAt, c.Promised.DueAt })
            .ToListAsync(ct);
        return [.. rows.SelectMany(r => TimeSupervision.CardsDue(new TimedItem(new CardSubject(r.Id), r.DueAt, r.WarnAt, false, false), to).Select(card => new CardRecord
        {
            SubjectKey = card.Subject.ToString(),
            Kind = card.Kind,
            CaseId = r.Id,
            CaseNumber = r.Number ?? "",
            MatterName = r.MatterName,
            Department = r.LeadDepartment,
            Moment = card.Moment,
        }))];
    }

    /// <summary>The open steps' clocks whose warning or due moment the window crosses, and the cards they are due.</summary>
    private static async Task<List<CardRecord>> StepCardsAsync(AppDbContext db, ScanPlan plan, CancellationToken ct)
    {
        var (from, to) = (plan.From ?? DateTimeOffset.MinValue, plan.To);
        var steps = db.Set<CaseStep>().AsNoTracking()
            .Where(s => s.ClosedAt == null && s.Deadline.RunningSince != null && ((s.Deadline.WarnAt > from && s.Deadline.WarnAt <= to) || (s.Deadline.DueAt > from && s.Deadline.DueAt <= to)));
        var rows = await (from s in steps
                          join c in db.Cases.IgnoreAutoIncludes() on EF.Property<long>(s, "CaseId") equals c.Id
                          select new { CaseId = c.Id, c.Number, c.MatterName, s.WorkItemId, s.Title, s.Department, s.AssigneeId, s.AssigneeName, s.Deadline.WarnAt, s.Deadline.DueAt })
            .ToListAsync(ct);
        return [.. rows.SelectMany(r => TimeSupervision.CardsDue(new TimedItem(new CardSubject(r.CaseId, r.WorkItemId), r.DueAt, r.WarnAt, false, false), to).Select(card => new CardRecord
        {
            SubjectKey = card.Subject.ToString(),
            Kind = card.Kind,
            CaseId = r.CaseId,
            CaseNumber = r.Number ?? "",
            MatterName = r.MatterName,
            WorkItemId = r.WorkItemId,
            StepTitle = r.Title,
            Department = r.Department,
            OfficerId = r.AssigneeId,
            OfficerName = r.AssigneeName,
            Moment = card.Moment,
        }))];
    }

    /// <summary>Inserts the cards not raised yet, one save each, so a card another node raised meanwhile is simply skipped.</summary>
    private async Task<List<CardRecord>> RaiseAsync(List<CardRecord> candidates, DateTimeOffset now, CancellationToken ct)
    {
        var raised = new List<CardRecord>();
        if (candidates.Count == 0)
        {
            return raised;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keys = candidates.Select(c => c.SubjectKey).Distinct().ToList();
        var existing = new HashSet<(string, CardKind)>();
        foreach (var chunk in keys.Chunk(500))
        {
            var found = await db.SupervisionCards.AsNoTracking().Where(c => chunk.Contains(c.SubjectKey)).Select(c => new { c.SubjectKey, c.Kind }).ToListAsync(ct);
            existing.UnionWith(found.Select(f => (f.SubjectKey, f.Kind)));
        }

        var recipientsByDepartment = new Dictionary<string, HashSet<string>>();
        foreach (var card in candidates.Where(c => existing.Add((c.SubjectKey, c.Kind))))
        {
            card.RaisedAt = now;
            db.SupervisionCards.Add(card);
            if (!recipientsByDepartment.TryGetValue(card.Department, out var departmentRecipients))
            {
                departmentRecipients = recipientsByDepartment[card.Department] = await SupervisionRecipients.ForDepartmentAsync(db, card.Department, ct);
            }

            await AddCardNoticesAsync(db, card, departmentRecipients, ct);
            await CaseJournal.AppendEventAsync(db, card.CaseId, card.CaseNumber, now, SystemActor, card.Kind == CardKind.Yellow ? "黄牌预警" : "红牌警告", "", CardText(card),
                new Dictionary<string, string> { ["card"] = card.Kind.ToString(), ["subject"] = card.SubjectKey, ["moment"] = card.Moment.ToString("O") }, ct);
            try
            {
                await db.SaveChangesAsync(ct);
                raised.Add(card);
            }
            catch (DbUpdateException)
            {
                // Another scan raised this card (unique key) or wrote the journal first: drop this
                // card from the unit of work and look again on the next scan if it is still missing.
                db.ChangeTracker.Clear();
            }
        }

        return raised;
    }

    public static readonly CaseActor SystemActor = new("system", "电子监察系统", [Roles.Supervisor], null);

    public static string CardText(CardRecord card) => card.WorkItemId is null
        ? $"{card.CaseNumber}（{card.MatterName}）{(card.Kind == CardKind.Yellow ? "临近承诺办结期限" : "已超过承诺办结期限")}"
        : $"{card.CaseNumber}（{card.MatterName}）环节“{card.StepTitle}”{(card.Kind == CardKind.Yellow ? "临近环节办理期限" : "已超过环节办理期限")}";

    private static async Task AddCardNoticesAsync(AppDbContext db, CardRecord card, IReadOnlySet<string> departmentRecipients, CancellationToken ct)
    {
        var recipients = new HashSet<string>(departmentRecipients);
        if (card.OfficerId is not null)
        {
            recipients.Add(card.OfficerId);
        }
        else if (card.WorkItemId is null)
        {
            // The case's clock: the officers holding its open steps answer for it.
            var holders = await db.Set<CaseStep>().Where(s => EF.Property<long>(s, "CaseId") == card.CaseId && s.ClosedAt == null && s.AssigneeId != null).Select(s => s.AssigneeId!).ToListAsync(ct);
            recipients.UnionWith(holders);
        }

        var title = card.Kind == CardKind.Yellow ? "黄牌预警" : "红牌警告";
        db.Notifications.AddRange(recipients.Select(u => new Notification { UserId = u, Title = title, Body = CardText(card), Link = $"/cases/{card.CaseId}", CreatedAt = card.RaisedAt }));
    }

    /// <summary>A step overdue while its case is still within its promised limit 环节超时而办件未超时: checked when the step's red card is raised.</summary>
    private async Task<int> StepOverdueAlertsAsync(List<CardRecord> raised, DateTimeOffset now, CancellationToken ct)
    {
        var count = 0;
        foreach (var caseId in raised.Where(c => c.Kind == CardKind.Red && c.WorkItemId is not null).Select(c => c.CaseId).Distinct())
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (await db.Cases.AsNoTracking().FirstOrDefaultAsync(c => c.Id == caseId, ct) is { } c)
            {
                foreach (var alert in ProcessRuleSet.StepOverdue(c, now))
                {
                    count += await AlertStore.RaiseAsync(db, alert, now, ct) ? 1 : 0;
                }
            }
        }

        return count;
    }

    /// <summary>Runs the process rules on every case whose journal moved since the last scan.</summary>
    private async Task<int> RunRulesAsync(List<long> changed, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var count = 0;
        if (changed.Count > 0)
        {
            var time = await workingTime.GetAsync(ct);
            foreach (var chunk in changed.Chunk(200))
            {
                var cases = await db.Cases.AsNoTracking().Where(c => chunk.Contains(c.Id)).ToListAsync(ct);
                foreach (var c in cases)
                {
                    foreach (var set in ruleSets)
                    {
                        foreach (var alert in await set.EvaluateAsync(db, c, time, now, ct))
                        {
                            count += await AlertStore.RaiseAsync(db, alert, now, ct) ? 1 : 0;
                        }
                    }
                }
            }
        }

        foreach (var set in ruleSets)
        {
            foreach (var alert in await set.EvaluateDueAsync(db, await workingTime.GetAsync(ct), now, ct))
            {
                count += await AlertStore.RaiseAsync(db, alert, now, ct) ? 1 : 0;
            }
        }

        return count;
    }

    /// <summary>Unanswered orders past their response date escalate once: a red card notice to the department and the supervisors.</summary>
    private async Task<int> EscalateOrdersAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var late = await db.SupervisionOrders.Where(o => o.State == OrderState.Issued && o.RespondBy < now).ToListAsync(ct);
        var count = 0;
        foreach (var order in late)
        {
            if (!order.Escalate(now))
            {
                continue;
            }

            var recipients = await SupervisionRecipients.ForDepartmentAsync(db, order.Department, ct);
            var body = $"督办单 {order.Number} 已超过反馈期限（{SupervisionOrders.Handler.Due(order):yyyy年M月d日}）未反馈，已升级督办。";
            db.Notifications.AddRange(recipients.Select(u => new Notification { UserId = u, Title = "督办逾期未回复", Body = body, Link = $"/supervision/orders/{order.Id}", CreatedAt = now }));
            db.SupervisionAlerts.Add(new SupervisionAlertRecord
            {
                Key = $"order-late:{order.Id}", Rule = SupervisionRuleNames.OrderLate, CaseId = order.CaseId, CaseNumber = order.CaseNumber, Department = order.Department,
                Message = body, Evidence = $"督办单: {order.Number}\n反馈期限: {SupervisionOrders.Handler.Due(order):yyyy-MM-dd}\n签发人: {order.IssuedByName}", RaisedAt = now,
            });
            await CaseJournal.AppendEventAsync(db, order.CaseId ?? 0, order.CaseNumber, now, SystemActor, "督办逾期升级", "", body, new Dictionary<string, string> { ["order"] = order.Number }, ct);
            try
            {
                await db.SaveChangesAsync(ct);
                count++;
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear(); // escalated by another node meanwhile
            }
        }

        return count;
    }

    /// <summary>
    /// Cards whose item concluded leave the active list (the record stays). An item concludes only by
    /// an act on its case, and every act is journaled, so only the active cards of the cases whose
    /// journal moved since the last scan are looked at (a raised card journals its case too, so a
    /// card raised for an item that concluded meanwhile is checked on the next scan): the work
    /// follows the changes, not the number of active cards or open cases.
    /// </summary>
    private async Task<int> CloseConcludedAsync(List<long> changed, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var closed = 0;
        foreach (var changedChunk in changed.Chunk(500))
        {
            var chunk = await db.SupervisionCards.Where(c => c.ClosedAt == null && changedChunk.Contains(c.CaseId)).ToListAsync(ct);
            if (chunk.Count == 0)
            {
                continue;
            }

            var caseIds = chunk.Select(c => c.CaseId).Distinct().ToList();
            var running = (await db.Cases.AsNoTracking().IgnoreAutoIncludes().Where(c => caseIds.Contains(c.Id) && c.Promised.RunningSince != null).Select(c => c.Id).ToListAsync(ct)).ToHashSet();
            var openSteps = (await db.Set<CaseStep>().AsNoTracking().Where(s => caseIds.Contains(EF.Property<long>(s, "CaseId")) && s.ClosedAt == null)
                .Select(s => new { CaseId = EF.Property<long>(s, "CaseId"), s.WorkItemId }).ToListAsync(ct)).Select(s => (s.CaseId, s.WorkItemId)).ToHashSet();
            var states = (await db.Cases.AsNoTracking().IgnoreAutoIncludes().Where(c => caseIds.Contains(c.Id)).Select(c => new { c.Id, c.State }).ToListAsync(ct)).ToDictionary(c => c.Id, c => c.State);
            foreach (var card in chunk)
            {
                var concluded = !states.TryGetValue(card.CaseId, out var caseState) || !CaseLifecycle.IsOpen(caseState) || (card.WorkItemId is null
                    ? !running.Contains(card.CaseId) && caseState != CaseState.Suspended
                    : !openSteps.Contains((card.CaseId, card.WorkItemId)));
                if (concluded)
                {
                    card.ClosedAt = now;
                    closed++;
                }
            }
        }

        await db.SaveChangesAsync(ct);
        return closed;
    }

    private async Task SaveStateAsync(DateTimeOffset now, long lastSequence, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var state = await db.SupervisionScanStates.FirstOrDefaultAsync(s => s.Id == 1, ct);
        if (state is null)
        {
            db.SupervisionScanStates.Add(new SupervisionScanState { Id = 1, ScannedUntil = now, JournalSequence = lastSequence });
        }
        else if (state.ScannedUntil is null || state.ScannedUntil < now)
        {
            state.ScannedUntil = now;
            state.JournalSequence = Math.Max(state.JournalSequence, lastSequence);
            state.Version++;
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another node saved its scan at the same moment; either position is fine.
        }
    }
}
