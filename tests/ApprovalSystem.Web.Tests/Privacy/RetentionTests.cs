using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Cases.Filing;
using ApprovalSystem.Web.Features.Privacy;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Supervision;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalSystem.Web.Tests.Privacy;

/// <summary>
/// The retention job (Privacy:DraftRetentionDays 180, Privacy:RejectedUploadRetentionDays 30) on the real database with a fake clock:
/// an old draft goes with its files, a newer draft and every filed case stay, a file another case shares stays, a refused case
/// keeps its record but loses its uploads; the journal stays intact.
/// </summary>
public sealed class RetentionTests : IDisposable
{
    private readonly ClockedAppFactory factory = new();

    public void Dispose() => factory.Dispose();

    private static readonly CaseActor Clerk = new("clerk-test", "李晓梅", [Roles.Clerk], "FWZX");

    private static readonly ApplicantInfo Applicant = new()
    {
        Name = "王芳", IdType = ApplicantIdType.ResidentId, IdNumber = "330799198503120016", Phone = "13800000001",
    };

    private async Task<Case> DraftAsync(bool submit = false)
    {
        await using var db = factory.CreateDbContext();
        var matter = await db.Matters.AsNoTracking().Include(m => m.Department).FirstAsync(m => m.Code == "330799-SCJG-001");
        return await factory.Get<CaseStore>().CreateAsync(async ctx =>
        {
            var c = Case.Draft(MatterSnapshot.From(matter, matter.Department!.Code), Applicant, new Dictionary<string, string>(), Clerk, ctx.Now);
            if (submit)
            {
                c.Submit(await CaseStore.NextNumberAsync(ctx.Db, "330799", ctx.Now, default), "123456", Clerk, ctx.Now, ctx.Time);
            }

            return c;
        });
    }

    private async Task<string> UploadAsync(Case c, string content, int material = 0)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n" + content);
        using var stream = new MemoryStream(bytes);
        var handler = factory.Services.CreateScope().ServiceProvider.GetRequiredService<UploadMaterial.Handler>();
        await handler.HandleAsync(new UploadMaterial.Command(c.Id, c.Materials[material].Name, "材料.pdf", stream), Clerk);
        return ContentFiles.Sha256Of(bytes);
    }

    private bool OnDisk(string sha) => File.Exists(ContentFiles.PathFor(factory.DataFolder, sha));

    private async Task<RetentionJob.Result> RunAtAsync(DateTimeOffset at)
    {
        factory.Clock.SetUtcNow(at);
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<RetentionJob>().RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Draft_OlderThanTheSetting_IsDeletedWithItsFiles_NewerDraftsAndFiledCasesStay()
    {
        var t0 = ClockedAppFactory.At("2026-10-08T10:00");
        factory.Clock.SetUtcNow(t0);
        factory.CreateClient().Dispose();
        var old = await DraftAsync();
        var ownFile = await UploadAsync(old, "only the old draft's");
        var sharedFile = await UploadAsync(old, "the same scan, in a filed case too", material: 1);
        var filed = await DraftAsync(submit: true);
        await UploadAsync(filed, "the same scan, in a filed case too");

        factory.Clock.SetUtcNow(t0.AddDays(100));
        var newer = await DraftAsync();
        var newerFile = await UploadAsync(newer, "the newer draft's");

        // 179 days after its last save the old draft stays; at 181 it goes.
        Assert.Equal(0, (await RunAtAsync(t0.AddDays(179))).DraftsDeleted);
        Assert.True(OnDisk(ownFile));
        var result = await RunAtAsync(t0.AddDays(181));

        Assert.Equal(1, result.DraftsDeleted);
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Cases.AnyAsync(c => c.Id == old.Id));
        Assert.True(await db.Cases.AnyAsync(c => c.Id == newer.Id));
        Assert.True(await db.Cases.AnyAsync(c => c.Id == filed.Id));
        Assert.False(OnDisk(ownFile));
        Assert.False(await db.StoredFiles.AnyAsync(f => f.Sha256 == ownFile));
        Assert.True(OnDisk(sharedFile)); // the filed case still refers to it
        Assert.True(await db.StoredFiles.AnyAsync(f => f.Sha256 == sharedFile));
        Assert.True(OnDisk(newerFile));
        Assert.Equal(await db.Cases.CountAsync(c => c.State == CaseState.Draft), await StateCounts.ReadAsync(db, StateCounts.CaseState, nameof(CaseState.Draft)));
        Assert.Contains(await db.Journal.Where(e => e.CaseId == old.Id).ToListAsync(), e => e.Action == "草稿超期删除");
        Assert.True((await CaseJournal.VerifyAsync(db)).IsIntact);
    }

    [Fact]
    public async Task RefusedCase_LosesItsUploadsAfterTheSetting_ButKeepsItsRecord()
    {
        var t0 = ClockedAppFactory.At("2026-10-08T10:00");
        factory.Clock.SetUtcNow(t0);
        factory.CreateClient().Dispose();
        var refused = await DraftAsync(submit: true);
        var file = await UploadAsync(refused, "a refused applicant's ID card scan");
        await factory.Get<CaseStore>().ExecuteAsync(refused.Id, Clerk, (c, ctx) =>
        {
            c.Refuse("不属于本机关职权范围", Clerk, ctx.Now, ctx.Time);
            return Task.CompletedTask;
        });
        var open = await DraftAsync(submit: true);
        var openFile = await UploadAsync(open, "a case still waiting");

        Assert.Equal(0, (await RunAtAsync(t0.AddDays(29))).CasesPurged);
        Assert.True(OnDisk(file));
        var result = await RunAtAsync(t0.AddDays(31));

        Assert.Equal(1, result.CasesPurged);
        await using var db = factory.CreateDbContext();
        var kept = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == refused.Id);
        Assert.Equal(CaseState.NotAccepted, kept.State);
        Assert.All(kept.Materials, m => Assert.Null(m.FileSha256));
        Assert.Contains(kept.Materials, m => m.FileName == "材料.pdf");
        Assert.False(OnDisk(file));
        Assert.True(OnDisk(openFile));
        Assert.Contains(await db.Journal.Where(e => e.CaseId == refused.Id).ToListAsync(), e => e.Action == "材料超期删除");
        Assert.True((await CaseJournal.VerifyAsync(db)).IsIntact);
    }
}
