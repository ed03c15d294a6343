using ApprovalSystem.Workflows;

namespace ApprovalSystem.Web.Features.Admin.FlowDesigner;

/// <summary>The Chinese names the designer shows for the engine's words (kinds, outcomes, roles, results, field types).</summary>
public static class FlowTexts
{
    public static readonly IReadOnlyList<(string Role, string Name)> Roles =
    [
        ("Officer", "经办人员"), ("DepartmentHead", "部门负责人"), ("Clerk", "窗口人员"), ("Supervisor", "监察人员"),
        ("Administrator", "管理员"), ("Agent", "代办员"), ("Applicant", "申请人"),
    ];

    public static readonly IReadOnlyList<(string Type, string Name)> FieldTypes =
    [
        ("text", "文本"), ("textarea", "多行文本"), ("number", "数字"), ("date", "日期"), ("choice", "选择"), ("phone", "电话"),
        ("idcard", "身份证号"), ("creditcode", "统一社会信用代码"),
    ];

    public static readonly IReadOnlyList<(string Result, string Name)> Results = [("approved", "准予"), ("denied", "不予"), ("reported", "上报")];

    /// <summary>The outcomes a human step may offer, in the order the panel lists them.</summary>
    public static readonly IReadOnlyList<string> HumanOutcomes = ["approve", "deny", "return"];

    public static string KindName(StepKind kind) => kind switch
    {
        StepKind.Task => "任务",
        StepKind.Parallel => "并联审批",
        StepKind.Countersign => "会签",
        StepKind.Condition => "条件",
        StepKind.End => "结束",
    };

    public static string Outcome(string outcome) => WorkflowNames.Chinese(outcome);

    public static string Role(string role) => Roles.FirstOrDefault(r => r.Role == role).Name ?? role;

    public static string Result(string result) => Results.FirstOrDefault(r => r.Result == result).Name ?? result;

    public static string FieldType(string type) => FieldTypes.FirstOrDefault(t => t.Type == type).Name ?? type;

    /// <summary>A department as people read it: the placeholders by their meaning, a code by the catalogue's name.</summary>
    public static string Department(string code, IReadOnlyDictionary<string, string> names) => code switch
    {
        WorkflowDepartments.Lead => "主办部门",
        WorkflowDepartments.Centre => "服务中心",
        "" => "（未选部门）",
        _ => names.TryGetValue(code, out var name) ? name : code,
    };

    /// <summary>A field's kind as a workflow file names it.</summary>
    public static string FieldTypeName(FieldKind kind) => kind switch
    {
        FieldKind.Text => "text",
        FieldKind.Textarea => "textarea",
        FieldKind.Number => "number",
        FieldKind.Date => "date",
        FieldKind.Select => "choice",
        FieldKind.Phone => "phone",
        FieldKind.IdCard => "idcard",
        FieldKind.CreditCode => "creditcode",
    };
}
