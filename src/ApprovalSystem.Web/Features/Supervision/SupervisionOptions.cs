namespace ApprovalSystem.Web.Features.Supervision;

/// <summary>Settings of the supervision module (section "Supervision").</summary>
public sealed class SupervisionOptions
{
    /// <summary>How often the recurring scan runs, in minutes.</summary>
    public int ScanIntervalMinutes { get; set; } = 1;

    /// <summary>How far back each scan looks again, so a moment written just before the last scan is never missed.</summary>
    public int OverlapMinutes { get; set; } = 60;

    /// <summary>Working days a decided case may wait for archiving before it is reported.</summary>
    public int ArchiveWithinWorkingDays { get; set; } = 10;
}
