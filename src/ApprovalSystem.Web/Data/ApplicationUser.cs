using ApprovalSystem.Core.Catalogue;
using Microsoft.AspNetCore.Identity;

namespace ApprovalSystem.Web.Data;

/// <summary>Whether an applicant account is a person or an enterprise.</summary>
public enum ApplicantType
{
    /// <summary>个人.</summary>
    Citizen,

    /// <summary>企业/法人.</summary>
    Enterprise,
}

/// <summary>A user of the system; staff belong to a department or a station.</summary>
public class ApplicationUser : IdentityUser
{
    /// <summary>Name shown in the UI: a person's name or an enterprise's name.</summary>
    public string DisplayName { get; set; } = "";

    public ApplicantType? ApplicantType { get; set; }

    /// <summary>Resident ID number of a citizen applicant.</summary>
    public string? IdNumber { get; set; }

    /// <summary>Unified social credit code of an enterprise applicant.</summary>
    public string? CreditCode { get; set; }

    public string? LegalRepresentative { get; set; }

    public string? Address { get; set; }

    public int? DepartmentId { get; set; }

    public Department? Department { get; set; }

    public int? StationId { get; set; }

    public Station? Station { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
