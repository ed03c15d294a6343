using ApprovalSystem.Core.AutoApproval;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Features.Exchange.Resources;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.AutoApproval;

/// <summary>
/// Shadow mode 模拟运行: a rule version (draft or published) run over the cases of its matter that people concluded in a period —
/// which would have been approved automatically, and where people decided otherwise. Nothing changes: no case, no run row; the
/// shared records are read as they are today (each read logged with the purpose “秒批模拟运行”).
/// </summary>
public static class ShadowRun
{
    public const string Purpose = "秒批模拟运行";

    /// <summary>At most this many cases per run (the newest concluded in the period).</summary>
    public const int MaxCases = 1000;

    /// <param name="PeopleApproved">People approved it (otherwise they refused or denied it).</param>
    /// <param name="Failed">The names of the conditions that did not hold (empty when the rules would approve).</param>
    public sealed record CaseResult(long CaseId, string Number, string Applicant, DateTimeOffset ConcludedAt, bool PeopleApproved, string PeopleDecision,
        bool WouldApprove, IReadOnlyList<string> Failed);

    /// <param name="Cases">Cases people decided in the period (approved, denied or not accepted).</param>
    /// <param name="Differing">The cases where the rules and the people disagree, newest first.</param>
    public sealed record Result(string MatterCode, int Version, DateOnly From, DateOnly To, int Cases, int WouldApprove, int PeopleApproved,
        int BothApproved, int WouldApproveButPeopleRefused, int PeopleApprovedButRulesRoute, IReadOnlyList<CaseResult> Differing);

    public sealed class Handler(IDbContextFactory<AppDbContext> dbFactory, ResourceCatalogue catalogue)
    {
        public async Task<Result> RunAsync(int versionId, DateOnly from, DateOnly to, CaseActor actor, CancellationToken ct = default)
        {
            if (!actor.Is(Roles.Administrator) && !actor.Is(Roles.Supervisor))
            {
                throw new CaseRuleException("只有系统管理员或监察人员可以模拟运行秒批规则");
            }

            if (to < from)
            {
                throw new CaseInputException(InputProblem.Invalid, "to", "结束日期不能早于开始日期");
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var version = await db.AutoApprovalRuleVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == versionId, ct)
                ?? throw new CaseNotFoundException("规则版本不存在");
            var rules = AutoApprovalRuleSet.FromJson(version.Rules);
            var department = await db.Matters.AsNoTracking().Where(m => m.Code == version.MatterCode).Select(m => m.Department!.Code).FirstAsync(ct);
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), WorkingTime.ChinaOffset).ToUniversalTime();
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), WorkingTime.ChinaOffset).ToUniversalTime();
            CaseState[] decided = [CaseState.Approved, CaseState.CertificateIssued, CaseState.Delivered, CaseState.Archived, CaseState.Denied,
                CaseState.NotAccepted];
            var cases = await db.Cases.AsNoTracking()
                .Where(c => c.MatterCode == version.MatterCode && decided.Contains(c.State) && c.ConcludedAt >= start && c.ConcludedAt < end
                    && c.AcceptedBy != CaseActor.AutoApproverName)
                .OrderByDescending(c => c.ConcludedAt).Take(MaxCases).ToListAsync(ct);

            var read = new Dictionary<(string, string), IReadOnlyDictionary<string, string>?>();
            var results = new List<CaseResult>();
            foreach (var c in cases)
            {
                var approved = c.DecidedAt is not null && c.WorkflowState is not null && c.Instance().Result == WorkflowResult.Approved;
                var refused = c.State is CaseState.NotAccepted or CaseState.Denied
                    || (c.DecidedAt is not null && c.WorkflowState is not null && c.Instance().Result == WorkflowResult.Denied);
                if (!approved && !refused)
                {
                    continue; // withdrawn before a decision, or archived without one: nobody decided
                }

                var records = new Dictionary<string, IReadOnlyDictionary<string, string>?>();
                foreach (var source in rules.Sources)
                {
                    var key = AutoApprovalEvaluator.KeyOf(source, c.FormData, c.Applicant);
                    if (key is null)
                    {
                        records[source.Alias] = null;
                        continue;
                    }

                    if (!read.TryGetValue((source.Alias, key), out var record))
                    {
                        record = read[(source.Alias, key)] = await ReadAsync(source, key, department, actor, ct);
                    }

                    records[source.Alias] = record;
                }

                var outcome = AutoApprovalEvaluator.Evaluate(rules, c.FormData, c.Applicant, records, c.MissingRequiredMaterials);
                results.Add(new(c.Id, c.Number ?? "", Masking.PersonName(c.Applicant.Name), c.ConcludedAt!.Value, approved,
                    approved ? "准予许可" : c.State == CaseState.NotAccepted ? "不予受理" : "不予许可", outcome.Passed, [.. outcome.Failed.Select(f => f.Name)]));
            }

            return new(version.MatterCode, version.Version, from, to, results.Count, results.Count(r => r.WouldApprove), results.Count(r => r.PeopleApproved),
                results.Count(r => r.WouldApprove && r.PeopleApproved), results.Count(r => r.WouldApprove && !r.PeopleApproved),
                results.Count(r => !r.WouldApprove && r.PeopleApproved), [.. results.Where(r => r.WouldApprove != r.PeopleApproved)]);
        }

        private async Task<IReadOnlyDictionary<string, string>?> ReadAsync(RuleSource source, string key, string department, CaseActor actor,
            CancellationToken ct)
        {
            try
            {
                return (await catalogue.QueryAsync(source.Resource, key, department, $"{actor.Name}（模拟运行）", Purpose, ct))?.Fields;
            }
            catch (Exception e) when (e is ResourceAccessDeniedException or CaseNotFoundException or FluentValidation.ValidationException)
            {
                return null;
            }
        }
    }
}
