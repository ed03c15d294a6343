namespace ApprovalSystem.Web.Features.Ratings;

/// <summary>Settings of 好差评 (section "Ratings").</summary>
public sealed class RatingsOptions
{
    /// <summary>
    /// Working days a department has to rectify 整改 a 差评: 5 by default, as Dezhou's rules say; Sichuan's say 15. The clock counts on
    /// the working-day calendar from the day after the rating; one working day before the end it is yellow-carded, at the end red.
    /// </summary>
    public int RectificationWorkingDays { get; set; } = 5;
}
