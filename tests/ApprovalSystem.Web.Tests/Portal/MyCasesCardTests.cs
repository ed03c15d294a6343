using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Features.Cases.Queries;
using ApprovalSystem.Web.Features.Portal;

namespace ApprovalSystem.Web.Tests.Portal;

/// <summary>我的办件 / 本站代办件 cards: no label left with nothing after it for a case not yet accepted (issue 16).</summary>
public sealed class MyCasesCardTests
{
    private static readonly DateTimeOffset Filed = new(2026, 12, 7, 1, 30, 0, TimeSpan.Zero);

    private static CaseQueries.Summary Card(CaseState state, DateTimeOffset? submitted, DateTimeOffset? due) =>
        new(1, "330799-20261207-0001", "居民身份证换领", "王秀英", state, CaseChannel.Online, Filed, submitted, due);

    [Theory]
    [InlineData(CaseState.Draft)]
    [InlineData(CaseState.PreAcceptance)]
    [InlineData(CaseState.SupplementRequested)]
    public void APromisedDate_BeforeAcceptance_SaysItIsCountedOnAcceptance(CaseState state) =>
        Assert.Equal("受理后计算", MyCases.DueText(Card(state, Filed, null)));

    [Fact]
    public void AFilingRefusedAtTheWindow_HasNoPromisedDate_AndSaysSo() =>
        Assert.Equal("无", MyCases.DueText(Card(CaseState.NotAccepted, Filed, null)));

    [Fact]
    public void AnAcceptedCase_ShowsItsPromisedDate_AndADraftSaysItIsNotSubmitted()
    {
        Assert.Equal("2026-12-28", MyCases.DueText(Card(CaseState.Handling, Filed, new DateTimeOffset(2026, 12, 28, 16, 0, 0, TimeSpan.Zero))));
        Assert.Equal("尚未提交", MyCases.Submitted(Card(CaseState.Draft, null, null)));
    }
}
