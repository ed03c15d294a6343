using ApprovalSystem.Web.Infrastructure;

namespace ApprovalSystem.Simulation;

/// <summary>Where an act is held: after its read, or with its rows written and the commit next.</summary>
public enum HoldPoint
{
    Read,
    BeforeCommit,
}

/// <summary>
/// One act held at a point of <see cref="CaseStore"/> (through <see cref="ICaseActProbe"/>) until the harness lets it go.
/// The hold applies to the act run under it (an async-local value flows into the act) and only to its first arrival there,
/// so a retried attempt runs through.
/// </summary>
public sealed class Hold(HoldPoint point)
{
    private int _hit;

    public HoldPoint Point { get; } = point;

    /// <summary>Completes when the act arrives at the point.</summary>
    public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The harness completes it to let the act go on.</summary>
    public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool WasReached => Reached.Task.IsCompleted;

    internal async ValueTask ArriveAsync(HoldPoint point, CancellationToken ct)
    {
        if (point != Point || Interlocked.Exchange(ref _hit, 1) == 1)
        {
            return;
        }

        Reached.TrySetResult();
        await Released.Task;

        // An abandoned act: its request was cancelled while it was held, as the next awaited database call would tell it.
        ct.ThrowIfCancellationRequested();
    }
}

/// <summary>
/// The probe the simulation registers: it holds the act that runs under a <see cref="Hold"/>. Two acts on one case are
/// thereby interleaved in an order the seed chooses — only one of them runs at any moment, the other waits at its hold —
/// so a race replays exactly, without real threads racing.
/// </summary>
public sealed class Interleaving : ICaseActProbe
{
    private static readonly AsyncLocal<Hold?> Current = new();

    /// <summary>Puts the calling async flow (and the act it then runs) under <paramref name="hold"/>.</summary>
    public static void Enter(Hold? hold) => Current.Value = hold;

    public ValueTask ReadAsync(CancellationToken ct) => Current.Value?.ArriveAsync(HoldPoint.Read, ct) ?? ValueTask.CompletedTask;

    public ValueTask BeforeCommitAsync(CancellationToken ct) => Current.Value?.ArriveAsync(HoldPoint.BeforeCommit, ct) ?? ValueTask.CompletedTask;
}
