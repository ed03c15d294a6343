using System.Text.Json;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Exchange.Supervision;

/// <summary>One node row 环节节点 in the shape regional supervision platforms take.</summary>
public sealed record NodeRow(long Sequence, string CaseNumber, string Node, DateTimeOffset At, string Actor, string? Department, string? Opinion);

/// <summary>
/// The supervision-data feed 监察数据: the journal read as node rows — 申请, 受理, 告知, 补正,
/// 特别程序开始, 特别程序结束, 结果, 办结 — for centre cases and mirrored line-system cases alike.
/// Acts that are not nodes (claims, assignments, drafts) are left out.
/// </summary>
public sealed class SupervisionFeed(IDbContextFactory<AppDbContext> dbFactory)
{
    public const int PageSize = 1000;

    /// <summary>Rows of journal entries after <paramref name="afterSequence"/> and at or after <paramref name="since"/>, in journal order.</summary>
    public async Task<IReadOnlyList<NodeRow>> ReadAsync(DateTimeOffset? since, long afterSequence = 0, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Journal.AsNoTracking().Where(e => e.Sequence > afterSequence && e.CaseNumber != null);
        if (since is { } s)
        {
            query = query.Where(e => e.At >= s);
        }

        var entries = await query.OrderBy(e => e.Sequence).Take(PageSize).ToListAsync(ct);
        return entries.SelectMany(e => Nodes(e).Select(n => new NodeRow(e.Sequence, e.CaseNumber!, n, e.At, e.ActorName, e.Department, e.Opinion))).ToList();
    }

    public static IEnumerable<string> Nodes(CaseJournalEntry e)
    {
        if (!Enum.TryParse<CaseTrigger>(e.Action, out var action) || !Enum.TryParse<CaseState>(e.ToState, out var to))
        {
            yield break;
        }

        switch (action)
        {
            case CaseTrigger.Submit:
                yield return "申请";
                break;
            case CaseTrigger.Accept:
                yield return "受理";
                break;
            case CaseTrigger.Refuse:
                yield return "受理";
                yield return "办结";
                break;
            case CaseTrigger.RequestSupplement:
                yield return "告知";
                break;
            case CaseTrigger.Resubmit:
                yield return "补正";
                break;
            case CaseTrigger.StartSpecialProcedure:
                yield return "特别程序开始";
                break;
            case CaseTrigger.EndSpecialProcedure:
                yield return "特别程序结束";
                break;
            case CaseTrigger.ActOnTask when to is CaseState.Approved or CaseState.Denied or CaseState.Reported:
            case CaseTrigger.AutoApprove:
                yield return "结果";
                yield return "办结";
                break;
            case CaseTrigger.Withdraw:
                yield return "办结";
                break;
            case CaseTrigger.ExternalState:
                foreach (var n in ExternalNodes(e))
                {
                    yield return n;
                }

                break;
            default:
                break;
        }
    }

    private static IEnumerable<string> ExternalNodes(CaseJournalEntry e)
    {
        var data = JsonSerializer.Deserialize<Dictionary<string, string?>>(e.Data) ?? [];
        if (!Enum.TryParse<ExternalStep>(data.GetValueOrDefault("externalStep"), out var step))
        {
            return [];
        }

        return step switch
        {
            ExternalStep.Applied => ["申请"],
            ExternalStep.Accepted => ["受理"],
            ExternalStep.NotAccepted => ["受理", "办结"],
            ExternalStep.SupplementRequested => ["告知"],
            ExternalStep.Resubmitted => ["补正"],
            ExternalStep.SpecialProcedureStarted => ["特别程序开始"],
            ExternalStep.SpecialProcedureEnded => ["特别程序结束"],
            ExternalStep.Processing => [],
            ExternalStep.Approved or ExternalStep.Denied => ["结果", "办结"],
            ExternalStep.CertificateIssued => [],
            ExternalStep.Withdrawn => ["办结"],
        };
    }
}
