using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using QRCoder;

namespace ApprovalSystem.Web.Documents;

/// <summary>A certificate type 证照类型: its title and how long it is valid.</summary>
public sealed record CertificateType(string Code, string Title, int? ValidYears);

/// <summary>The certificate types the catalogue's matters issue, and the certificate document with its QR code.</summary>
public static class Certificates
{
    public static readonly IReadOnlyDictionary<string, CertificateType> Types = new Dictionary<string, CertificateType>
    {
        ["food-business-licence"] = new("food-business-licence", "食品经营许可证", 5),
        ["public-place-hygiene"] = new("public-place-hygiene", "公共场所卫生许可证", 4),
        ["construction-permit"] = new("construction-permit", "建筑工程施工许可证", null),
        ["business-licence"] = new("business-licence", "营业执照", null),
        ["general-permit"] = new("general-permit", "行政许可证", 3),
        ["registration-certificate"] = new("registration-certificate", "登记证明", null),
    };

    public static CertificateType TypeOf(Case c) =>
        c.CertificateType is { } code && Types.TryGetValue(code, out var t) ? t : new CertificateType(c.CertificateType ?? "", "行政许可证", 3);

    public static DateOnly? ValidUntil(Case c) =>
        c.CertificateIssuedAt is { } issued && TypeOf(c).ValidYears is { } years ? WorkingTime.LocalDate(issued).AddYears(years).AddDays(-1) : null;

    /// <summary>The QR code's payload: the public verification page of this certificate.</summary>
    public static string VerificationUrl(string publicBaseUrl, string code) => $"{publicBaseUrl.TrimEnd('/')}/verify/{code}";

    /// <summary>The QR code's modules (true = dark), quiet zone included, to draw as vector squares.</summary>
    public static bool[][] QrModules(string payload)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        return data.ModuleMatrix.Select(row => Enumerable.Range(0, row.Length).Select(i => row[i]).ToArray()).ToArray();
    }

    public static DocumentContent Build(Case c, string authority, string publicBaseUrl, IReadOnlyDictionary<string, string>? fieldLabels = null)
    {
        var type = TypeOf(c);
        var validUntil = ValidUntil(c);
        return new DocumentContent(
            type.Title,
            $"编号：{c.CertificateNumber}",
            [
                ("持证人", c.Applicant.Name),
                (c.Applicant.IdType == ApplicantIdType.CreditCode ? "统一社会信用代码" : "身份证号码", c.Applicant.IdType == ApplicantIdType.CreditCode ? c.Applicant.IdNumber : Masking.IdNumber(c.Applicant.IdNumber)),
                ("许可事项", c.MatterName),
                // The form's own facts the certificate states (short ones; identifiers and phones are not printed).
                .. c.FormData.Where(kv => kv.Value.Length <= 60 && fieldLabels?.ContainsKey(kv.Key) == true && !IsPersonalOrRepeated(kv.Key, kv.Value, c))
                    .Take(4).Select(kv => (fieldLabels![kv.Key], kv.Value)),
                ("有效期", validUntil is { } until ? $"{WorkingTime.LocalDate(c.CertificateIssuedAt!.Value):yyyy年M月d日}至{until:yyyy年M月d日}" : "长期"),
                ("办件编号", c.Number ?? ""),
            ],
            ["扫描右下角二维码可核验本证真伪及当前状态。"],
            authority,
            WorkingTime.LocalDate(c.CertificateIssuedAt ?? DateTimeOffset.UtcNow))
        {
            QrPayload = c.CertificateCode is null ? null : VerificationUrl(publicBaseUrl, c.CertificateCode),
        };
    }

    private static bool IsPersonalOrRepeated(string key, string value, Case c) =>
        value == c.Applicant.Name || value == c.Applicant.IdNumber || value == c.Applicant.Phone
        || key.Contains("phone", StringComparison.OrdinalIgnoreCase) || key.Contains("IdNumber", StringComparison.OrdinalIgnoreCase) || key.Contains("creditCode", StringComparison.OrdinalIgnoreCase);
}
