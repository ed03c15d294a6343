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
        matter.FormFields.Where(f => f.Required).ToDictionary(f => f.Key, f => f.Type switch
        {
            FieldKind.Number => "500",
            FieldKind.Date => "2026-12-01",
            FieldKind.Phone => "13800000001",
            FieldKind.IdCard => "330799198503120016",
            FieldKind.CreditCode => "91330799MA2K3L4N5T",
            FieldKind.Select => f.Options![0],
            FieldKind.Text or FieldKind.Textarea => "测试内容",
        });
}
