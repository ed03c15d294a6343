using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using QRCoder;

namespace ApprovalSystem.Web.Documents;

/// <summary>How a certificate is laid out on the page (each draws its own vector frame; see <see cref="CertificateRenderer"/>).</summary>
public enum CertificateLayout
{
    /// <summary>Portrait, double border, a ruled table of label and value cells (食品经营许可证, general permits).</summary>
    Grid,

    /// <summary>Portrait, ornamented border with corner marks, underlined lines centred on the page (公共场所卫生许可证).</summary>
    Ornate,

    /// <summary>Portrait, "中华人民共和国" above the title, a two-column ruled table and a notes box (建筑工程施工许可证).</summary>
    Permit,

    /// <summary>Landscape A4, a heavy patterned frame, QR at the left, two columns of fields (营业执照).</summary>
    Licence,
}

/// <summary>
/// A field a certificate prints: its label and where the value comes from, tried in order — a form-data
/// key, or "$holder", "$holderId", "$matter", "$authority", "$case", "$validity", or "=literal" as the fallback.
/// </summary>
public sealed record CertificateField(string Label, params string[] Sources);

/// <summary>
/// A certificate type 证照类型: title, fields, layout, how long it is valid, and the letters its numbers start with
/// (<see cref="NumberPrefix"/>, one per type: each type numbers its own series, and the letters keep two series apart).
/// </summary>
public sealed record CertificateType(string Code, string Title, int? ValidYears, CertificateLayout Layout, IReadOnlyList<CertificateField> Fields,
    string? Note = null)
{
    public required string NumberPrefix { get; init; }
}

/// <summary>The certificate types the catalogue's matters issue, and the certificate document with its QR code.</summary>
public static class CertificateTypes
{
    private static readonly CertificateField Validity = new("有效期", "$validity");

    public static readonly IReadOnlyDictionary<string, CertificateType> Types = new Dictionary<string, CertificateType>
    {
        ["food-business-licence"] = new("food-business-licence", "食品经营许可证", 5, CertificateLayout.Grid,
        [
            new("经营者名称", "unitName", "$holder"), new("社会信用代码", "creditCode", "$holderId"), new("法定代表人（负责人）", "legalRep", "$holder"),
            new("住所", "registeredAddress", "premisesAddress", "address", "=同经营场所"), new("经营场所", "premisesAddress", "registeredAddress", "=见许可档案"),
            new("主体业态", "mainBusiness", "=食品销售经营者"), new("经营项目", "businessItems", "foodVariety", "=预包装食品（含冷藏冷冻食品）销售；散装食品（不含冷藏冷冻食品）销售"),
            new("日常监督管理机构", "$authority"), new("日常监督管理人员", "=由监管机构指定"), Validity,
        ], "投诉举报电话：12315") { NumberPrefix = "JY" },
        ["public-place-hygiene"] = new("public-place-hygiene", "公共场所卫生许可证", 4, CertificateLayout.Ornate,
        [
            new("单位名称", "unitName", "$holder"), new("法定代表人（负责人）", "legalRep", "$holder"),
            new("地址", "premisesAddress", "registeredAddress", "address", "=见许可档案"),
            new("许可项目", "placeType", "=公共场所"), new("营业面积", "premisesArea", "=—"), Validity,
        ], "本证应悬挂在经营场所的醒目位置") { NumberPrefix = "WS" },
        ["construction-permit"] = new("construction-permit", "建筑工程施工许可证", null, CertificateLayout.Permit,
        [
            new("建设单位", "unitName", "$holder"), new("工程名称", "projectName", "projectName2", "$matter"), new("建设地址", "projectAddress", "=见许可档案"),
            new("建设规模", "floorArea", "floorAreaTotal", "buildContent", "=见施工图"), new("合同价格", "contractPrice", "totalInvestment", "=—"),
            new("勘察单位", "surveyUnit", "=—"), new("设计单位", "designUnit", "=—"), new("施工单位", "constructionUnit", "=—"),
            new("监理单位", "supervisionUnit", "=—"), new("合同工期", "contractPeriod", "=按施工合同约定"),
        ],
        "一、本证放置施工现场，作为准予施工的凭证。二、未经发证机关许可，本证的各项内容不得变更。"
            + "三、建设单位应当自领取施工许可证之日起三个月内开工；因故不能按期开工的，应当向发证机关申请延期。"
            + "四、凡未取得本证擅自施工的属违法建设，将按《中华人民共和国建筑法》的规定予以处罚。") { NumberPrefix = "SG" },
        ["business-licence"] = new("business-licence", "营业执照", null, CertificateLayout.Licence,
        [
            new("统一社会信用代码", "creditCode", "$holderId"), new("名称", "unitName", "shopName", "$holder"),
            new("类型", "enterpriseType", "organizationForm", "=有限责任公司"),
            new("法定代表人", "legalRep", "applicantName", "$holder"),
            new("经营范围", "businessScope", "drugScope", "publicationScope", "=一般项目：（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"),
            new("注册资本", "registeredCapital", "totalContribution", "=—"), new("成立日期", "$issued"), new("营业期限", "$validity"),
            new("住所", "registeredAddress", "premisesAddress", "address", "=见登记档案"),
        ], "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn") { NumberPrefix = "YZ" },
        ["general-permit"] = new("general-permit", "行政许可证", 3, CertificateLayout.Grid,
        [
            new("持证人", "$holder"), new("证件号码", "$holderId"), new("许可事项", "$matter"),
            new("地址", "premisesAddress", "projectAddress", "registeredAddress", "address", "=—"), Validity, new("办件编号", "$case"),
        ]) { NumberPrefix = "XK" },
        ["registration-certificate"] = new("registration-certificate", "登记证明", null, CertificateLayout.Grid,
        [
            new("登记人", "$holder"), new("证件号码", "$holderId"), new("登记事项", "$matter"),
            new("坐落（地址）", "propertyLocation", "propertyAddress", "installAddress", "address", "=—"), Validity, new("办件编号", "$case"),
        ]) { NumberPrefix = "DJ" },
    };

