using ApprovalSystem.Core.Journal;

namespace ApprovalSystem.Core.Tests.Journal;

public class JournalChainTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    private static JournalEntryContent Content(long sequence, string? opinion = null) => new(
        sequence,
        CaseId: 100 + (sequence % 2),
        CaseNumber: $"330799-20260302-000{1 + (sequence % 2)}",
        At: T0.AddMinutes(sequence),
        ActorId: $"user-{sequence}",
        ActorName: "经办人",
        Role: "Officer",
        Department: "SCJG",
        Action: "ActOnTask",
        FromState: "Handling",
        ToState: "Handling",
        Opinion: opinion ?? $"意见{sequence}",
        Data: $"{{\"step\":\"承办\",\"n\":{sequence}}}");

    /// <summary>A correctly chained journal of <paramref name="count"/> entries.</summary>
    private static List<JournalLink> Chain(int count)
    {
        var links = new List<JournalLink>();
        var previous = JournalChain.Genesis;
        for (var i = 1; i <= count; i++)
        {
            var content = Content(i);
            var hash = JournalChain.Hash(previous, content);
            links.Add(new JournalLink(content, previous, hash));
            previous = hash;
        }

        return links;
    }

    [Fact]
    public void Verify_IntactChain_PassesAndCountsEveryEntry()
    {
        var links = Chain(6);

        var result = JournalChain.Verify(links, headSequence: 6, headHash: links[^1].Hash);

        Assert.Equal(JournalVerification.Ok(6), result);
    }

    [Fact]
    public void Verify_EmptyJournal_Passes()
    {
        Assert.True(JournalChain.Verify([], headSequence: 0).IsIntact);
    }

    [Fact]
    public void Chain_FirstEntryLinksToGenesis_AndEachLinksToItsPredecessor()
    {
        var links = Chain(3);

        Assert.Equal(JournalChain.Genesis, links[0].PreviousHash);
        Assert.Equal(links[0].Hash, links[1].PreviousHash);
        Assert.Equal(links[1].Hash, links[2].PreviousHash);
        Assert.All(links, l => Assert.Matches("^[0-9a-f]{64}$", l.Hash));
    }

    [Fact]
    public void Hash_SameContentAndPrevious_IsDeterministic_AndEveryFieldCounts()
    {
        var content = Content(1);
        var hash = JournalChain.Hash(JournalChain.Genesis, content);

        Assert.Equal(hash, JournalChain.Hash(JournalChain.Genesis, content with { }));
        Assert.NotEqual(hash, JournalChain.Hash(new string('f', 64), content));
        Assert.NotEqual(hash, JournalChain.Hash(JournalChain.Genesis, content with { At = content.At.AddMilliseconds(1) }));
        Assert.NotEqual(hash, JournalChain.Hash(JournalChain.Genesis, content with { ActorId = "user-x" }));
        Assert.NotEqual(hash, JournalChain.Hash(JournalChain.Genesis, content with { Department = null }));
        Assert.NotEqual(hash, JournalChain.Hash(JournalChain.Genesis, content with { ToState = "Approved" }));
        Assert.NotEqual(hash, JournalChain.Hash(JournalChain.Genesis, content with { Data = "{}" }));
    }

    [Fact]
    public void Verify_EntryWithAnEditedOpinion_IsDetectedAtItsSequence()
    {
        var links = Chain(5);
        links[2] = links[2] with { Content = links[2].Content with { Opinion = "同意（事后修改）" } };

        var result = JournalChain.Verify(links, headSequence: 5);

        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBadSequence);
        Assert.Equal(2, result.Checked);
        Assert.Contains("第3条", result.Problem, StringComparison.Ordinal);
        Assert.Contains("改动", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_EntryWithAnEditedTime_IsDetected()
    {
        var links = Chain(5);
        links[3] = links[3] with { Content = links[3].Content with { At = links[3].Content.At.AddDays(-1) } };

        Assert.Equal(4, JournalChain.Verify(links).FirstBadSequence);
    }

    [Fact]
    public void Verify_MiddleEntryDeleted_IsDetectedAtTheMissingSequence()
    {
        var links = Chain(5);
        links.RemoveAt(2);

        var result = JournalChain.Verify(links, headSequence: 5);

        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBadSequence);
        Assert.Contains("缺失", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_MiddleEntryDeletedAndLaterSequencesRenumbered_IsDetectedByTheBrokenLink()
    {
        var links = Chain(5);
        links.RemoveAt(2);
        for (var i = 2; i < links.Count; i++)
        {
            links[i] = links[i] with { Content = links[i].Content with { Sequence = i + 1 } };
        }

        var result = JournalChain.Verify(links);

        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBadSequence);
    }

    [Fact]
    public void Verify_LastEntryDeleted_IsDetectedWithTheHeadSequence()
    {
        var links = Chain(5);
        links.RemoveAt(4);

        var result = JournalChain.Verify(links, headSequence: 5);

        Assert.False(result.IsIntact);
        Assert.Equal(5, result.FirstBadSequence);
        Assert.Equal(4, result.Checked);
        Assert.Contains("最新的记录被删除", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_LastEntryDeleted_PassesWithoutAHeadToCompareWith()
    {
        // Why the host must keep the head: the remaining prefix is a valid chain on its own.
        var links = Chain(5);
        links.RemoveAt(4);

        Assert.True(JournalChain.Verify(links).IsIntact);
    }

    [Fact]
    public void Verify_LastEntryReplaced_IsDetectedWithTheHeadHash()
    {
        var links = Chain(5);
        var head = links[^1].Hash;
        var forged = links[4].Content with { Opinion = "改" };
        links[4] = new JournalLink(forged, links[3].Hash, JournalChain.Hash(links[3].Hash, forged));

        var result = JournalChain.Verify(links, headSequence: 5, headHash: head);

        Assert.False(result.IsIntact);
        Assert.Equal(5, result.FirstBadSequence);
    }

    [Fact]
    public void Verify_ForgedEntryWithItsOwnHashRecomputedOverAWrongPrevious_IsDetectedAtThatEntry()
    {
        var links = Chain(5);
        var forged = links[2].Content with { Opinion = "不同意" };
        var wrongPrevious = JournalChain.Hash(JournalChain.Genesis, forged);
        links[2] = new JournalLink(forged, wrongPrevious, JournalChain.Hash(wrongPrevious, forged));

        var result = JournalChain.Verify(links, headSequence: 5);

        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBadSequence);
        Assert.Contains("链接不符", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ForgedEntryRechainedToItsPredecessor_IsDetectedAtTheNextEntry()
    {
        var links = Chain(5);
        var forged = links[2].Content with { Opinion = "不同意" };
        links[2] = new JournalLink(forged, links[1].Hash, JournalChain.Hash(links[1].Hash, forged));

        var result = JournalChain.Verify(links, headSequence: 5);

        Assert.False(result.IsIntact);
        Assert.Equal(4, result.FirstBadSequence);
    }

    [Fact]
    public void Verify_EntriesSwapped_IsDetected()
    {
        var links = Chain(5);
        (links[1], links[2]) = (links[2], links[1]);

        Assert.Equal(2, JournalChain.Verify(links).FirstBadSequence);
    }
}
