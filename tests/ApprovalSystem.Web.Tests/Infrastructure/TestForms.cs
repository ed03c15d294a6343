using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Infrastructure;

/// <summary>Valid values for a matter's required form fields, by field type.</summary>
public static class TestForms
{
    public static async Task<Dictionary<string, string>> RequiredAsync(AppFactory factory, string matterCode)
    {
        await using var db = factory.CreateDbContext();
        var matter = await db.Matters.AsNoTracking().SingleAsync(m => m.Code == matterCode);
        return For(matter);
    }

    public static Dictionary<string, string> For(Matter matter) =>
        matter.FormFields.Where(f => f.Required).ToDictionary(f => f.Key, f => Value(f.Type, f.Options));

    /// <summary>Valid values for the required fields of a workflow step (null when it has none: an act then enters nothing).</summary>
    public static Dictionary<string, string>? StepRequired(WorkflowDefinition definition, string stepId, string? branchId)
    {
        var fields = definition.FieldsOf(stepId, branchId).Where(f => f.Required).ToList();
        return fields.Count == 0 ? null : fields.ToDictionary(f => f.Key, f => Value(f.Type, f.Options));
    }

    /// <summary>Acts on a work item entering valid values for its step's required fields when approving (the 核准 of a registration needs the code).</summary>
    public static void ActFilled(this Case c, WorkflowDefinition definition, string workItemId, Outcome outcome, string opinion, CaseActor actor,
        DateTimeOffset now, WorkingTime time)
    {
        var step = c.OpenSteps.Single(s => s.WorkItemId == workItemId);
        c.Act(definition, workItemId, outcome, opinion, outcome == Outcome.Approve ? StepRequired(definition, step.StepId, step.BranchId) : null, actor,
            now, time);
    }

    /// <summary>The credit code the tests enter (a valid one: its check character is right).</summary>
    public const string CreditCode = "91330799MA2K3L4N5T";

    private static string Value(FieldKind type, IReadOnlyList<string>? options) => type switch
    {
        FieldKind.Number => "500",
        FieldKind.Date => "2026-12-01",
        FieldKind.Phone => "13800000001",
        FieldKind.IdCard => "330799198503120016",
        FieldKind.CreditCode => CreditCode,
        FieldKind.Select => options![0],
        _ => "测试内容",
    };
}
