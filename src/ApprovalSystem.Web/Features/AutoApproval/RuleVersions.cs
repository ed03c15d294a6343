using ApprovalSystem.Core.AutoApproval;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.AutoApproval;

/// <summary>
/// Editing and publishing a matter's 秒批 rules 规则版本. An edit is saved into the matter's draft version (a new version number when it
/// has none): a published version is never changed, so every decision keeps the rules it was made on. Publishing a draft retires the
/// version it replaces; retiring the published one switches 秒批 off for the matter. Administrators only.
/// </summary>
public static class RuleVersions
{
    public sealed class Handler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
    {
        /// <summary>Saves <paramref name="rules"/> as the matter's draft; refused, with every problem named, when the rules do not check.</summary>
        public async Task<RuleVersionDto> SaveDraftAsync(string matterCode, AutoApprovalRuleSet rules, string? note, CaseActor actor,
            CancellationToken ct = default)
        {
            RequireAdministrator(actor);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var matter = await db.Matters.AsNoTracking().FirstOrDefaultAsync(m => m.Code == matterCode, ct)
                ?? throw new CaseInputException(InputProblem.Invalid, "matterCode", $"事项“{matterCode}”不存在");
            var problems = rules.Problems([.. matter.FormFields.Select(f => f.Key)]);
            if (problems.Count > 0)
            {
                throw CaseInputException.Invalid(problems.Select(p => ("rules", p)));
            }

            var versions = await db.AutoApprovalRuleVersions.Where(v => v.MatterCode == matterCode).ToListAsync(ct);
            var draft = versions.FirstOrDefault(v => v.Status == RuleVersionStatus.Draft);
            if (draft is null)
            {
                draft = new AutoApprovalRuleVersion
                {
                    MatterCode = matterCode, Version = versions.Count == 0 ? 1 : versions.Max(v => v.Version) + 1, Status = RuleVersionStatus.Draft,
                };
                db.AutoApprovalRuleVersions.Add(draft);
            }

            draft.Rules = rules.ToJson();
            draft.Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim()[..Math.Min(note.Trim().Length, 500)];
            draft.CreatedAt = clock.GetUtcNow();
            draft.CreatedBy = actor.Name;
            await db.SaveChangesAsync(ct);
            return AutoApprovalQueries.ToDto(draft);
        }

        /// <summary>Publishes a draft: from now on filings of its matter run on it; the version it replaces is retired.</summary>
        public async Task<RuleVersionDto> PublishAsync(int versionId, CaseActor actor, CancellationToken ct = default)
        {
            RequireAdministrator(actor);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var version = await db.AutoApprovalRuleVersions.FirstOrDefaultAsync(v => v.Id == versionId, ct) ?? throw new CaseNotFoundException("规则版本不存在");
            if (version.Status != RuleVersionStatus.Draft)
            {
                throw new CaseRuleException($"第{version.Version}版{AutoApprovalQueries.StatusName(version.Status)}，只有草稿可以发布；修改规则请另存为新草稿");
            }

            var now = clock.GetUtcNow();
            foreach (var published in await db.AutoApprovalRuleVersions
                .Where(v => v.MatterCode == version.MatterCode && v.Status == RuleVersionStatus.Published).ToListAsync(ct))
            {
                published.Status = RuleVersionStatus.Retired;
                published.RetiredAt = now;
            }

            version.Status = RuleVersionStatus.Published;
            version.PublishedAt = now;
            version.PublishedBy = actor.Name;
            await db.SaveChangesAsync(ct);
            return AutoApprovalQueries.ToDto(version);
        }

        /// <summary>Retires the matter's published version: its filings go to people until another version is published.</summary>
        public async Task RetireAsync(string matterCode, CaseActor actor, CancellationToken ct = default)
        {
            RequireAdministrator(actor);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            foreach (var published in await db.AutoApprovalRuleVersions
                .Where(v => v.MatterCode == matterCode && v.Status == RuleVersionStatus.Published).ToListAsync(ct))
            {
                published.Status = RuleVersionStatus.Retired;
                published.RetiredAt = clock.GetUtcNow();
            }

            await db.SaveChangesAsync(ct);
        }

        private static void RequireAdministrator(CaseActor actor)
        {
            if (!actor.Is(Roles.Administrator))
            {
                throw new CaseRuleException("只有系统管理员可以编辑和发布秒批规则");
            }
        }
    }
}
