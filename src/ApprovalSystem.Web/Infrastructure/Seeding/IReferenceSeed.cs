namespace ApprovalSystem.Web.Infrastructure.Seeding;

/// <summary>
/// Reference data a feature owns (the matter catalogue), loaded into an empty database at start in every environment,
/// before the calendar and the workflows are synchronised. Registered by the feature, so the initializer names none;
/// each seed decides for itself whether its data is already there.
/// </summary>
public interface IReferenceSeed
{
    /// <summary>Lower runs first.</summary>
    int Order { get; }

    Task SeedAsync(Data.AppDbContext db, CancellationToken ct);
}
