using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Cases.Queries;
using ApprovalSystem.Web.Features.Certificates;
using ApprovalSystem.Web.Features.Work;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Data;

/// <summary>
/// The search index (decision 0019) on a real database: every search of the case list, the worklist and the certificate
/// register answers what an in-memory oracle over all rows answers — a name contains the text anywhere, a number from its
/// start or a part's start — rows, order and exact totals, with names outside the BMP, rare and minority names.
/// </summary>
public sealed class SearchIndexTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string Matter = "330799-SCJG-011"; // promised-single: accepted, a step opens in SCJG

    private static readonly string[] Names =
    [
        "王小明", "王𠈌", "李䶮", "张堃", "阿卜杜·热合曼", "云溪县好味道餐饮管理有限公司", "张三", "张三丰", "欧阳娜娜", "𠈌王", "云溪县好味道餐饮管理有限公司第一分公司",
        "赵桂兰", "王",
    ];

    private static readonly CaseActor Clerk = new("clerk-search", "窗口人员", [Roles.Clerk], null);

    /// <summary>The documented rule, written independently of the index: a name anywhere, a number from a part's start.</summary>
    private static bool Matches(string? number, string name, string text) =>
        name.Contains(text, StringComparison.Ordinal) || NumberMatches(number, text);

    private static bool NumberMatches(string? number, string text) =>
        number is not null && Enumerable.Range(0, number.Length).Any(i =>
            (i == 0 || !char.IsAsciiLetterOrDigit(number[i]) || !char.IsAsciiLetterOrDigit(number[i - 1]))
            && number.AsSpan(i).StartsWith(text, StringComparison.Ordinal));

    [Fact]
    public async Task CaseList_And_Worklist_Search_OneTwoThreeCharactersNumberPartsAndEnterpriseWords_EqualTheOracle()
    {
        factory.CreateClient().Dispose();
        var definition = await factory.Get<WorkflowCatalog>().CurrentAsync("promised-single");
        var ids = await BulkCases.FileAsync(factory, 260, i => new CaseActor($"citizen-search-{i}", "申请人", [Roles.Applicant], null),
            i => Names[i % Names.Length], matterCode: Matter, then: (i, c, ctx, at) =>
            {
                if (i % 2 == 0)
                {
                    c.Accept(definition, Clerk, at, ctx.Time);
                }

                return Task.CompletedTask;
            });

        await using var db = factory.CreateDbContext();
        var cases = await db.Cases.AsNoTracking().IgnoreAutoIncludes().Select(c => new { c.Id, c.Number, Name = c.Applicant.Name, c.MatterName })
            .ToListAsync();
        var someNumber = cases.Single(c => c.Id == ids[37]).Number!; // 330799-yyyyMMdd-00nn
        var tail = someNumber[^4..];
        var queries = new[]
        {
            "王", "𠈌", "䶮", "堃", "·", "张三", "好味道", "有限公司", "阿卜杜·热", "王𠈌", "𠈌王", "云溪县好味道餐饮管理有限公司第一分", "溪县好味道餐饮管理有限公司第一分公司",
            tail, "-" + tail, someNumber[..11], someNumber[7..], "330799", "G", "无此人",
        };
        var queries2 = factory.Get<CaseQueries>();
        foreach (var text in queries)
        {
            var expected = cases.Where(c => Matches(c.Number, c.Name, text)).OrderByDescending(c => c.Id).Select(c => c.Id).ToList();
            var page = await queries2.MineAsync(Clerk, 0, 50, text);
            Assert.True(expected.Count == page.Total, $"{text}: {page.Total} found, {expected.Count} expected");
            Assert.Equal(expected.Take(50), page.Rows.Select(r => r.Id));
            if (expected.Count > 50)
            {
                Assert.Equal(expected.Skip(50).Take(50), (await queries2.MineAsync(Clerk, 50, 50, text)).Rows.Select(r => r.Id));
            }
        }

        // The searches that must find something did: the oracle is not vacuous.
        Assert.Equal(cases.Count(c => c.Name.Contains('王', StringComparison.Ordinal)), (await queries2.MineAsync(Clerk, 0, 50, "王")).Total);
        Assert.True((await queries2.MineAsync(Clerk, 0, 50, "好味道")).Total >= 2 * 260 / Names.Length);
        Assert.Equal(ids[37], (await queries2.MineAsync(Clerk, 0, 50, someNumber)).Rows.Single().Id);
        Assert.True((await queries2.MineAsync(Clerk, 0, 50, tail)).Total >= 1);

        // The semantics that changed: inside a part of a number is not searched (330799-2026… has 99-2026 inside its parts).
        Assert.Equal(0, (await queries2.MineAsync(Clerk, 0, 50, "99-2026")).Total);
        Assert.Contains(cases, c => c.Number?.Contains("99-2026", StringComparison.Ordinal) == true);

        // The worklist of SCJG: the accepted half, searched by number, name or matter, counted exactly.
        var officer = await OfficerAsync();
        var open = await db.Set<CaseStep>().AsNoTracking().Where(s => s.Department == "SCJG" && s.ClosedAt == null)
            .Select(s => EF.Property<long>(s, "CaseId")).ToListAsync();
        var matterWord = cases.First(c => c.Id == ids[0]).MatterName[..2];
        foreach (var text in new[] { "王", "䶮", "张三", "好味道", tail, matterWord })
        {
            var expected = open.Where(id => cases.Single(c => c.Id == id) is var c
                && (Matches(c.Number, c.Name, text) || c.MatterName.Contains(text, StringComparison.Ordinal))).Count();
            var page = await factory.Get<WorklistQueries>().PageAsync(officer, WorkFilter.All, 0, 200, text);
            Assert.True(expected == page.Total, $"worklist {text}: {page.Total} found, {expected} expected");
            Assert.Equal(expected, (await factory.Get<WorklistQueries>().CountsAsync(officer, text)).All);
            Assert.All(page.Rows, r => Assert.True(Matches(r.Number, r.Applicant, text) || r.MatterName.Contains(text, StringComparison.Ordinal)));
        }

        Assert.True((await factory.Get<WorklistQueries>().PageAsync(officer, WorkFilter.All, 0, 200, "王")).Total > 0);
    }

    [Fact]
    public async Task Case_WhoseApplicantChangesAndNumberIsDrawn_IsFoundByTheNewNameAndNumber_NotTheOld()
    {
        factory.CreateClient().Dispose();
        await using var setup = factory.CreateDbContext();
        var matter = await setup.Matters.AsNoTracking().Include(m => m.Department).FirstAsync(m => m.Code == Matter);
        var citizen = new CaseActor("citizen-rename", "申请人", [Roles.Applicant], null);
        ApplicantInfo Person(string name) => new() { Name = name, IdType = ApplicantIdType.ResidentId, IdNumber = "330799199001010027", Phone = "13900000002" };
        var store = factory.Get<CaseStore>();
        var draft = await store.CreateAsync(ctx =>
            Task.FromResult(Case.Draft(MatterSnapshot.From(matter, "SCJG"), Person("甲乙丙𠈌"), new Dictionary<string, string>(), citizen, ctx.Now)));
        var queries = factory.Get<CaseQueries>();
        Assert.Equal(draft.Id, (await queries.MineAsync(citizen, 0, 50, "乙丙𠈌")).Rows.Single().Id);

        var filed = await store.ExecuteAsync(draft.Id, citizen, async (c, ctx) =>
        {
            c.UpdateDraft(new Dictionary<string, string>(), Person("丁戊己"), citizen, ctx.Now);
            c.Submit(await CaseStore.NextNumberAsync(ctx.Db, "330799", ctx.Now, default), "123456", citizen, ctx.Now, ctx.Time);
        });

        Assert.Equal(0, (await queries.MineAsync(citizen, 0, 50, "乙丙")).Total);
        Assert.Equal(0, (await queries.MineAsync(Clerk, 0, 50, "甲乙丙𠈌")).Total);
        Assert.Equal(filed.Id, (await queries.MineAsync(citizen, 0, 50, "戊己")).Rows.Single().Id);
        Assert.Equal(filed.Id, (await queries.MineAsync(citizen, 0, 50, filed.Number![^4..])).Rows.Single().Id);
        await using var db = factory.CreateDbContext();
        Assert.Equal(SearchTerms.OfCase(filed.Number, "丁戊己").Order(StringComparer.Ordinal),
            (await db.CaseSearchTerms.Where(t => t.CaseId == filed.Id).Select(t => t.Term).ToListAsync()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CertificateRegister_FindsAnOldCertificateByPartOfItsNumber_HolderOrCaseNumber_AndFollowsARenamedHolder()
    {
        factory.CreateClient().Dispose();
        const int Count = 240;
        await using (var db = factory.CreateDbContext())
        {
            for (var i = 1; i <= Count; i++)
            {
                db.Certificates.Add(new CertificateRecord
                {
                    Number = $"JY3307992026{i:000000}", Code = $"search-{i}", CaseId = 900_000 + i, CaseNumber = $"330799-20261204-{i:0000}",
                    Type = "food-business", HolderName = Names[i % Names.Length], HolderIdKind = "ResidentId", Department = "SCJG",
                    IssuedAt = DateTimeOffset.UtcNow, Status = CertificateStatus.Valid,
                });
            }

            await db.SaveChangesAsync();
        }

        var register = factory.Get<CertificateQueries>();
        async Task<List<(long Id, string Number, string Holder, string CaseNumber)>> AllAsync()
        {
            await using var db = factory.CreateDbContext();
            return (await db.Certificates.AsNoTracking().Select(x => new { x.Id, x.Number, x.HolderName, x.CaseNumber }).ToListAsync())
                .Select(x => (x.Id, x.Number, x.HolderName, x.CaseNumber)).ToList();
        }

        async Task AssertOracleAsync(string text)
        {
            var expected = (await AllAsync()).Where(x => x.Number.Contains(text, StringComparison.Ordinal) || x.Holder.Contains(text, StringComparison.Ordinal)
                || NumberMatches(x.CaseNumber, text)).OrderByDescending(x => x.Id).Select(x => x.Id).ToList();
            var page = await register.RegisterAsync(Clerk, new CertificateQueries.RegisterFilter(Text: text), 0, 50);
            Assert.True(expected.Count == page.Total, $"{text}: {page.Total} found, {expected.Count} expected");
            Assert.Equal(expected.Take(50), page.Rows.Select(r => r.Id));
        }

        // The first certificate, long buried under newer ones: by a tail, the whole number (longer than a term), its case number's part.
        foreach (var text in new[] { "000001", "2026000001", "JY3307992026000001", "-0001", "0001", "䶮", "𠈌", "好味道", "3307992026", "王", "·热" })
        {
            await AssertOracleAsync(text);
        }

        Assert.Equal("JY3307992026000001", (await register.RegisterAsync(Clerk, new(Text: "JY3307992026000001"), 0, 50)).Rows.Single().Number);
        Assert.True((await register.RegisterAsync(Clerk, new(Text: "JY33"), 0, 50)).Total >= Count);

        // A holder renamed: the register follows the saved record.
        await using (var db = factory.CreateDbContext())
        {
            var first = await db.Certificates.SingleAsync(x => x.Number == "JY3307992026000001");
            first.HolderName = "龘靐齉";
            await db.SaveChangesAsync();
        }

        await AssertOracleAsync("龘靐");
        Assert.Single((await register.RegisterAsync(Clerk, new(Text: "靐齉"), 0, 50)).Rows);
        await AssertOracleAsync(Names[1 % Names.Length]);
    }

    [Fact]
    public async Task Backfill_WritesTheSameTermsAsTheApp_ForEveryCaseAndCertificate()
    {
        factory.CreateClient().Dispose();
        await BulkCases.FileAsync(factory, Names.Length, i => new CaseActor($"citizen-backfill-{i}", "申请人", [Roles.Applicant], null), i => Names[i]);
        await using var db = factory.CreateDbContext();
        db.Certificates.Add(new CertificateRecord
        {
            Number = "JY3307992026𠈌0001", Code = "backfill-1", CaseId = 1, CaseNumber = "330799-20261204-0001", Type = "food-business",
            HolderName = "阿卜杜·热合曼𠈌", HolderIdKind = "ResidentId", Department = "SCJG", IssuedAt = DateTimeOffset.UtcNow, Status = CertificateStatus.Valid,
        });
        await db.SaveChangesAsync();
        var cases = await db.CaseSearchTerms.AsNoTracking().Select(t => t.CaseId + "|" + t.Term).ToListAsync();
        var certificates = await db.CertificateSearchTerms.AsNoTracking().Select(t => t.CertificateId + "|" + t.Term).ToListAsync();
        Assert.Contains(cases, t => t.EndsWith("|王𠈌", StringComparison.Ordinal));

        await db.CaseSearchTerms.ExecuteDeleteAsync();
        await db.CertificateSearchTerms.ExecuteDeleteAsync();
        await db.Database.ExecuteSqlRawAsync(SearchTerms.BackfillSql(AppFactory.IsPostgres ? "Postgres" : "Sqlite", 0));

        Assert.Equal(cases.Order(StringComparer.Ordinal), (await db.CaseSearchTerms.AsNoTracking().Select(t => t.CaseId + "|" + t.Term).ToListAsync())
            .Order(StringComparer.Ordinal));
        Assert.Equal(certificates.Order(StringComparer.Ordinal),
            (await db.CertificateSearchTerms.AsNoTracking().Select(t => t.CertificateId + "|" + t.Term).ToListAsync()).Order(StringComparer.Ordinal));
    }

    private async Task<CaseActor> OfficerAsync()
    {
        await using var db = factory.CreateDbContext();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "officer.scjg");
        return new CaseActor(user.Id, user.DisplayName, [Roles.Officer], "SCJG");
    }
}
