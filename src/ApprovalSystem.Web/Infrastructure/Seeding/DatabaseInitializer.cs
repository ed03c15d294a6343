using System.Text.Json;
using ApprovalSystem.Core.Calendar;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Infrastructure.Seeding;

/// <summary>
/// Brings a database to a usable state at start: migrations (Development or when configured),
/// roles, the matter catalogue and the 2026 calendar on first start, and — in Development only —
/// the demo accounts.
/// </summary>
public sealed class DatabaseInitializer(
    IServiceProvider services,
    IHostEnvironment environment,
    DatabaseOptions options,
    IConfiguration configuration,
    ILogger<DatabaseInitializer> logger,
    TimeProvider clock)
{
    public static string SeedFolder => Path.Combine(AppContext.BaseDirectory, "Data", "Seed");

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        if (environment.IsDevelopment() || options.MigrateOnStart)
        {
            if (db.Database.GetDbConnection().DataSource is { Length: > 0 } file && options.Provider == DatabaseProvider.Sqlite)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            }

            await db.Database.MigrateAsync(ct);
        }

        if (options.Provider == DatabaseProvider.Sqlite)
        {
            // Write-ahead logging lets readers go on while a case is saved.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        // The features' reference data (the catalogue), each seed loading only into an empty database.
        // Each seed saves what it adds; the context then lets go of it. Kept tracked, the catalogue's 340 matters would be compared
        // again by every later save of this context (the demo accounts' two saves each): that was most of a first start's time.
        foreach (var seed in scope.ServiceProvider.GetServices<IReferenceSeed>().OrderBy(s => s.Order))
        {
            await seed.SeedAsync(db, ct);
            db.ChangeTracker.Clear();
        }

        if (!await db.CalendarDays.AnyAsync(ct))
        {
            await SeedCalendarAsync(db, ct);
            db.ChangeTracker.Clear();
        }

        // After the catalogue: a definition naming a department it lacks is set aside and reported.
        await scope.ServiceProvider.GetRequiredService<WorkflowCatalog>().SyncAsync(ct);

        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        if (environment.IsDevelopment())
        {
            await DemoAccounts.EnsureAsync(db, users, clock.GetUtcNow(), ct);
            var demoCases = configuration.GetValue("Demo:Cases", true);
            foreach (var seed in scope.ServiceProvider.GetServices<IDemoSeed>().OrderBy(s => s.Order))
            {
                await seed.SeedAsync(scope.ServiceProvider, demoCases, ct);
            }
        }

        await EnsureFirstAdministratorAsync(users);
    }

    /// <summary>
    /// Production has no demo accounts: the first administrator comes from configuration
    /// (Bootstrap:AdminUserName / Bootstrap:AdminPassword), only while no administrator exists.
    /// </summary>
    private async Task EnsureFirstAdministratorAsync(UserManager<ApplicationUser> users)
    {
        var name = configuration["Bootstrap:AdminUserName"];
        var password = configuration["Bootstrap:AdminPassword"];
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrEmpty(password) || (await users.GetUsersInRoleAsync(Roles.Administrator)).Count > 0)
        {
            return;
        }

        var admin = new ApplicationUser { UserName = name.Trim(), DisplayName = "系统管理员", CreatedAt = clock.GetUtcNow(), EmailConfirmed = true };
        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException("Bootstrap administrator could not be created: "
                + string.Join("; ", created.Errors.Select(e => e.Description)));
        }

        await users.AddToRoleAsync(admin, Roles.Administrator);
        logger.LogWarning("Created the first administrator \"{UserName}\" from configuration; remove Bootstrap:AdminPassword now.", admin.UserName);
    }

    private static async Task SeedCalendarAsync(AppDbContext db, CancellationToken ct)
    {
        foreach (var file in Directory.EnumerateFiles(SeedFolder, "calendar-*.json"))
        {
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(file, ct));
            foreach (var day in doc.RootElement.GetProperty("days").EnumerateArray())
            {
                db.CalendarDays.Add(new CalendarDay
                {
                    Date = DateOnly.Parse(day.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                    Kind = day.GetProperty("kind").GetString() == "holiday" ? CalendarDayKind.Holiday : CalendarDayKind.MakeUpWorkday,
                    Name = day.GetProperty("name").GetString() ?? "",
                });
            }
        }

        await db.SaveChangesAsync(ct);
    }
}
