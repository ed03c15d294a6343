using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Documents;
using ApprovalSystem.Web.Features.Certificates;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Documents;

/// <summary>
/// Documents as issued: stored at their act, the certificate register with revocation and reprints,
/// the per-type certificate layouts, the special-procedure and extension notices and the form printout.
/// </summary>
public sealed class IssuedDocumentTests(AppFactory factory) : IClassFixture<AppFactory>
{
    internal static string PdfText(byte[] pdf, bool layout = false)
    {
        var file = Path.Combine(Path.GetTempPath(), $"doc-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pdftotext", layout ? ["-layout", file, "-"] : [file, "-"]) { RedirectStandardOutput = true })!;
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return text;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Flat(string text) => text.Replace("\n", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);

    /// <summary>Files a food business licence case (SCJG-011, or another SCJG promised matter) as the citizen and takes it to approval.</summary>
    private async Task<(long Id, JsonElement Case)> ApprovedAsync(Action<Dictionary<string, string>>? form = null, string matterCode = "330799-SCJG-011")
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        var data = await TestForms.RequiredAsync(factory, matterCode);
        form?.Invoke(data);
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode, submit = true, formData = data });
        var id = filed.GetProperty("id").GetInt64();
        var c = await clerk.PostOkAsync($"/api/cases/{id}/accept", new { });
        foreach (var account in new[] { "officer.scjg", "officer2.scjg", "head.scjg" })
        {
            var session = await ApiSession.SignInAsync(factory, account);
            var item = c.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("open").GetBoolean()).GetProperty("workItemId").GetString();
            c = await session.PostOkAsync($"/api/cases/{id}/tasks/{item}/act", new { outcome = "approve", opinion = "同意" });
        }

        return (id, c);
    }

    [Fact]
    public async Task IssuingACertificate_WritesTheRegister_VerifyShowsValid_ThenRevokedWithTheReason_EachActJournalled()
    {
        var (id, _) = await ApprovedAsync();
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        await clerk.PostOkAsync($"/api/cases/{id}/certificate");

        await using var db = factory.CreateDbContext();
        var record = await db.Certificates.AsNoTracking().SingleAsync(x => x.CaseId == id);
        var issued = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == id);
        Assert.Equal(issued.CertificateNumber, record.Number);
        Assert.Equal(issued.CertificateCode, record.Code);
        Assert.Equal("张伟", record.HolderName);
        Assert.Equal("food-business-licence", record.Type);
        Assert.Equal(CertificateTypes.ValidUntil(issued), record.ValidUntil);
        Assert.NotNull(record.ValidUntil);

        var anonymous = factory.CreateClient();
        var page = await anonymous.GetStringAsync($"/verify/{record.Code}");
        Assert.Contains("本证照真实有效", page, StringComparison.Ordinal);
        Assert.DoesNotContain("330799198503120016", page, StringComparison.Ordinal);

        // Only an administrator or the head of the issuing department may revoke, and only with a reason.
        var officer = await ApiSession.SignInAsync(factory, "officer.scjg");
        var (denied, _) = await officer.PostAsync($"/api/certificates/{record.Id}/revoke", new { reason = "虚假材料" });
        Assert.Equal(HttpStatusCode.Conflict, denied.StatusCode);
        var head = await ApiSession.SignInAsync(factory, "head.scjg");
        var (noReason, _) = await head.PostAsync($"/api/certificates/{record.Id}/revoke", new { reason = "" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);

        await head.PostOkAsync($"/api/certificates/{record.Id}/revoke", new { reason = "申请人以欺骗手段取得许可" });

        page = await anonymous.GetStringAsync($"/verify/{record.Code}");
        Assert.Contains("已撤销", page, StringComparison.Ordinal);
        Assert.Contains("申请人以欺骗手段取得许可", page, StringComparison.Ordinal);
        Assert.DoesNotContain("本证照真实有效", page, StringComparison.Ordinal);
        var (again, _) = await head.PostAsync($"/api/certificates/{record.Id}/cancel", new { reason = "再次注销" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var journal = await db.Journal.AsNoTracking().Where(e => e.CaseId == id).Select(e => new { e.Action, e.Opinion }).ToListAsync();
        Assert.Contains(journal, e => e.Action == nameof(CaseTrigger.IssueCertificate));
        Assert.Contains(journal, e => e.Action == nameof(CaseTrigger.RevokeCertificate) && e.Opinion == "申请人以欺骗手段取得许可");
        var verification = await (await ApiSession.SignInAsync(factory, "admin")).GetOkAsync("/api/journal/verify");
        Assert.True(verification.GetProperty("isIntact").GetBoolean(), verification.ToString());

        var unknown = await anonymous.GetStringAsync("/verify/ffffffffffffffffffff");
        Assert.Contains("未找到该证照", unknown, StringComparison.Ordinal);

        var list = await head.GetOkAsync("/api/certificates?status=已撤销");
        Assert.Contains(list.EnumerateArray(), x => x.GetProperty("number").GetString() == record.Number && x.GetProperty("statusReason").GetString() == "申请人以欺骗手段取得许可");
    }

    [Fact]
    public async Task CertificateQueries_TheRegisterIsWhatTheActorMaySee_AndThePublicCheckMasksAPersonsName()
    {
        var (id, _) = await ApprovedAsync();
        await (await ApiSession.SignInAsync(factory, "clerk")).PostOkAsync($"/api/cases/{id}/certificate");
        var queries = factory.Get<CertificateQueries>();
        var record = (await queries.OfCaseAsync(id))!;

        Assert.Contains((await queries.RegisterAsync(new CaseActor("h", "市场监管负责人", [Roles.DepartmentHead], "SCJG"), new(), 0, 1000)).Rows, x => x.Id == record.Id);
        Assert.DoesNotContain((await queries.RegisterAsync(new CaseActor("o", "公安经办人", [Roles.Officer], "GA"), new(), 0, 1000)).Rows, x => x.Id == record.Id);
        Assert.Empty((await queries.RegisterAsync(new CaseActor("c", "张伟", [Roles.Applicant]), new(), 0, 1000)).Rows);

        var check = (await queries.VerifyAsync(record.Code))!;
        Assert.Equal((Masking.PersonName("张伟"), "有效", record.Number), (check.Holder, check.Status, check.Number));
        Assert.NotEqual("张伟", check.Holder);
        Assert.Null(await queries.VerifyAsync("ffffffffffffffffffff"));
        Assert.Null(await queries.VerifyAsync(""));
    }

    [Fact]
    public async Task CertificatesOfTwoTypesInOneYear_EachDrawFromTheirOwnSeries_AndNeverShareANumber()
    {
        // A food business licence (JY) and a general permit (XK, 食品生产许可) of the same department, interleaved:
        // the first of the second type in the year must not take the first type's number.
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        var numbers = new List<(string Type, string Number)>();
        foreach (var matter in new[] { "330799-SCJG-011", "330799-SCJG-015", "330799-SCJG-011", "330799-SCJG-015", "330799-SCJG-015" })
        {
            var (id, _) = await ApprovedAsync(matterCode: matter);
            var issued = await clerk.PostOkAsync($"/api/cases/{id}/certificate");
            Assert.Equal("CertificateIssued", issued.GetProperty("state").GetString());
            numbers.Add((matter, issued.GetProperty("certificateNumber").GetString()!));
        }

        Assert.Equal(numbers.Count, numbers.Select(n => n.Number).Distinct().Count());
        var year = numbers[0].Number.Substring(8, 4);
        Assert.All(numbers.Where(n => n.Type.EndsWith("011", StringComparison.Ordinal)), n => Assert.StartsWith("JY330799" + year, n.Number, StringComparison.Ordinal));
        Assert.All(numbers.Where(n => n.Type.EndsWith("015", StringComparison.Ordinal)), n => Assert.StartsWith("XK330799" + year, n.Number, StringComparison.Ordinal));

        // Each series counts on by one within its type, whatever the other type drew in between.
        static int Sequence(string number) => int.Parse(number[^6..], System.Globalization.CultureInfo.InvariantCulture);
        var food = numbers.Where(n => n.Number.StartsWith("JY", StringComparison.Ordinal)).Select(n => Sequence(n.Number)).ToList();
        var general = numbers.Where(n => n.Number.StartsWith("XK", StringComparison.Ordinal)).Select(n => Sequence(n.Number)).ToList();
        Assert.Equal(Enumerable.Range(food[0], food.Count), food);
        Assert.Equal(Enumerable.Range(general[0], general.Count), general);

        await using var db = factory.CreateDbContext();
        var register = await db.Certificates.AsNoTracking().Select(r => r.Number).ToListAsync();
        Assert.All(numbers, n => Assert.Contains(n.Number, register));
    }

    [Fact]
    public void EveryCertificateType_HasItsOwnNumberPrefix()
    {
        var prefixes = CertificateTypes.Types.Values.Select(t => t.NumberPrefix).ToList();

        Assert.Equal(prefixes.Count, prefixes.Distinct().Count());
        Assert.All(prefixes, p => Assert.Matches("^[A-Z]{2}$", p));
        Assert.Equal(CertificateTypes.Types.Keys.Order(), Core.Catalogue.MatterNames.CertificateTypes.Order());
    }

    [Fact]
    public async Task Reprint_IsCountedAndJournalled_AndCancellationShowsOnTheVerifyPage()
    {
        var (id, _) = await ApprovedAsync();
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        await clerk.PostOkAsync($"/api/cases/{id}/certificate");

        var first = await clerk.PostOkAsync($"/api/cases/{id}/certificate/reprint");
        var second = await (await ApiSession.SignInAsync(factory, "citizen")).PostOkAsync($"/api/cases/{id}/certificate/reprint");

        Assert.Equal(1, first.GetProperty("reprintCount").GetInt32());
        Assert.Equal(2, second.GetProperty("reprintCount").GetInt32());
        await using var db = factory.CreateDbContext();
        Assert.Equal(2, await db.Journal.CountAsync(e => e.CaseId == id && e.Action == nameof(CaseTrigger.ReprintCertificate)));

        var record = await db.Certificates.AsNoTracking().SingleAsync(x => x.CaseId == id);
        var admin = await ApiSession.SignInAsync(factory, "admin");
        await admin.PostOkAsync($"/api/certificates/{record.Id}/cancel", new { reason = "经营者申请终止经营" });
        var page = await factory.CreateClient().GetStringAsync($"/verify/{record.Code}");
        Assert.Contains("已注销", page, StringComparison.Ordinal);
        Assert.Contains("经营者申请终止经营", page, StringComparison.Ordinal);
        var (blocked, _) = await clerk.PostAsync($"/api/cases/{id}/certificate/reprint");
        Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);
    }

    [Fact]
    public async Task DocumentsAreStoredAtTheirAct_AndTheApplicantDownloadsTheStoredBytes_AfterTheDataChanged()
    {
        var (id, _) = await ApprovedAsync();
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        await clerk.PostOkAsync($"/api/cases/{id}/certificate");
        await factory.RenderDocumentsAsync();
        await using (var db = factory.CreateDbContext())
        {
            var kinds = await db.CaseDocuments.Where(d => d.CaseId == id).Select(d => d.Kind).ToListAsync();
            Assert.Equal(
                // The receipt twice: as filed, and as the window accepted it (with the materials it checked).
                new[] { nameof(CaseDocumentKind.AcceptanceNotice), nameof(CaseDocumentKind.ApprovalDecision), nameof(CaseDocumentKind.Certificate), nameof(CaseDocumentKind.Receipt), nameof(CaseDocumentKind.Receipt) },
                kinds.Order().ToArray());
        }

        // The department is renamed after the acceptance notice was issued.
        await using (var db = factory.CreateDbContext())
        {
            var department = await db.Departments.SingleAsync(d => d.Code == "SCJG");
            var before = department.Name;
            department.Name = "云溪县市场监管综合服务中心";
            await db.SaveChangesAsync();
            try
            {
                var citizen = await ApiSession.SignInAsync(factory, "citizen");
                var downloaded = await citizen.Client.GetByteArrayAsync($"/api/cases/{id}/documents/acceptanceNotice");
                var stored = await db.CaseDocuments.AsNoTracking().SingleAsync(d => d.CaseId == id && d.Kind == nameof(CaseDocumentKind.AcceptanceNotice));
                var kept = await factory.Get<CaseDocumentArchive>().BytesAsync(stored);

                Assert.Equal(kept, downloaded);
                var download = await citizen.Client.GetAsync($"/api/cases/{id}/documents/acceptanceNotice");
                Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
                var print = await citizen.Client.GetAsync($"/api/cases/{id}/documents/acceptanceNotice?inline=true");
                Assert.Null(print.Content.Headers.ContentDisposition);
                Assert.Equal(kept, await print.Content.ReadAsByteArrayAsync());
                Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(downloaded)), stored.Sha256);
                var text = Flat(PdfText(downloaded));
                Assert.Contains(before, text, StringComparison.Ordinal);
                Assert.DoesNotContain("云溪县市场监管综合服务中心", text, StringComparison.Ordinal);
            }
            finally
            {
                department.Name = before;
                await db.SaveChangesAsync();
            }
        }
    }

    [Fact]
    public async Task TheReceipt_IsStoredAgainAtAcceptance_WithTheMaterialsTheWindowChecked_TheFilingOneKept()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        const string matter = "330799-SCJG-011";
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = matter, submit = true, formData = await TestForms.RequiredAsync(factory, matter) });
        var id = filed.GetProperty("id").GetInt64();
        var archive = factory.Get<CaseDocumentArchive>();
        await factory.RenderDocumentsAsync();
        var atFiling = Flat(PdfText(await archive.BytesAsync((await archive.StoredAsync(id, CaseDocumentKind.Receipt))!)));
        Assert.Contains("待窗口核对", atFiling, StringComparison.Ordinal);

        var materials = filed.GetProperty("materials").EnumerateArray().Select(m => m.GetProperty("name").GetString()!).ToList();
        await clerk.PostOkAsync($"/api/cases/{id}/review", new { items = materials });
        await clerk.PostOkAsync($"/api/cases/{id}/accept", new { });

        await factory.RenderDocumentsAsync();
        var atAcceptance = Flat(PdfText(await archive.BytesAsync((await archive.StoredAsync(id, CaseDocumentKind.Receipt))!)));
        Assert.DoesNotContain("待窗口核对", atAcceptance, StringComparison.Ordinal);
        Assert.Contains(Flat(materials[0]), atAcceptance, StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        Assert.Equal(2, await db.CaseDocuments.CountAsync(d => d.CaseId == id && d.Kind == nameof(CaseDocumentKind.Receipt)));

        // The applicant downloads the receipt as it now stands.
        var download = await citizen.Client.GetByteArrayAsync($"/api/cases/{id}/documents/receipt");
        Assert.DoesNotContain("待窗口核对", Flat(PdfText(download)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SpecialProcedureAndExtensionNotices_CarryTheReasonsAndTheDays_AndAreStored()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        var officer = await ApiSession.SignInAsync(factory, "officer.scjg");
        var head = await ApiSession.SignInAsync(factory, "head.scjg");
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = "330799-SCJG-011", submit = true, formData = await TestForms.RequiredAsync(factory, "330799-SCJG-011") });
        var id = filed.GetProperty("id").GetInt64();
        await clerk.PostOkAsync($"/api/cases/{id}/accept", new { });

        await officer.PostOkAsync($"/api/cases/{id}/special-procedure", new { kind = "现场核查", reason = "需要对冷库贮存条件进行现场核查" });
        var special = Flat(PdfText(await citizen.Client.GetByteArrayAsync($"/api/cases/{id}/documents/specialProcedureNotice")));
        Assert.Contains("特别程序告知书", special, StringComparison.Ordinal);
        Assert.Contains("需要对冷库贮存条件进行现场核查", special, StringComparison.Ordinal);
        Assert.Contains("现场核查", special, StringComparison.Ordinal);
        Assert.Contains("第四十五条", special, StringComparison.Ordinal);
        await officer.PostOkAsync($"/api/cases/{id}/special-procedure/end", new { reason = "核查合格" });

        await officer.PostOkAsync($"/api/cases/{id}/extension", new { reason = "现场核查发现的问题需要申请人整改后复核" });
        var (notYet, _) = await citizen.GetAsync($"/api/cases/{id}/documents/extensionNotice");
        Assert.Equal(HttpStatusCode.NotFound, notYet.StatusCode);
        await head.PostOkAsync($"/api/cases/{id}/extension/answer", new { approve = true, opinion = "同意延期" });
        await factory.RenderDocumentsAsync();

        var pdf = await citizen.Client.GetByteArrayAsync($"/api/cases/{id}/documents/extensionNotice");
        var extension = Flat(PdfText(pdf));
        Assert.Contains("延期办理告知书", extension, StringComparison.Ordinal);
        Assert.Contains("现场核查发现的问题需要申请人整改后复核", extension, StringComparison.Ordinal);
        Assert.Contains("第四十二条", extension, StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == id);
        Assert.Contains($"延长{c.Extensions.Single().Days}个工作日", extension, StringComparison.Ordinal);
        var stored = await db.CaseDocuments.AsNoTracking().SingleAsync(d => d.CaseId == id && d.Kind == nameof(CaseDocumentKind.ExtensionNotice));
        Assert.Equal(pdf, await factory.Get<CaseDocumentArchive>().BytesAsync(stored));
        Assert.True(await db.CaseDocuments.AnyAsync(d => d.CaseId == id && d.Kind == nameof(CaseDocumentKind.SpecialProcedureNotice)));
    }

    [Fact]
    public async Task ApplicationForm_PrintsTheMattersLabelsWithTheCasesValues_AndTheMaterials()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var data = await TestForms.RequiredAsync(factory, "330799-SCJG-011");
        data["premisesAddress"] = "云溪县城关镇解放路88号一层";
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = "330799-SCJG-011", submit = true, formData = data });
        var id = filed.GetProperty("id").GetInt64();

        var text = Flat(PdfText(await citizen.Client.GetByteArrayAsync($"/api/cases/{id}/documents/applicationForm")));

        Assert.Contains("申请表", text, StringComparison.Ordinal);
        Assert.Contains("经营场所：", text, StringComparison.Ordinal); // the catalogue's label, not the key
        Assert.Contains("云溪县城关镇解放路88号一层", text, StringComparison.Ordinal);
        Assert.Contains("主体业态：", text, StringComparison.Ordinal);
        Assert.Contains(data["mainBusiness"], text, StringComparison.Ordinal);
        Assert.DoesNotContain("premisesAddress", text, StringComparison.Ordinal);
        Assert.Contains(filed.GetProperty("number").GetString()!, text, StringComparison.Ordinal);
        var material = filed.GetProperty("materials").EnumerateArray().First().GetProperty("name").GetString()!;
        Assert.Contains(material, text, StringComparison.Ordinal);
        Assert.DoesNotContain("330799198503120016", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFormValueWhoseFieldHasAUnit_IsPrintedWithIt_OnTheLicenceAndTheApplicationForm_ButNotTwice()
    {
        var (id, _) = await ApprovedAsync();
        await (await ApiSession.SignInAsync(factory, "clerk")).PostOkAsync($"/api/cases/{id}/certificate");
        await using var db = factory.CreateDbContext();
        var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == id);
        var registration = await db.Matters.AsNoTracking().SingleAsync(m => m.Code == "330799-SCJG-019"); // 企业设立登记
        Assert.Equal("万元", registration.FormFields.Single(f => f.Key == "registeredCapital").Unit);
        typeof(Case).GetProperty(nameof(Case.MatterId))!.SetValue(c, registration.Id);
        typeof(Case).GetProperty(nameof(Case.CertificateType))!.SetValue(c, "business-licence");
        c.FormData["registeredCapital"] = "50";

        static string Printed(DocumentContent d) => d.Fields.Single(f => f.Label == "注册资本").Value;
        Assert.Equal("50万元", Printed(await CaseDocumentArchive.ContentAsync(db, CaseDocumentKind.Certificate, c, "https://zwfw.example", default)));
        Assert.Equal("50万元", Printed(await CaseDocumentArchive.ContentAsync(db, CaseDocumentKind.ApplicationForm, c, "https://zwfw.example", default)));

        c.FormData["registeredCapital"] = "50万元"; // typed with its unit: printed once
        Assert.Equal("50万元", Printed(await CaseDocumentArchive.ContentAsync(db, CaseDocumentKind.Certificate, c, "https://zwfw.example", default)));
        c.FormData["registeredCapital"] = ""; // left empty: the form prints nothing, not a bare unit
        Assert.Equal("", Printed(await CaseDocumentArchive.ContentAsync(db, CaseDocumentKind.ApplicationForm, c, "https://zwfw.example", default)));
    }

    public static TheoryData<string, string, string[]> Layouts => new()
    {
        { "food-business-licence", "食品经营许可证", ["经营者名称", "社会信用代码", "法定代表人（负责人）", "住所", "经营场所", "主体业态", "经营项目", "日常监督管理机构", "云溪县城关镇解放路88号", "云溪县市场监督管理局"] },
        { "public-place-hygiene", "公共场所卫生许可证", ["单位名称", "许可项目", "美容美发场所", "云溪县城关镇解放路88号"] },
        { "construction-permit", "建筑工程施工许可证", ["中华人民共和国", "建设单位", "工程名称", "建设地址", "建设规模", "合同价格", "施工单位", "注意事项", "云溪县中医院门诊综合楼", "浙江云溪建工集团有限公司", "12800万元"] },
        { "business-licence", "营业执照", ["统一社会信用代码", "名称", "类型", "法定代表人", "经营范围", "注册资本", "成立日期", "营业期限", "住所", "有限责任公司", "100万元"] },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task EachCertificateType_HasItsOwnLayoutWithItsFields_SmallWithAnEmbeddedSubset_AndTheQrIsTheVerificationUrl(string type, string title, string[] expected)
    {
        var (id, _) = await ApprovedAsync();
        await (await ApiSession.SignInAsync(factory, "clerk")).PostOkAsync($"/api/cases/{id}/certificate");
        await using var db = factory.CreateDbContext();
        var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == id);
        typeof(Case).GetProperty(nameof(Case.CertificateType))!.SetValue(c, type);
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["premisesAddress"] = "云溪县城关镇解放路88号", ["placeType"] = "美容美发场所", ["projectName"] = "云溪县中医院门诊综合楼", ["projectAddress"] = "云溪县城东新区康宁路1号",
            ["floorArea"] = "地上12层，总建筑面积23650平方米", ["contractPrice"] = "12800万元", ["constructionUnit"] = "浙江云溪建工集团有限公司", ["registeredCapital"] = "100万元",
        })
        {
            c.FormData[key] = value;
        }

        var renderer = factory.Get<DocumentRenderer>();
        var content = CaseDocuments.Build(CaseDocumentKind.Certificate, c, "云溪县行政服务中心", "云溪县市场监督管理局", "https://zwfw.example");
        var pdf = renderer.Render(content);

        var text = Flat(PdfText(pdf));
        Assert.Contains(title, text, StringComparison.Ordinal);
        Assert.Contains(c.CertificateNumber!, text, StringComparison.Ordinal);
        Assert.All(expected, e => Assert.Contains(e, text, StringComparison.Ordinal));
        Assert.Equal($"https://zwfw.example/verify/{c.CertificateCode}", content.QrPayload);
        Assert.True(pdf.Length <= 100_000, $"{type}: {pdf.Length} bytes");
        var raw = System.Text.Encoding.Latin1.GetString(pdf);
        Assert.Matches(@"/BaseFont\s*/[A-Z]{6}\+", raw);
        var box = System.Text.RegularExpressions.Regex.Match(raw, @"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]");
        Assert.True(box.Success);
        var landscape = double.Parse(box.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > double.Parse(box.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(type == "business-licence", landscape);
    }

    [Fact]
    public void Layouts_AreVisiblyDifferent()
    {
        // Each of the four real-looking types has its own layout.
        var layouts = new[] { "food-business-licence", "public-place-hygiene", "construction-permit", "business-licence" }.Select(t => CertificateTypes.Types[t].Layout).ToList();

        Assert.Equal(4, layouts.Distinct().Count());
    }
}
