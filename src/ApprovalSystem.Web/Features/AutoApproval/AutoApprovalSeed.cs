using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Exchange;
using ApprovalSystem.Web.Features.Exchange.Resources;
using ApprovalSystem.Web.Infrastructure.Seeding;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.AutoApproval;

/// <summary>
/// The 秒批 rules the catalogue ships (<see cref="MatterData.AutoApproval"/>): for each matter the database holds with no rule version
/// yet, version 1, published. Later versions are the administrators'; a matter that has any version is left alone.
/// </summary>
public sealed class AutoApprovalSeed(TimeProvider clock, ILogger<AutoApprovalSeed> logger) : IReferenceSeed
{
    public int Order => 12;

    public async Task SeedAsync(AppDbContext db, CancellationToken ct)
    {
        var data = CatalogueData.Parse(await File.ReadAllTextAsync(Path.Combine(DatabaseInitializer.SeedFolder, "catalogue.json"), ct));
        var configured = data.Matters.Where(m => m.AutoApproval is not null).ToList();
        var versioned = await db.AutoApprovalRuleVersions.Select(v => v.MatterCode).Distinct().ToListAsync(ct);
        var matters = await db.Matters.Select(m => m.Code).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var added = 0;
        foreach (var m in configured.Where(m => !versioned.Contains(m.Code) && matters.Contains(m.Code)))
        {
            db.AutoApprovalRuleVersions.Add(new AutoApprovalRuleVersion
            {
                MatterCode = m.Code, Version = 1, Status = RuleVersionStatus.Published, Rules = m.AutoApproval!.ToJson(), Note = "随事项目录发布",
                CreatedAt = now, CreatedBy = "系统初始化", PublishedAt = now, PublishedBy = "系统初始化",
            });
            added++;
        }

        if (added > 0)
        {
            await db.SaveChangesAsync(ct);
            logger.LogInformation("秒批 rules loaded for {Count} matters", added);
        }
    }
}

/// <summary>
/// Development data for 秒批: the shared resources its demo rules read (market-entity status, individual businesses, household
/// records, driving licences) with records for the demo citizen and enterprise, and each reading department's granted fields.
/// </summary>
public sealed class AutoApprovalDemoSeed : IDemoSeed
{
    public const string MarketEntities = "SCJG-ZTZT";

    public const string IndividualBusinesses = "SCJG-GTDJ";

    public const string Households = "GA-HJ";

    public const string DrivingLicences = "GA-JSZ";

    /// <summary>After the exchange's resources (10), before the demo cases' line systems (30).</summary>
    public int Order => 11;

    public async Task SeedAsync(IServiceProvider services, bool demoCases, CancellationToken ct)
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var departments = await db.Departments.Select(d => d.Code).ToListAsync(ct);
            if (await db.ShareResources.AnyAsync(r => r.Code == MarketEntities, ct) || !new[] { "SCJG", "GA", "YBJ" }.All(departments.Contains))
            {
                return;
            }
        }

        var catalogue = services.GetRequiredService<ResourceCatalogue>();
        await catalogue.PublishAsync(MarketEntities, "市场主体登记状态", "SCJG", "市场主体的名称、法定代表人和登记状态（存续、吊销、注销）",
            ["统一社会信用代码", "名称", "法定代表人", "登记状态", "营业期限至"], ct);
        await catalogue.PublishAsync(IndividualBusinesses, "个体工商户登记信息", "SCJG", "个体工商户的字号名称、经营者和登记状态",
            ["经营者身份证号", "经营者姓名", "字号名称", "登记状态"], ct);
        await catalogue.PublishAsync(Households, "户籍登记信息", "GA", "常住人口的户籍登记状态", ["身份证号", "姓名", "户籍状态", "户籍地址"], ct);
        await catalogue.PublishAsync(DrivingLicences, "机动车驾驶证信息", "GA", "机动车驾驶证的档案编号、准驾车型和状态",
            ["身份证号", "姓名", "档案编号", "准驾车型", "驾驶证状态"], ct);

        await catalogue.PutRecordAsync(MarketEntities, new Dictionary<string, string>
        {
            ["统一社会信用代码"] = "91330799MA2K3L4N5T", ["名称"] = "云溪县绿源食品有限公司", ["法定代表人"] = "陈明", ["登记状态"] = "存续", ["营业期限至"] = "长期",
        }, ct);
        await catalogue.PutRecordAsync(MarketEntities, new Dictionary<string, string>
        {
            ["统一社会信用代码"] = "91330799MA2B7C8D95", ["名称"] = "云溪县山水茶业有限公司", ["法定代表人"] = "吴丽", ["登记状态"] = "吊销", ["营业期限至"] = "2041-03-01",
        }, ct);
        await catalogue.PutRecordAsync(IndividualBusinesses, new Dictionary<string, string>
        {
            ["经营者身份证号"] = "330799198503120016", ["经营者姓名"] = "张伟", ["字号名称"] = "云溪县张记小吃店", ["登记状态"] = "存续",
        }, ct);
        await catalogue.PutRecordAsync(Households, new Dictionary<string, string>
        {
            ["身份证号"] = "330799198503120016", ["姓名"] = "张伟", ["户籍状态"] = "正常", ["户籍地址"] = "云溪县城关镇人民路25号",
        }, ct);
        await catalogue.PutRecordAsync(Households, new Dictionary<string, string>
        {
            ["身份证号"] = "330799195208170025", ["姓名"] = "王秀英", ["户籍状态"] = "正常", ["户籍地址"] = "云溪县溪口镇上溪村3组",
        }, ct);
        await catalogue.PutRecordAsync(DrivingLicences, new Dictionary<string, string>
        {
            ["身份证号"] = "330799198503120016", ["姓名"] = "张伟", ["档案编号"] = "330700123456", ["准驾车型"] = "C1", ["驾驶证状态"] = "正常",
        }, ct);

        // Each department reads what its matters' rules check, for the purpose 秒批; the providers granted it.
        foreach (var (resource, provider, consumer, fields) in new (string, string, string, string[])[]
        {
            (MarketEntities, "SCJG", "SCJG", ["名称", "法定代表人", "登记状态"]),
            (MarketEntities, "SCJG", "GA", ["名称", "法定代表人", "登记状态"]),
            (IndividualBusinesses, "SCJG", "SCJG", ["字号名称", "登记状态"]),
            (Households, "GA", "SCJG", ["姓名", "户籍状态"]),
            (Households, "GA", "GA", ["姓名", "户籍状态"]),
            (Households, "GA", "YBJ", ["姓名", "户籍状态"]),
            (DrivingLicences, "GA", "GA", ["姓名", "档案编号", "准驾车型", "驾驶证状态"]),
        })
        {
            var request = await catalogue.RequestAsync(resource, consumer, fields, AutoApprover.Purpose + "：自动审批前核验申请信息", "系统初始化", ct);
            await catalogue.DecideAsync(request.Id, request.Fields.ToDictionary(f => f.Field, _ => true), provider, "系统初始化", ct);
        }
    }
}
