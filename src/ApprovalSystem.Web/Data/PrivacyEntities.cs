namespace ApprovalSystem.Web.Data;

/// <summary>Which personal value a member of staff read in full (个人信息的种类).</summary>
public enum PersonalDataKind
{
    /// <summary>居民身份证号码.</summary>
    IdNumber,

    /// <summary>统一社会信用代码 (an enterprise's; an individual business's code can identify a person).</summary>
    CreditCode,

    /// <summary>手机号码.</summary>
    Mobile,
}

/// <summary>
/// One read of a resident's or an enterprise's full personal value by staff on a page (个人信息查看记录, PIPL): who, what,
/// whose, on which case, why. Append-only: rows are only ever added (<see cref="AppDbContext"/> refuses a change or a
/// deletion). The full value itself is never stored here, only its masked form.
/// </summary>
public class PersonalDataRead
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public string StaffUserId { get; set; } = "";

    /// <summary>The staff account (sign-in name).</summary>
    public string StaffUserName { get; set; } = "";

    /// <summary>The staff member's name as shown.</summary>
    public string StaffName { get; set; } = "";

    public PersonalDataKind Kind { get; set; }

    /// <summary>Whose value: the applicant's name as recorded on the case.</summary>
    public string Subject { get; set; } = "";

    /// <summary>The value as shown masked (never the full value).</summary>
    public string MaskedValue { get; set; } = "";

    public long? CaseId { get; set; }

    public string? CaseNumber { get; set; }

    public string Reason { get; set; } = "";
}
