using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Catalogue;

/// <summary>Chinese display names for catalogue enums.</summary>
public static class MatterNames
{
    public static string Kind(MatterKind kind) => kind switch
    {
        MatterKind.Immediate => "即办件",
        MatterKind.Promised => "承诺件",
        MatterKind.Joint => "联办件",
        MatterKind.Reported => "上报件",
    };

    public static string Form(MaterialForm form) => form switch
    {
        MaterialForm.Original => "原件",
        MaterialForm.Copy => "复印件",
        MaterialForm.Electronic => "电子件",
    };

    public static string FieldType(FieldKind type) => type switch
    {
        Workflows.FieldKind.Text => "文本",
        Workflows.FieldKind.Textarea => "多行文本",
        Workflows.FieldKind.Number => "数字",
        Workflows.FieldKind.Date => "日期",
        Workflows.FieldKind.Select => "选择",
        Workflows.FieldKind.Phone => "电话",
        Workflows.FieldKind.IdCard => "身份证号码",
        Workflows.FieldKind.CreditCode => "统一社会信用代码",
    };

    public static string Limit(int days) => days == 0 ? "当场办结" : $"{days}个工作日";

    public static string Fee(decimal fee) => fee == 0 ? "不收费" : $"{fee:0.##}元";

    public static string CertificateType(string? type) => type switch
    {
        null or "" => "无",
        "food-business-licence" => "食品经营许可证",
        "public-place-hygiene" => "公共场所卫生许可证",
        "construction-permit" => "建筑工程施工许可证",
        "business-licence" => "营业执照",
        "general-permit" => "行政许可证件",
        "registration-certificate" => "登记证明",
        _ => type,
    };

    public static readonly IReadOnlyList<string> CertificateTypes =
        ["food-business-licence", "public-place-hygiene", "construction-permit", "business-licence", "general-permit", "registration-certificate"];

    public static string Warning(int? daysLeft, int? percentUsed) =>
        daysLeft is { } d ? $"剩余{d}个工作日预警" : percentUsed is { } p ? $"时限用去{p}%预警" : "未设置";
}
