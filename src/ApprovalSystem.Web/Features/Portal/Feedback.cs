using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Portal;

/// <summary>
/// The applicant's voice: rate a concluded case 好差评 (five levels, once, with a comment) and lodge a
/// complaint 投诉 about a case. Both feed supervision and performance.
/// </summary>
public static class Feedback
{
    public sealed record RateCommand(long CaseId, int Level, string? Comment);

    public sealed record ComplainCommand(long CaseId, string Content);

    public sealed class RateValidator : AbstractValidator<RateCommand>
    {
        public RateValidator()
        {
            RuleFor(c => c.Level).InclusiveBetween(1, 5).WithMessage("请选择评价等级（非常满意至非常不满意）");
            RuleFor(c => c.Comment).NotEmpty().When(c => c.Level <= 2).WithMessage("差评请写明原因，便于改进");
            RuleFor(c => c.Comment).MaximumLength(1000).WithMessage("评价内容不能超过1000字");
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

    public sealed class Handler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, RateValidator rateValidator, ComplainValidator complainValidator)
    {
        public async Task<CaseRating?> RatingAsync(long caseId, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.Ratings.AsNoTracking().FirstOrDefaultAsync(r => r.CaseId == caseId, ct);
        }

        public async Task<List<Complaint>> ComplaintsAsync(long caseId, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.Complaints.AsNoTracking().Where(c => c.CaseId == caseId).OrderBy(c => c.CreatedAt).ToListAsync(ct);
        }

        public async Task RateAsync(RateCommand command, CaseActor actor, CancellationToken ct = default)
        {
            await rateValidator.ValidateAndThrowAsync(command, ct);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var c = await OwnCaseAsync(db, command.CaseId, actor, ct);
            if (c.ConcludedAt is null || c.State == CaseState.Withdrawn)
            {
                throw new CaseRuleException("办件办结后才能评价");
            }

            if (await db.Ratings.AnyAsync(r => r.CaseId == c.Id, ct))
            {
                throw new CaseRuleException("每件办件只能评价一次，您已评价过");
            }

            db.Ratings.Add(new CaseRating { CaseId = c.Id, Level = command.Level, Comment = command.Comment?.Trim(), UserId = actor.UserId,
                RatedAt = clock.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                throw new CaseRuleException("每件办件只能评价一次，您已评价过");
            }
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
