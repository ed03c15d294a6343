using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Supervision.Alerts;

/// <summary>The rules' names as stored on alerts (Core's rule keys plus the order escalation), with their Chinese titles.</summary>
public static class SupervisionRuleNames
{
    public static readonly string StepOverdue = SupervisionAlerts.RuleKey(AlertKind.StepOverdue);
    public const string OrderLate = "order-late";

    public static string Title(string rule) =>
        rule == OrderLate ? "督办逾期未反馈" : Enum.GetValues<AlertKind>().FirstOrDefault(k => SupervisionAlerts.RuleKey(k) == rule) is var kind
            && SupervisionAlerts.RuleKey(kind) == rule ? SupervisionAlerts.Name(kind) : rule;
}

/// <summary>A finding of a process rule before it is stored: the key makes it once-only.</summary>
public sealed record SupervisionAlertDraft(string Key, string Rule, long? CaseId, string? CaseNumber, string Department, string Message,
    IReadOnlyList<(string Name, string Value)> Evidence);

/// <summary>A set of process rules the scan runs: on each case that changed, and once per scan for time-based findings.</summary>
public interface ISupervisionRuleSet
{
    Task<IReadOnlyList<SupervisionAlertDraft>> EvaluateAsync(AppDbContext db, Case c, WorkingTime time, DateTimeOffset now, CancellationToken ct);

    Task<IReadOnlyList<SupervisionAlertDraft>> EvaluateDueAsync(AppDbContext db, WorkingTime time, DateTimeOffset now, CancellationToken ct);
}

public static class AlertStore
{
    /// <summary>
    /// Stores the alert and notifies the department and the supervisors, unless the same finding was raised before: looked up
    /// again under the once-only lock (<see cref="OnceOnly"/>), so a scan on another node raising it at the same moment makes
    /// this one skip it rather than fail on the key.
    /// </summary>
    public static async Task<bool> RaiseAsync(AppDbContext db, SupervisionAlertDraft draft, DateTimeOffset now, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        if (await db.SupervisionAlerts.AnyAsync(a => a.Key == draft.Key, ct))
        {
            return false;
        }

        var recipients = await SupervisionRecipients.ForDepartmentAsync(db, draft.Department, ct);
        await using var once = await OnceOnly.BeginAsync(db, ct);
        if (await db.SupervisionAlerts.AnyAsync(a => a.Key == draft.Key, ct))
        {
            OnceOnly.Lost("alert");
            return false;
        }

        db.SupervisionAlerts.Add(new SupervisionAlertRecord
        {
            Key = draft.Key,
            Rule = draft.Rule,
            CaseId = draft.CaseId,
            CaseNumber = draft.CaseNumber,
            Department = draft.Department,
            Message = draft.Message.Length > 500 ? draft.Message[..500] : draft.Message,
            Evidence = string.Join('\n', draft.Evidence.Select(e => $"{e.Name}: {e.Value}")),
            RaisedAt = now,
        });
        db.Notifications.AddRange(recipients.Select(u => new Notification
        {
            UserId = u, Title = "流程监察预警：" + SupervisionRuleNames.Title(draft.Rule), Body = draft.Message,
            Link = draft.CaseId is { } id ? $"/cases/{id}" : "/supervision", CreatedAt = now,
        }));
        await db.SaveChangesAsync(ct);
        await once.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return true;
    }
}

/// <summary>Who hears about a card or an alert: the department's heads, its supervision contact, and the supervisors.</summary>
public static class SupervisionRecipients
{
    public static async Task<HashSet<string>> ForDepartmentAsync(AppDbContext db, string department, CancellationToken ct)
    {
        var contact = await db.Departments.AsNoTracking().Where(d => d.Code == department).Select(d => d.SupervisionContact).FirstOrDefaultAsync(ct);
        var users = await (from u in db.Users
                           join ur in db.UserRoles on u.Id equals ur.UserId
                           join role in db.Roles on ur.RoleId equals role.Id
                           where role.Name == Roles.Supervisor
                                 || (u.Department!.Code == department
                                     && (role.Name == Roles.DepartmentHead || (contact != null && contact != "" && u.DisplayName == contact)))
                           select u.Id).Distinct().ToListAsync(ct);
        return users.ToHashSet();
    }
}
