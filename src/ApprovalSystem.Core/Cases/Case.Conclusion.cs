using System.Globalization;
using System.Text.Json;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Cases;

/// <summary>After the decision: certificates, delivery and archiving (Features/Cases/Conclusion, Features/Certificates).</summary>
public sealed partial class Case
{
    /// <summary>Issues the certificate 发证 of an approved case.</summary>
    public void IssueCertificate(string certificateNumber, CaseActor actor, DateTimeOffset now, string? verificationCode = null)
    {
        Guard(CaseTrigger.IssueCertificate);
        if (!(actor.Is(Roles.Clerk) || (actor.Department == LeadDepartment && (actor.Is(Roles.Officer) || actor.Is(Roles.DepartmentHead)))
            || (actor.IsAutoApprover && AutoApproved)))
        {
            throw new CaseRuleException("只有窗口工作人员或主办部门可以发证（秒批系统只为其自动审批的办件发证）");
        }

        if (CertificateType is null)
        {
            throw new CaseRuleException("该事项不发放证照，可直接送达");
        }

        CertificateNumber = certificateNumber;
        CertificateIssuedAt = now;
        CertificateCode = verificationCode;
        Move(CaseTrigger.IssueCertificate, CaseState.CertificateIssued, now, actor, null, ("certificate", certificateNumber));
    }

    /// <summary>
    /// Journals an act on the issued certificate: revocation 撤销 or cancellation 注销 (an administrator
    /// or the head of the lead department, with a reason), or a reprint 补打. The case keeps its state;
    /// the certificate register holds the certificate's own status.
    /// </summary>
    public void RecordCertificateAct(CaseTrigger trigger, string? reason, CaseActor actor, DateTimeOffset now)
    {
        if (trigger is not (CaseTrigger.RevokeCertificate or CaseTrigger.CancelCertificate or CaseTrigger.ReprintCertificate))
        {
            throw new ArgumentOutOfRangeException(nameof(trigger), trigger, "not an act on the certificate");
        }

        Guard(trigger);
        if (CertificateNumber is null)
        {
            throw new CaseRuleException("该办件没有已发放的证照");
        }

        if (trigger == CaseTrigger.ReprintCertificate)
        {
            if (!(actor.Is(Roles.Clerk) || (actor.Department == LeadDepartment && (actor.Is(Roles.Officer) || actor.Is(Roles.DepartmentHead)))
                || IsFiler(actor)))
            {
                throw new CaseRuleException("只有窗口工作人员、主办部门或申请人可以补打证照");
            }
        }
        else
        {
            if (!(actor.Is(Roles.Administrator) || (actor.Is(Roles.DepartmentHead) && actor.Department == LeadDepartment)))
            {
                throw new CaseRuleException("只有系统管理员或发证部门负责人可以撤销或注销证照");
            }

            if (string.IsNullOrWhiteSpace(reason))
            {
                throw new CaseRuleException(trigger == CaseTrigger.RevokeCertificate ? "撤销证照必须说明理由" : "注销证照必须说明理由");
            }
        }

        Record(trigger, now, actor, reason?.Trim(), State, ("certificate", CertificateNumber));
    }

    /// <summary>Delivers 送达 the result (decision, certificate or refusal) to the applicant.</summary>
    public void Deliver(string method, CaseActor actor, DateTimeOffset now)
    {
        Guard(CaseTrigger.Deliver);
        RequireClerk(actor);
        if (State == CaseState.Approved && CertificateType is not null)
        {
            throw new CaseRuleException("请先发证再送达");
        }

        DeliveredAt = now;
        DeliveryMethod = string.IsNullOrWhiteSpace(method) ? "窗口领取" : method.Trim();
        Move(CaseTrigger.Deliver, CaseState.Delivered, now, actor, null, ("method", DeliveryMethod));
    }

    /// <summary>Archives 归档 a concluded case with its file list, retention period and location.</summary>
    public void ArchiveCase(IReadOnlyList<string> files, int retentionYears, string location, CaseActor actor, DateTimeOffset now)
    {
        Guard(CaseTrigger.Archive);
        RequireClerk(actor);
        if (files.Count == 0 || string.IsNullOrWhiteSpace(location) || retentionYears <= 0)
        {
            throw new CaseRuleException("归档须列明案卷文件、保管期限和存放位置");
        }

        Archive = new ArchiveRecord(files, retentionYears, location.Trim(), now, actor.Name);
        Move(CaseTrigger.Archive, CaseState.Archived, now, actor, null, ("files", files.Count.ToString(CultureInfo.InvariantCulture)),
            ("retentionYears", retentionYears.ToString(CultureInfo.InvariantCulture)), ("location", location));
    }
}
