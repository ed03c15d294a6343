namespace ApprovalSystem.Core.Catalogue;

/// <summary>A department 部门 of the county that handles matters at the service centre.</summary>
public class Department
{
    public int Id { get; set; }

    /// <summary>Short stable code such as SCJG; used in matter codes and workflow definitions.</summary>
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public string ShortName { get; set; } = "";

    /// <summary>Where applicants go: the window 窗口 in the service hall.</summary>
    public string Window { get; set; } = "";

    public string Phone { get; set; } = "";

    /// <summary>The unit's fixed supervision contact 监察联络员 who receives warnings.</summary>
    public string SupervisionContact { get; set; } = "";

    public int SortOrder { get; set; }

    public List<Matter> Matters { get; set; } = [];
}

/// <summary>A township convenience-service station 乡镇便民服务站 where agents work.</summary>
public class Station
{
    public int Id { get; set; }

    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public string Phone { get; set; } = "";
}
