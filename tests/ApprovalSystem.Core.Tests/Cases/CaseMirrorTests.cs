using ApprovalSystem.Core.Cases;
using static ApprovalSystem.Core.Tests.Cases.CaseFixture;

namespace ApprovalSystem.Core.Tests.Cases;

/// <summary>Mirrored cases 镜像办件: filed in a department's line system, following its pushed states.</summary>
public sealed class CaseMirrorTests
{
    private static readonly CaseActor LineOfficer = new("line:SCJG-YW", "王审查", [], "SCJG");

    private static ExternalStateReport Report(string eventId, string word, DateTimeOffset at, string? opinion = null) =>
        new("SCJG-YW", "YW-2026-001", eventId, ExternalSteps.Parse(word) ?? throw new ArgumentException(word), word, opinion, LineOfficer, at);

    private static Case Mirrored(string firstStep = "受理") =>
        Case.Mirror(Matter(), Person, "330799-20260302-0001", "123456", Report("e-1", firstStep, Monday), Time);

    [Fact]
    public void Mirror_PushedAccepted_IsHandlingWithPromisedClock_AndJournalsFilingAndPush()
    {
        var c = Mirrored();

        Assert.Equal(CaseState.Handling, c.State);
        Assert.Equal(CaseChannel.LineSystem, c.Channel);
        Assert.Equal("YW-2026-001", c.ExternalCaseId);
        Assert.True(c.Promised.IsRunning);
        Assert.Equal([CaseTrigger.Submit, CaseTrigger.ExternalState], c.PendingRecords.Select(r => r.Action));
        Assert.Equal("受理", c.PendingRecords[1].Data["step"]);
    }

    [Fact]
    public void ApplyExternalState_Concluded_StopsClocksAndConcludes()
    {
        var c = Mirrored();

        c.ApplyExternalState(Report("e-2", "准予", Local(3, 4), "符合条件"), Time);

        Assert.Equal(CaseState.Approved, c.State);
        Assert.Equal(Local(3, 4), c.ConcludedAt);
        Assert.False(c.Promised.IsRunning);
    }

    [Fact]
    public void ApplyExternalState_OlderThanApplied_IsJournalledButDoesNotMoveStateBack()
    {
        var c = Mirrored();
        c.ApplyExternalState(Report("e-3", "准予", Local(3, 5)), Time);
        c.ClearPendingRecords();

        c.ApplyExternalState(Report("e-2", "特别程序开始", Local(3, 4), "现场核查"), Time);

        Assert.Equal(CaseState.Approved, c.State);
        var record = Assert.Single(c.PendingRecords);
        Assert.Equal(Local(3, 4), record.At);
        Assert.Equal("true", record.Data["late"]);
        Assert.Equal(Local(3, 5), c.LastExternalAt);
    }

    [Fact]
    public void ApplyExternalState_OnCentreCase_IsJournalledWithoutMovingIt()
    {
        var c = Case.Draft(Matter(), Person, new Dictionary<string, string>(), Applicant, Monday);
        c.Submit("330799-20260302-0002", "654321", Applicant, Monday, Time);

        c.ApplyExternalState(Report("e-9", "准予", Local(3, 3)), Time);

        Assert.Equal(CaseState.PreAcceptance, c.State);
        Assert.Equal(CaseTrigger.ExternalState, c.PendingRecords[^1].Action);
    }

    [Fact]
    public void CentreActs_OnMirroredCase_AreRefused()
    {
        var c = Mirrored();

        var e = Assert.Throws<CaseRuleException>(() => c.Withdraw("不办了", Clerk, Local(3, 3), Time));

        Assert.Contains("业务系统", e.Message, StringComparison.Ordinal);
        Assert.Equal(CaseState.Handling, c.State);
    }

    [Theory]
    [InlineData("受理", ExternalStep.Accepted)]
    [InlineData("不予受理", ExternalStep.NotAccepted)]
    [InlineData("办结", ExternalStep.Approved)]
    [InlineData("Denied", ExternalStep.Denied)]
    public void Parse_KnownWords(string word, ExternalStep step) => Assert.Equal(step, ExternalSteps.Parse(word));

    [Fact]
    public void Parse_UnknownWord_IsNull() => Assert.Null(ExternalSteps.Parse("喝茶"));
}
