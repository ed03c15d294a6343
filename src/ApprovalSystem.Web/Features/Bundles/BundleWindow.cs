using ApprovalSystem.Core.Bundles;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Documents;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Bundles;

/// <summary>
/// What the window clerk reads about bundles 一件事: the bundles waiting for acceptance (or back from a supplement) beside the single
/// cases, and one bundle as the clerk reviews it — the answers in the questions' words, the members with their departments, the one
/// merged checklist with a member case to open each uploaded file from, and the printable notices of the members.
/// </summary>
public sealed class BundleWindow(IDbContextFactory<AppDbContext> dbFactory, BundleStore bundles, BundleQueries queries)
{
    /// <summary>The most bundles a queue lists (oldest filing first); the count is exact.</summary>
    public const int QueueSize = 200;

    /// <summary>A bundle in the window's queue.</summary>
    public sealed record Row(long Id, string? Number, string BundleName, string Applicant, CaseChannel Channel, BundleState State,
        DateTimeOffset? SubmittedAt, IReadOnlyList<long> MemberIds);

    /// <summary>A merged material as the clerk checks it: the file (opened through a member case that holds it) and what it stands for.</summary>
    public sealed record Material(string Name, bool Required, string? FileName, string? FileUrl, IReadOnlyList<string> StandsFor, bool FromMember);

    /// <summary>A notice document a member produced that the clerk can print (受理通知书, 补正通知书, 不予受理通知书).</summary>
    public sealed record Printable(long CaseId, string MatterName, string Title, string Url);

    /// <summary>One bundle at the window.</summary>
    public sealed record Review(BundleCase Bundle, BundleView View, IReadOnlyList<(string Question, string Answer)> Answers,
        IReadOnlyList<(string Label, string Value)> Form, IReadOnlyList<Material> Checklist, IReadOnlyList<Printable> Notices);

    /// <summary>The bundle a member case belongs to.</summary>
    public sealed record Membership(long BundleId, string? Number, string BundleName);

    /// <summary>The bundle <paramref name="caseId"/> is a member of, or null for a single case.</summary>
    public async Task<Membership?> MembershipAsync(long caseId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await MembershipAsync(db, caseId, ct);
    }

    /// <summary>
    /// Refuses a window act (accept, supplement, refuse) on a member case by itself: a bundle is reviewed once, on its own page, so
    /// that its members start, wait or stop together.
    /// </summary>
    public static async Task RequireOutsideBundleAsync(AppDbContext db, long caseId, CancellationToken ct)
    {
        if (await MembershipAsync(db, caseId, ct) is { } m)
        {
            throw new CaseRuleException($"本件是一件事“{m.BundleName}”（编号{m.Number}）的成员事项，请在该一件事的窗口受理页面统一受理、补正或不予受理");
        }
    }

    private static Task<Membership?> MembershipAsync(AppDbContext db, long caseId, CancellationToken ct) =>
        (from l in db.BundleMemberLinks
         join b in db.BundleCases on l.BundleCaseId equals b.Id
         where l.CaseId == caseId
         select new Membership(b.Id, b.Number, b.BundleName)).FirstOrDefaultAsync(ct);

    /// <summary>How many bundles are in each state of <paramref name="states"/>.</summary>
    public async Task<Dictionary<BundleState, int>> CountAsync(IReadOnlyCollection<BundleState> states, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = await db.BundleCases.AsNoTracking().Where(b => states.Contains(b.State)).GroupBy(b => b.State)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return states.Distinct().ToDictionary(s => s, s => counts.FirstOrDefault(c => c.Key == s)?.Count ?? 0);
    }

    /// <summary>The bundles in <paramref name="states"/>, oldest filing first (at most <see cref="QueueSize"/>).</summary>
    public async Task<List<Row>> QueueAsync(IReadOnlyCollection<BundleState> states, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var list = await db.BundleCases.AsNoTracking().Where(b => states.Contains(b.State)).OrderBy(b => b.SubmittedAt).ThenBy(b => b.Id)
            .Take(QueueSize).ToListAsync(ct);
        return [.. list.Select(b => new Row(b.Id, b.Number, b.BundleName, b.Applicant.Name, b.Channel, b.State, b.SubmittedAt,
            [.. b.Members.Select(m => m.CaseId)]))];
    }

    /// <summary>One bundle as the clerk reviews it (visible to the actor, or <see cref="CaseNotFoundException"/>).</summary>
    public async Task<Review> ReviewAsync(long bundleId, CaseActor actor, CancellationToken ct = default)
    {
        var b = await bundles.FindAsync(bundleId, actor, ct);
        var view = await queries.ViewAsync(bundleId, actor, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = b.Members.Select(m => m.CaseId).ToList();
        var cases = await db.Cases.AsNoTracking().IgnoreAutoIncludes().Where(c => ids.Contains(c.Id)).ToListAsync(ct);
        var answers = b.Definition.Situations.Where(q => b.Answers.ContainsKey(q.Key)).Select(q => (q.Text, b.Answers[q.Key])).ToList();
        var form = b.Definition.FieldsFor(b.Answers).Where(f => b.FormData.ContainsKey(f.Key))
            .Select(f => (f.Label, Shown(f, b.FormData[f.Key]) + (f.Unit is null ? "" : " " + f.Unit))).ToList();
        var checklist = b.Materials.Select(m =>
        {
            var merged = b.Definition.Materials.FirstOrDefault(x => x.Name == m.Name);
            var holder = m.FileSha256 is null ? null : cases.FirstOrDefault(c => c.Materials.Any(x => x.FileSha256 == m.FileSha256));
            var standsFor = merged is null ? [] : b.Members
                .SelectMany(r => BundleData.MemberMaterials(merged, r.MatterCode).Select(name => $"{r.MatterName}：{name}")).ToList();
            return new Material(m.Name, m.Required, m.FileName, holder is null ? null : $"api/cases/{holder.Id}/files/{m.FileSha256}", standsFor,
                merged?.From.Count > 0);
        }).ToList();
        var notices = cases.OrderBy(c => ids.IndexOf(c.Id)).SelectMany(c => WindowNotices(c)
                .Select(k => new Printable(c.Id, c.MatterName, CaseDocuments.Title(k), $"api/cases/{c.Id}/documents/{k}?inline=true")))
            .ToList();
        return new Review(b, view, answers, form, checklist, notices);
    }

    /// <summary>A merged form's value as staff first see it: ID numbers and mobiles masked, as on the case page (docs/privacy.md).</summary>
    private static string Shown(FormField field, string value) => field.Type switch
    {
        ApprovalSystem.Workflows.FieldKind.IdCard => Masking.IdNumber(value),
        ApprovalSystem.Workflows.FieldKind.Phone => Masking.Mobile(value),
        _ => value,
    };

    /// <summary>The window's notices a member has (as <see cref="CaseDocuments.Available"/> offers them on the case page).</summary>
    private static IEnumerable<CaseDocumentKind> WindowNotices(Case c)
    {
        if (c.AcceptedAt is not null)
        {
            yield return CaseDocumentKind.AcceptanceNotice;
        }

        if (c.SupplementRequestedAt is not null)
        {
            yield return CaseDocumentKind.SupplementNotice;
        }

        if (c.State == CaseState.NotAccepted || c.RefusalReason is not null)
        {
            yield return CaseDocumentKind.NonAcceptanceNotice;
        }
    }
}
