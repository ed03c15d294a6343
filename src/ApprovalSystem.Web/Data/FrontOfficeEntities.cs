namespace ApprovalSystem.Web.Data;

/// <summary>The applicant's satisfaction rating 好差评 of a concluded case: one per case.</summary>
public class CaseRating
{
    public long CaseId { get; set; }

    /// <summary>1 (非常不满意) … 5 (非常满意).</summary>
    public int Level { get; set; }

    public string? Comment { get; set; }

    public string UserId { get; set; } = "";

    public DateTimeOffset RatedAt { get; set; }

    public static string LevelName(int level) => level switch
    {
        5 => "非常满意",
        4 => "满意",
        3 => "基本满意",
        2 => "不满意",
        1 => "非常不满意",
        _ => "",
    };
}

/// <summary>A complaint 投诉 lodged by an applicant about a case; supervision follows it up.</summary>
public class Complaint
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    public string? CaseNumber { get; set; }

    public string UserId { get; set; } = "";

    public string UserName { get; set; } = "";

    public string Content { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public string? Response { get; set; }

    public DateTimeOffset? RespondedAt { get; set; }
}

/// <summary>An in-app notification 消息 for one user.</summary>
public class Notification
{
    public long Id { get; set; }

    public string UserId { get; set; } = "";

    public string Title { get; set; } = "";

    public string Body { get; set; } = "";

    public string? Link { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ReadAt { get; set; }
}
