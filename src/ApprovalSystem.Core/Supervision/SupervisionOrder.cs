using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;

namespace ApprovalSystem.Core.Supervision;

/// <summary>Where a supervision order 督办单 is.</summary>
public enum OrderState
{
    /// <summary>已下发: waiting for the department's response.</summary>
    Issued,

    /// <summary>已超期升级: the response is overdue; escalated to the department head and the bureau's leaders.</summary>
    Escalated,

    /// <summary>已反馈: the department responded; the supervisor reviews it.</summary>
    Responded,

    /// <summary>已办结: the supervisor closed the order.</summary>
    Closed,
}

/// <summary>A supervision order's act was not allowed.</summary>
public sealed class SupervisionOrderException : Exception
{
    public SupervisionOrderException(string message)
        : base(message)
    {
    }

    public SupervisionOrderException()
    {
    }

    public SupervisionOrderException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>
/// A supervision order 督办: a supervisor orders a department to act on a case (or on the department's
/// work at large) and to respond by a due date. Issued → Responded → Closed; an order still
/// unanswered after its due date is escalated once (Issued → Escalated), and may still be answered.
/// Guards its own transitions; the host persists the properties and stores <see cref="Version"/> as
/// a concurrency token.
/// </summary>
public sealed class SupervisionOrder
{
    private SupervisionOrder()
    {
    }

    public long Id { get; private set; }

    /// <summary>督办单号, given by the host (e.g. DB20261123-001).</summary>
    public string Number { get; private set; } = "";

    /// <summary>The case's number 办件编号, when the order is about a case.</summary>
    public string? CaseNumber { get; private set; }

    /// <summary>The case the order is about; null for an order on a department's work at large.</summary>
    public long? CaseId { get; private set; }

    /// <summary>The department that must respond.</summary>
    public string Department { get; private set; } = "";

    public string Instructions { get; private set; } = "";

    public string IssuedBy { get; private set; } = "";

    public string IssuedByName { get; private set; } = "";

    public DateTimeOffset IssuedAt { get; private set; }

    /// <summary>The response is due by this instant (the end of a day, see <see cref="WorkingTime.EndOfDay"/>).</summary>
    public DateTimeOffset RespondBy { get; private set; }

    public OrderState State { get; private set; }

    public DateTimeOffset? EscalatedAt { get; private set; }

    public string? Response { get; private set; }

    /// <summary>Names of the files attached to the response (stored by the host).</summary>
    public IReadOnlyList<string> Attachments { get; private set; } = [];

    public string? RespondedBy { get; private set; }

    public DateTimeOffset? RespondedAt { get; private set; }

    public string? ClosedBy { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public string? ClosingNote { get; private set; }

    public int Version { get; private set; }

    /// <summary>Unanswered after the due moment.</summary>
    public bool IsOverdue(DateTimeOffset now) => RespondedAt is null && State != OrderState.Closed && now > RespondBy;

    /// <summary>Issues 下发 an order. Only a supervisor issues; instructions and a due date after now are required.</summary>
    public static SupervisionOrder Issue(long? caseId, string department, string instructions, DateTimeOffset respondBy, CaseActor supervisor,
        DateTimeOffset now, string number = "", string? caseNumber = null)
    {
        if (!supervisor.Is(Roles.Supervisor))
        {
            throw new SupervisionOrderException("只有监察人员可以下发督办单");
        }

        if (string.IsNullOrWhiteSpace(department))
        {
            throw new SupervisionOrderException("请选择被督办的部门");
        }

        if (string.IsNullOrWhiteSpace(instructions))
        {
            throw new SupervisionOrderException("请填写督办要求");
        }

        if (respondBy <= now)
        {
            throw new SupervisionOrderException("反馈期限必须晚于当前时间");
        }

        return new SupervisionOrder
        {
            Number = number,
            CaseNumber = caseNumber,
            CaseId = caseId,
            Department = department.Trim(),
            Instructions = instructions.Trim(),
            IssuedBy = supervisor.UserId,
            IssuedByName = supervisor.Name,
            IssuedAt = now,
            RespondBy = respondBy,
            State = OrderState.Issued,
        };
    }

    /// <summary>The department responds 反馈 (an officer or the head of that department), late or not.</summary>
    public void Respond(string text, IReadOnlyList<string> attachments, CaseActor actor, DateTimeOffset now)
    {
        if (State is not (OrderState.Issued or OrderState.Escalated))
        {
            throw new SupervisionOrderException("督办单已反馈或已办结");
        }

        if (actor.Department != Department || !(actor.Is(Roles.Officer) || actor.Is(Roles.DepartmentHead)))
        {
            throw new SupervisionOrderException("只有被督办部门的工作人员可以反馈");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new SupervisionOrderException("请填写反馈内容");
        }

        Response = text.Trim();
        Attachments = [.. attachments.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim())];
        RespondedBy = actor.Name;
        RespondedAt = now;
        State = OrderState.Responded;
        Version++;
    }

    /// <summary>The supervisor closes 办结 a responded order.</summary>
    public void Close(string? note, CaseActor supervisor, DateTimeOffset now)
    {
        if (!supervisor.Is(Roles.Supervisor))
        {
            throw new SupervisionOrderException("只有监察人员可以办结督办单");
        }

        if (State != OrderState.Responded)
        {
            throw new SupervisionOrderException("督办单尚未反馈，不能办结");
        }

        ClosingNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        ClosedBy = supervisor.Name;
        ClosedAt = now;
        State = OrderState.Closed;
        Version++;
    }

    /// <summary>
    /// Escalates 升级 an overdue, unanswered order. Returns true only the first time: safe for a
    /// recurring job to call on every overdue order, twice or late.
    /// </summary>
    public bool Escalate(DateTimeOffset now)
    {
        if (State != OrderState.Issued || !IsOverdue(now))
        {
            return false;
        }

        EscalatedAt = now;
        State = OrderState.Escalated;
        Version++;
        return true;
    }

    public static string StateName(OrderState state) => state switch
    {
        OrderState.Issued => "待反馈",
        OrderState.Escalated => "逾期升级",
        OrderState.Responded => "已反馈",
        OrderState.Closed => "已办结",
        _ => state.ToString(),
    };

    /// <summary>Working days from issue to response (0 when answered on the day of issue); null while unanswered.</summary>
    public int? ResponseWorkingDays(WorkingTime time) => RespondedAt is { } at ? time.UsedBetween(IssuedAt, at) : null;
}
