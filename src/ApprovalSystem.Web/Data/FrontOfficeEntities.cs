namespace ApprovalSystem.Web.Data;

/// <summary>
/// The applicant's satisfaction rating 好差评 (GB/T 39734-2020) of one point of a case 一事多评: after acceptance or after conclusion,
/// one per point. The overall level 整体满意度 and the channel's indicators 二级指标.
/// </summary>
public class CaseRating
{
    public long CaseId { get; set; }

    /// <summary>受理后 or 办结后; rows from before 一事多评 are conclusion ratings.</summary>
    public ApprovalSystem.Core.Ratings.RatingPoint Point { get; set; }

    /// <summary>The overall level 整体满意度: 1 (非常不满意) … 5 (非常满意).</summary>
    public int Level { get; set; }

    /// <summary>线上 or 线下, by the case's channel: it decides the indicators.</summary>
    public string Channel { get; set; } = "";

    /// <summary>The indicators' levels as "办事效率=5;办事便捷度=4" (<see cref="ApprovalSystem.Core.Ratings.ServiceRatings.Format"/>).</summary>
    public string Indicators { get; set; } = "";

    public string? Comment { get; set; }

    public string UserId { get; set; } = "";

    public DateTimeOffset RatedAt { get; set; }

    /// <summary>Taken out of the score: a supervisor upheld the department's appeal 申诉成立 (wrong or malicious rating).</summary>
    public bool Excluded { get; set; }

    public static string LevelName(int level) => ApprovalSystem.Core.Ratings.ServiceRatings.LevelName(level);
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
