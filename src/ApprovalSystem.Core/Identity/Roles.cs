namespace ApprovalSystem.Core.Identity;

/// <summary>The roles of DOMAIN.md's users. Names are stable identifiers stored in the database.</summary>
public static class Roles
{
    /// <summary>Applicant 申请人 (citizen 个人 or enterprise 企业).</summary>
    public const string Applicant = "Applicant";

    /// <summary>Township agent 代办员 of a convenience-service station.</summary>
    public const string Agent = "Agent";

    /// <summary>Window clerk 窗口工作人员 of the service centre.</summary>
    public const string Clerk = "Clerk";

    /// <summary>Department officer 承办/审核人.</summary>
    public const string Officer = "Officer";

    /// <summary>Department head 审批人/部门负责人.</summary>
    public const string DepartmentHead = "DepartmentHead";

    /// <summary>Supervisor 纪检监察人员.</summary>
    public const string Supervisor = "Supervisor";

    /// <summary>Administrator 系统管理员.</summary>
    public const string Administrator = "Administrator";

    public static readonly IReadOnlyList<string> All = [Applicant, Agent, Clerk, Officer, DepartmentHead, Supervisor, Administrator];

    public static string DisplayName(string role) => role switch
    {
        Applicant => "申请人",
        Agent => "代办员",
        Clerk => "窗口工作人员",
        Officer => "部门经办人",
        DepartmentHead => "部门负责人",
        Supervisor => "监察人员",
        Administrator => "系统管理员",
        _ => role,
    };

    /// <summary>Roles whose users belong to a department.</summary>
    public static bool NeedsDepartment(string role) => role is Officer or DepartmentHead;
}
