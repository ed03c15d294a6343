using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Core.Ratings;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using ApprovalSystem.Web.Features.Supervision.Alerts;

namespace ApprovalSystem.Web.Features.Supervision.Cards;

/// <summary>
/// Raises yellow and red cards 黄牌/红牌: the cases' promised clocks and the open steps' clocks whose warning or due
/// moment lies in the scan's window (range queries on indexed moment columns, never every open case), each card once
/// (keyed by subject and kind with a unique index), with its notices and a journal entry on its case.
/// </summary>
public sealed class CardRaiser(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>The journal's and notices' author of what the scan does.</summary>
    public static readonly CaseActor SystemActor = new("system", "电子监察系统", [Roles.Supervisor], null);

    /// <summary>What the card says (notices, journal, dashboard); the wording is Core's.</summary>
    public static string CardText(CardRecord card) => card.WorkItemId?.StartsWith(Rectification.CardWorkItemPrefix, StringComparison.Ordinal) == true
        ? $"{card.CaseNumber}（{card.MatterName}）差评{(card.WorkItemId.EndsWith(Rectification.ReopenedSuffix, StringComparison.Ordinal) ? "重新" : "")}整改"
            + (card.Kind == CardKind.Yellow ? "临近整改期限" : "已超过整改期限")
        : SupervisionCard.Message(card.Kind, card.CaseNumber, card.MatterName, card.WorkItemId is null ? null : card.StepTitle);

    /// <summary>The cards the window of <paramref name="plan"/> makes due, raised unless raised before.</summary>
    public async Task<List<CardRecord>> RaiseDueAsync(ScanPlan plan, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var candidates = new List<CardRecord>();
        candidates.AddRange(await CaseCardsAsync(db, plan, ct));
        candidates.AddRange(await StepCardsAsync(db, plan, ct));
        candidates.AddRange(await VerificationCardsAsync(db, plan, ct));
        candidates.AddRange(await RectificationCardsAsync(db, plan, ct));
        return await RaiseAsync(candidates, now, ct);
    }

    /// <summary>
    /// The unresolved rectifications 差评整改 whose warning or due moment the window crosses: carded like a step, on the department that
    /// owns them (work item "rectification:7"). Resolving stops the clock.
    /// </summary>
    private static async Task<List<CardRecord>> RectificationCardsAsync(AppDbContext db, ScanPlan plan, CancellationToken ct)
    {
        var (from, to) = (plan.From ?? DateTimeOffset.MinValue, plan.To);
        var rows = await db.Rectifications.AsNoTracking()
            .Where(r => r.ResolvedAt == null && r.State != RectificationState.Voided
                && ((r.WarnAt > from && r.WarnAt <= to) || (r.DueAt > from && r.DueAt <= to)))
            .ToListAsync(ct);

        // After a contest, the second round's clock (until the department resolves it again).
        var reopened = await db.Rectifications.AsNoTracking()
            .Where(r => r.State == RectificationState.Reopened
                && ((r.ReopenedWarnAt > from && r.ReopenedWarnAt <= to) || (r.ReopenedDueAt > from && r.ReopenedDueAt <= to)))
            .ToListAsync(ct);
        var clocks = rows.Select(r => (Item: r, WorkItem: r.CardWorkItem, Due: (DateTimeOffset?)r.DueAt, Warn: (DateTimeOffset?)r.WarnAt))
            .Concat(reopened.Select(r => (Item: r, WorkItem: r.ReopenedCardWorkItem, Due: r.ReopenedDueAt, Warn: r.ReopenedWarnAt)));
        return [.. clocks.SelectMany(x => TimeSupervision.CardsDue(new TimedItem(new CardSubject(x.Item.CaseId, x.WorkItem), x.Due, x.Warn, false, false), to)
            .Select(card => new CardRecord
        {
            SubjectKey = card.Subject.ToString(),
            Kind = card.Kind,
            CaseId = x.Item.CaseId,
            CaseNumber = x.Item.CaseNumber,
            MatterName = x.Item.MatterName,
            WorkItemId = x.WorkItem,
            StepTitle = x.WorkItem.EndsWith(Rectification.ReopenedSuffix, StringComparison.Ordinal) ? "差评重新整改" : "差评整改",
            Department = x.Item.Department,
            Moment = card.Moment,
        }))];
    }

    /// <summary>The cases' promised clocks whose warning or due moment the window crosses, and the cards they are due.</summary>
    private static async Task<List<CardRecord>> CaseCardsAsync(AppDbContext db, ScanPlan plan, CancellationToken ct)
    {
        var (from, to) = (plan.From ?? DateTimeOffset.MinValue, plan.To);
        var rows = await db.Cases.AsNoTracking().IgnoreAutoIncludes()
            .Where(c => c.Promised.RunningSince != null
                && ((c.Promised.WarnAt > from && c.Promised.WarnAt <= to) || (c.Promised.DueAt > from && c.Promised.DueAt <= to)))
            .Select(c => new ClockRow(c.Id, c.Number, c.MatterName, c.LeadDepartment, c.Promised.WarnAt, c.Promised.DueAt))
            .ToListAsync(ct);
        return CardsOf(rows, to, null);
    }

    /// <summary>A case's own clock (the promised limit, or the verification of its commitment) as the scan reads it.</summary>
    private sealed record ClockRow(long Id, string? Number, string MatterName, string LeadDepartment, DateTimeOffset? WarnAt, DateTimeOffset? DueAt);

    /// <summary>The cards due on case clocks by <paramref name="to"/>: the promised clock (no work item) or the verification's.</summary>
    private static List<CardRecord> CardsOf(List<ClockRow> rows, DateTimeOffset to, string? workItem) =>
        [.. rows.SelectMany(r => TimeSupervision.CardsDue(new TimedItem(new CardSubject(r.Id, workItem), r.DueAt, r.WarnAt, false, false), to)
            .Select(card => new CardRecord
        {
            SubjectKey = card.Subject.ToString(),
            Kind = card.Kind,
            CaseId = r.Id,
            CaseNumber = r.Number ?? "",
            MatterName = r.MatterName,
            WorkItemId = workItem,
            StepTitle = workItem is null ? null : VerificationTitle,
            Department = r.LeadDepartment,
            Moment = card.Moment,
        }))];

    /// <summary>The open steps' clocks whose warning or due moment the window crosses, and the cards they are due.</summary>
    private static async Task<List<CardRecord>> StepCardsAsync(AppDbContext db, ScanPlan plan, CancellationToken ct)
    {
        var (from, to) = (plan.From ?? DateTimeOffset.MinValue, plan.To);
        var steps = db.Set<CaseStep>().AsNoTracking()
            .Where(s => s.ClosedAt == null && s.Deadline.RunningSince != null
                && ((s.Deadline.WarnAt > from && s.Deadline.WarnAt <= to) || (s.Deadline.DueAt > from && s.Deadline.DueAt <= to)));
        var rows = await (from s in steps
                          join c in db.Cases.IgnoreAutoIncludes() on EF.Property<long>(s, "CaseId") equals c.Id
                          select new { CaseId = c.Id, c.Number, c.MatterName, s.WorkItemId, s.Title, s.Department, s.AssigneeId, s.AssigneeName,
                              s.Deadline.WarnAt, s.Deadline.DueAt })
            .ToListAsync(ct);
        return [.. rows.SelectMany(r => TimeSupervision.CardsDue(new TimedItem(new CardSubject(r.CaseId, r.WorkItemId), r.DueAt, r.WarnAt, false, false), to)
            .Select(card => new CardRecord
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

    /// <summary>
    /// The verification clocks 核查时限 of cases approved on commitment (decision 0060), carded like a step of the lead department:
    /// subject "case:42/step:verify", so a verification is carded once whatever the case's own state.
    /// </summary>
    private static async Task<List<CardRecord>> VerificationCardsAsync(AppDbContext db, ScanPlan plan, CancellationToken ct)
    {
        var (from, to) = (plan.From ?? DateTimeOffset.MinValue, plan.To);
        var rows = await db.Cases.AsNoTracking().IgnoreAutoIncludes()
            .Where(c => c.Verification.RunningSince != null
                && ((c.Verification.WarnAt > from && c.Verification.WarnAt <= to) || (c.Verification.DueAt > from && c.Verification.DueAt <= to)))
            .Select(c => new ClockRow(c.Id, c.Number, c.MatterName, c.LeadDepartment, c.Verification.WarnAt, c.Verification.DueAt))
            .ToListAsync(ct);
        return CardsOf(rows, to, Case.VerificationItem);
    }

    /// <summary>The verification's name on its cards, as a step's title.</summary>
    public const string VerificationTitle = "事中事后核查";

    /// <summary>
    /// Inserts the cards not raised yet, one transaction each under the once-only lock (<see cref="OnceOnly"/>): a card
    /// another node's scan raised meanwhile is found there and skipped, so no insert fails on the card's unique key.
    /// </summary>
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
            var found = await db.SupervisionCards.AsNoTracking().Where(c => chunk.Contains(c.SubjectKey)).Select(c => new { c.SubjectKey, c.Kind })
                .ToListAsync(ct);
            existing.UnionWith(found.Select(f => (f.SubjectKey, f.Kind)));
        }

        var recipientsByDepartment = new Dictionary<string, HashSet<string>>();
        foreach (var card in candidates.Where(c => existing.Add((c.SubjectKey, c.Kind))))
        {
            if (!recipientsByDepartment.TryGetValue(card.Department, out var departmentRecipients))
            {
                departmentRecipients = recipientsByDepartment[card.Department] = await SupervisionRecipients.ForDepartmentAsync(db, card.Department, ct);
            }

            await using var once = await OnceOnly.BeginAsync(db, ct);
            if (await db.SupervisionCards.AnyAsync(c => c.SubjectKey == card.SubjectKey && c.Kind == card.Kind, ct))
            {
                OnceOnly.Lost("card");
                continue; // another scan raised it a moment ago
            }

            card.RaisedAt = now;
            db.SupervisionCards.Add(card);
            await AddCardNoticesAsync(db, card, departmentRecipients, ct);
            var action = card.Kind == CardKind.Yellow ? CaseJournal.Supervision.YellowCard : CaseJournal.Supervision.RedCard;
            await CaseJournal.AppendEventAsync(db, card.CaseId, card.CaseNumber, now, SystemActor, action, "", CardText(card),
                new Dictionary<string, string> { ["card"] = card.Kind.ToString(), ["subject"] = card.SubjectKey, ["moment"] = card.Moment.ToString("O") }, ct);
            await db.SaveChangesAsync(ct);
            await once.CommitAsync(ct);
            raised.Add(card);
        }

        return raised;
    }

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
            var holders = await db.Set<CaseStep>().Where(s => EF.Property<long>(s, "CaseId") == card.CaseId && s.ClosedAt == null && s.AssigneeId != null)
                .Select(s => s.AssigneeId!).ToListAsync(ct);
            recipients.UnionWith(holders);
        }

        var title = card.Kind == CardKind.Yellow ? "黄牌预警" : "红牌警告";
        db.Notifications.AddRange(recipients.Select(u =>
            new Notification { UserId = u, Title = title, Body = CardText(card), Link = $"/cases/{card.CaseId}", CreatedAt = card.RaisedAt }));
    }
}
