namespace ApprovalSystem.Web.Infrastructure.Seeding;

/// <summary>
/// A feature's development data (never in production): run after the catalogue, the calendar and the demo accounts,
/// in <see cref="Order"/>. Registered by the feature, so the initializer names none.
/// </summary>
public interface IDemoSeed
{
    /// <summary>Lower runs first.</summary>
    int Order { get; }

    /// <param name="demoCases">Demo:Cases (default true): whether cases and what hangs on them are wanted too.</param>
    Task SeedAsync(IServiceProvider services, bool demoCases, CancellationToken ct);
}
