using System.Text.Json;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Journal;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>
/// The hash-chained journal 全程留痕: a case's records are chained in the case's own transaction
/// (<see cref="Chain"/>, written by <see cref="CaseStore"/>), other events through EF
/// (<see cref="AppendEventAsync"/>). The single head row is the serialisation point: the case store
/// reads it locked; EF writers check it optimistically and retry when they lose a race.
/// </summary>
public static class CaseJournal
{
    public const int HeadId = 1;

    /// <summary>How many times an EF writer that chains into the journal tries, when other writers keep going first.</summary>
    public const int Attempts = 4;

    /// <summary>
    /// True when a save failed because another writer went first: it moved the journal's head (the optimistic check), took the next
    /// journal number (the insert's key), or wrote the same unique row or version. Such a writer runs again on fresh data, and its
    /// own checks then tell a real conflict in its own words ("already rated", "already repaired"), not a guess from the exception.
    /// </summary>
    public static bool LostRace(DbUpdateException e) => e is DbUpdateConcurrencyException || Persistence.SqlDialect.IsUniqueViolation(e);

    /// <summary>The electronic supervision's own entries on a case: its cards and its orders (督办), in the words the journal keeps.</summary>
    public static class Supervision
    {
        public const string YellowCard = "黄牌预警";
        public const string RedCard = "红牌警告";
        public const string Order = "督办";
        public const string OrderAnswered = "督办反馈";
        public const string OrderClosed = "督办办结";
        public const string OrderEscalated = "督办逾期升级";

        /// <summary>
        /// Shown to the centre's staff, never to the applicant or the agent: they are the supervision's dealings with the departments
        /// (a card says who ran late, an order carries the supervisor's instructions), and the applicant's view is the case's progress.
        /// </summary>
        public static readonly IReadOnlySet<string> Actions =
            new HashSet<string>([YellowCard, RedCard, Order, OrderAnswered, OrderClosed, OrderEscalated], StringComparer.Ordinal);
    }

    /// <summary>
    /// The case's pending records as journal entries chained after the head (<paramref name="lastSequence"/>,
    /// <paramref name="lastHash"/>). The case store writes them, and the new head, in the case's transaction.
    /// </summary>
    public static List<CaseJournalEntry> Chain(Case c, long lastSequence, string lastHash)
    {
        var entries = new List<CaseJournalEntry>(c.PendingRecords.Count);
        var sequence = lastSequence;
        var previous = lastHash;
        foreach (var r in c.PendingRecords)
        {
            var content = new JournalEntryContent(
                ++sequence, c.Id, c.Number, r.At, r.Actor.UserId, r.Actor.Name, r.Actor.PrimaryRole, r.Actor.Department,
                r.Action.ToString(), r.From.ToString(), r.To.ToString(), r.Opinion,
                JsonSerializer.Serialize(r.Data, Data.Configurations.CaseConfiguration.JsonOptions));
            var hash = JournalChain.Hash(previous, content);
            entries.Add(ToEntry(content, previous, hash));
            previous = hash;
        }

        return entries;
    }

    /// <summary>
    /// Appends an event that is not a lifecycle act of the case (a supervision order, a card, a
    /// line system's push) to the same chain, in the caller's unit of work. A department-level
    /// event has case id 0.
    /// </summary>
    public static async Task AppendEventAsync(AppDbContext db, long caseId, string? caseNumber, DateTimeOffset at, CaseActor actor, string action, string state,
        string? opinion, IReadOnlyDictionary<string, string>? data, CancellationToken ct)
    {
        var head = await db.JournalHeads.FirstOrDefaultAsync(h => h.Id == HeadId, ct);
        if (head is null)
        {
            head = new JournalHead { Id = HeadId, LastSequence = 0, LastHash = JournalChain.Genesis };
            db.JournalHeads.Add(head);
        }

        var content = new JournalEntryContent(
            head.LastSequence + 1, caseId, caseNumber, at, actor.UserId, actor.Name, actor.PrimaryRole, actor.Department,
            action, state, state, opinion,
            JsonSerializer.Serialize(data ?? new Dictionary<string, string>(), Data.Configurations.CaseConfiguration.JsonOptions));
        var hash = JournalChain.Hash(head.LastHash, content);
        db.Journal.Add(ToEntry(content, head.LastHash, hash));
        head.LastSequence = content.Sequence;
        head.LastHash = hash;
    }

