using ApprovalSystem.Core.Supervision;
using static ApprovalSystem.Core.Tests.Cases.CaseFixture;

namespace ApprovalSystem.Core.Tests.Supervision;

public class SupervisionOrderTests
{
    private static SupervisionOrder Issued(DateTimeOffset? at = null, DateTimeOffset? by = null) =>
        SupervisionOrder.Issue(42, "SCJG", "请于期限内说明超期原因并加快办理", by ?? EndOf(3, 6), Supervisor, at ?? Monday);

    [Fact]
    public void Issue_BySupervisor_WaitsForTheDepartment()
    {
        var o = Issued();

        Assert.Equal(OrderState.Issued, o.State);
        Assert.Equal((42L, "SCJG", "周监察"), (o.CaseId!.Value, o.Department, o.IssuedByName));
        Assert.False(o.IsOverdue(EndOf(3, 6)));
        Assert.True(o.IsOverdue(EndOf(3, 6).AddTicks(1)));
    }

    [Fact]
    public void Issue_NeedsASupervisorInstructionsAndAFutureDueDate()
    {
        Assert.Throws<SupervisionOrderException>(() => SupervisionOrder.Issue(1, "SCJG", "x", EndOf(3, 6), Officer(), Monday));
        Assert.Throws<SupervisionOrderException>(() => SupervisionOrder.Issue(1, "SCJG", " ", EndOf(3, 6), Supervisor, Monday));
        Assert.Throws<SupervisionOrderException>(() => SupervisionOrder.Issue(1, "", "x", EndOf(3, 6), Supervisor, Monday));
        Assert.Throws<SupervisionOrderException>(() => SupervisionOrder.Issue(1, "SCJG", "x", Monday, Supervisor, Monday));
        Assert.Null(SupervisionOrder.Issue(null, "SCJG", "请整改窗口超期受理问题", EndOf(3, 6), Supervisor, Monday).CaseId);
    }

    [Fact]
    public void Respond_ThenClose()
    {
        var o = Issued();

        o.Respond("已督促承办人加快办理，预计3月9日办结", ["情况说明.pdf"], Officer(), Local(3, 4));
        Assert.Equal(OrderState.Responded, o.State);
        Assert.Equal(["情况说明.pdf"], o.Attachments);
        Assert.False(o.IsOverdue(Local(3, 20)));

        o.Close("反馈属实，予以办结", Supervisor, Local(3, 5));
        Assert.Equal(OrderState.Closed, o.State);
        Assert.Equal("周监察", o.ClosedBy);
        Assert.Throws<SupervisionOrderException>(() => o.Respond("再次反馈", [], Officer(), Local(3, 6)));
    }

    [Fact]
    public void Respond_OnlyByTheOrderedDepartment_WithText()
    {
        var o = Issued();

        Assert.Throws<SupervisionOrderException>(() => o.Respond("反馈", [], Officer("sw-o1", "SW"), Local(3, 4)));
        Assert.Throws<SupervisionOrderException>(() => o.Respond("反馈", [], Supervisor, Local(3, 4)));
        Assert.Throws<SupervisionOrderException>(() => o.Respond(" ", [], Officer(), Local(3, 4)));
        Assert.Equal(OrderState.Issued, o.State);
    }

    [Fact]
    public void Close_OnlyAfterAResponse_ByASupervisor()
    {
        var o = Issued();

        Assert.Throws<SupervisionOrderException>(() => o.Close(null, Supervisor, Local(3, 4)));
        o.Respond("已办理", [], Head(), Local(3, 4));
        Assert.Throws<SupervisionOrderException>(() => o.Close(null, Head(), Local(3, 5)));
    }

    [Fact]
    public void Escalate_OverdueUnanswered_Once()
    {
        var o = Issued();

        Assert.False(o.Escalate(EndOf(3, 6)));
        Assert.Equal(OrderState.Issued, o.State);

        Assert.True(o.Escalate(Local(3, 9)));
        Assert.False(o.Escalate(Local(3, 10)));
        Assert.Equal(OrderState.Escalated, o.State);
        Assert.Equal(Local(3, 9), o.EscalatedAt);

        // Still answerable after escalation, and never escalated again.
        o.Respond("已整改", [], Officer(), Local(3, 11));
        Assert.Equal(OrderState.Responded, o.State);
        Assert.False(o.Escalate(Local(3, 30)));
        Assert.Equal(Local(3, 9), o.EscalatedAt);
    }

    [Fact]
    public void Escalate_AnsweredInTime_Never()
    {
        var o = Issued();
        o.Respond("已办理", [], Officer(), Local(3, 5));

        Assert.False(o.Escalate(Local(3, 30)));
        Assert.Null(o.EscalatedAt);
    }

    [Fact]
    public void ResponseWorkingDays_AcrossNationalDay()
    {
        // Issued Wed 30 Sep, answered Fri 9 Oct: Thu 8 and Fri 9 are the working days used.
        var o = Issued(Local(9, 30), EndOf(10, 12));
        Assert.Null(o.ResponseWorkingDays(Time));

        o.Respond("已办理", [], Officer(), Local(10, 9));

        Assert.Equal(2, o.ResponseWorkingDays(Time));
    }

    [Fact]
    public void ResponseWorkingDays_SameDay_IsZero()
    {
        var o = Issued();
        o.Respond("已办理", [], Officer(), Monday.AddHours(3));

        Assert.Equal(0, o.ResponseWorkingDays(Time));
    }
}
