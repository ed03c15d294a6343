using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Exchange.Resources;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Exchange;

/// <summary>
/// Development demo data: two shared resources with a few records, and the centre's (FWZX) grants,
/// so window prefill works in the demo.
/// </summary>
/// <summary>The exchange's development data: shared resources first; with demo cases, demo line systems after them.</summary>
public sealed class ExchangeDemoSeed : Infrastructure.Seeding.IDemoSeed
{
    public int Order => 10;

    public async Task SeedAsync(IServiceProvider services, bool demoCases, CancellationToken ct)
    {
        await ExchangeSeed.EnsureAsync(services, ct);
    }
}

/// <summary>Demo line systems come after the demo cases they push to.</summary>
public sealed class ExchangeDemoLineSystemsSeed : Infrastructure.Seeding.IDemoSeed
{
    public int Order => 30;

    public Task SeedAsync(IServiceProvider services, bool demoCases, CancellationToken ct) =>
        demoCases ? ExchangeSeed.EnsureDemoLineSystemsAsync(services, ct) : Task.CompletedTask;
}

public static class ExchangeSeed
{
    public const string Enterprises = "SCJG-QYDJ";

    public const string Residents = "GA-JMSF";

    public static async Task EnsureAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.ShareResources.AnyAsync(ct) || !await db.Departments.AnyAsync(d => d.Code == "SCJG", ct)
                || !await db.Departments.AnyAsync(d => d.Code == "GA", ct))
            {
                return;
            }
        }

        var catalogue = services.GetRequiredService<ResourceCatalogue>();
        await catalogue.PublishAsync(Enterprises, "企业登记信息", "SCJG", "市场主体登记的基本信息", ["统一社会信用代码", "企业名称", "住所", "法定代表人", "注册资本", "成立日期"], ct);
        await catalogue.PublishAsync(Residents, "居民身份基本信息", "GA", "居民身份证登记的基本信息", ["身份证号", "姓名", "性别", "住址"], ct);
        await catalogue.PutRecordAsync(Enterprises, new Dictionary<string, string>
        {
            ["统一社会信用代码"] = "91330799MA2K3L4N5T", ["企业名称"] = "云溪县绿源食品有限公司", ["住所"] = "云溪县城关镇解放路18号",
            ["法定代表人"] = "陈明", ["注册资本"] = "500万元人民币", ["成立日期"] = "2019-06-18",
        }, ct);
        await catalogue.PutRecordAsync(Enterprises, new Dictionary<string, string>
        {
            ["统一社会信用代码"] = "91330799MA2B7C8D95", ["企业名称"] = "云溪县山水茶业有限公司", ["住所"] = "云溪县溪口镇茶园路6号",
            ["法定代表人"] = "吴丽", ["注册资本"] = "100万元人民币", ["成立日期"] = "2021-03-02",
        }, ct);
        await catalogue.PutRecordAsync(Residents, new Dictionary<string, string>
        {
            ["身份证号"] = "330799198503120016", ["姓名"] = "张伟", ["性别"] = "男", ["住址"] = "云溪县城关镇人民路25号",
        }, ct);
        await catalogue.PutRecordAsync(Residents, new Dictionary<string, string>
        {
            ["身份证号"] = "330799195208170025", ["姓名"] = "王秀英", ["性别"] = "女", ["住址"] = "云溪县溪口镇上溪村3组",
        }, ct);

        // The centre asked for what the window forms need; the providers granted it (the legal
        // representative's identity-related fields beyond the name are not needed and not asked).
        var enterprise = await catalogue.RequestAsync(Enterprises, ExchangeSetup.CentreDepartment, ["企业名称", "住所", "法定代表人"], Prefill.WindowPurpose, "系统初始化", ct);
        await catalogue.DecideAsync(enterprise.Id, enterprise.Fields.ToDictionary(f => f.Field, _ => true), "SCJG", "系统初始化", ct);
        var resident = await catalogue.RequestAsync(Residents, ExchangeSetup.CentreDepartment, ["姓名", "住址"], Prefill.WindowPurpose, "系统初始化", ct);
        await catalogue.DecideAsync(resident.Id, resident.Fields.ToDictionary(f => f.Field, _ => true), "GA", "系统初始化", ct);
    }

    /// <summary>
    /// Development demo (with the demo cases): three registered line systems, and one application
    /// filed and concluded in 市场监管业务系统 that reached the centre only through its pushes — a
    /// mirrored case with its timeline, in the supervision feed, and the 体外循环 alert.
    /// </summary>
    public static async Task EnsureDemoLineSystemsAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        string? matter;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.LineSystems.AnyAsync(ct))
            {
                return;
            }

            matter = await db.Matters.AsNoTracking().Where(m => m.Department!.Code == "SCJG").OrderBy(m => m.Code).Select(m => m.Code).FirstOrDefaultAsync(ct);
        }

        var systems = services.GetRequiredService<Systems.LineSystems.Handler>();
        await systems.RegisterAsync(new("SCJG-YW", "市场监管业务系统", "SCJG", null), ct);
        await systems.RegisterAsync(new("GA-HZ", "公安户政管理系统", "GA", null), ct);
        await systems.RegisterAsync(new("BDC-DJ", "不动产登记系统", "BDC", null), ct);
        if (matter is null)
        {
            return;
        }

        LineSystem scjg;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            scjg = await db.LineSystems.AsNoTracking().SingleAsync(l => l.Code == "SCJG-YW", ct);
        }

        var push = services.GetRequiredService<Inbound.PushCaseState.Handler>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var applicant = new Inbound.PushCaseState.ApplicantInput("云溪县山水茶业有限公司", "CreditCode", "91330799MA2B7C8D95", "13900000006", "云溪县溪口镇茶园路6号");
        foreach (var (step, opinion, daysAgo) in new[] { ("受理", "材料齐全，予以受理", 3), ("审查", "现场核查符合要求", 2), ("准予", "准予许可", 1) })
        {
            await push.HandleAsync(scjg, new Inbound.PushCaseState.Command
            {
                EventId = $"demo-scjg-yw-{step}",
                CaseId = "YW-2026-000318",
                MatterCode = matter,
                Applicant = applicant,
                Step = step,
                Opinion = opinion,
                Actor = new Inbound.PushCaseState.ActorInput("yw-017", "吕审查"),
                OccurredAt = now.AddDays(-daysAgo),
            }, ct);
        }
    }
}
