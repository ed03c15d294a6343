using System.Diagnostics;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Documents;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace ApprovalSystem.Web.Tests.Documents;

/// <summary>
/// Names with rare characters (CJK Extension A 䶮, Extension B 𠈌, GBK 喆堃) print as real text, in certificates
/// under 100 KB, through the font chain; a character no font has is journalled when the document is stored.
/// </summary>
public sealed class RareCharacterDocumentTests(AppFactory factory, ITestOutputHelper output) : IClassFixture<AppFactory>
{
    public static TheoryData<string> Names => ["王𠈌", "䶮·阿不都热合曼", "李喆堃"];

    public static TheoryData<string> Types => ["food-business-licence", "public-place-hygiene", "construction-permit", "business-licence"];

    private static string Flat(string text) => text.Replace("\n", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);

    /// <summary>A food business licence case of <paramref name="legalRep"/> taken to approval and given its certificate.</summary>
    private async Task<long> CertifiedAsync(string? unitName = null, string? legalRep = null)
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        const string matterCode = "330799-SCJG-011";
        var data = await TestForms.RequiredAsync(factory, matterCode);
        data["unitName"] = unitName ?? data["unitName"];
        data["legalRep"] = legalRep ?? data["legalRep"];
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode, submit = true, formData = data });
        var id = filed.GetProperty("id").GetInt64();
        var c = await clerk.PostOkAsync($"/api/cases/{id}/accept", new { });
        foreach (var account in new[] { "officer.scjg", "officer2.scjg", "head.scjg" })
        {
            var session = await ApiSession.SignInAsync(factory, account);
            var item = c.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("open").GetBoolean()).GetProperty("workItemId").GetString();
            c = await session.PostOkAsync($"/api/cases/{id}/tasks/{item}/act", new { outcome = "approve", opinion = "同意" });
        }

        await clerk.PostOkAsync($"/api/cases/{id}/certificate");
        return id;
    }

    private async Task<Case> CaseAsync(long id)
    {
        await using var db = factory.CreateDbContext();
        return await db.Cases.AsNoTracking().SingleAsync(x => x.Id == id);
    }

    private (byte[] Pdf, double Milliseconds) Render(DocumentContent content)
    {
        var renderer = factory.Get<DocumentRenderer>();
        renderer.Render(content); // the first render of a face loads it: time the second
        var watch = Stopwatch.StartNew();
        var pdf = renderer.Render(content);
        return (pdf, watch.Elapsed.TotalMilliseconds);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public async Task Certificate_WithRareCharactersInTheNames_PrintsEveryCharacterAsText_UnderOneHundredKB(string type)
    {
        var id = await CertifiedAsync(unitName: "䶮·阿不都热合曼李喆堃", legalRep: "王𠈌");
        var c = await CaseAsync(id);
        typeof(Case).GetProperty(nameof(Case.CertificateType))!.SetValue(c, type);

        var (pdf, ms) = Render(CaseDocuments.Build(CaseDocumentKind.Certificate, c, "云溪县行政服务中心", "云溪县市场监督管理局", "https://zwfw.example"));
        output.WriteLine($"{type}: {pdf.Length} bytes, {ms:F1} ms");

        var text = Flat(IssuedDocumentTests.PdfText(pdf));
        Assert.Contains("䶮·阿不都热合曼李喆堃", text, StringComparison.Ordinal);
        if (type != "construction-permit") // the permit prints the unit, not its representative
        {
            Assert.Contains("王𠈌", text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("□", text, StringComparison.Ordinal);
        Assert.True(pdf.Length <= 100_000, $"{type}: {pdf.Length} bytes");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task AcceptanceNotice_ForAnApplicantWithARareName_PrintsTheName_UnderOneHundredKB(string name)
    {
        var id = await CertifiedAsync();
        var c = await CaseAsync(id);
        typeof(Case).GetProperty(nameof(Case.Applicant))!.SetValue(c, c.Applicant with { Name = name });

        var (pdf, ms) = Render(CaseDocuments.Build(CaseDocumentKind.AcceptanceNotice, c, "云溪县行政服务中心", "云溪县市场监督管理局", "https://zwfw.example"));
        output.WriteLine($"{name}: {pdf.Length} bytes, {ms:F1} ms");

        var text = Flat(IssuedDocumentTests.PdfText(pdf));
        Assert.Contains($"{name}：你（单位）提出的", text, StringComparison.Ordinal);
        Assert.Contains($"{name}（身份证号码", text, StringComparison.Ordinal);
        Assert.True(pdf.Length <= 100_000, $"{pdf.Length} bytes");
    }

    [Theory]
    [MemberData(nameof(Types))]
    public async Task OrdinaryCertificate_SizeAndTime(string type)
    {
        var id = await CertifiedAsync();
        var c = await CaseAsync(id);
        typeof(Case).GetProperty(nameof(Case.CertificateType))!.SetValue(c, type);

        var (pdf, ms) = Render(CaseDocuments.Build(CaseDocumentKind.Certificate, c, "云溪县行政服务中心", "云溪县市场监督管理局", "https://zwfw.example"));
        output.WriteLine($"{type}: {pdf.Length} bytes, {ms:F1} ms");

        // The ordinary certificate is drawn from the reduced main face alone, as before the font chain
        // (49–62 KB then, with the QR code and number of each case making ±0.2 KB).
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(System.Text.Encoding.Latin1.GetString(pdf), @"/FontFile2"));
        Assert.True(pdf.Length <= 64_000, $"{type}: {pdf.Length} bytes");
    }

    [Fact]
    public async Task StoredCertificate_WithACharacterNoFontHas_IsJournalledWithTheCharacter()
    {
        var id = await CertifiedAsync(legalRep: "王🦄明");
        await factory.RenderDocumentsAsync();

        await using var db = factory.CreateDbContext();
        Assert.True(await db.CaseDocuments.AnyAsync(d => d.CaseId == id && d.Kind == nameof(CaseDocumentKind.Certificate)));
        var entry = await db.Journal.AsNoTracking().SingleAsync(e => e.CaseId == id && e.Action == "文书缺字");
        Assert.Contains("🦄", entry.Opinion, StringComparison.Ordinal);
        Assert.Contains("U+1F984", entry.Data, StringComparison.Ordinal);
        Assert.Contains(CaseDocuments.Title(CaseDocumentKind.Certificate), entry.Opinion, StringComparison.Ordinal);
    }
}
