using ApprovalSystem.Core.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalSystem.Simulation;

/// <summary>
/// Conflicting acts at the same moment and acts abandoned mid-transaction. Two acts are interleaved on the case store's
/// read point (<see cref="Interleaving"/>) in an order the seed picks, so a race replays exactly; an abandoned act is held
/// with its rows written and its commit next, its request cancelled and its scope disposed.
/// </summary>
public sealed partial class CountyYear
{
    /// <summary>What one side of a race came to: its result, or the business rule that refused it.</summary>
    private sealed record Side<T>(T? Result, CaseRuleException? Refused)
    {
        public bool Won => Refused is null;
    }

    /// <summary>The orders two acts A and B can take: one after the other, or one read and held while the other runs to its end.</summary>
    private static readonly string[] Orders = ["A-then-B", "B-then-A", "A-read-B-A", "B-read-A-B"];

    private async Task<(Side<TA> A, Side<TB> B)> RaceAsync<TA, TB>(string name, Func<IServiceProvider, Task<TA>> a, Func<IServiceProvider, Task<TB>> b)
    {
        _act = $"race {name}";
        var order = _random.Next(Orders.Length);
        _act = $"race {name} ({Orders[order]})";
        _report.Add("race:" + name);
        _report.Add("interleave:" + Orders[order]);
        switch (order)
        {
            case 0:
            {
                var x = await SideAsync(a, null);
                return (x, await SideAsync(b, null));
            }

            case 1:
            {
                var y = await SideAsync(b, null);
                return (await SideAsync(a, null), y);
            }

            case 2:
                return await HeldAsync(a, b);
            default:
            {
                var (y, x) = await HeldAsync(b, a);
                return (x, y);
            }
        }
    }

    /// <summary>The first act reads and is held there; the second runs to its end; then the first goes on.</summary>
    private async Task<(Side<T1> First, Side<T2> Second)> HeldAsync<T1, T2>(Func<IServiceProvider, Task<T1>> first, Func<IServiceProvider, Task<T2>> second)
    {
        var hold = new Hold(HoldPoint.Read);
        var held = SideAsync(first, hold);
        try
        {
            await Task.WhenAny(hold.Reached.Task, held);
            var other = await SideAsync(second, null);
            hold.Released.TrySetResult();
            return (await held, other);
        }
        finally
        {
            hold.Released.TrySetResult();
        }
    }

    /// <summary>One side of a race in a scope of its own; a refusal must be a business rule in Chinese that is not "try again".</summary>
    private async Task<Side<T>> SideAsync<T>(Func<IServiceProvider, Task<T>> body, Hold? hold)
    {
        using var scope = _host.Services.CreateScope();
        Interleaving.Enter(hold);
        try
        {
            return new Side<T>(await body(scope.ServiceProvider), null);
        }
        catch (CaseRuleException e) when (e is not CaseInputException)
        {
            if (!e.Message.Any(ch => ch is >= '\u4e00' and <= '\u9fff'))
            {
                throw Fail($"a race's loser was refused without a Chinese message: {e.Message}");
            }

            if (e.Message.Contains("重试", StringComparison.Ordinal))
            {
                throw Fail($"a race ended in a \"try again\" the store's retries did not cure: {e.Message}", e);
            }

            return new Side<T>(default, e);
        }
        catch (Exception e) when (e is not SimulationFailedException)
        {
            throw Fail($"a racing act failed: {e.GetType().Name}: {e.Message}", e);
        }
    }

    /// <summary>Of two racing acts that exclude each other, exactly one wins; the report counts who.</summary>
    private T OneWinner<T>(string name, Side<T> a, Side<T> b)
    {
        if (a.Won == b.Won)
        {
            throw Fail(a.Won
                ? $"both acts of the race {name} succeeded"
                : $"neither act of the race {name} succeeded: {a.Refused!.Message} / {b.Refused!.Message}");
        }

        _report.Add("race-refused:" + name);
        return a.Won ? a.Result! : b.Result!;
    }

    // ---- abandoned acts ------------------------------------------------------------------------

    /// <summary>What an act leaves behind: the case's state and version, and the rows acts add.</summary>
    private sealed record Footprint(CaseState? State, int? Version, int Cases, int Journal, int Notifications, int Outbox, int Documents, int PendingDocuments,
        int Certificates, int Keys, long Numbers);

    private async Task<Footprint> FootprintAsync(long? caseId)
    {
        // The documents of earlier acts are kept first, so that only the abandoned act could change the rows.
        await _host.Services.GetRequiredService<ApprovalSystem.Web.Documents.DocumentWorker>().DrainAsync();
        await using var db = _host.CreateDbContext();
        var c = caseId is { } id ? await db.Cases.AsNoTracking().Where(x => x.Id == id).Select(x => new { x.State, x.Version }).SingleAsync() : null;
        return new Footprint(c?.State, c?.Version, await db.Cases.CountAsync(), await db.Journal.CountAsync(), await db.Notifications.CountAsync(),
            await db.Outbox.CountAsync(), await db.CaseDocuments.CountAsync(), await db.PendingDocuments.CountAsync(), await db.Certificates.CountAsync(),
            await db.IdempotencyRecords.CountAsync(), await db.CaseNumberCounters.SumAsync(n => (long)n.Last));
    }

    /// <summary>
    /// Runs an act and abandons it with its rows written and the commit next (as a request aborted there: its token
    /// cancelled, its scope disposed). Nothing of it may remain; the write gate and the store must serve the next act.
    /// </summary>
    private async Task AbandonAsync<T>(string name, long? caseId, Func<IServiceProvider, CancellationToken, Task<T>> body)
    {
        _act = $"abandon {name}";
        var before = await FootprintAsync(caseId);
        var hold = new Hold(HoldPoint.BeforeCommit);
        using var cts = new CancellationTokenSource();
        var scope = _host.Services.CreateScope();
        var act = UnderAsync(hold, () => body(scope.ServiceProvider, cts.Token));
        await Task.WhenAny(hold.Reached.Task, act);
        if (!hold.WasReached)
        {
            scope.Dispose();
            throw Fail($"the act to abandon ended before its commit: {(act.IsFaulted ? act.Exception!.InnerException!.Message : "it was saved")}");
        }

        await cts.CancelAsync();
        scope.Dispose();
        hold.Released.TrySetResult();
        try
        {
            await act;
            throw Fail("an act abandoned before its commit was saved");
        }
        catch (OperationCanceledException)
        {
            // As a request aborted mid-act ends.
        }

        var after = await FootprintAsync(caseId);
        if (after != before)
        {
            throw Fail($"an abandoned act left something behind: before {before}, after {after}");
        }

        _report.Add("abandoned:" + name);
    }

    private static async Task<T> UnderAsync<T>(Hold hold, Func<Task<T>> body)
    {
        Interleaving.Enter(hold);
        return await body();
    }
}
