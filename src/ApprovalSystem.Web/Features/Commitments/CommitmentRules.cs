using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Commitments;

/// <summary>Who may file on commitment 告知承诺 (decision 0060): a matter that allows it, an applicant without an unrepaired false commitment.</summary>
public static class CommitmentRules
{
    /// <summary>The applicant's false commitment that is not repaired yet, if any (by ID type and number).</summary>
    public static Task<FalseCommitmentRecord?> OpenFalseCommitmentAsync(AppDbContext db, ApplicantIdType idType, string idNumber, CancellationToken ct)
    {
        var type = idType.ToString();
        return db.FalseCommitments.AsNoTracking().Where(r => r.ApplicantIdType == type && r.ApplicantIdNumber == idNumber && r.RepairedAt == null)
            .OrderByDescending(r => r.RecordedAt).FirstOrDefaultAsync(ct);
    }

    /// <summary>Why the applicant may not choose the commitment now, in words the filing page and the API show; null when they may.</summary>
    public static string Refusal(FalseCommitmentRecord record) =>
        $"您在办件{record.CaseNumber}（{record.MatterName}）中的承诺经核查不实（{WorkingTime.LocalDate(record.RecordedAt):yyyy年M月d日}），"
        + "在信用修复前不能选择告知承诺方式办理。请按一般程序上传全部申请材料后提交；如已整改，可向监察部门申请信用修复。";

    /// <summary>Refuses (422, under <c>onCommitment</c>) a matter that does not allow it, or an applicant with an unrepaired false commitment.</summary>
    public static async Task CheckMayCommitAsync(AppDbContext db, Matter matter, ApplicantInfo applicant, CancellationToken ct)
    {
        if (matter.Commitment is null)
        {
            throw new CaseInputException(InputProblem.Invalid, "onCommitment", $"事项“{matter.Name}”不适用告知承诺制，请按一般程序提交全部申请材料");
        }

        if (await OpenFalseCommitmentAsync(db, applicant.IdType, applicant.IdNumber, ct) is { } record)
        {
            throw new CaseInputException(InputProblem.Invalid, "onCommitment", Refusal(record));
        }
    }
}
