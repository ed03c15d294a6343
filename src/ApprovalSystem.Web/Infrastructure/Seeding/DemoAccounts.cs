using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Infrastructure.Seeding;

/// <summary>
/// One demo account per role (and officers and heads for the departments the shipped joint flows
/// route to). Created in Development only; printed at start so a new user can sign in.
/// </summary>
public static class DemoAccounts
{
    public const string Password = "Demo@2026";

    public sealed record Account(string UserName, string DisplayName, string Role, string? Department = null, string? Station = null,
        ApplicantType? ApplicantType = null, string? IdNumber = null, string? CreditCode = null, string? LegalRepresentative = null, string? Phone = null);

    /// <summary>Departments whose officers and heads get demo accounts: the ones the joint flows route to.</summary>
    public static readonly IReadOnlyList<string> StaffedDepartments = ["SCJG", "SW", "GA", "RS", "GJJ", "FG", "ZRZY", "ZJ", "RF", "QX", "BDC", "WJ"];

    public static IReadOnlyList<Account> All { get; } = Build();

    private static List<Account> Build()
    {
        var list = new List<Account>
        {
            new("admin", "系统管理员", Roles.Administrator),
            new("clerk", "李晓梅", Roles.Clerk, Department: "FWZX"),
            new("clerk2", "赵国强", Roles.Clerk, Department: "FWZX"),
            new("supervisor", "周正", Roles.Supervisor),
            new("agent", "王芳", Roles.Agent, Station: "CGZ"),
            new("citizen", "张伟", Roles.Applicant, ApplicantType: Data.ApplicantType.Citizen, IdNumber: "330799198503120016", Phone: "13800000001"),
            new("enterprise", "云溪县绿源食品有限公司", Roles.Applicant, ApplicantType: Data.ApplicantType.Enterprise, CreditCode: "91330799MA2K3L4N5T",
                LegalRepresentative: "陈明", Phone: "13800000002"),
        };
        string[] officerNames = ["陈立", "刘洋", "杨帆", "黄磊", "吴静", "徐涛", "孙丽", "马超", "朱敏", "胡斌", "郭峰", "林琳"];
        string[] headNames = ["何建国", "高志远", "罗卫东", "梁文华", "宋志刚", "郑红", "谢海", "韩冰", "唐亮", "冯军", "邓华", "曹颖"];
        // A second officer in every department: 承办, 审核 and 审批 of one case are three people (separation of duties).
        string[] reviewerNames = ["蒋文", "沈浩", "韦娜", "秦勇", "尤佳", "许杰", "何琴", "吕明", "施雨", "张彬", "孔亮", "曹宁"];
        for (var i = 0; i < StaffedDepartments.Count; i++)
        {
            var code = StaffedDepartments[i];
            list.Add(new($"officer.{code.ToLowerInvariant()}", officerNames[i], Roles.Officer, Department: code));
            list.Add(new($"officer2.{code.ToLowerInvariant()}", reviewerNames[i], Roles.Officer, Department: code));
            list.Add(new($"head.{code.ToLowerInvariant()}", headNames[i], Roles.DepartmentHead, Department: code));
        }

        // The unit's supervision contact 监察联络员 (王建华 in the catalogue) hears of every card and alert.
        list.Add(new("officer3.scjg", "王建华", Roles.Officer, Department: "SCJG"));
        return list;
    }

    public static async Task EnsureAsync(AppDbContext db, UserManager<ApplicationUser> users, DateTimeOffset now, CancellationToken ct)
    {
        var departments = await db.Departments.ToDictionaryAsync(d => d.Code, d => d.Id, ct);
        var stations = await db.Stations.ToDictionaryAsync(s => s.Code, s => s.Id, ct);
        foreach (var a in All)
        {
            if (await users.FindByNameAsync(a.UserName) is not null)
            {
                continue;
            }

            var user = new ApplicationUser
            {
                UserName = a.UserName,
                DisplayName = a.DisplayName,
                ApplicantType = a.ApplicantType,
                IdNumber = a.IdNumber,
                CreditCode = a.CreditCode,
                LegalRepresentative = a.LegalRepresentative,
                PhoneNumber = a.Phone,
                DepartmentId = a.Department is not null && departments.TryGetValue(a.Department, out var d) ? d : null,
                StationId = a.Station is not null && stations.TryGetValue(a.Station, out var st) ? st : null,
                CreatedAt = now,
                EmailConfirmed = true,
            };
            // The documented demo password is set as a hash: it is shorter than the staff rule allows (PasswordPolicy), which
            // governs every password a person chooses; demo accounts exist only in Development.
            user.PasswordHash = users.PasswordHasher.HashPassword(user, Password);
            var created = await users.CreateAsync(user);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Demo account {a.UserName}: {string.Join("; ", created.Errors.Select(e => e.Description))}");
            }

            await users.AddToRoleAsync(user, a.Role);
        }
    }

    public static string Describe() =>
        "演示账号（仅开发环境），密码均为 " + Password + Environment.NewLine +
        string.Join(Environment.NewLine, All.Select(a =>
            $"  {a.UserName,-16} {Roles.DisplayName(a.Role),-8} {a.DisplayName}"
            + $"{(a.Department is null ? "" : " · " + a.Department)}{(a.Station is null ? "" : " · " + a.Station)}"));
}
