using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Core.Ratings;
using ApprovalSystem.Web.Features.Ratings;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Portal;

/// <summary>
/// The applicant's voice: rate a case 好差评 as GB/T 39734-2020 asks (five levels and the channel's indicators, once per point: after
/// acceptance and after conclusion; a 差评 opens a rectification) and lodge a complaint 投诉 about a case. Both feed supervision and
/// performance.
/// </summary>
public static class Feedback
{
    /// <summary>A rating of one point of a case; without a point it is the rating after conclusion.</summary>
    public sealed record RateCommand(long CaseId, int Level, string? Comment, RatingPoint Point = RatingPoint.Conclusion,
        IReadOnlyDictionary<string, int>? Indicators = null);

    public sealed record ComplainCommand(long CaseId, string Content);

    public sealed class RateValidator : AbstractValidator<RateCommand>
    {
        public RateValidator()
        {
            RuleFor(c => c.Level).InclusiveBetween(1, 5).WithMessage("请选择评价等级（非常满意至非常不满意）");
            RuleFor(c => c.Comment).NotEmpty().When(c => c.Level <= 2).WithMessage("差评请写明原因，便于改进");
            RuleFor(c => c.Comment).MaximumLength(1000).WithMessage("评价内容不能超过1000字");
            RuleFor(c => c.Point).IsInEnum().WithMessage("请选择评价环节（受理后或办结后）");
        }
    }

    public sealed class ComplainValidator : AbstractValidator<ComplainCommand>
    {
        public ComplainValidator() => RuleFor(c => c.Content).NotEmpty().WithMessage("请填写投诉内容").MaximumLength(2000).WithMessage("投诉内容不能超过2000字");
    }

    /// <summary>Why the 投诉 box is not offered yet: before acceptance a filing is the window's to review, with its own 5-day limit.</summary>
    public const string NotYetComplainable = "办件受理或不予受理后才能投诉；窗口超过5个工作日仍未审核的，也可以投诉";

    /// <summary>
    /// A complaint is about how a case was handled: once it was accepted (or refused), or when the window let the 5-working-day
    /// review pass without a word. Before that (a draft, a filing under review, a supplement awaited) there is nothing to complain of yet.
    /// </summary>
    public static bool MayComplain(Case c, DateTimeOffset now) =>
        c.AcceptedAt is not null || c.State == CaseState.NotAccepted || (c.State == CaseState.PreAcceptance && c.Review.DueAt is { } due && due <= now);

    public sealed class Handler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, RateValidator rateValidator, ComplainValidator complainValidator,
        WorkingTimeProvider workingTime, RatingsOptions options)
    {
        /// <summary>The rating after conclusion, if given.</summary>
        public async Task<CaseRating?> RatingAsync(long caseId, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.Ratings.AsNoTracking().FirstOrDefaultAsync(r => r.CaseId == caseId && r.Point == RatingPoint.Conclusion, ct);
        }

        /// <summary>Every rating of the case, by point (受理后 first).</summary>
        public async Task<List<CaseRating>> RatingsAsync(long caseId, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var ratings = await db.Ratings.AsNoTracking().Where(r => r.CaseId == caseId).ToListAsync(ct);
            return [.. ratings.OrderByDescending(r => r.Point)];
        }

        public async Task<List<Complaint>> ComplaintsAsync(long caseId, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.Complaints.AsNoTracking().Where(c => c.CaseId == caseId).OrderBy(c => c.CreatedAt).ToListAsync(ct);
        }

        private const string RatedOnce = "每件办件每个环节只能评价一次，您已评价过";

        public async Task RateAsync(RateCommand command, CaseActor actor, CancellationToken ct = default)
        {
            await rateValidator.ValidateAndThrowAsync(command, ct);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await RateOnceAsync(command, actor, ct);
                    return;
                }
                catch (DbUpdateException e) when (attempt < CaseJournal.Attempts && CaseJournal.LostRace(e))
                {
                    // Another writer went first: it moved the head of the journal 全程留痕 (a 差评 is chained into it) or took the
                    // next journal number, or it was this point's rating at the same moment. Again on fresh data: the check above
                    // then says "already rated" only when a rating of this point really stands.
                }
                catch (DbUpdateException e) when (CaseJournal.LostRace(e))
                {
                    throw new CaseRuleException("同时提交的评价较多，这次评价未保存，请再提交一次", e);
                }
            }
        }

        private async Task RateOnceAsync(RateCommand command, CaseActor actor, CancellationToken ct)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var c = await OwnCaseAsync(db, command.CaseId, actor, ct);
            if (!ServiceRatings.Reached(c, command.Point))
            {
                throw new CaseRuleException(command.Point == RatingPoint.Acceptance ? "办件受理后才能评价受理服务" : "办件办结后才能评价");
            }

            if (ServiceRatings.CheckIndicators(c.Channel, command.Indicators) is { } wrong)
            {
                throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(RateCommand.Indicators), wrong)]);
            }

            if (await db.Ratings.AnyAsync(r => r.CaseId == c.Id && r.Point == command.Point, ct))
            {
                throw new CaseRuleException(RatedOnce);
            }

            var rating = new CaseRating
            {
                CaseId = c.Id, Point = command.Point, Level = command.Level, Channel = ServiceRatings.ChannelName(c.Channel),
                Indicators = ServiceRatings.Format(command.Indicators), Comment = command.Comment?.Trim(), UserId = actor.UserId, RatedAt = clock.GetUtcNow(),
            };
            db.Ratings.Add(rating);
            await Rectifications.OpenFor(db, c, rating, options.RectificationWorkingDays, await workingTime.GetAsync(ct), actor, ct);
            await db.SaveChangesAsync(ct);
        }

        public async Task ComplainAsync(ComplainCommand command, CaseActor actor, CancellationToken ct = default)
        {
            await complainValidator.ValidateAndThrowAsync(command, ct);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var c = await OwnCaseAsync(db, command.CaseId, actor, ct);
            if (!MayComplain(c, clock.GetUtcNow()))
            {
                throw new CaseRuleException(NotYetComplainable);
            }

            db.Complaints.Add(new Complaint { CaseId = c.Id, CaseNumber = c.Number, UserId = actor.UserId, UserName = actor.Name,
                Content = command.Content.Trim(), CreatedAt = clock.GetUtcNow() });
            var supervisors = await (from u in db.Users join ur in db.UserRoles on u.Id equals ur.UserId join r in db.Roles on ur.RoleId equals r.Id
                                     where r.Name == Roles.Supervisor select u.Id).ToListAsync(ct);
            db.Notifications.AddRange(supervisors.Select(s => new Notification
            {
                UserId = s, Title = "新的投诉", Body = $"{c.Number} {c.MatterName}：{command.Content.Trim()}", Link = $"/cases/{c.Id}",
                CreatedAt = clock.GetUtcNow(),
            }));
            await db.SaveChangesAsync(ct);
        }

        private static async Task<Case> OwnCaseAsync(AppDbContext db, long caseId, CaseActor actor, CancellationToken ct)
        {
            var c = await db.Cases.AsNoTracking().IgnoreAutoIncludes().FirstOrDefaultAsync(x => x.Id == caseId, ct);
            var own = c is not null
                && (c.OwnerUserId == actor.UserId || (actor.Is(Roles.Agent) && c.StationCode is not null && c.StationCode == actor.Station));
            return own ? c! : throw new CaseRuleException("只能评价或投诉本人（本站代办）的办件");
        }
    }
}
