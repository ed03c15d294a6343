using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ApprovalSystem.Core.Journal;

/// <summary>The content of one journal entry that the hash covers.</summary>
public sealed record JournalEntryContent(
    long Sequence,
    long CaseId,
    string? CaseNumber,
    DateTimeOffset At,
    string ActorId,
    string ActorName,
    string Role,
    string? Department,
    string Action,
    string FromState,
    string ToState,
    string? Opinion,
    string Data);

/// <summary>A stored entry: its content and the hashes written with it.</summary>
public sealed record JournalLink(JournalEntryContent Content, string PreviousHash, string Hash);

/// <summary>What a verification run found.</summary>
public sealed record JournalVerification(bool IsIntact, long Checked, long? FirstBadSequence, string? Problem)
{
    public static JournalVerification Ok(long count) => new(true, count, null, null);
}

/// <summary>
/// The append-only journal's hash chain 全程留痕: each entry stores the hash of the entry before it
/// (in the whole journal) and the hash of its own content together with that previous hash, so any
/// edit or deletion of a past row is detected by <see cref="Verify"/>.
/// </summary>
public static class JournalChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Hash(string previousHash, JournalEntryContent c)
    {
        var text = string.Join('\u001f',
            previousHash,
            c.Sequence.ToString(CultureInfo.InvariantCulture),
            c.CaseId.ToString(CultureInfo.InvariantCulture),
            c.CaseNumber ?? "",
            // Milliseconds: every provider stores at least that precision, so the hash survives the round trip.
            c.At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            c.ActorId,
            c.ActorName,
            c.Role,
            c.Department ?? "",
            c.Action,
            c.FromState,
            c.ToState,
            c.Opinion ?? "",
            c.Data);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>
    /// Walks the journal in sequence order. Reports the first entry whose content no longer matches
    /// its hash (edited), whose previous hash is not its predecessor's (inserted or deleted before
    /// it), or a gap in the sequence (deleted), and a head that points past the last entry (the
    /// newest entries deleted).
    /// </summary>
    public static JournalVerification Verify(IEnumerable<JournalLink> links, long? headSequence = null, string? headHash = null)
    {
        var previous = Genesis;
        long expected = 1;
        long count = 0;
        foreach (var link in links)
        {
            var c = link.Content;
            if (c.Sequence != expected)
            {
                return new JournalVerification(false, count, expected, $"第{expected}条记录缺失（下一条是第{c.Sequence}条）");
            }

            if (link.PreviousHash != previous)
            {
                return new JournalVerification(false, count, c.Sequence, $"第{c.Sequence}条记录与前一条的链接不符");
            }

            if (Hash(previous, c) != link.Hash)
            {
                return new JournalVerification(false, count, c.Sequence, $"第{c.Sequence}条记录的内容已被改动");
            }

            previous = link.Hash;
            expected++;
            count++;
        }

        if (headSequence is { } head && head != count)
        {
            return new JournalVerification(false, count, count + 1, $"日志应有{head}条记录，实际只有{count}条（最新的记录被删除）");
        }

        if (headHash is not null && count > 0 && headHash != previous)
        {
            return new JournalVerification(false, count, count, "最后一条记录与日志头不符");
        }

        return JournalVerification.Ok(count);
    }
}
