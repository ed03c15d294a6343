using System.Globalization;
using ApprovalSystem.Core.Cases;

namespace ApprovalSystem.Core.Supervision;

/// <summary>The two time-supervision cards 时限监察.</summary>
public enum CardKind
{
    /// <summary>黄牌: the remaining time fell to the matter's warning threshold.</summary>
    Yellow,

    /// <summary>红牌: the due moment passed.</summary>
    Red,
}

/// <summary>
/// What a card is about: a whole case (its promised-limit clock) when <see cref="WorkItemId"/> is
/// null, or one step instance of it. A step entered again after a return gets a new work item (and a
/// new clock), so its cards are keyed afresh: the re-entered step is re-armed.
/// </summary>
public sealed record CardSubject(long CaseId, string? WorkItemId = null)
{
    public bool IsStep => WorkItemId is not null;

    /// <summary>A stable text form: "case:42" or "case:42/step:wi-7".</summary>
    public override string ToString() => WorkItemId is null
        ? "case:" + CaseId.ToString(CultureInfo.InvariantCulture)
        : "case:" + CaseId.ToString(CultureInfo.InvariantCulture) + "/step:" + WorkItemId;
}

/// <summary>
/// A card due on an item. <see cref="Key"/> is (subject, kind) as text: store cards with a unique
/// index on it so that running the scan twice, late, or on two nodes at once raises each card exactly once.
/// </summary>
/// <param name="Moment">The warning moment (yellow) or due moment (red) that was crossed.</param>
public sealed record SupervisionCard(CardSubject Subject, CardKind Kind, DateTimeOffset Moment)
{
    public string Key => Subject + "/" + (Kind == CardKind.Yellow ? "yellow" : "red");

    /// <summary>黄牌 / 红牌.</summary>
    public string Name => Kind == CardKind.Yellow ? "黄牌" : "红牌";

    /// <summary>The card's message for the officer, the department head and the supervisors (notices, journal, dashboard).</summary>
    public static string Message(CardKind kind, string caseNumber, string matterName, string? stepTitle) => stepTitle is null
        ? $"{caseNumber}（{matterName}）{(kind == CardKind.Yellow ? "临近承诺办结期限" : "已超过承诺办结期限")}"
        : $"{caseNumber}（{matterName}）环节“{stepTitle}”{(kind == CardKind.Yellow ? "临近环节办理期限" : "已超过环节办理期限")}";

    /// <inheritdoc cref="Message(CardKind, string, string, string?)"/>
    public string Message(string caseNumber, string matterName, string? stepTitle) => Message(Kind, caseNumber, matterName, stepTitle);
}

/// <summary>
/// The deadline data of one item (a case's promised clock or a step's clock) as the store keeps it,
/// in indexed columns: the due and warning moments, whether the clock is stopped by suspension,
/// and whether the item concluded.
/// </summary>
public sealed record TimedItem(CardSubject Subject, DateTimeOffset? DueAt, DateTimeOffset? WarnAt, bool Suspended, bool Concluded)
{
    /// <summary>
    /// The case's promised-limit clock 承诺时限 and every step instance's clock, as timed items (closed
    /// steps are concluded). The Web side keeps the same data in indexed columns of its case and step rows.
    /// </summary>
    public static IReadOnlyList<TimedItem> From(Case c)
    {
        var suspended = c.State == CaseState.Suspended;
        var concluded = !CaseLifecycle.IsOpen(c.State);
        var items = new List<TimedItem> { new(new CardSubject(c.Id), c.Promised.DueAt, c.Promised.WarnAt, suspended, concluded) };
        items.AddRange(c.Steps.Select(s =>
            new TimedItem(new CardSubject(c.Id, s.WorkItemId), s.Deadline.DueAt, s.Deadline.WarnAt, suspended, concluded || !s.IsOpen)));
        return items;
    }
}

