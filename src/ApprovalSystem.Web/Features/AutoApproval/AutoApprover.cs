using System.Text.Json;
using ApprovalSystem.Core.AutoApproval;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Exchange.Resources;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.AutoApproval;

/// <summary>
/// Automatic approval 秒批 on filing (decision 0059). Before the filing act, <see cref="PrepareAsync"/> finds the matter's published
/// rule version and reads the shared records its conditions need through the resource catalogue (granted fields only, each read
/// logged with the purpose 秒批, as the matter's department). Inside the act, <see cref="ApplyAsync"/> runs the conditions on the
/// filed case: all pass, and the automatic approver accepts and approves it and issues its certificate in the same transaction;
/// any fails, and the case waits for people as usual. Either way the run, with every condition's inputs and result, is stored.
/// </summary>
public sealed class AutoApprover(IDbContextFactory<AppDbContext> dbFactory, ResourceCatalogue catalogue, WorkflowCatalog workflows,
    ILogger<AutoApprover> logger)
{
    /// <summary>The purpose every read of the rules is logged with.</summary>
    public const string Purpose = "秒批";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A matter's published rules with the shared records read for one filing, ready to run inside the act.</summary>
    /// <param name="Keys">The key each source was read with (alias → key): a case whose form names another key by the time of the act
    /// does not use that record.</param>
    public sealed record Prepared(int VersionId, int Version, string MatterCode, AutoApprovalRuleSet Rules,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>?> Records, IReadOnlyDictionary<string, string?> Keys, WorkflowDefinition Workflow);

    /// <summary>
    /// The published rules of <paramref name="matterCode"/> with the records their sources hold for this applicant and form, or null
    /// when the matter has no published version (a draft never runs). A source that cannot be read counts as no record.
    /// </summary>
    public async Task<Prepared?> PrepareAsync(string matterCode, ApplicantInfo applicant, IReadOnlyDictionary<string, string> form,
        CancellationToken ct = default)
    {
        AutoApprovalRuleVersion? version;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        version = await db.AutoApprovalRuleVersions.AsNoTracking()
            .Where(v => v.MatterCode == matterCode && v.Status == RuleVersionStatus.Published).OrderByDescending(v => v.Version).FirstOrDefaultAsync(ct);
        var matter = version is null ? null : await db.Matters.AsNoTracking().Where(m => m.Code == matterCode)
            .Select(m => new { m.WorkflowId, Department = m.Department!.Code }).FirstOrDefaultAsync(ct);
        if (version is null || matter is null)
        {
            return null;
        }

        var rules = AutoApprovalRuleSet.FromJson(version.Rules);
        var records = new Dictionary<string, IReadOnlyDictionary<string, string>?>();
        var keys = new Dictionary<string, string?>();
        foreach (var source in rules.Sources)
        {
            var key = keys[source.Alias] = AutoApprovalEvaluator.KeyOf(source, form, applicant);
            records[source.Alias] = key is null ? null : await ReadAsync(source, key, matter.Department, ct);
        }

        return new(version.Id, version.Version, matterCode, rules, records, keys, await workflows.CurrentAsync(matter.WorkflowId, ct));
    }

    private async Task<IReadOnlyDictionary<string, string>?> ReadAsync(RuleSource source, string key, string department, CancellationToken ct)
    {
        try
        {
            return (await catalogue.QueryAsync(source.Resource, key, department, CaseActor.AutoApproverName, Purpose, ct))?.Fields;
        }
        catch (Exception e) when (e is ResourceAccessDeniedException or CaseNotFoundException or FluentValidation.ValidationException)
        {
            // Not granted, not published, or not a key at all: the conditions on it fail, and people decide.
            logger.LogWarning("秒批 could not read {Resource} for {Department}: {Reason}", source.Resource, department, e.Message);
            return null;
        }
    }

    /// <summary>
    /// Runs the prepared rules on the filed case inside its act (<paramref name="ctx"/>'s transaction): stores the run and, when every
    /// condition held and the version is still the published one, approves the case and issues its certificate. Returns what must be
    /// added once the case has its id (the run, the certificate's register record): call it with the act's context.
    /// </summary>
    public async Task<Action<AppDbContext, Case>> ApplyAsync(Case c, Prepared prepared, CaseActContext ctx, CancellationToken ct)
    {
        if (c.State != CaseState.PreAcceptance || c.MatterCode != prepared.MatterCode)
        {
            return (_, _) => { };
        }

        var records = prepared.Rules.Sources.ToDictionary(s => s.Alias,
            s => AutoApprovalEvaluator.KeyOf(s, c.FormData, c.Applicant) == prepared.Keys.GetValueOrDefault(s.Alias) ? prepared.Records[s.Alias] : null);
        var outcome = AutoApprovalEvaluator.Evaluate(prepared.Rules, c.FormData, c.Applicant, records, c.MissingRequiredMaterials);
        var current = await ctx.Db.AutoApprovalRuleVersions.AsNoTracking().Where(v => v.Id == prepared.VersionId).Select(v => v.Status)
            .FirstOrDefaultAsync(ct);
        var approved = outcome.Passed && current == RuleVersionStatus.Published;
        var issued = false;
        if (approved)
        {
            c.ApproveAutomatically(prepared.Workflow, new AutoApprovalGrant(prepared.MatterCode, prepared.Version, Published: true),
                CaseActor.AutoApprover, ctx.Now, ctx.Time);
            if (c.CertificateType is not null)
            {
                var type = Documents.CertificateTypes.TypeOf(c);
                var year = WorkingTime.LocalDate(ctx.Now).Year;
                var next = await CaseStore.NextInSeriesAsync(ctx.Db, Documents.CertificateTypes.NumberSeries(type, year), ct);
                var region = await CaseStore.RegionCodeAsync(ctx.Db, ct);
                c.IssueCertificate(Documents.CertificateTypes.Number(type, region, year, next), CaseActor.AutoApprover, ctx.Now,
                    Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(10)));
                issued = true;
            }
        }

        var conditions = JsonSerializer.Serialize(outcome.Conditions, Json);
        return (db, saved) =>
        {
            db.AutoApprovalRuns.Add(new AutoApprovalRun
            {
                CaseId = saved.Id,
                CaseNumber = saved.Number ?? "",
                MatterCode = saved.MatterCode,
                MatterName = saved.MatterName,
                Department = saved.LeadDepartment,
                RuleVersionId = prepared.VersionId,
                RuleVersion = prepared.Version,
                Approved = approved,
                Conditions = conditions,
                At = ctx.Now,
            });
            if (issued)
            {
                db.Certificates.Add(Certificates.IssueCertificate.RegisterRecord(saved));
            }
        };
    }

    /// <summary>The stored outcomes of a run.</summary>
    public static IReadOnlyList<ConditionOutcome> Outcomes(AutoApprovalRun run) =>
        JsonSerializer.Deserialize<List<ConditionOutcome>>(run.Conditions, Json) ?? [];
}
