using System.Text.Json;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Exchange.Outbound;

/// <summary>
/// Writes the centre's case events for subscribed systems into the outbox, in the same save as the
/// case act (a writer of every act of <see cref="Infrastructure.CaseStore"/>), so an event is never lost nor sent
/// for an act that did not commit.
/// </summary>
public sealed class ExchangeOutbox(Infrastructure.ReferenceCache cache) : Infrastructure.ICaseActWriter
{
    public Task WriteAsync(Infrastructure.CaseActWrite act, CancellationToken ct) => AddAsync(act.Db, act.Case, act.Records, ct, cache);

    public static readonly IReadOnlyList<string> Kinds = ["filed", "accepted", "step-done", "decided", "certificate-issued"];

    private static async Task<List<WebhookSubscription>> ActiveAsync(AppDbContext db, CancellationToken ct) =>
        await db.WebhookSubscriptions.AsNoTracking().Where(s => s.Active).ToListAsync(ct);

    public static async Task AddAsync(AppDbContext db, Case c, IReadOnlyList<CaseRecord> records, CancellationToken ct,
        Infrastructure.ReferenceCache? cache = null)
    {
        var events = records.SelectMany(r => KindsOf(r).Select(kind => (Kind: kind, Record: r))).ToList();
        if (events.Count == 0)
        {
            return;
        }

        var subscriptions = cache is null
            ? await ActiveAsync(db, ct)
            : await cache.GetAsync(Infrastructure.ReferenceCache.Webhooks, () => ActiveAsync(db, ct));
        foreach (var (kind, r) in events)
        {
            if (!subscriptions.Any(s => s.Wants(kind)))
            {
                continue;
            }

            var eventId = Guid.NewGuid().ToString("N");
            var payload = JsonSerializer.Serialize(
                new
                {
                    eventId,
                    kind,
                    caseId = c.Id,
                    caseNumber = c.Number,
                    matterCode = c.MatterCode,
                    matterName = c.MatterName,
                    state = r.To.ToString(),
                    stateName = CaseLifecycle.Name(r.To),
                    department = r.Actor.Department,
                    opinion = r.Opinion,
                    step = r.Data.GetValueOrDefault("step"),
                    certificateNumber = kind == "certificate-issued" ? c.CertificateNumber : null,
                    at = r.At,
                },
                Inbound.PushCaseState.Json);
            foreach (var s in subscriptions.Where(s => s.Wants(kind)))
            {
                db.Outbox.Add(new OutboxMessage
                {
                    EventId = eventId,
                    SubscriptionId = s.Id,
                    Kind = kind,
                    CaseId = c.Id,
                    CaseNumber = c.Number,
                    Payload = payload,
                    CreatedAt = r.At,
                    NextAttemptAt = r.At,
                    Status = DeliveryStatus.Pending,
                });
            }
        }
    }

    /// <summary>The subscriber event kinds an act raises. Pushes from line systems are not echoed back.</summary>
    public static IEnumerable<string> KindsOf(CaseRecord r)
    {
        switch (r.Action)
        {
            case CaseTrigger.Submit:
                yield return "filed";
                break;
            case CaseTrigger.Accept:
                yield return "accepted";
                break;
            case CaseTrigger.Refuse:
                yield return "decided";
                break;
            case CaseTrigger.ActOnTask:
                yield return "step-done";
                if (r.To is CaseState.Approved or CaseState.Denied or CaseState.Reported)
                {
                    yield return "decided";
                }

                break;
            case CaseTrigger.AutoApprove:
                yield return "decided";
                break;
            case CaseTrigger.IssueCertificate:
                yield return "certificate-issued";
                break;
            default:
                break;
        }
    }
}
