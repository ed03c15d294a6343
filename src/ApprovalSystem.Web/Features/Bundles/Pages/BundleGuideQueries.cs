using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Bundles.Pages;

/// <summary>What the public guide and the filing page read about the published bundles 一件事 and their member matters.</summary>
public sealed class BundleGuideQueries(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>A bundle in the guide's list.</summary>
    public sealed record BundleItem(string Code, string Name, string LifeEvent, string Department, int PromisedLimitDays, int Members, string? Description);

    /// <summary>A member matter as the guide shows it: its own department and promised limit.</summary>
    public sealed record MemberMatter(string Code, string Name, string Department, string DepartmentShort, int PromisedLimitDays, MatterKind Kind);

    /// <summary>A bundle with its lead department's name and its member matters by the bundle's references (SCJG-019 → the matter).</summary>
    public sealed record BundleGuide(BundleData Definition, string Department, string? Window, string? Phone,
        IReadOnlyDictionary<string, MemberMatter> Matters)
    {
        /// <summary>The member matter a reference names (null when the catalogue lacks it).</summary>
        public MemberMatter? Matter(string reference) => Matters.GetValueOrDefault(reference.Trim());

        /// <summary>A member's name for a reference, falling back to the reference itself.</summary>
        public string NameOf(string reference) => Matter(reference)?.Name ?? reference;
    }

    /// <summary>The published bundles, ordered by life event then code.</summary>
    public async Task<List<BundleItem>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var bundles = await db.Bundles.AsNoTracking().Where(b => b.IsPublished).OrderBy(b => b.Code).ToListAsync(ct);
        var departments = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        return [.. bundles.Select(b => new BundleItem(b.Code, b.Name, b.Definition.LifeEvent, departments.GetValueOrDefault(b.Department, b.Department),
            b.Definition.PromisedLimitDays, b.Definition.Members.Count, b.Definition.Description)).OrderBy(b => b.LifeEvent, StringComparer.Ordinal)
            .ThenBy(b => b.Code, StringComparer.Ordinal)];
    }

    /// <summary>A published bundle with its member matters, or null.</summary>
    public async Task<BundleGuide?> GuideAsync(string code, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var b = await db.Bundles.AsNoTracking().FirstOrDefaultAsync(x => x.Code == code && x.IsPublished, ct);
        if (b is null)
        {
            return null;
        }

        var def = b.Definition;
        var region = await CaseStore.RegionCodeAsync(db, ct);
        var references = def.Members.Select(m => m.Matter.Trim()).ToList();
        var codes = references.SelectMany(r => new[] { r, $"{region}-{r}" }).Distinct().ToList();
        var matters = await db.Matters.AsNoTracking().Include(m => m.Department).Where(m => codes.Contains(m.Code)).ToListAsync(ct);
        var lead = await db.Departments.AsNoTracking().FirstOrDefaultAsync(d => d.Code == b.Department, ct);
        var byReference = new Dictionary<string, MemberMatter>(StringComparer.Ordinal);
        foreach (var r in references)
        {
            if (matters.FirstOrDefault(m => BundleData.Names(r, m.Code)) is { } m)
            {
                byReference[r] = new MemberMatter(m.Code, m.Name, m.Department?.Name ?? "", m.Department?.ShortName ?? "", m.PromisedLimitDays, m.Kind);
            }
        }

        return new BundleGuide(def, lead?.Name ?? b.Department, lead?.Window, lead?.Phone, byReference);
    }

    /// <summary>The answers given in an address (?seal=是&amp;…, from the guide's GET form): only questions asked, with their options.</summary>
    public static Dictionary<string, string> AnswersIn(BundleData def, string uri)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(uri).Query);
        return Situations.Normalise(def.Situations, def.Situations.Where(q => query.ContainsKey(q.Key)).ToDictionary(q => q.Key, q => query[q.Key].ToString()));
    }

    /// <summary>The situation in words: 是否刻制公章：是；…</summary>
    public static string Describe(IEnumerable<SituationQuestion> questions, IReadOnlyDictionary<string, string> answers) =>
        string.Join("；", Situations.Asked(questions, answers).Select(q => $"{q.Text.TrimEnd('？', '?')}：{answers.GetValueOrDefault(q.Key)}"));

    /// <summary>The rule when a member is refused or denied, in the applicant's words.</summary>
    public static string RefusalRule(BundleRefusalRule rule) => rule switch
    {
        BundleRefusalRule.Continue => "某一事项不予受理或不予许可的，其余事项继续办理（等待该事项结果的事项不再办理），并一次告知您",
        BundleRefusalRule.Stop => "某一事项不予受理或不予许可的，整件终止：尚未办结的事项一并停止，并一次告知您原因",
    };
}
