using System.Text.Json;
using ApprovalSystem.Core.Bundles;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Bundles;

/// <summary>
/// Runs an act on a bundle case 一件事 and its member cases in one transaction (<see cref="CaseStore.ExecuteManyAsync"/>): the bundle
/// row, its journal records and its one notice to the applicant are written with the members' rows, or nothing is.
/// </summary>
public sealed class BundleStore(CaseStore store, IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>While set, the members' own acts tell the applicant nothing: the bundle gives one notice (<see cref="BundleCase.Notices"/>).</summary>
    private static readonly AsyncLocal<bool> Acting = new();

    /// <summary>Whether a bundle act is running in this flow (the case notifier leaves the applicant's notices to the bundle).</summary>
    public static bool InBundleAct => Acting.Value;

    public CaseStore Cases => store;

    /// <summary>Loads a bundle case the actor may see, or says it does not exist.</summary>
    public async Task<BundleCase> FindAsync(long bundleId, CaseActor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var b = await db.BundleCases.AsNoTracking().FirstOrDefaultAsync(x => x.Id == bundleId, ct);
        return b is not null && b.IsVisibleTo(actor) ? b : throw new CaseNotFoundException("一件事办件不存在，或您无权查看");
    }

    /// <summary>
    /// Runs <paramref name="act"/> on the bundle (tracked, checked visible) and the member cases it names, and saves all in one transaction.
    /// </summary>
    public async Task<BundleCase> ExecuteAsync(long bundleId, CaseActor actor, Func<BundleCase, IReadOnlyList<Case>, CaseActContext, Task> act,
        CancellationToken ct = default)
    {
        var found = await FindAsync(bundleId, actor, ct);
        BundleCase? result = null;
        Acting.Value = true;
        try
        {
            await store.ExecuteManyAsync([.. found.Members.Select(m => m.CaseId)], async (cases, ctx) =>
            {
                var b = await ctx.Db.BundleCases.FirstAsync(x => x.Id == bundleId, ct);
                b.ClearPendingRecords();
                var notices = b.Notices.Count;
                await act(b, [.. b.Members.Select(m => cases.First(c => c.Id == m.CaseId))], ctx);
                await WriteAsync(ctx.Db, b, notices, ct);
                result = b;
            }, ct);
        }
        finally
        {
            Acting.Value = false;
        }

        return result!;
    }

    /// <summary>Adds the bundle's pending journal records and its new notices (one notification per filer) to the unit of work.</summary>
    public static Task WriteAsync(AppDbContext db, BundleCase b, int noticesBefore, CancellationToken ct)
    {
        _ = ct;
        foreach (var r in b.PendingRecords)
        {
            db.BundleJournal.Add(new BundleJournalEntry
            {
                BundleCaseId = b.Id, At = r.At, ActorId = r.Actor.UserId, ActorName = r.Actor.Name, Role = r.Actor.PrimaryRole, Action = r.Act,
                FromState = r.From.ToString(), ToState = r.To.ToString(), Opinion = r.Opinion,
                Data = JsonSerializer.Serialize(r.Data, Data.Configurations.CaseConfiguration.JsonOptions),
            });
        }

        b.ClearPendingRecords();
        var filers = new[] { b.OwnerUserId, b.AgentUserId }.OfType<string>().Distinct().ToList();
        foreach (var n in b.Notices.Skip(noticesBefore))
        {
            db.Notifications.AddRange(filers.Select(u => new Notification
            {
                UserId = u, Title = n.Kind, Body = n.Text.Length > 500 ? n.Text[..500] : n.Text, Link = $"/bundles/{b.Id}", CreatedAt = n.At,
            }));
        }

        return Task.CompletedTask;
    }

    /// <summary>Runs a creation with the members' own notices left to the bundle.</summary>
    public static async Task<T> QuietlyAsync<T>(Func<Task<T>> work)
    {
        Acting.Value = true;
        try
        {
            return await work();
        }
        finally
        {
            Acting.Value = false;
        }
    }
}
