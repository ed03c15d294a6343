using System.Diagnostics;
using System.Net;
using ApprovalSystem.Web.Documents;
using ApprovalSystem.Web.Tests.Infrastructure;

namespace ApprovalSystem.Web.Tests.Documents;

/// <summary>Notices as PDF: real Chinese text with the case's values, an embedded subset font, clear errors.</summary>
public sealed class DocumentTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private static string PdfText(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), $"doc-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pdftotext", [file, "-"]) { RedirectStandardOutput = true })!;
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return text;
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ReceiptAndNonAcceptanceNotice_AreRealChineseTextWithTheCasesValues_InASubsetFont()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = TestMatters.Joint, submit = true, formData = await TestForms.RequiredAsync(factory, TestMatters.Joint) });
        var id = filed.GetProperty("id").GetInt64();
        var number = filed.GetProperty("number").GetString()!;

        var receipt = await citizen.Client.GetByteArrayAsync($"/api/cases/{id}/documents/receipt");
        var text = PdfText(receipt);
        Assert.Contains("受理回执", text, StringComparison.Ordinal);
        Assert.Contains(number, text, StringComparison.Ordinal);
        Assert.Contains(filed.GetProperty("queryCode").GetString()!, text, StringComparison.Ordinal);
        Assert.Contains("张伟", text, StringComparison.Ordinal);
        Assert.DoesNotContain("330799198503120016", text, StringComparison.Ordinal);
        var raw = System.Text.Encoding.Latin1.GetString(receipt);
        Assert.Contains("/FontFile2", raw, StringComparison.Ordinal);
        Assert.Matches(@"/BaseFont\s*/[A-Z]{6}\+", raw);
        Assert.True(receipt.Length < 150_000, $"a subset font keeps the file small ({receipt.Length} bytes)");

        var (missing, _) = await citizen.GetAsync($"/api/cases/{id}/documents/acceptanceNotice");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var reason = "申请事项不属于本机关职权范围。" + string.Concat(Enumerable.Repeat("请向不动产所在地的登记机构提出申请，并携带不动产权证书、买卖双方身份证明等材料，", 6));
        await clerk.PostOkAsync($"/api/cases/{id}/refuse", new { reason });
        var noticePdf = await citizen.Client.GetByteArrayAsync($"/api/cases/{id}/documents/nonAcceptanceNotice");
        var notice = PdfText(noticePdf).Replace("\n", "", StringComparison.Ordinal);
        Assert.Contains("不予受理通知书", notice, StringComparison.Ordinal);
        Assert.Contains("行政复议", notice, StringComparison.Ordinal);
        Assert.Contains("云溪县不动产登记中心", notice, StringComparison.Ordinal);
        Assert.Contains("申请事项不属于本机关职权范围", notice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DenialDecision_CarriesTheReasonsAndTheRightToReviewOrLitigation()
    {
        var enterprise = await ApiSession.SignInAsync(factory, "enterprise");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        var officer = await ApiSession.SignInAsync(factory, "officer.scjg");
        var filed = await enterprise.PostOkAsync("/api/cases", new { matterCode = "330799-SCJG-011", submit = true, formData = await TestForms.RequiredAsync(factory, "330799-SCJG-011") });
        var id = filed.GetProperty("id").GetInt64();
        var accepted = await clerk.PostOkAsync($"/api/cases/{id}/accept", new { });
        var item = accepted.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("open").GetBoolean()).GetProperty("workItemId").GetString();

        var denied = await officer.PostOkAsync($"/api/cases/{id}/tasks/{item}/act", new { outcome = "deny", opinion = "经营场所与食品贮存条件不符合要求" });

        Assert.Equal("Denied", denied.GetProperty("state").GetString());
        var text = PdfText(await enterprise.Client.GetByteArrayAsync($"/api/cases/{id}/documents/denialDecision")).Replace("\n", "", StringComparison.Ordinal);
        Assert.Contains("不予行政许可决定书", text, StringComparison.Ordinal);
        Assert.Contains("经营场所与食品贮存条件不符合要求", text, StringComparison.Ordinal);
        Assert.Contains("行政复议", text, StringComparison.Ordinal);
        Assert.Contains("行政诉讼", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Certificate_HasItsQrVerificationAndThePublicPageSaysValid_ButUnknownForAMadeUpCode()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = "330799-SCJG-011", submit = true, formData = await TestForms.RequiredAsync(factory, "330799-SCJG-011") });
        var id = filed.GetProperty("id").GetInt64();
        var c = await clerk.PostOkAsync($"/api/cases/{id}/accept", new { });
        foreach (var account in new[] { "officer.scjg", "officer2.scjg", "head.scjg" })
        {
            var session = await ApiSession.SignInAsync(factory, account);
            var item = c.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("open").GetBoolean()).GetProperty("workItemId").GetString();
            c = await session.PostOkAsync($"/api/cases/{id}/tasks/{item}/act", new { outcome = "approve", opinion = "同意" });
        }

        await clerk.PostOkAsync($"/api/cases/{id}/certificate");
        var pdf = await citizen.Client.GetByteArrayAsync($"/api/cases/{id}/documents/certificate");
        var text = PdfText(pdf);
        Assert.Contains("食品经营许可证", text, StringComparison.Ordinal);
        Assert.Contains("经营者名称", text, StringComparison.Ordinal);
        Assert.DoesNotContain("330799198503120016", text, StringComparison.Ordinal);

        await using var db = factory.CreateDbContext();
        var issued = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Cases, x => x.Id == id);
        var code = issued.CertificateCode!;
        Assert.Equal($"https://zwfw.example/verify/{code}", CaseDocuments.Build(CaseDocumentKind.Certificate, issued, "中心", "局", "https://zwfw.example").QrPayload);
        Assert.NotEmpty(CertificateTypes.QrModules($"https://zwfw.example/verify/{code}"));
        var page = await factory.CreateClient().GetStringAsync($"/verify/{code}");
        Assert.Contains("本证照真实有效", page, StringComparison.Ordinal);
        Assert.Contains("张*", page, StringComparison.Ordinal);
        Assert.DoesNotContain("330799198503120016", page, StringComparison.Ordinal);
        var unknown = await factory.CreateClient().GetStringAsync("/verify/0123456789abcdef0123");
        Assert.Contains("未找到该证照", unknown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherApplicant_CannotDownloadTheNotices()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = TestMatters.Joint, submit = true, formData = await TestForms.RequiredAsync(factory, TestMatters.Joint) });
        var enterprise = await ApiSession.SignInAsync(factory, "enterprise");

        var (response, _) = await enterprise.GetAsync($"/api/cases/{filed.GetProperty("id").GetInt64()}/documents/receipt");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void MissingFont_SaysWhatToInstallOrConfigure()
    {
        var e = Assert.Throws<FontMissingException>(() => CjkFont.Load(["/nonexistent/simhei.ttf"], systemCandidates: []));

        Assert.Contains("/nonexistent/simhei.ttf", e.Message, StringComparison.Ordinal);
        Assert.Contains("fonts-wqy-microhei", e.Message, StringComparison.Ordinal);
        Assert.Contains("fonts-hanazono", e.Message, StringComparison.Ordinal);
        Assert.Contains("Documents:FontPath", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingConfiguredFont_FallsBackToTheSystemFonts_AndIsNamedAsNotUsed()
    {
        var font = CjkFont.Load(["/nonexistent/simhei.ttf"]);

        Assert.Contains("WenQuanYi", font.Faces[0].Name, StringComparison.Ordinal);
        Assert.Contains(font.Describe(), l => l.Contains("/nonexistent/simhei.ttf: configured but not found", StringComparison.Ordinal));
    }

    [Fact]
    public void Collection_IsSplitIntoAStandaloneFirstFace()
    {
        var font = CjkFont.Load([]);

        var face = font.GetFont(CjkFont.Family)!;
        Assert.NotEqual((byte)'t', face[0]); // not "ttcf" any more
        Assert.Equal(0x00010000u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(face));
    }

    [Fact]
    public void Wrap_LongChineseParagraph_StaysInsideTheWidth_NeverSplitsACharacter_KeepsPunctuationOffTheLineStart()
    {
        static double Measure(string s) => s.Length * 10.0;
        var text = string.Concat(Enumerable.Repeat("申请材料齐全，符合法定形式。", 8)) + "𠀀𠀁";

        var lines = CjkLayout.Wrap(text, 95, Measure);

        Assert.True(lines.Count > 5);
        Assert.All(lines, l => Assert.True(Measure(l) <= 95 || l.Length <= 2, l));
        Assert.Equal(text, string.Concat(lines));
        Assert.DoesNotContain(lines, l => l.Length > 0 && "，。".Contains(l[0], StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Length > 0 && char.IsLowSurrogate(l[0]));
    }
}
