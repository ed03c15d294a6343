using System.Diagnostics;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Documents;
using Microsoft.Extensions.Configuration;

namespace ApprovalSystem.Benchmarks;

/// <summary>
/// Issue 14: bytes and render time of every notice kind and every certificate type, for an ordinary case and
/// for a long case whose names carry rare characters (䶮, 喆堃, 𠈌 beyond the BMP, the middle dot), rendered one
/// after another on one thread by the real <see cref="DocumentRenderer"/>.
/// </summary>
public static class DocumentSizes
{
    public sealed record Result(string Document, string Variant, int Bytes, double MsEach, double CpuMsEach);

    public static IReadOnlyList<Result> Run(int rounds, string? outputFolder)
    {
        var renderer = new DocumentRenderer(new ConfigurationBuilder().Build());
        var documents = new List<(string Name, string Variant, DocumentContent Content)>();
        foreach (var (variant, rare) in new[] { ("ordinary", false), ("long, rare characters", true) })
        {
            foreach (var kind in Enum.GetValues<CaseDocumentKind>().Where(k => k != CaseDocumentKind.Certificate))
            {
                documents.Add((kind.ToString(), variant, Build(kind, SampleCase(CertificateTypes.Types.Keys.First(), rare))));
            }

            foreach (var type in CertificateTypes.Types.Keys)
            {
                documents.Add((type, variant, Build(CaseDocumentKind.Certificate, SampleCase(type, rare))));
            }
        }

        // Warm-up: every document in turn until tiered compilation has settled (fewer than 5 methods compiled in a
        // pass, at most 20 passes), so that the figures are the steady state of a long-running server.
        for (var pass = 0; pass < 20; pass++)
        {
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            foreach (var (_, _, content) in documents)
            {
                renderer.Render(content);
            }

            Thread.Sleep(200);
            if (pass >= 2 && System.Runtime.JitInfo.GetCompiledMethodCount() - compiled < 5)
            {
                break;
            }
        }

        var results = new List<Result>();
        foreach (var (name, variant, content) in documents)
        {
            var pdf = renderer.Render(content);
            if (outputFolder is not null)
            {
                Directory.CreateDirectory(outputFolder);
                File.WriteAllBytes(Path.Combine(outputFolder, $"{name}{(variant == "ordinary" ? "" : "-rare")}.pdf"), pdf);
            }

            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < rounds; i++)
            {
                pdf = renderer.Render(content);
            }

            var ms = watch.Elapsed.TotalMilliseconds / rounds;
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / rounds;
            results.Add(new Result(name, variant, pdf.Length, ms, cpuMs));
        }

