using System.Diagnostics;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Documents;
using Microsoft.Extensions.Configuration;

namespace ApprovalSystem.Benchmarks;

/// <summary>
/// Issue 5: certificates per second and bytes per certificate, for each certificate layout, rendered
/// by the real <see cref="DocumentRenderer"/> (embedded subset CJK font, vector frame, seal and QR code),
/// on one thread or on several threads sharing the renderer (concurrent requests).
/// </summary>
public static class CertificateThroughput
{
    public sealed record Result(string Type, string Layout, int Threads, int Count, double PerSecond, int Bytes, double FirstMs, double CpuMsEach);

    public static IReadOnlyList<Result> Run(TimeSpan duration, string? outputFolder, int threads = 1)
    {
        var renderer = new DocumentRenderer(new ConfigurationBuilder().Build());
        var results = new List<Result>();
        var types = CertificateTypes.Types.Values.ToList();
        var perType = duration / types.Count;
        foreach (var type in types)
        {
            var c = SampleCase(type.Code);
            var watch = Stopwatch.StartNew();
            var pdf = renderer.Render(CaseDocuments.Build(CaseDocumentKind.Certificate, c, "云溪县行政服务中心", "云溪县市场监督管理局", "https://zwfw.yunxi.gov.cn"));
            var first = watch.Elapsed.TotalMilliseconds;
            if (outputFolder is not null)
            {
                Directory.CreateDirectory(outputFolder);
                File.WriteAllBytes(Path.Combine(outputFolder, $"{type.Code}.pdf"), pdf);
            }

            // Each thread builds and renders as the issuing act does: content from the case, then the PDF.
            // Several threads model concurrent requests: the production renderer is one shared instance.
            var count = 0;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            watch.Restart();
            var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
            {
                var mine = 0;
                byte[] last = pdf;
                while (watch.Elapsed < perType)
                {
                    last = renderer.Render(CaseDocuments.Build(CaseDocumentKind.Certificate, c, "云溪县行政服务中心", "云溪县市场监督管理局", "https://zwfw.yunxi.gov.cn"));
                    mine++;
                }

                Interlocked.Add(ref count, mine);
                Volatile.Write(ref pdf, last);
            })).ToList();
            workers.ForEach(t => t.Start());
            workers.ForEach(t => t.Join());

            var elapsed = watch.Elapsed;
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            results.Add(new Result(type.Code, type.Layout.ToString(), threads, count, count / elapsed.TotalSeconds, pdf.Length, first, cpuMs / count));
        }

        return results;
    }

    /// <summary>An issued case of the type with realistic form data (the issuing act's state, set directly).</summary>
    private static Case SampleCase(string type)
    {
        var matter = new MatterSnapshot(1, "330799-BENCH-001", "食品经营许可（新办）", MatterKind.Promised, "SCJG", 20, 10, 0, type, new WarningPolicy(2, 80), "bench", []);
        var actor = new CaseActor("bench", "窗口人员", [Roles.Clerk]);
        var form = new Dictionary<string, string>
        {
            ["unitName"] = "云溪县好味道餐饮管理有限公司", ["creditCode"] = "91330799MA2K3L4N5T", ["legalRep"] = "王建国", ["registeredAddress"] = "浙江省云溪县城关镇解放路88号",
            ["premisesAddress"] = "浙江省云溪县城关镇解放路88号一层", ["mainBusiness"] = "餐饮服务经营者（小型餐馆）", ["placeType"] = "美容美发场所", ["premisesArea"] = "120平方米",
            ["projectName"] = "云溪县中医院门诊综合楼", ["projectAddress"] = "云溪县城东新区康宁路1号", ["floorArea"] = "地上12层，总建筑面积23650平方米", ["contractPrice"] = "12800万元",
            ["constructionUnit"] = "浙江云溪建工集团有限公司", ["supervisionUnit"] = "云溪工程监理有限公司", ["enterpriseType"] = "有限责任公司（自然人投资或控股）", ["registeredCapital"] = "100万元",
            ["businessScope"] = "许可项目：餐饮服务；食品销售。（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以审批结果为准）一般项目：外卖递送服务；食品互联网销售（仅销售预包装食品）。",
        };
        var applicant = new ApplicantInfo { Name = "云溪县好味道餐饮管理有限公司", IdType = ApplicantIdType.CreditCode, IdNumber = "91330799MA2K3L4N5T", Phone = "13800000001" };
        var c = Case.Draft(matter, applicant, form, actor, DateTimeOffset.UtcNow);
        var now = DateTimeOffset.UtcNow;
        Set(c, nameof(Case.Number), "330799-20261123-0001");
        Set(c, nameof(Case.CertificateNumber), "3307992026000001");
        Set(c, nameof(Case.CertificateIssuedAt), now);
        Set(c, nameof(Case.CertificateCode), "0123456789abcdef0123");
        return c;
    }

    private static void Set(Case c, string property, object value) => typeof(Case).GetProperty(property)!.SetValue(c, value);
}
