using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Admin.FlowDryRun;

/// <summary>
/// The dry run 试运行 of a flow before it is published: a version (or, once drafts exist, a draft) of the definition,
/// a matter that runs on the flow, sample form data or an existing case's, outcomes step by step and a start date;
/// the path, its departments and due days come from <see cref="WorkflowDryRun"/> on the real calendar. Changes nothing.
/// </summary>
public static class DryRunWorkflow
{
    /// <summary>A definition the administrator can dry-run: its key for <see cref="IDefinitionSource.LoadAsync"/> and its label.</summary>
    public sealed record DefinitionChoice(string Key, string Label);

    /// <summary>A matter the flow can be run for: its department (what <c>$lead</c> stands for), limits and form.</summary>
    public sealed record MatterOption(
        string Code, string Name, string DepartmentCode, string DepartmentName, int PromisedLimitDays, int LegalLimitDays, IReadOnlyList<FormField> Fields);

    /// <summary>What the page offers for one flow.</summary>
    /// <param name="OnThisFlow">False when no matter runs on the flow yet and every matter is offered.</param>
    public sealed record Setup(
        string WorkflowId, IReadOnlyList<DefinitionChoice> Choices, IReadOnlyList<MatterOption> Matters, bool OnThisFlow,
        IReadOnlyDictionary<string, string> DepartmentNames);

    /// <summary>An existing case's form data, with identity and mobile numbers masked.</summary>
    public sealed record CaseSample(string Number, string MatterCode, IReadOnlyDictionary<string, string> Form, IReadOnlyList<string> MaskedFields);

    public sealed record Command(
        WorkflowDefinition Definition,
        string MatterCode,
        IReadOnlyDictionary<string, string> Form,
        DateOnly Start,
        IReadOnlyDictionary<string, Outcome> Outcomes,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Sections);

    /// <summary>
    /// Where dry-run definitions come from. The default offers the stored versions (<see cref="StoredVersions"/>);
    /// drafts (issue 18's draft → publish) plug in here, or a page passes a definition to <see cref="Handler.RunAsync"/> directly.
    /// </summary>
    public interface IDefinitionSource
    {
        Task<IReadOnlyList<DefinitionChoice>> ChoicesAsync(string workflowId, CancellationToken ct = default);

        /// <summary>The definition of a choice, or null when it no longer exists.</summary>
        Task<WorkflowDefinition?> LoadAsync(string workflowId, string key, CancellationToken ct = default);
    }

    /// <summary>
    /// The open draft first when it has no errors (a dry run before publishing), then the versions stored in the catalogue,
    /// newest first (“第3版（当前）”).
    /// </summary>
    public sealed class StoredVersions(IDbContextFactory<AppDbContext> dbFactory, WorkflowCatalog catalog, Admin.Workflows.WorkflowDrafts drafts)
        : IDefinitionSource
    {
        private const string Prefix = "v";
        private const string Draft = "draft";

        public async Task<IReadOnlyList<DefinitionChoice>> ChoicesAsync(string workflowId, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var versions = await db.WorkflowVersions.AsNoTracking().Where(v => v.WorkflowId == workflowId)
                .Select(v => new { v.Version, v.RegisteredAt }).ToListAsync(ct);
            var draft = await LoadDraftAsync(workflowId, ct) is null
                ? []
                : new[] { new DefinitionChoice(Draft, "草稿（未发布）") };
            return [.. draft, .. versions.OrderByDescending(v => v.Version).Select((v, i) => new DefinitionChoice(
                Prefix + v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"第{v.Version}版{(i == 0 ? "（当前）" : "")}，{v.RegisteredAt.ToOffset(WorkingTime.ChinaOffset):yyyy-MM-dd HH:mm} 登记"))];
        }

        /// <summary>The open draft as a definition, or null when there is none or the engine finds it wrong (it cannot run).</summary>
        private async Task<WorkflowDefinition?> LoadDraftAsync(string workflowId, CancellationToken ct)
        {
            if (await drafts.LoadAsync(workflowId, ct) is not { Errors.Count: 0 } draft)
            {
                return null;
            }

            return new WorkflowLoader().LoadFromJson($"{workflowId}.json（草稿）", draft.Json).Definitions.SingleOrDefault();
        }

        public async Task<WorkflowDefinition?> LoadAsync(string workflowId, string key, CancellationToken ct = default)
        {
            if (key == Draft)
            {
                return await LoadDraftAsync(workflowId, ct);
            }

            if (!key.StartsWith(Prefix, StringComparison.Ordinal) || !int.TryParse(key.AsSpan(Prefix.Length), out var version))
            {
                return null;
            }

            try
            {
                return await catalog.VersionAsync(workflowId, version, ct);
            }
            catch (CaseRuleException)
            {
                return null;
            }
        }
    }

