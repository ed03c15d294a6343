using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using ApprovalSystem.Web.Documents;
using ApprovalSystem.Web.Features.Certificates;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace ApprovalSystem.Web.Tests.Documents;

/// <summary>
/// Issued documents carry the issuing organ's digital signature (decision 0052): PAdES over the final bytes, verified by
/// poppler's pdfsig against the CA in an NSS database and by our own check; an edited file fails both; /verify/{code}
/// answers an uploaded PDF.
/// </summary>
public sealed partial class DocumentSigningTests(AppFactory factory, ITestOutputHelper output) : IClassFixture<AppFactory>
{
    /// <summary>What signing may add to a document, its chain included (issue 19).</summary>
    private const int Budget = 10 * 1024;

    internal static async Task<long> CertifiedAsync(AppFactory factory, string matterCode = "330799-SCJG-011", Action<Dictionary<string, string>>? form = null)
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

        await clerk.PostOkAsync($"/api/cases/{id}/certificate");
        await factory.RenderDocumentsAsync();
        return id;
    }

    /// <summary>An NSS database trusting <paramref name="caPem"/> (certutil, libnss3-tools), for pdfsig -nssdir.</summary>
    internal static string NssDatabase(string caPem)
    {
        var folder = Directory.CreateTempSubdirectory("nss-").FullName;
        var ca = Path.Combine(folder, "ca.crt");
        File.WriteAllText(ca, caPem);
        Run("certutil", "-N", "--empty-password", "-d", "sql:" + folder);
        Run("certutil", "-A", "-n", "signing-ca", "-t", "CT,C,C", "-i", ca, "-d", "sql:" + folder);
        return folder;
    }

    /// <summary>pdfsig's report of a file, verified against the CAs in <paramref name="nss"/>.</summary>
    internal static string Pdfsig(byte[] pdf, string nss)
    {
        var file = Path.Combine(Path.GetTempPath(), $"signed-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            return Run("pdfsig", "-nssdir", "sql:" + nss, file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Run(string tool, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output.Result + error;
    }

    private string DevelopmentCa => File.ReadAllText(Path.Combine(factory.DataFolder, SigningKeys.DevelopmentFolder, SigningKeys.DevelopmentCa));

    private static void AssertTrustedAndValid(string report)
    {
        Assert.True(report.Contains("Signature is Valid", StringComparison.Ordinal), report);
        Assert.Contains("Signature Validation: Signature is Valid.", report, StringComparison.Ordinal);
        Assert.Contains("Certificate Validation: Certificate is Trusted.", report, StringComparison.Ordinal);
        Assert.Contains("Total document signed", report, StringComparison.Ordinal);
        Assert.DoesNotContain("not total document signed", report, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task IssuedCertificateAndDecision_AreStoredSigned_PdfsigTrustsThemWithTheCentreCa_AndAnEditedFileFailsBoth()
    {
        var id = await CertifiedAsync(factory);
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var nss = NssDatabase(DevelopmentCa);
        var check = factory.Get<PdfSignatureCheck>();
        await using var db = factory.CreateDbContext();
        foreach (var kind in new[] { "certificate", "approvalDecision" })
        {
            var pdf = await citizen.Client.GetByteArrayAsync($"/api/cases/{id}/documents/{kind}");
            var name = char.ToUpperInvariant(kind[0]) + kind[1..];
            var stored = await db.CaseDocuments.AsNoTracking().SingleAsync(d => d.CaseId == id && d.Kind == name);
            Assert.Equal(stored.Sha256, Convert.ToHexStringLower(SHA256.HashData(pdf))); // the stored bytes are the signed ones

            var report = Pdfsig(pdf, nss);
            output.WriteLine(report);
            AssertTrustedAndValid(report);
            Assert.Contains("ETSI.CAdES.detached", report, StringComparison.Ordinal);
            Assert.Contains("行政服务中心", report, StringComparison.Ordinal); // the signer's name
            var finding = check.Check(pdf);
            Assert.Equal(SignatureState.Valid, finding.State);
            Assert.InRange(finding.SignedAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1)); // /M in China's time, read back

            // One byte changed inside the signed range (the page's drawing): both pdfsig and our check refuse it.
            var edited = (byte[])pdf.Clone();
            edited[pdf.Length / 3] ^= 0x20;
            var broken = Pdfsig(edited, nss);
            Assert.True(broken.Contains("Signature is Invalid", StringComparison.Ordinal) || broken.Contains("Digest Mismatch", StringComparison.Ordinal), broken);
            Assert.Equal(SignatureState.Broken, check.Check(edited).State);

            // Something appended after signing (an incremental save by an editor): the signature no longer covers the file.
            byte[] appended = [.. pdf, .. "\n% changed\n"u8];
            Assert.Equal(SignatureState.Extended, check.Check(appended).State);
        }
    }

    [Fact]
    public async Task SecondCertificateType_AndARareCharacterHolder_AreSignedAndVerifiedToo()
    {
        var permit = await CertifiedAsync(factory, "330799-SCJG-015"); // 行政许可证 (XK), beside the food business licence (JY)
        var rare = await CertifiedAsync(factory, "330799-SCJG-011", d => (d["unitName"], d["legalRep"]) = ("𠈌记餐饮店", "王𠈌"));
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var nss = NssDatabase(DevelopmentCa);
        foreach (var (id, text) in new[] { (permit, "行政许可证"), (rare, "𠈌记餐饮店") })
        {
            var pdf = await citizen.Client.GetByteArrayAsync($"/api/cases/{id}/documents/certificate");
            Assert.Contains(text, Flat(IssuedDocumentTests.PdfText(pdf)), StringComparison.Ordinal);
            AssertTrustedAndValid(Pdfsig(pdf, nss));
            Assert.Equal(SignatureState.Valid, factory.Get<PdfSignatureCheck>().Check(pdf).State);
        }
    }

    private static string Flat(string text) => text.Replace("\n", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);

    [Fact]
    public async Task Signing_LeavesTheVisiblePageAsItWas_AndTheOriginalBytesUntouched()
    {
        var content = new DocumentContent("准予行政许可决定书", "编号：330799-20261205-0001", [("申请人", "䶮·阿不都热合曼"), ("许可事项", "食品经营许可")],
            ["经审查，申请符合法定条件、标准，决定准予行政许可。"], "云溪县市场监督管理局", new DateOnly(2026, 12, 5));
        var unsigned = factory.Get<DocumentRenderer>().Render(content);
        var signed = await factory.Get<IDocumentSigner>().SignAsync(unsigned, SigningRequest.For(content));

        output.WriteLine($"Signing with the development ECDSA P-256 certificate added {signed.Length - unsigned.Length} bytes to {unsigned.Length}.");
        Assert.Equal(unsigned, signed[..unsigned.Length]); // an incremental update: the issued bytes stay, the signature follows
        Assert.InRange(signed.Length - unsigned.Length, 1, Budget);
        Assert.Equal(Pages(unsigned), Pages(signed));
    }

    /// <summary>The first page as pdftoppm draws it (PNG bytes at 40 dpi).</summary>
    private static byte[] Pages(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), $"page-{Guid.NewGuid():N}");
        File.WriteAllBytes(file + ".pdf", pdf);
        try
        {
            Run("pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile", file + ".pdf", file);
            return File.ReadAllBytes(file + ".png");
        }
        finally
        {
            File.Delete(file + ".pdf");
            File.Delete(file + ".png");
        }
    }

    [Fact]
    public async Task TheThousandthDocument_IsSignedWithTheSameKey_AndStaysWithinTenKilobytesLarger()
    {
        var renderer = factory.Get<DocumentRenderer>();
        var signer = factory.Get<IDocumentSigner>();
        var check = factory.Get<PdfSignatureCheck>();
        var documents = Enumerable.Range(1, 3).Select(i => renderer.Render(new DocumentContent("受理通知书", $"编号：330799-20261205-{i:D4}",
            [("申请人", $"申请人{i}")], ["决定予以受理。"], "云溪县行政服务中心", new DateOnly(2026, 12, 5)))).ToList();
        string? first = null;
        for (var n = 1; n <= 1000; n++)
        {
            var pdf = documents[n % documents.Count];
            var signed = await signer.SignAsync(pdf, new SigningRequest(null, "云溪县行政服务中心", "签发受理通知书"));
            Assert.InRange(signed.Length - pdf.Length, 1, Budget);
            if (n is 1 or 2 or 1000)
            {
                var finding = check.Check(signed);
                Assert.Equal(SignatureState.Valid, finding.State);
                first ??= SignerThumbprint(signed);
                Assert.Equal(first, SignerThumbprint(signed));
            }
        }
    }

    private static string SignerThumbprint(byte[] pdf)
    {
        var text = System.Text.Encoding.Latin1.GetString(pdf);
        var hex = ContentsRegex().Matches(text)[^1].Groups[1].Value;
        var cms = new System.Security.Cryptography.Pkcs.SignedCms();
        var der = Convert.FromHexString(hex);
        System.Formats.Asn1.AsnDecoder.ReadEncodedValue(der, System.Formats.Asn1.AsnEncodingRules.BER, out _, out _, out var used);
        cms.Decode(der.AsSpan(0, used));
        return cms.SignerInfos[0].Certificate!.Thumbprint;
    }

    [GeneratedRegex("/Contents <([0-9A-F]+)>")]
    private static partial Regex ContentsRegex();

    [Fact]
    public async Task VerifyPage_AnUploadedPdf_IsTheIssuedOne_OrChanged_OrNotOurs_OrNotAPdf_WithoutPersonalData()
    {
        var id = await CertifiedAsync(factory);
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var certificate = await citizen.Client.GetByteArrayAsync($"/api/cases/{id}/documents/certificate");
        var decision = await citizen.Client.GetByteArrayAsync($"/api/cases/{id}/documents/approvalDecision");
        string code;
        await using (var db = factory.CreateDbContext())
        {
            code = (await db.Cases.AsNoTracking().SingleAsync(c => c.Id == id)).CertificateCode!;
        }

        var visitor = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        var issued = await UploadAsync(visitor, code, certificate);
        Assert.Contains("data-outcome=\"Issued\"", issued, StringComparison.Ordinal);
        Assert.Contains("证照原件", issued, StringComparison.Ordinal);
        Assert.Contains("数字签名有效", issued, StringComparison.Ordinal);
        Assert.DoesNotContain("张伟", issued, StringComparison.Ordinal);
        Assert.DoesNotContain("330799198503120016", issued, StringComparison.Ordinal);

        Assert.Contains("准予行政许可决定书原件", await UploadAsync(visitor, code, decision), StringComparison.Ordinal);

        var edited = (byte[])certificate.Clone();
        edited[certificate.Length / 2] ^= 0x01;
        Assert.Contains("data-outcome=\"Changed\"", await UploadAsync(visitor, code, edited), StringComparison.Ordinal);

        // Signed by a certificate of someone else's CA: a sound signature, but not ours.
        var other = Directory.CreateTempSubdirectory("other-ca-").FullName;
        SigningKeys.CreateDevelopmentCertificate(other, DateTimeOffset.UtcNow, "别处的机关");
        var foreign = new PadesSigner(Keys(Path.Combine(other, SigningKeys.DevelopmentP12)), TimeProvider.System);
        var unsigned = factory.Get<DocumentRenderer>().Render(new DocumentContent("证照", null, [("持证人", "某人")], [], "别处的机关", new DateOnly(2026, 12, 5)));
        var notOurs = await UploadAsync(visitor, code, await foreign.SignAsync(unsigned, new SigningRequest(null, "别处的机关", "签发")));
        Assert.Contains("data-outcome=\"NotOurs\"", notOurs, StringComparison.Ordinal);
        Assert.Contains("data-outcome=\"NotIssued\"", await UploadAsync(visitor, code, unsigned), StringComparison.Ordinal);

        // Our signature on a document of another case: genuine, but not this certificate's.
        var otherCase = await citizen.Client.GetByteArrayAsync($"/api/cases/{await CertifiedAsync(factory)}/documents/certificate");
        Assert.Contains("data-outcome=\"OtherDocument\"", await UploadAsync(visitor, code, otherCase), StringComparison.Ordinal);

        Assert.Contains("data-outcome=\"NotAPdf\"", await UploadAsync(visitor, code, "你好"u8.ToArray()), StringComparison.Ordinal);
        Assert.Contains("请先选择", await UploadAsync(visitor, code, []), StringComparison.Ordinal);
    }

    /// <summary>Posts the page's upload form with a file as a browser does (its antiforgery token from the page) and returns the answer.</summary>
    private static async Task<string> UploadAsync(HttpClient client, string code, byte[] file)
    {
        var page = await client.GetStringAsync($"/verify/{code}");
        var form = FormRegex().Match(page).Value;
        using var content = new MultipartFormDataContent();
        foreach (Match hidden in HiddenRegex().Matches(form))
        {
            content.Add(new StringContent(WebUtility.HtmlDecode(hidden.Groups["value"].Value)), hidden.Groups["name"].Value);
        }

        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new("application/pdf");
        content.Add(part, "document", "文书.pdf");
        using var response = await client.PostAsync($"/verify/{code}", content);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, html);
        return html;
    }

    private static SigningKeys Keys(string p12) => SigningKeys.Load(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Documents:Signing:Certificate:Path"] = p12 }).Build(),
        new HostingEnvironment { EnvironmentName = Environments.Production }, Path.GetTempPath(), TimeProvider.System);

    [GeneratedRegex("<form[^>]*id=\"verify-form\"[\\s\\S]*?</form>")]
    private static partial Regex FormRegex();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenRegex();

    [Fact]
    public void Production_WithoutACertificate_IssuesUnsignedWithAWarning_OrRefusesToStartWhenSigningIsRequired()
    {
        var production = new HostingEnvironment { EnvironmentName = Environments.Production };
        var folder = Directory.CreateTempSubdirectory("signing-").FullName;
        var keys = SigningKeys.Load(new ConfigurationBuilder().Build(), production, folder, TimeProvider.System);
        Assert.Null(keys.Centre);
        Assert.Contains("UNSIGNED", keys.Notice, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder, SigningKeys.DevelopmentFolder))); // no development CA outside Development
        var signer = new PadesSigner(keys, TimeProvider.System);
        Assert.Contains(signer.Describe(), l => l.Contains("UNSIGNED", StringComparison.Ordinal));

        var required = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Documents:Signing:Required"] = "true" }).Build();
        var e = Assert.Throws<InvalidOperationException>(() => SigningKeys.Load(required, production, folder, TimeProvider.System));
        Assert.Contains("Documents:Signing:Certificate:Path", e.Message, StringComparison.Ordinal);

        var wrong = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            { ["Documents:Signing:Certificate:Path"] = Path.Combine(folder, "missing.p12") }).Build();
        Assert.Contains("check the path", Assert.Throws<InvalidOperationException>(() => SigningKeys.Load(wrong, production, folder, TimeProvider.System)).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Development_MakesItsCertificateOnce_AndKeepsItAcrossStarts()
    {
        var folder = Directory.CreateTempSubdirectory("signing-").FullName;
        var development = new HostingEnvironment { EnvironmentName = Environments.Development };
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));
        var first = SigningKeys.Load(new ConfigurationBuilder().Build(), development, folder, clock);
        var second = SigningKeys.Load(new ConfigurationBuilder().Build(), development, folder, clock);

        Assert.Contains("Made a development signing CA", first.Notice, StringComparison.Ordinal);
        Assert.Null(second.Notice);
        Assert.Equal(first.Centre!.Certificate.Thumbprint, second.Centre!.Certificate.Thumbprint);
        Assert.Single(first.Centre.Roots);
        Assert.Empty(first.Centre.Chain); // the root is not embedded: a verifier trusts its own copy
        Assert.Same(first.Centre, first.For("GA")); // a department without its own certificate: the centre signs
    }
}

