using ApprovalSystem.Core.Bundles;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Core.Ratings;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Bundles;

/// <summary>A member as the applicant sees it: its own number, department, state and clock.</summary>
public sealed record BundleMemberView(long CaseId, string? Number, string MatterName, string Department, string State, bool Waiting, DateTimeOffset? AcceptedAt,
    DateTimeOffset? DueAt, DateTimeOffset? ConcludedAt);

/// <summary>A result of a member 一窗出件: a certificate, or a notice or decision document.</summary>
public sealed record BundleResultView(long CaseId, string MatterName, string Kind, string? CertificateNumber, DateTimeOffset IssuedAt, long? DocumentId);

/// <summary>One bundle case as the applicant (or staff) sees it: each member's progress, all notices, all results, the rating.</summary>
public sealed record BundleView(long Id, string? Number, string? QueryCode, string BundleCode, string BundleName, string State, string Channel,
    DateTimeOffset? SubmittedAt, DateTimeOffset? AcceptedAt, DateTimeOffset? DueAt, DateTimeOffset? ConcludedAt, string? Reason,
    IReadOnlyList<string> SupplementItems, IReadOnlyList<BundleMemberView> Members, IReadOnlyList<BundleNotice> Notices,
    IReadOnlyList<BundleResultView> Results, IReadOnlyList<CaseMaterial> Materials, int? RatingLevel);

/// <summary>The applicant's view of one bundle and their rating of it 一键评价 (counted for every member's department).</summary>
public sealed class BundleQueries(BundleStore bundles, IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, WorkingTimeProvider workingTime,
    Ratings.RatingsOptions ratingOptions)
{
    public sealed record RateCommand(long BundleId, int Level, string? Comment);

    public sealed class RateValidator : AbstractValidator<RateCommand>
    {
        public RateValidator()
        {
            RuleFor(c => c.Level).InclusiveBetween(1, 5).WithMessage("请选择评价等级（非常满意至非常不满意）");
            RuleFor(c => c.Comment).NotEmpty().When(c => c.Level <= 2).WithMessage("差评请写明原因，便于改进");
            RuleFor(c => c.Comment).MaximumLength(1000).WithMessage("评价内容不能超过1000字");
        }
    }

    public async Task<BundleView> ViewAsync(long bundleId, CaseActor actor, CancellationToken ct = default)
    {
        var b = await bundles.FindAsync(bundleId, actor, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = b.Members.Select(m => m.CaseId).ToList();
        var cases = await db.Cases.AsNoTracking().IgnoreAutoIncludes().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var departments = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        var members = b.Members.Select(m => cases[m.CaseId] is var c
            ? new BundleMemberView(c.Id, c.Number, c.MatterName, departments.GetValueOrDefault(m.Department, m.Department),
                !m.Started && c.State == CaseState.Draft ? "等待前序事项" : CaseLifecycle.Name(c.State), !m.Started && c.State == CaseState.Draft,
                c.AcceptedAt, c.Promised.DueAt, c.ConcludedAt)
            : null!).ToList();
        var certificates = await db.Certificates.AsNoTracking().Where(x => ids.Contains(x.CaseId)).ToListAsync(ct);
        var documents = await db.CaseDocuments.AsNoTracking().Where(d => ids.Contains(d.CaseId))
            .Select(d => new { d.Id, d.CaseId, d.Kind, d.IssuedAt }).ToListAsync(ct);
        var results = certificates.Select(x => new BundleResultView(x.CaseId, cases[x.CaseId].MatterName, "证照", x.Number, x.IssuedAt, null))
            .Concat(documents.Select(d => new BundleResultView(d.CaseId, cases[d.CaseId].MatterName, d.Kind, null, d.IssuedAt, d.Id)))
            .OrderBy(r => r.IssuedAt).ToList();
        var rating = await db.Ratings.AsNoTracking().Where(r => ids.Contains(r.CaseId) && r.Point == RatingPoint.Conclusion).Select(r => (int?)r.Level)
            .FirstOrDefaultAsync(ct);
        var own = b.IsFiler(actor) || actor.Is(Roles.Clerk);
        return new BundleView(b.Id, b.Number, own ? b.QueryCode : null, b.BundleCode, b.BundleName, BundleCase.Name(b.State), b.Channel.ToString(),
            b.SubmittedAt, b.AcceptedAt, b.Deadline.DueAt, b.ConcludedAt, b.Reason, b.SupplementItems, members, b.Notices, results, b.Materials, rating);
    }

    /// <summary>The actor's own bundles (an applicant's, or an agent station's), newest first.</summary>
    public async Task<List<BundleCase>> MineAsync(CaseActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.BundleCases.AsNoTracking();
        q = actor.Is(Roles.Agent) ? q.Where(b => b.StationCode == actor.Station) : q.Where(b => b.OwnerUserId == actor.UserId);
        return await q.OrderByDescending(b => b.Id).Take(100).ToListAsync(ct);
    }

    /// <summary>
    /// Rates the bundle once 一键评价: the rating is recorded for every concluded member (withdrawn ones excepted), so it counts for
    /// every member's department as its rating after conclusion 办结后; a 差评 opens a rectification for each member's department.
    /// </summary>
    public async Task<int> RateAsync(RateCommand command, CaseActor actor, CancellationToken ct = default)
    {
        await new RateValidator().ValidateAndThrowAsync(command, ct);
        var b = await bundles.FindAsync(command.BundleId, actor, ct);
        if (!(actor.Is(Roles.Applicant) || actor.Is(Roles.Agent)) || !b.IsFiler(actor))
        {
            throw new CaseRuleException("只能评价本人（本站代办）的一件事");
        }

        if (b.State is not (BundleState.Concluded or BundleState.Stopped))
        {
            throw new CaseRuleException("一件事办结后才能评价");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = b.Members.Select(m => m.CaseId).ToList();
        var rated = await db.Ratings.AsNoTracking().Where(r => ids.Contains(r.CaseId) && r.Point == RatingPoint.Conclusion).Select(r => r.CaseId)
            .ToListAsync(ct);
        if (rated.Count > 0)
        {
            throw new CaseRuleException("每件一件事只能评价一次，您已评价过");
        }

        var concluded = await db.Cases.AsNoTracking().IgnoreAutoIncludes()
            .Where(c => ids.Contains(c.Id) && c.ConcludedAt != null && c.State != CaseState.Withdrawn).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var time = await workingTime.GetAsync(ct);
        foreach (var c in concluded)
        {
            var rating = new CaseRating
            {
                CaseId = c.Id, Point = RatingPoint.Conclusion, Level = command.Level, Channel = ServiceRatings.ChannelName(c.Channel),
                Comment = command.Comment?.Trim(), UserId = actor.UserId, RatedAt = now,
            };
            db.Ratings.Add(rating);
            await Ratings.Rectifications.OpenFor(db, c, rating, ratingOptions.RectificationWorkingDays, time, actor, ct);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new CaseRuleException("每件一件事只能评价一次，您已评价过");
        }

        return concluded.Count;
    }
}
