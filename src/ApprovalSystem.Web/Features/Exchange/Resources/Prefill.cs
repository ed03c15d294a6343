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
/// Who may look up whom (<see cref="ForActorAsync"/>): a clerk anyone at the window; an agent the resident they
/// file for, logged as an agent's filing; an applicant only themselves (their own ID number or credit code).
/// </summary>
public sealed class Prefill(IDbContextFactory<AppDbContext> dbFactory, ResourceCatalogue catalogue, TimeProvider clock)
{
    public const string WindowPurpose = "窗口受理预填";

    public const string AgentPurpose = "代办员代理申报预填";

    public const string SelfPurpose = "申请人本人申报预填";

    public const string NotYourselfMessage = "只能查询本人（本单位）的信息：请填写您账户上登记的身份证号码或统一社会信用代码。";

    /// <summary>
    /// The lookup on behalf of a signed-in person, under the rule of who may read whom; null when the
    /// person may not read that applicant (an applicant asking for somebody else): nothing is read or logged.
    /// </summary>
    public async Task<IReadOnlyList<PrefillValue>?> ForActorAsync(CaseActor actor, ApplicantIdType idType, string idNumber, CancellationToken ct = default)
    {
        if (actor.Is(Roles.Clerk))
        {
            return await LookupAsync(idType, idNumber, ExchangeSetup.CentreDepartment, actor.Name, WindowPurpose, ct);
        }

        if (actor.Is(Roles.Agent))
        {
            var reader = actor.Station is null ? $"{actor.Name}（代办员）" : $"{actor.Name}（代办员·{actor.Station}）";
            return await LookupAsync(idType, idNumber, ExchangeSetup.CentreDepartment, reader, AgentPurpose, ct);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var own = await db.Users.AsNoTracking().Where(u => u.Id == actor.UserId).Select(u => new { u.IdNumber, u.CreditCode }).SingleOrDefaultAsync(ct);
        var asked = idType == ApplicantIdType.CreditCode ? CreditCode.Normalize(idNumber) : ResidentIdNumber.Normalize(idNumber);
        var mine = idType == ApplicantIdType.CreditCode ? own?.CreditCode : own?.IdNumber;
        if (!actor.Is(Roles.Applicant) || mine is null
            || !string.Equals(asked, idType == ApplicantIdType.CreditCode ? CreditCode.Normalize(mine) : ResidentIdNumber.Normalize(mine),
                StringComparison.Ordinal))
        {
            return null;
        }

        return await LookupAsync(idType, asked, ExchangeSetup.CentreDepartment, actor.Name, SelfPurpose, ct);
    }

    public const string CreditCodeField = "统一社会信用代码";

    public const string ResidentIdField = "身份证号";

    /// <summary>The values granted to <paramref name="consumer"/> for an applicant's id (credit code or resident id number).</summary>
    public async Task<IReadOnlyList<PrefillValue>> LookupAsync(ApplicantIdType idType, string idNumber, string consumer, string reader,
        string purpose = WindowPurpose, CancellationToken ct = default)
    {
        var key = idType == ApplicantIdType.CreditCode ? CreditCode.Normalize(idNumber) : ResidentIdNumber.Normalize(idNumber);
        var problem = idType == ApplicantIdType.CreditCode ? CreditCode.Validate(key)
            : ResidentIdNumber.Validate(key, WorkingTime.LocalDate(clock.GetUtcNow()));
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
            values.AddRange((record?.Fields ?? new Dictionary<string, string>()).Where(f => f.Key != keyField)
                .Select(f => new PrefillValue(f.Key, f.Value, r.Name, source)));
        }

        return values;
    }
}
