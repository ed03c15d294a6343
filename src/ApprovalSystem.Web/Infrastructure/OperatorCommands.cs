using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure.Seeding;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>
/// One-shot commands for an operator, run with the node's own configuration instead of starting the server
/// (<c>dotnet ApprovalSystem.Web.dll verify-journal</c>): <c>migrate</c> applies the migrations and the reference data once
/// before nodes are rolled (deploy/README.md, "Upgrade"); <c>verify-journal</c> checks the whole journal's hash chain, as the
/// backup drill does on a restored copy (deploy/backup/drill.sh); <c>verify-files</c> checks that every stored file the
/// database registers is in the data folder with the SHA-256 it was stored under. Exit code 0 when done and intact, 1 when not.
/// </summary>
public static class OperatorCommands
{
    public static readonly string[] Names = ["migrate", "verify-journal", "verify-files"];

    /// <summary>The command named by the first argument, or null to start the server.</summary>
    public static string? Requested(string[] args) => args.Length > 0 && Names.Contains(args[0]) ? args[0] : null;

    public static async Task<int> RunAsync(string command, IServiceProvider services, DatabaseOptions database)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        switch (command)
        {
            case "migrate":
                database.MigrateOnStart = true;
                await ActivatorUtilities.CreateInstance<DatabaseInitializer>(services).InitializeAsync();
                Console.WriteLine($"Migrations and reference data applied ({database.Provider}).");
                return 0;
            case "verify-files":
                return await VerifyFilesAsync(db, services.GetRequiredService<StorageOptions>().DataFolder);
            default:
                var result = await CaseJournal.VerifyAsync(db);
                Console.WriteLine(result.IsIntact
                    ? $"Journal intact: {result.Checked} entries verified."
                    : $"Journal BROKEN at sequence {result.FirstBadSequence}: {result.Problem} ({result.Checked} entries checked).");
                return result.IsIntact ? 0 : 1;
        }
    }

    private static async Task<int> VerifyFilesAsync(AppDbContext db, string dataFolder)
    {
        var checkedCount = 0;
        var bad = new List<string>();
        await foreach (var sha in db.StoredFiles.AsNoTracking().OrderBy(f => f.Sha256).Select(f => f.Sha256).AsAsyncEnumerable())
        {
            checkedCount++;
            try
            {
                await ContentFiles.ReadVerifiedAsync(dataFolder, sha, CancellationToken.None);
            }
            catch (ContentFileException e)
            {
                bad.Add(e.Message);
            }
        }

        foreach (var line in bad.Take(20))
        {
            Console.WriteLine(line);
        }

        Console.WriteLine(bad.Count == 0
            ? $"Files intact: {checkedCount} stored files verified in {dataFolder}."
            : $"Files BROKEN: {bad.Count} of {checkedCount} stored files missing or changed in {dataFolder}.");
        return bad.Count == 0 ? 0 : 1;
    }
}
