using System.Globalization;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;

namespace ApprovalSystem.Web.Features.Admin.Workflows;

/// <summary>How the flow pages say things: origins and moments in Chinese.</summary>
public static class WorkflowText
{
    public static string Origin(WorkflowOrigin origin) => origin switch
    {
        WorkflowOrigin.Shipped => "随升级提供",
        WorkflowOrigin.Edited => "管理员编辑",
        WorkflowOrigin.Imported => "导入",
        _ => origin.ToString(),
    };

    public static string Moment(DateTimeOffset? at) =>
        at is { } value ? value.ToOffset(WorkingTime.ChinaOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

    public static string Day(DateTimeOffset? at) =>
        at is { } value ? value.ToOffset(WorkingTime.ChinaOffset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "—";
}