    public static CaseJournalEntry ToEntry(JournalEntryContent c, string previousHash, string hash) => new()
    {
        Sequence = c.Sequence,
        CaseId = c.CaseId,
        CaseNumber = c.CaseNumber,
        At = c.At,
        ActorId = c.ActorId,
        ActorName = c.ActorName,
        Role = c.Role,
        Department = c.Department,
        Action = c.Action,
        FromState = c.FromState,
        ToState = c.ToState,
        Opinion = c.Opinion,
        Data = c.Data,
        PreviousHash = previousHash,
        Hash = hash,
    };

    public static JournalLink ToLink(CaseJournalEntry e) => new(
        new JournalEntryContent(e.Sequence, e.CaseId, e.CaseNumber, e.At, e.ActorId, e.ActorName, e.Role, e.Department, e.Action, e.FromState, e.ToState,
            e.Opinion, e.Data),
        e.PreviousHash,
        e.Hash);

    /// <summary>Verifies the whole journal against its head, reading it in pages.</summary>
    public static async Task<JournalVerification> VerifyAsync(AppDbContext db, CancellationToken ct = default)
    {
        var head = await db.JournalHeads.AsNoTracking().FirstOrDefaultAsync(h => h.Id == HeadId, ct);
        var entries = db.Journal.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable();
        var links = new List<JournalLink>();
        await foreach (var e in entries.WithCancellation(ct))
        {
            links.Add(ToLink(e));
        }

        return JournalChain.Verify(links, head?.LastSequence ?? 0, head?.LastHash);
    }

    /// <summary>
    /// Verifies one case's entries where they sit in the chain: each entry's hash against its
    /// content, its link to the entry before it, and the next entry's link to it (or the head, for
    /// the newest). An edited entry of the case, or an entry deleted next to one of its entries, is
    /// found without reading the whole journal; <see cref="VerifyAsync"/> checks the whole chain.
    /// </summary>
    public static async Task<JournalVerification> VerifyCaseAsync(AppDbContext db, long caseId, CancellationToken ct = default)
    {
        var entries = await db.Journal.AsNoTracking().Where(e => e.CaseId == caseId).OrderBy(e => e.Sequence).ToListAsync(ct);
        if (entries.Count == 0)
        {
            return JournalVerification.Ok(0);
        }

        var neighbours = entries.SelectMany(e => new[] { e.Sequence - 1, e.Sequence + 1 }).Distinct().ToList();
        var around = await db.Journal.AsNoTracking().Where(e => neighbours.Contains(e.Sequence)).ToDictionaryAsync(e => e.Sequence, ct);
        foreach (var e in entries)
        {
            around[e.Sequence] = e;
        }

        var head = await db.JournalHeads.AsNoTracking().FirstOrDefaultAsync(h => h.Id == HeadId, ct);
        foreach (var e in entries)
        {
            if (JournalChain.Hash(e.PreviousHash, ToLink(e).Content) != e.Hash)
            {
                return new JournalVerification(false, entries.Count, e.Sequence, $"第{e.Sequence}条记录的内容与其哈希不符（记录被改动）");
            }

            var linkedBefore = e.Sequence == 1 ? e.PreviousHash == JournalChain.Genesis : around.TryGetValue(e.Sequence - 1, out var before)
                && before.Hash == e.PreviousHash;
            if (!linkedBefore)
            {
                return new JournalVerification(false, entries.Count, e.Sequence, $"第{e.Sequence}条记录与前一条记录的链接断开（前一条被删除或改动）");
            }

            var linkedAfter = around.TryGetValue(e.Sequence + 1, out var after)
                ? after.PreviousHash == e.Hash
                : head is not null && head.LastSequence == e.Sequence && head.LastHash == e.Hash;
            if (!linkedAfter)
            {
                return new JournalVerification(false, entries.Count, e.Sequence + 1, $"第{e.Sequence}条记录之后的链接断开（后一条被删除或改动）");
            }
        }

        return JournalVerification.Ok(entries.Count);
    }
}