    public sealed class Handler(IDbContextFactory<AppDbContext> dbFactory, WorkingTimeProvider workingTime, IDefinitionSource source)
    {
        /// <summary>The choices, matters and department names for a flow; null when there is nothing to run.</summary>
        public async Task<Setup?> SetupAsync(string workflowId, CancellationToken ct = default)
        {
            var choices = await source.ChoicesAsync(workflowId, ct);
            if (choices.Count == 0)
            {
                return null;
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var departments = await db.Departments.AsNoTracking().OrderBy(d => d.SortOrder).ToListAsync(ct);
            var names = departments.ToDictionary(d => d.Code, d => d.Name, StringComparer.Ordinal);
            var matters = await MattersAsync(db, workflowId, ct);
            var onThisFlow = matters.Count > 0;
            if (!onThisFlow)
            {
                matters = await MattersAsync(db, null, ct);
            }

            return new Setup(workflowId, choices, [.. matters.Select(m => new MatterOption(
                m.Code, m.Name, m.Department!.Code, m.Department.Name, m.PromisedLimitDays, m.LegalLimitDays, m.FormFields))], onThisFlow, names);
        }

        public Task<WorkflowDefinition?> DefinitionAsync(string workflowId, string key, CancellationToken ct = default) =>
            source.LoadAsync(workflowId, key, ct);

        /// <summary>
        /// An existing case's form data as sample data, or a Chinese reason why not. Identity and mobile numbers come
        /// masked: a dry run needs no one's real numbers (and reading them is recorded elsewhere, with a reason).
        /// </summary>
        public async Task<(CaseSample? Sample, string? Error)> CaseAsync(
            string? number, IReadOnlyCollection<string> matterCodes, CancellationToken ct = default)
        {
            number = number?.Trim();
            if (string.IsNullOrEmpty(number))
            {
                return (null, "请输入办件编号");
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var found = await db.Cases.AsNoTracking().Where(c => c.Number == number)
                .Select(c => new { c.Number, c.MatterCode, c.MatterName, c.FormData }).FirstOrDefaultAsync(ct);
            if (found is null)
            {
                return (null, $"没有编号为“{number}”的办件，请核对编号");
            }

            if (!matterCodes.Contains(found.MatterCode))
            {
                return (null, $"办件“{number}”的事项“{found.MatterName}”不使用本流程，请选择本流程事项的办件");
            }

            var fields = (await db.Matters.AsNoTracking().FirstAsync(m => m.Code == found.MatterCode, ct)).FormFields;
            var form = new Dictionary<string, string>(found.FormData, StringComparer.Ordinal);
            var masked = new List<string>();
            foreach (var field in fields.Where(f => f.Type is FieldKind.IdCard or FieldKind.Phone && form.ContainsKey(f.Key)))
            {
                form[field.Key] = field.Type == FieldKind.IdCard ? Masking.IdNumber(form[field.Key]) : Masking.Mobile(form[field.Key]);
                masked.Add(field.Label);
            }

            return (new CaseSample(found.Number!, found.MatterCode, form, masked), null);
        }

        /// <summary>Runs the definition for the matter on the working-day calendar the case clocks use.</summary>
        /// <exception cref="CaseRuleException">The matter does not exist.</exception>
        public async Task<DryRunResult> RunAsync(Command command, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var matter = await db.Matters.AsNoTracking().Include(m => m.Department).FirstOrDefaultAsync(m => m.Code == command.MatterCode, ct)
                ?? throw new CaseRuleException($"事项“{command.MatterCode}”不存在，请重新选择事项");
            var form = command.Form.Where(kv => !string.IsNullOrWhiteSpace(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value.Trim());
            var request = new DryRunRequest(command.Definition, matter.Department!.Code, form, command.Start, matter.PromisedLimitDays, matter.LegalLimitDays)
            {
                Outcomes = command.Outcomes,
                Sections = command.Sections,
            };
            return Core.Cases.WorkflowDryRun.Run(request, await workingTime.GetAsync(ct));
        }

        private static Task<List<Matter>> MattersAsync(AppDbContext db, string? workflowId, CancellationToken ct) =>
            db.Matters.AsNoTracking().Include(m => m.Department).Where(m => workflowId == null || m.WorkflowId == workflowId)
                .OrderBy(m => m.Department!.SortOrder).ThenBy(m => m.Code).ToListAsync(ct);
    }
}