        return results;
    }

    private static DocumentContent Build(CaseDocumentKind kind, Case c) =>
        CaseDocuments.Build(kind, c, "云溪县行政服务中心", "云溪县市场监督管理局", "https://zwfw.yunxi.gov.cn",
            new Dictionary<string, string> { ["unitName"] = "经营者名称", ["legalRep"] = "法定代表人（负责人）", ["premisesAddress"] = "经营场所", ["businessScope"] = "经营范围" });

    /// <summary>A case at the end of its life (accepted, a supplement asked, a special procedure, an extension, decided,
    /// refused and certified all at once: each document only reads its own part), set directly.</summary>
    private static Case SampleCase(string type, bool rare)
    {
        var matter = new MatterSnapshot(1, "330799-BENCH-001", "食品经营许可（新办）", MatterKind.Promised, "SCJG", 20, 10, 0, type, new WarningPolicy(2, 80), "bench", []);
        var actor = new CaseActor("bench", "窗口人员", [Roles.Clerk]);
        var unit = rare ? "云溪县䶮·阿不都热合曼李喆堃餐饮管理有限公司（城关镇解放路分店）" : "云溪县好味道餐饮管理有限公司";
        var person = rare ? "王𠈌" : "王建国";
        var form = new Dictionary<string, string>
        {
            ["unitName"] = unit, ["creditCode"] = "91330799MA2K3L4N5T", ["legalRep"] = person, ["registeredAddress"] = "浙江省云溪县城关镇解放路88号",
            ["premisesAddress"] = "浙江省云溪县城关镇解放路88号一层", ["mainBusiness"] = "餐饮服务经营者（小型餐馆）", ["placeType"] = "美容美发场所", ["premisesArea"] = "120平方米",
            ["projectName"] = "云溪县中医院门诊综合楼", ["projectAddress"] = "云溪县城东新区康宁路1号", ["floorArea"] = "地上12层，总建筑面积23650平方米", ["contractPrice"] = "12800万元",
            ["constructionUnit"] = "浙江云溪建工集团有限公司", ["supervisionUnit"] = "云溪工程监理有限公司", ["enterpriseType"] = "有限责任公司（自然人投资或控股）", ["registeredCapital"] = "100万元",
            ["businessScope"] = "许可项目：餐饮服务；食品销售。（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以审批结果为准）一般项目：外卖递送服务；食品互联网销售（仅销售预包装食品）。"
                + (rare ? "日用百货销售；厨具卫具及日用杂品零售；农副产品销售；食用农产品零售；会议及展览服务；餐饮管理；企业管理咨询；停车场服务；洗染服务；家政服务。" : ""),
        };
        var applicant = new ApplicantInfo { Name = unit, IdType = ApplicantIdType.CreditCode, IdNumber = "91330799MA2K3L4N5T", Phone = "13800000001", LegalRepresentative = person };
        var now = new DateTimeOffset(2026, 11, 23, 9, 30, 0, TimeSpan.FromHours(8));
        var c = Case.Draft(matter, applicant, form, actor, now);
        Set(c, nameof(Case.Number), "330799-20261123-0001");
        Set(c, nameof(Case.QueryCode), "K7Q2M9");
        Set(c, nameof(Case.SubmittedAt), now);
        Set(c, nameof(Case.AcceptedAt), now.AddHours(2));
        Set(c, nameof(Case.SupplementRequestedAt), now.AddHours(1));
        Set(c, nameof(Case.DecidedAt), now.AddDays(6));
        Set(c, nameof(Case.ConcludedAt), now.AddDays(6));
        Set(c, nameof(Case.DecisionOpinion), "经营场所与食品贮存条件不符合要求，冷库温度记录不全，从业人员健康证明未在有效期内。");
        Set(c, nameof(Case.RefusalReason), "申请事项不属于本机关职权范围，请向市级市场监督管理部门提出申请，并携带营业执照、法定代表人身份证明等材料。");
        Set(c, nameof(Case.Promised), new Deadline { LimitDays = 10, DueAt = now.AddDays(14), Warning = WarningPolicy.Default });
        Set(c, nameof(Case.Legal), new Deadline { LimitDays = 20, DueAt = now.AddDays(28), Warning = WarningPolicy.Default });
        Set(c, nameof(Case.Materials), new List<CaseMaterial>
        {
            new() { Name = "食品经营许可申请书", Required = true, Received = true },
            new() { Name = "营业执照复印件", Required = true, Received = true },
            new() { Name = "法定代表人身份证明", Required = true, Received = true },
            new() { Name = "与食品经营相适应的主要设备设施布局、操作流程等文件", Required = true, Received = true },
            new() { Name = "食品安全自查、从业人员健康管理、进货查验记录等规章制度", Required = true, Received = true },
        });
        Set(c, nameof(Case.SupplementItems), new List<string> { "营业执照复印件需加盖公章", "从业人员健康证明已过期，请提供有效期内的健康证明", "经营场所平面图未标注冷库位置" });
        Set(c, nameof(Case.SpecialProcedures), new List<SpecialProcedure> { new("现场核查", "需要对冷库贮存条件进行现场核查", now.AddDays(2), "officer", now.AddDays(4), "officer", "核查合格") });
        Set(c, nameof(Case.Extensions), new List<ExtensionRequest> { new(10, "现场核查发现的问题需要申请人整改后复核", now.AddDays(5), "officer", true, now.AddDays(5), "head") });
        Set(c, nameof(Case.CertificateNumber), "JY33079920260001");
        Set(c, nameof(Case.CertificateIssuedAt), now.AddDays(6));
        Set(c, nameof(Case.CertificateCode), "0123456789abcdef0123");
        Set(c, nameof(Case.Commitment), new CommitmentRecord("申请人应具备与经营项目相适应的经营场所、设备设施和从业人员。",
            "营业执照复印件、食品安全管理制度", "承诺不实的，愿意承担行政许可被撤销、虚假承诺记入信用记录的法律责任。",
            ["营业执照复印件", "食品安全自查、从业人员健康管理、进货查验记录等规章制度"], 30, person, now));
        Set(c, nameof(Case.VerificationResult), new VerificationRecord(false, "现场核查发现经营场所未设置冷库，与承诺内容不符。", "officer", now.AddDays(20)));
        return c;
    }

    private static void Set(Case c, string property, object value) => typeof(Case).GetProperty(property)!.SetValue(c, value);
}
