using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Exchange.Resources;

/// <summary>A value filled from a shared resource, with where it came from (shown as a chip next to the field).</summary>
public sealed record PrefillValue(string Field, string Value, string Resource, string Source);

/// <summary>
/// Prefill 预填: when a clerk or applicant enters a credit code or an ID number, the fields that a
/// granted resource holds (enterprise name and address; a resident's name) are filled from it, so
/// nobody types what another department already has. Every lookup is a logged read with its purpose.
/// </summary>
public sealed class Prefill(IDbContextFactory<AppDbContext> dbFactory, ResourceCatalogue catalogue)
{
    public const string WindowPurpose = "窗口受理预填";

    public const string CreditCodeField = "统一社会信用代码";

    public const string ResidentIdField = "身份证号";

    /// <summary>The values granted to <paramref name="consumer"/> for an applicant's id (credit code or resident id number).</summary>
    public async Task<IReadOnlyList<PrefillValue>> LookupAsync(ApplicantIdType idType, string idNumber, string consumer, string reader, string purpose = WindowPurpose, CancellationToken ct = default)
    {
        var key = idType == ApplicantIdType.CreditCode ? CreditCode.Normalize(idNumber) : ResidentIdNumber.Normalize(idNumber);
        var problem = idType == ApplicantIdType.CreditCode ? CreditCode.Validate(key) : ResidentIdNumber.Validate(key);
        if (problem is not null)
        {
            return [];
        }

        var keyField = idType == ApplicantIdType.CreditCode ? CreditCodeField : ResidentIdField;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var resources = (await db.ShareResources.AsNoTracking().ToListAsync(ct)).Where(r => r.KeyField == keyField).ToList();
        var departments = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        var values = new List<PrefillValue>();
        foreach (var r in resources)
        {
            if ((await ResourceCatalogue.GrantedFieldsAsync(db, r.Id, consumer, ct)).Count == 0)
            {
                continue;
            }

            var record = await catalogue.QueryAsync(r.Code, key, consumer, reader, purpose, ct);
            var source = $"来自 {departments.GetValueOrDefault(r.Provider, r.Provider)} {r.Name}";
            values.AddRange((record?.Fields ?? new Dictionary<string, string>()).Where(f => f.Key != keyField).Select(f => new PrefillValue(f.Key, f.Value, r.Name, source)));
        }

        return values;
    }
}
