using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Certificates;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Documents;

/// <summary>
/// The certificate register past its old cap (the newest 1,000, searched only among those): a search finds the oldest
/// certificate, the status filters count over the whole register, and the list pages newest first.
/// </summary>
public sealed class CertificateRegisterTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const int Seeded = 1_200;
    private static readonly CaseActor Clerk = new("clerk-register", "周敏", [Roles.Clerk], "FWZX");

    /// <summary>Seeds the register in bulk; <paramref name="tag"/> keeps two tests on one database apart.</summary>
    private async Task<List<CertificateRecord>> SeedAsync(string tag)
    {
        factory.CreateClient().Dispose();
        await using var db = factory.CreateDbContext();
        var issued = new DateTimeOffset(2020, 3, 2, 2, 0, 0, TimeSpan.Zero);
        var records = Enumerable.Range(0, Seeded).Select(i => new CertificateRecord
        {
            Number = $"REG{tag}{i:00000}",
            Code = $"rc{tag}{i:00000}",
            CaseId = 900_000 + i,
            CaseNumber = $"{tag}-20200302-{i:0000}",
            Type = "food-business",
            HolderName = i == 0 ? $"欧阳娜娜{tag}" : $"持证人{i}",
            HolderIdKind = "ResidentId",
            Department = "SCJG",
            IssuedAt = issued.AddHours(i),
            ValidUntil = i % 3 == 0 ? new DateOnly(2021, 1, 1) : new DateOnly(2099, 1, 1),
            Status = i % 10 == 0 ? CertificateStatus.Revoked : CertificateStatus.Valid,
            StatusReason = i % 10 == 0 ? "以欺骗手段取得" : null,
        }).ToList();
        db.Certificates.AddRange(records);
        await db.SaveChangesAsync();
        return records;
    }

    [Fact]
    public async Task ASearch_FindsTheOldestCertificate_AndEveryFilterCountsTheWholeRegister()
    {
        var records = await SeedAsync("A");
        var queries = factory.Get<CertificateQueries>();
        await using var db = factory.CreateDbContext();
        var all = await db.Certificates.AsNoTracking().ToListAsync();
        var today = WorkingTime.LocalDate(factory.Get<TimeProvider>().GetUtcNow());

        var oldest = await queries.RegisterAsync(Clerk, new(Text: "欧阳娜娜A"), 0, 50);
        var byCase = await queries.RegisterAsync(Clerk, new(Text: "A-20200302-0000"), 0, 50);
        var first = await queries.RegisterAsync(Clerk, new(), 0, 50);
        var last = await queries.RegisterAsync(Clerk, new(), all.Count - 10, 50);

        Assert.Equal(records[0].Id, Assert.Single(oldest.Rows).Id);
        Assert.Equal(1, oldest.Total);
        Assert.Equal(records[0].Id, Assert.Single(byCase.Rows).Id);
        Assert.Equal(all.Count, first.Total);
        Assert.True(first.Total > 1_000);
        Assert.Equal(all.OrderByDescending(x => x.Id).Take(50).Select(x => x.Id), first.Rows.Select(x => x.Id));
        Assert.Equal(all.OrderBy(x => x.Id).Take(10).Select(x => x.Id).Reverse(), last.Rows.Select(x => x.Id));

        // Each status as the page names it, counted over all rows: the same as a recount by the record's own rule.
        foreach (var status in new[] { "有效", "已过期", "已撤销", "已注销" })
        {
            var page = await queries.RegisterAsync(Clerk, new(Status: status), 0, 1);
            Assert.Equal(all.Count(x => x.StatusName(today) == status), page.Total);
        }

        Assert.Equal(all.Count(x => x.Status == CertificateStatus.Revoked), (await queries.RegisterAsync(Clerk, new(Status: "revoked"), 0, 1)).Total);
        Assert.Equal(0, (await queries.RegisterAsync(new CaseActor("o", "公安经办人", [Roles.Officer], "GA"), new(Text: "欧阳娜娜A"), 0, 50)).Total);
    }

    [Fact]
    public async Task TheApi_SearchesTheWholeRegister_AndSaysHowManyMatch()
    {
        await SeedAsync("B");
        var head = await ApiSession.SignInAsync(factory, "head.scjg");

        var (response, body) = await head.GetAsync("/api/certificates?q=" + Uri.EscapeDataString("欧阳娜娜B"));
        var (paged, pagedBody) = await head.GetAsync("/api/certificates?take=20&skip=1000");

        Assert.True(response.IsSuccessStatusCode, body.ToString());
        Assert.Contains(body.EnumerateArray(), x => x.GetProperty("holderName").GetString() == "欧阳娜娜B");
        Assert.Equal(body.GetArrayLength().ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("X-Total-Count").Single());
        Assert.True(paged.IsSuccessStatusCode, pagedBody.ToString());
        Assert.Equal(20, pagedBody.GetArrayLength());
        Assert.True(int.Parse(paged.Headers.GetValues("X-Total-Count").Single(), System.Globalization.CultureInfo.InvariantCulture) >= Seeded);
    }
}
