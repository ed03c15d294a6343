using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ApprovalSystem.Web.Infrastructure.Cluster;

/// <summary>
/// Several nodes on one PostgreSQL: a message is a <c>NOTIFY</c> on one channel (<c>pg_notify</c>; inside an act's
/// transaction it is sent at commit and never after a rollback), and each node keeps one dedicated connection that
/// <c>LISTEN</c>s and waits for notifications (<see cref="RunAsync"/>, a background service), reconnecting with back-off.
/// </summary>
public sealed class PostgresClusterEvents(string connectionString, ILogger<PostgresClusterEvents> logger) : ClusterEventsBase(logger)
{
    public const string Channel = "approval_events";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly NpgsqlDataSource _publish = NpgsqlDataSource.Create(connectionString);

    private int _listening;

    /// <summary>Whether the listening connection is up (tests wait for it before the other node acts).</summary>
    public bool Listening => Volatile.Read(ref _listening) == 1;

    protected override async Task SendAsync(AppDbContext? db, string message, CancellationToken ct)
    {
        if (db is not null)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {message})", ct);
            return;
        }

        await using var command = _publish.CreateCommand("SELECT pg_notify(@channel, @message)");
        command.Parameters.AddWithValue("channel", Channel);
        command.Parameters.AddWithValue("message", message);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Listens until <paramref name="stopping"/>; a lost connection is opened again after 0.5 s, 1 s, 2 s… up to 30 s.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var backoff = TimeSpan.FromMilliseconds(500);
        var lostBefore = false;
        var listen = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 30 }.ConnectionString;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(listen);
                await connection.OpenAsync(stopping);
                connection.Notification += (_, e) => OnMessage(e.Payload);
                await using (var command = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await command.ExecuteNonQueryAsync(stopping);
                }

                Volatile.Write(ref _listening, 1);
                backoff = TimeSpan.FromMilliseconds(500);
                if (lostBefore)
                {
                    logger.LogInformation("Listening to the other nodes again");
                    OnReconnected();
                }

                while (true)
                {
                    await connection.WaitAsync(stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                Volatile.Write(ref _listening, 0);
                lostBefore = true;
                logger.LogWarning(e, "Lost the link to the other nodes (LISTEN {Channel}); trying again in {Delay}", Channel, backoff);
                try
                {
                    await Task.Delay(backoff, stopping);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }

        Volatile.Write(ref _listening, 0);
    }
}

/// <summary>Runs <see cref="PostgresClusterEvents.RunAsync"/> for the life of the host.</summary>
internal sealed class PostgresClusterListener(PostgresClusterEvents events) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => events.RunAsync(stoppingToken);
}