/// <summary>
/// A department (市场监管, SCJG) signs with its own certificate from a three-level RSA chain (root, intermediate, organ) as a CA
/// issues them; the centre keeps signing its own documents with the development certificate.
/// </summary>
public sealed class DepartmentSigningTests : IClassFixture<DepartmentSigningTests.Factory>
{
    private readonly Factory _factory;
    private readonly ITestOutputHelper _output;

    public DepartmentSigningTests(Factory factory, ITestOutputHelper output) => (_factory, _output) = (factory, output);

    public sealed class Factory : AppFactory
    {
        public Factory()
        {
            var folder = Directory.CreateTempSubdirectory("department-ca-").FullName;
            (P12, RootPem) = RsaChain(folder, "云溪县市场监督管理局");
        }

        public string P12 { get; }

        public string RootPem { get; }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Documents:Signing:Departments:SCJG:Path", P12);
            builder.UseSetting("Documents:Signing:Departments:SCJG:Password", "部门口令");
        }
    }

    /// <summary>Root → intermediate → the organ's document-signing certificate, RSA 2048, with the extensions a CA writes.</summary>
    internal static (string P12, string RootPem) RsaChain(string folder, string organ)
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest($"CN=测试根CA, O=测试CA, C=CN", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(20));

        using var midKey = RSA.Create(2048);
        var midRequest = new CertificateRequest($"CN=测试文书签名中级CA, O=测试CA, C=CN", midKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        midRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        midRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        midRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(midRequest.PublicKey, false));
        midRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        midRequest.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension(["http://crl.example.cn/mid.crl"]));
        using var mid = midRequest.Create(root, now.AddDays(-1), now.AddYears(10), [1, 2, 3, 4, 5, 6, 7, 8]).CopyWithPrivateKey(midKey);

        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={organ}, OU=文书签名, O={organ}, L=云溪县, S=浙江省, C=CN", key, HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.4"), new Oid("1.3.6.1.5.5.7.3.36")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(mid, true, false));
        request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension(["http://crl.example.cn/docsign.crl"]));
        using var leaf = request.Create(mid, now.AddDays(-1), now.AddYears(3), [9, 8, 7, 6, 5, 4, 3, 2]).CopyWithPrivateKey(key);

        var p12 = Path.Combine(folder, "scjg.p12");
        var collection = new X509Certificate2Collection
        {
            leaf,
            X509CertificateLoader.LoadCertificate(mid.RawData),
            X509CertificateLoader.LoadCertificate(root.RawData),
        };
        File.WriteAllBytes(p12, collection.Export(X509ContentType.Pkcs12, "部门口令")!);
        return (p12, root.ExportCertificatePem() + "\n");
    }

    [Fact]
    public async Task TheDepartmentsDocuments_AreSignedWithItsOwnRsaChain_WithinTenKilobytes_TheCentresReceiptWithTheCentres()
    {
        var id = await DocumentSigningTests.CertifiedAsync(_factory);
        var citizen = await ApiSession.SignInAsync(_factory, "citizen");
        var departmentNss = DocumentSigningTests.NssDatabase(_factory.RootPem);
        var check = _factory.Get<PdfSignatureCheck>();
        foreach (var kind in new[] { "certificate", "approvalDecision", "acceptanceNotice" })
        {
            var pdf = await citizen.Client.GetByteArrayAsync($"/api/cases/{id}/documents/{kind}");
            var report = DocumentSigningTests.Pdfsig(pdf, departmentNss);
            Assert.Contains("Signature Validation: Signature is Valid.", report, StringComparison.Ordinal);
            Assert.Contains("Certificate Validation: Certificate is Trusted.", report, StringComparison.Ordinal);
            var finding = check.Check(pdf);
            Assert.Equal((SignatureState.Valid, "云溪县市场监督管理局"), (finding.State, finding.Signer));
        }

        // The receipt is the centre's: signed with the centre's certificate, which the department's CA did not issue.
        var receipt = await citizen.Client.GetByteArrayAsync($"/api/cases/{id}/documents/receipt");
        var centre = check.Check(receipt);
        Assert.Equal(SignatureState.Valid, centre.State);
        Assert.Contains("行政服务中心", centre.Signer, StringComparison.Ordinal);
        var untrusted = DocumentSigningTests.Pdfsig(receipt, departmentNss);
        Assert.True(untrusted.Contains("Signature is Valid", StringComparison.Ordinal) && !untrusted.Contains("Certificate is Trusted", StringComparison.Ordinal), untrusted);

        // Signing with the chain (root left out) adds at most 10 KB to the RSA-signed document.
        var content = new DocumentContent("准予行政许可决定书", "编号：1", [("申请人", "某单位")], ["决定准予行政许可。"], "云溪县市场监督管理局",
            new DateOnly(2026, 12, 5)) { IssuerCode = "SCJG" };
        var unsigned = _factory.Get<DocumentRenderer>().Render(content);
        var signed = await _factory.Get<IDocumentSigner>().SignAsync(unsigned, SigningRequest.For(content));
        _output.WriteLine($"Signing with the RSA-2048 certificate and its intermediate CA added {signed.Length - unsigned.Length} bytes to {unsigned.Length}.");
        Assert.InRange(signed.Length - unsigned.Length, 1, 10 * 1024);
    }
}