    public static CertificateType TypeOf(Case c) =>
        c.CertificateType is { } code && Types.TryGetValue(code, out var t) ? t : Types["general-permit"] with { Code = c.CertificateType ?? "" };

    /// <summary>The numbering series a type draws from in a year: one per number prefix, so no two types can draw the same number.</summary>
    public static string NumberSeries(CertificateType type, int year) => $"CERT-{type.NumberPrefix}-{year}";

    /// <summary>A certificate number 证照编号: the type's letters, the region code, the year and the series value, e.g. JY3307992026000001.</summary>
    public static string Number(CertificateType type, string regionCode, int year, int sequence) =>
        $"{type.NumberPrefix}{regionCode}{year}{sequence.ToString("000000", System.Globalization.CultureInfo.InvariantCulture)}";

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

    /// <summary>
    /// The value of a field for a case: the first source that gives one. A form-data key is looked up in the applicant's form, then
    /// in what the case's steps entered (<paramref name="entered"/>: the 统一社会信用代码 the registration's officer recorded at 核准).
    /// A form value whose field has a unit (<paramref name="units"/>: 注册资本 in 万元) is printed with it.
    /// </summary>
    public static string Resolve(CertificateField field, Case c, string authority, IReadOnlyDictionary<string, string>? entered = null,
        IReadOnlyDictionary<string, string>? units = null)
    {
        var issued = WorkingTime.LocalDate(c.CertificateIssuedAt ?? c.DecidedAt ?? c.CreatedAt);
        foreach (var source in field.Sources)
        {
            var value = source switch
            {
                "$holder" => c.Applicant.Name,
                "$holderId" => c.Applicant.IdType == ApplicantIdType.CreditCode ? c.Applicant.IdNumber : Masking.IdNumber(c.Applicant.IdNumber),
                "$matter" => c.MatterName,
                "$authority" => authority,
                "$case" => c.Number,
                "$issued" => issued.ToString("yyyy年M月d日", System.Globalization.CultureInfo.InvariantCulture),
                "$validity" => ValidUntil(c) is { } until ? $"{issued:yyyy年M月d日}至{until:yyyy年M月d日}" : "长期",
                _ when source.StartsWith('=') => source[1..],
                _ => c.FormData.GetValueOrDefault(source) is { Length: > 0 } given ? given : entered?.GetValueOrDefault(source),
            };
            if (!string.IsNullOrWhiteSpace(value))
            {
                // Identity numbers from the form are never printed in full.
                var fromForm = !source.StartsWith('$') && !source.StartsWith('=');
                return fromForm && (source.Contains("IdNumber", StringComparison.OrdinalIgnoreCase) || source.EndsWith("Id", StringComparison.Ordinal))
                    ? Masking.IdNumber(value) : fromForm ? WithUnit(value.Trim(), units?.GetValueOrDefault(source)) : value.Trim();
            }
        }

        return "—";
    }

    /// <summary>A value as printed: with its field's unit (50 → 50万元), unless it is empty or already says it (typed as 50万元).</summary>
    public static string WithUnit(string value, string? unit) =>
        string.IsNullOrEmpty(unit) || string.IsNullOrWhiteSpace(value) || value.EndsWith(unit, StringComparison.Ordinal) ? value : value + unit;

    /// <param name="units">The matter's form fields' units (key → unit), for the values that have one.</param>
    public static DocumentContent Build(Case c, string authority, string publicBaseUrl, IReadOnlyDictionary<string, string>? units = null)
    {
        var type = TypeOf(c);
        var entered = c.StepValues();
        return new DocumentContent(
            type.Title,
            $"编号：{c.CertificateNumber}",
            type.Fields.Select(f => (f.Label, Resolve(f, c, authority, entered, units))).ToList(),
            type.Note is null ? ["扫描二维码可核验本证真伪及当前状态。"] : [type.Note, "扫描二维码可核验本证真伪及当前状态。"],
            authority,
            WorkingTime.LocalDate(c.CertificateIssuedAt ?? c.DecidedAt ?? c.CreatedAt))
        {
            QrPayload = c.CertificateCode is null ? null : VerificationUrl(publicBaseUrl, c.CertificateCode),
            Layout = type.Layout,
        };
    }
}
