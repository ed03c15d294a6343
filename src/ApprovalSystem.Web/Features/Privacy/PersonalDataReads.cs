using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Cases.Queries;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Privacy;

/// <summary>
/// The record of staff reading a full personal value (个人信息查看记录, PIPL): a value shown masked is revealed only with
/// a reason, and the read is recorded first (<see cref="RecordAsync"/>); the supervisor searches the record (<see cref="PageAsync"/>).
/// </summary>
public sealed class PersonalDataReads(IDbContextFactory<AppDbContext> dbFactory, TimeProvider time)
{
    /// <summary>The reasons offered to staff; 其他 asks for the reason in words.</summary>
    public static readonly IReadOnlyList<string> Reasons = ["受理核验", "审查需要", "电话联系申请人", "其他"];

    public const int ReasonMaxLength = 200;

    /// <summary>What a row shows on the supervisor's page.</summary>
    public sealed record Row(long Id, DateTimeOffset At, string StaffUserName, string StaffName, PersonalDataKind Kind, string Subject,
        string MaskedValue, long? CaseId, string? CaseNumber, string Reason);

    /// <summary>The supervisor's search: staff account or name (their beginning), case number (its beginning), China dates (inclusive).</summary>
    public sealed record Filter(string? Staff = null, string? CaseNumber = null, DateOnly? From = null, DateOnly? To = null);

    public static string KindName(PersonalDataKind kind) => kind switch
    {
        PersonalDataKind.IdNumber => "身份证号码",
        PersonalDataKind.CreditCode => "统一社会信用代码",
        PersonalDataKind.Mobile => "手机号码",
        _ => kind.ToString(),
    };

    /// <summary>The value as staff see it until they reveal it.</summary>
    public static string Mask(PersonalDataKind kind, string? value) => kind switch
    {
        PersonalDataKind.Mobile => Masking.Mobile(value),
        _ => Masking.IdNumber(value),
    };

    /// <summary>Records that <paramref name="actor"/> reads <paramref name="value"/> in full, and why; only staff may.</summary>
    /// <exception cref="CaseRuleException">The reader is not staff, or gave no reason.</exception>
    public async Task RecordAsync(CaseActor actor, PersonalDataKind kind, string subject, string? value, long? caseId, string? caseNumber, string? reason,
        CancellationToken ct = default)
    {
        if (!IsStaff(actor))
        {
            throw new CaseRuleException("只有工作人员可以查看完整的个人信息");
        }

        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason == "其他")
        {
            throw new CaseRuleException("请说明查看完整信息的理由");
        }

        if (reason.Length > ReasonMaxLength)
        {
            throw new CaseRuleException($"理由不能超过{ReasonMaxLength}个字");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var account = await db.Users.Where(u => u.Id == actor.UserId).Select(u => u.UserName).FirstOrDefaultAsync(ct);
        db.PersonalDataReads.Add(new PersonalDataRead
        {
            At = time.GetUtcNow(),
            StaffUserId = actor.UserId,
            StaffUserName = account ?? actor.UserId,
            StaffName = actor.Name,
            Kind = kind,
            Subject = Truncate(subject, 100),
            MaskedValue = Truncate(Mask(kind, value), 64),
            CaseId = caseId,
            CaseNumber = caseNumber,
            Reason = reason,
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Staff: anyone who is neither an applicant nor an agent.</summary>
    public static bool IsStaff(CaseActor actor) => actor.Roles.Count > 0 && !actor.Is(Roles.Applicant) && !actor.Is(Roles.Agent);

    /// <summary>One page of the record, newest first, with the exact number of rows the search finds.</summary>
    public async Task<CaseQueries.Page<Row>> PageAsync(Filter filter, int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.PersonalDataReads.AsNoTracking();
        if (filter.Staff?.Trim() is { Length: > 0 } staff)
        {
            query = query.Where(r => r.StaffUserName.StartsWith(staff) || r.StaffName.StartsWith(staff));
        }

        if (filter.CaseNumber?.Trim() is { Length: > 0 } number)
        {
            query = query.Where(r => r.CaseNumber != null && r.CaseNumber.StartsWith(number));
        }

        if (filter.From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), WorkingTime.ChinaOffset).ToUniversalTime();
            query = query.Where(r => r.At >= start);
        }

        if (filter.To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), WorkingTime.ChinaOffset).ToUniversalTime();
            query = query.Where(r => r.At < end);
        }

        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(r => r.At).ThenByDescending(r => r.Id).Skip(skip).Take(take)
            .Select(r => new Row(r.Id, r.At, r.StaffUserName, r.StaffName, r.Kind, r.Subject, r.MaskedValue, r.CaseId, r.CaseNumber, r.Reason))
            .ToListAsync(ct);
        return new CaseQueries.Page<Row>(rows, total);
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
