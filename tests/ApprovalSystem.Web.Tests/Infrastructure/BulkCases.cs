using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Infrastructure;

/// <summary>Many filings of one matter through the real store, for lists tested past their old caps.</summary>
public static class BulkCases
{
    /// <param name="filer">Who files the i-th case (its owner).</param>
    /// <param name="applicant">The name on the i-th case.</param>
    /// <param name="age">How long ago the first was filed (each next one a second later).</param>
    /// <param name="withdraw">Withdrawn by the filer in the same act (it then waits in the window's archive queue).</param>
    /// <param name="then">Another act on the i-th case in the same unit of work (accepted, say, so it opens a step).</param>
    public static async Task<List<long>> FileAsync(AppFactory factory, int count, Func<int, CaseActor> filer, Func<int, string> applicant,
        TimeSpan age = default, bool withdraw = false, Func<int, Case, CaseActContext, DateTimeOffset, Task>? then = null,
        string matterCode = "330799-SCJG-001")
    {
        await using var db = factory.CreateDbContext();
        var matter = await db.Matters.AsNoTracking().Include(m => m.Department).FirstAsync(m => m.Code == matterCode);
        var snapshot = MatterSnapshot.From(matter, matter.Department!.Code);
        var store = factory.Get<CaseStore>();
        var ids = new List<long>(count);
        for (var i = 0; i < count; i++)
        {
            var actor = filer(i);
            var info = new ApplicantInfo { Name = applicant(i), IdType = ApplicantIdType.ResidentId, IdNumber = "330799199001010027", Phone = "13900000002" };
            var at = i;
            var c = await store.CreateAsync(async ctx =>
            {
                var filedAt = ctx.Now - age + TimeSpan.FromSeconds(at);
                var draft = Case.Draft(snapshot, info, new Dictionary<string, string>(), actor, filedAt);
                draft.Submit(await CaseStore.NextNumberAsync(ctx.Db, "330799", ctx.Now, default), "123456", actor, filedAt, ctx.Time);
                if (withdraw)
                {
                    draft.Withdraw("不再办理", actor, filedAt, ctx.Time);
                }

                if (then is not null)
                {
                    await then(at, draft, ctx, filedAt);
                }

                return draft;
            });
            ids.Add(c.Id);
        }

        return ids;
    }
}
