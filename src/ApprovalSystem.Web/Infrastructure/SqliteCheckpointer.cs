using Microsoft.Data.Sqlite;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>
/// Moves SQLite's write-ahead log into the database file in the background (a passive checkpoint
/// every <see cref="Interval"/>), so the acts' commits do not: with SQLite's automatic checkpoint,
/// every thousandth page a commit copies the log into the database and syncs both files, and the
/// act that happens to cross that line waits for it (decision 0009). The connections keep a high
/// automatic threshold (<see cref="SqlitePragmas"/>) only as a backstop if this service falls behind
/// or is not running. A passive checkpoint never blocks readers or writers.
/// </summary>
public sealed class SqliteCheckpointer(string connectionString, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>The existing database only: a checkpoint must never create an empty file before the migrations do.</summary>
    private readonly string _connectionString = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadWrite }.ToString();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Checkpoint();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One passive checkpoint; a database not there yet (or busy) is left for the next tick.</summary>
    public void Checkpoint()
    {
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            command.ExecuteNonQuery();
        }
        catch (SqliteException e)
        {
            logger.LogDebug(e, "SQLite checkpoint skipped");
        }
    }
}