/// <summary>
/// Time supervision 时限监察 as a pure function: which cards are due on an item at <c>now</c>.
/// The store then inserts the cards whose key it does not hold yet.
/// </summary>
public static class TimeSupervision
{
    /// <summary>
    /// The cards due on <paramref name="item"/> at <paramref name="now"/>: yellow once the warning
    /// moment is reached, red once the due moment is reached (a red card implies the yellow one too,
    /// so a scan that runs late still raises both). None while the clock is stopped (suspended) or
    /// after the item concluded, and none for an item without moments (not started).
    /// </summary>
    public static IReadOnlyList<SupervisionCard> CardsDue(TimedItem item, DateTimeOffset now)
    {
        if (item.Suspended || item.Concluded || item.DueAt is not { } due)
        {
            return [];
        }

        var cards = new List<SupervisionCard>(2);
        var warn = item.WarnAt ?? due;
        if (warn <= now)
        {
            cards.Add(new SupervisionCard(item.Subject, CardKind.Yellow, warn));
        }

        if (due <= now)
        {
            cards.Add(new SupervisionCard(item.Subject, CardKind.Red, due));
        }

        return cards;
    }

    /// <summary>The cards due on many items (see <see cref="CardsDue(TimedItem, DateTimeOffset)"/>).</summary>
    public static IReadOnlyList<SupervisionCard> CardsDue(IEnumerable<TimedItem> items, DateTimeOffset now) =>
        [.. items.SelectMany(i => CardsDue(i, now))];
}

/// <summary>
/// Which items a supervision scan has to look at. The contract with the store:
/// <list type="number">
/// <item>Select the open, running items whose <c>WarnAt</c> or <c>DueAt</c> lies in (<see cref="From"/>, <see cref="To"/>]
/// — two range queries on indexed moment columns — plus nothing else: the cost follows the items
/// crossing a threshold, not the number of open cases.</item>
/// <item>Pass them to <see cref="TimeSupervision.CardsDue(IEnumerable{TimedItem}, DateTimeOffset)"/> with <c>now</c> = <see cref="To"/>.</item>
/// <item>Insert the cards whose <see cref="SupervisionCard.Key"/> is not stored yet (unique index; ignore a duplicate-key
/// failure), then remember <see cref="To"/> as the last scan.</item>
/// </list>
/// <see cref="From"/> is the last scan minus an overlap, so a crossing committed late by a slow
/// transaction, or a clock skew between nodes, is still seen; the unique key makes the overlap harmless.
/// On the first scan (no last scan) <see cref="From"/> is null: take every item with a moment up to
/// <see cref="To"/>. A moment moved by resumption or an extension is simply a new moment in a later window;
/// a card already raised on the item keeps its key, so it is not raised twice (exactly once per item
/// and kind). A step entered again is a new item (<see cref="CardSubject.WorkItemId"/>) and is carded afresh.
/// </summary>
public sealed record ScanPlan(DateTimeOffset? From, DateTimeOffset To)
{
    /// <summary>The default overlap with the previous window.</summary>
    public static readonly TimeSpan DefaultOverlap = TimeSpan.FromMinutes(10);

    public static ScanPlan Create(DateTimeOffset now, DateTimeOffset? lastScan, TimeSpan? overlap = null)
    {
        var o = overlap ?? DefaultOverlap;
        if (o < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(overlap), "The overlap cannot be negative.");
        }

        // A last scan "after" now (clock skew between nodes) must not leave a gap.
        return new ScanPlan(lastScan is { } last ? (last < now ? last : now) - o : null, now);
    }

    /// <summary>Whether a moment lies in the window (From, To].</summary>
    public bool Covers(DateTimeOffset? moment) => moment is { } m && m <= To && (From is not { } from || m > from);

    /// <summary>Whether the scan must look at an item: its warning or its due moment lies in the window.</summary>
    public bool Includes(TimedItem item) => Covers(item.WarnAt) || Covers(item.DueAt);
}
