using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;

using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Infrastructure.Seeding;

namespace ApprovalSystem.Web.Features.Cases.Demo;

/// <summary>
/// Development only: a dozen cases in every state of the lifecycle, filed over the last working
/// days, so a new user sees full queues, worklists with green, yellow and red deadlines, and a
/// history to look at. Each case goes through the real domain acts and the journal.
/// </summary>
/// <summary>The development demo's cases (Demo:Cases): after the exchange's shared resources, before its line systems.</summary>
public sealed class DemoCaseSeed : IDemoSeed
{
    public int Order => 20;

    public Task SeedAsync(IServiceProvider services, bool demoCases, CancellationToken ct) => demoCases ? DemoCases.EnsureAsync(services, ct)
        : Task.CompletedTask;
}

public static class DemoCases
{
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    public static async Task EnsureAsync(IServiceProvider services, CancellationToken ct)
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.Cases.AnyAsync(ct))
            {
                return;
            }
        }

        var workingTime = services.GetRequiredService<WorkingTimeProvider>();
        var catalog = services.GetRequiredService<WorkflowCatalog>();
        var storage = services.GetRequiredService<StorageOptions>();

        // The demo's acts write what any act writes (notifications, outbox); their documents are rendered when opened.
        var writers = services.GetServices<ICaseActWriter>().ToList();
        var time = await workingTime.GetAsync(ct);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var today = WorkingTime.LocalDate(now);

        // A working day n days back, at a time of day.
        DateTimeOffset Back(int workingDays, int hour)
        {
            var d = today;
            var counted = 0;
            while (counted < workingDays)
            {
                d = d.AddDays(-1);
                if (time.Calendar.IsWorkingDay(d))
                {
                    counted++;
                }
            }

            var at = new DateTimeOffset(d.ToDateTime(new TimeOnly(hour, 15)), WorkingTime.ChinaOffset).ToUniversalTime();

            // Nothing is filed in the future: early in the morning "today" means an hour ago.
            return at < now ? at : now.AddHours(-1);
        }

        Dictionary<string, CaseActor> actors;
        Dictionary<string, ApplicantInfo> applicants;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var users = await db.Users.AsNoTracking().Include(u => u.Department).Include(u => u.Station).ToListAsync(ct);
            var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync(ct);
            actors = users.ToDictionary(u => u.UserName!, u =>
                new CaseActor(u.Id, u.DisplayName, roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).ToList(), u.Department?.Code, u.Station?.Code));
            applicants = users.Where(u => u.ApplicantType is not null).ToDictionary(u => u.UserName!, u => new ApplicantInfo
            {
                Name = u.DisplayName,
                IdType = u.ApplicantType == ApplicantType.Enterprise ? ApplicantIdType.CreditCode : ApplicantIdType.ResidentId,
                IdNumber = (u.CreditCode ?? u.IdNumber)!,
                Phone = u.PhoneNumber ?? "",
                LegalRepresentative = u.LegalRepresentative,
            });
        }

        var residents = new[]
        {
            new ApplicantInfo { Name = "赵桂兰", IdType = ApplicantIdType.ResidentId, IdNumber = "330799195208170025", Phone = "13957901234", Address = "城关镇东门村" },
            new ApplicantInfo { Name = "钱国平", IdType = ApplicantIdType.ResidentId, IdNumber = "330799199001011236", Phone = "13857905678", Address = "城关镇西街" },
        };

        async Task<long> FileAsync(string matterCode, ApplicantInfo applicant, string filer, DateTimeOffset at)
        {
            var store = new CaseStore(dbFactory, workingTime, new FixedTime(at), storage, writers, []);
            var c = await store.CreateAsync(async ctx =>
            {
                var matter = await ctx.Db.Matters.AsNoTracking().Include(m => m.Department).FirstAsync(m => m.Code == matterCode, ct);
                var form = DemoForm(matter, applicant);
                var draft = Case.Draft(MatterSnapshot.From(matter, matter.Department!.Code), applicant, form, actors[filer], ctx.Now);
                draft.Submit(await CaseStore.NextNumberAsync(ctx.Db, await CaseStore.RegionCodeAsync(ctx.Db, ct), ctx.Now, ct), CaseStore.NewQueryCode(),
                    actors[filer], ctx.Now, ctx.Time);
                return draft;
            }, ct: ct);
            return c.Id;
        }

        async Task ActAsync(long id, string actor, DateTimeOffset at, Func<Case, WorkingTime, DateTimeOffset, Task> act)
        {
            var store = new CaseStore(dbFactory, workingTime, new FixedTime(at), storage, writers, []);
            await store.ExecuteAsync(id, actors[actor], (c, ctx) => act(c, ctx.Time, ctx.Now), ct);
        }

        async Task AcceptAsync(long id, DateTimeOffset at) => await ActAsync(id, "clerk", at, async (c, t, n) =>
        {
            c.ReviewMaterials(c.Materials.Select(m => m.Name).ToList(), actors["clerk"], n);
            c.Accept(await catalog.CurrentAsync(c.WorkflowId, ct), actors["clerk"], n, t, "材料齐全，予以受理");
        });

        // The data each step writes (its fields in workflows/*.json), as the officer would enter it: the
        // form starts from what the applicant and earlier departments entered, the officer adds the rest.
        async Task ApproveOpenAsync(long id, string actor, DateTimeOffset at, string opinion, Dictionary<string, string>? data = null) =>
            await ActAsync(id, actor, at, async (c, t, n) =>
        {
            var step = c.OpenSteps.First(s => s.Department == actors[actor].Department);
            var definition = await catalog.VersionAsync(c.WorkflowId, c.WorkflowVersion!.Value, ct);
            var entered = StepData.Prefill(c, definition, step).ToDictionary(kv => kv.Key, kv => kv.Value.Value);
            foreach (var (key, value) in data ?? [])
            {
                entered[key] = value;
            }

            c.Act(definition, step.WorkItemId, Outcome.Approve, opinion, entered, actors[actor], n, t);
        });

        // Waiting at the window: online, by an agent, one nearly out of its 5 days.
        await FileAsync("330799-SCJG-011", applicants["enterprise"], "enterprise", Back(0, 9));
        await FileAsync("330799-SCJG-014", applicants["enterprise"], "enterprise", Back(4, 10));
        string immediate;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            immediate = await db.Matters.Where(m => m.WorkflowId == "immediate" && m.Department!.Code == "MZJ").Select(m => m.Code).FirstOrDefaultAsync(ct)
                ?? await db.Matters.Where(m => m.WorkflowId == "immediate").OrderBy(m => m.Code).Select(m => m.Code).FirstAsync(ct);
        }

        await FileAsync(immediate, residents[0], "agent", Back(1, 14));

        // Supplement requested. 开办餐饮店“一件事” and the joint market-entry case below were filed before their bundles replaced them
        // (decision 0058): running cases that finish as they are, on the matters' own flows.
        var supplement = await FileAsync("330799-SCJG-002", applicants["citizen"], "citizen", Back(3, 9));
        await ActAsync(supplement, "clerk", Back(2, 10), (c, t, n) =>
        {
            c.RequestSupplement(["经营场所使用证明（租赁合同）未签字", "缺少食品安全管理制度"], actors["clerk"], n, t);
            return Task.CompletedTask;
        });

        // Handling: a joint market-entry case whose parallel branches are open now.
        var joint = await FileAsync("330799-SCJG-001", applicants["citizen"], "citizen", Back(3, 9));
        await AcceptAsync(joint, Back(3, 11));
        await ApproveOpenAsync(joint, "officer.scjg", Back(2, 10), "名称、住所、经营范围审查通过", new() { ["creditCode"] = "91330799MA2J8K3Q1X" });
        await ApproveOpenAsync(joint, "officer.sw", Back(1, 15), "税务登记已办理", new() { ["taxAuthority"] = "国家税务总局云溪县税务局", ["invoiceType"] = "增值税普通发票" });

        // Promised single-department cases at SCJG: one fresh, one warned, one overdue.
        var fresh = await FileAsync("330799-SCJG-011", applicants["enterprise"], "enterprise", Back(1, 9));
        await AcceptAsync(fresh, Back(0, 9));
        var warned = await FileAsync("330799-SCJG-012", applicants["enterprise"], "enterprise", Back(3, 9));
        await AcceptAsync(warned, Back(2, 9));
        var overdue = await FileAsync("330799-SCJG-013", applicants["enterprise"], "enterprise", Back(6, 9));
        await AcceptAsync(overdue, Back(5, 9));

        // Concluded: approved with a certificate and delivered; refused; an immediate case decided on the spot.
        var done = await FileAsync("330799-SCJG-011", residents[1] with { }, "clerk", Back(8, 9));
        await AcceptAsync(done, Back(8, 10));
        await ApproveOpenAsync(done, "officer.scjg", Back(7, 10), "现场核查符合要求", new() { ["checkResult"] = "符合法定条件", ["checkNotes"] = "经营场所与申请一致，布局流程合理" });
        await ApproveOpenAsync(done, "officer2.scjg", Back(6, 10), "审核通过", new() { ["reviewNotes"] = "材料齐全，核查结论明确" });
        await ApproveOpenAsync(done, "head.scjg", Back(5, 10), "准予许可",
            new() { ["decisionNo"] = "云市监食许〔2026〕86号", ["validUntil"] = $"{Back(5, 10).AddYears(5):yyyy-MM-dd}" });
        await new CaseStore(dbFactory, workingTime, new FixedTime(Back(4, 10)), storage, writers, []).ExecuteAsync(done, actors["clerk"], (c, ctx) =>
        {
            // A certificate in the register with its verification code, as the issuing act makes one.
            c.IssueCertificate($"JY3307990{ctx.Now:yyMMdd}01", actors["clerk"], ctx.Now,
                Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(10)));
            ctx.Db.Certificates.Add(Certificates.IssueCertificate.RegisterRecord(c));
            c.Deliver("窗口领取", actors["clerk"], ctx.Now);
            return Task.CompletedTask;
        }, ct);
        var refused = await FileAsync("330799-SCJG-012", residents[0], "agent", Back(5, 9));
        await ActAsync(refused, "clerk", Back(5, 11), (c, t, n) =>
        {
            c.Refuse("申请事项不属于本机关职权范围，请向市级市场监管部门申请", actors["clerk"], n, t);
            return Task.CompletedTask;
        });
    }

    private static Dictionary<string, string> DemoForm(Core.Catalogue.Matter matter, ApplicantInfo a) =>
        matter.FormFields.ToDictionary(f => f.Key, f => f.Prefill switch
        {
            "applicant.name" => a.Name,
            "applicant.idNumber" => a.IdNumber,
            "applicant.phone" => a.Phone,
            "applicant.address" => a.Address ?? "云溪县城关镇人民大道1号",
            "applicant.legalRepresentative" => a.LegalRepresentative ?? a.Name,
            _ => f.Type switch
            {
                FieldKind.Number when f.Key == "sealCount" => "3",
                FieldKind.Number => "120",
                FieldKind.Date => "2026-12-01",
                FieldKind.Phone => a.Phone,
                FieldKind.IdCard => a.IdType == ApplicantIdType.ResidentId ? a.IdNumber : "330799198503120016",
                FieldKind.CreditCode => a.IdType == ApplicantIdType.CreditCode ? a.IdNumber : "91330799MA2K3L4N5T",
                FieldKind.Select => f.Options![0],
                FieldKind.Text or FieldKind.Textarea => f.Label.Contains("地址", StringComparison.Ordinal)
                    || f.Label.Contains("场所", StringComparison.Ordinal) ? "云溪县城关镇人民大道88号" : $"{f.Label}（演示）",
            },
        });
}
