using System.Globalization;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Core.Ratings;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Supervision.Dashboard;
using ApprovalSystem.Web.Features.Supervision.Performance;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Ratings;

/// <summary>
/// Rectifications 差评整改: every 差评 opens one for the department that handled the case (<see cref="OpenFor"/>, in the rating's save);
/// the department calls back, fixes or explains, the applicant confirms or contests, the department may appeal and a supervisor
/// decides. Every act is journalled on the case and notified; an upheld appeal takes the rating out of the score and refreshes the
/// performance day it counted on.
/// </summary>
public static class Rectifications
{
    public sealed record CallBackCommand(long Id, DateTimeOffset CalledAt, string Whom, string Notes);

    public sealed record ResolveCommand(long Id, RectificationResolution Resolution, string Text);

    public sealed record ContestCommand(long Id, string Reason);

    public sealed record AppealCommand(long Id, AppealGround Ground, string Reason);

    public sealed record DecideCommand(long Id, bool Upheld, string Decision);

    /// <summary>A line of the list: the rectification, its department's name and whether its clock ran out.</summary>
    public sealed record Row(Rectification Item, string DepartmentName, bool Overdue);

    /// <summary>
    /// Adds the rectification of a 差评 to <paramref name="db"/> (saved with the rating), journals it and tells the department's staff.
    /// Does nothing for a good rating.
    /// </summary>
    public static async Task<Rectification?> OpenFor(AppDbContext db, Case c, CaseRating rating, int limitDays, WorkingTime time, CaseActor rater,
        CancellationToken ct)
    {
        if (!ServiceRatings.IsBad(rating.Level))
        {
            return null;
        }

        var r = Rectification.Open(c.Id, c.Number ?? "", c.MatterCode, c.MatterName, c.LeadDepartment, rating.Point, rating.Level, rating.Comment,
            rating.UserId, rating.RatedAt, limitDays, time);
        db.Rectifications.Add(r);
        var staff = await StaffDirectory.UserIdsAsync(db, c.LeadDepartment, [Roles.DepartmentHead, Roles.Officer], ct);
        db.Notifications.AddRange(staff.Select(u => new Notification
        {
            UserId = u, Title = "收到差评，请整改",
            Body = Short($"{c.Number} {c.MatterName}（{ServiceRatings.PointName(rating.Point)}）：{ServiceRatings.LevelName(rating.Level)}。{rating.Comment}"
                + $"请回访申请人并于{WorkingTime.LocalDate(r.DueAt):yyyy年M月d日}前整改或解释。"),
            Link = "/ratings/rectifications", CreatedAt = rating.RatedAt,
        }));
        await CaseJournal.AppendEventAsync(db, c.Id, c.Number, rating.RatedAt, rater, "差评", "", rating.Comment, new Dictionary<string, string>
        {
            ["point"] = ServiceRatings.PointName(rating.Point), ["level"] = ServiceRatings.LevelName(rating.Level), ["department"] = c.LeadDepartment,
            ["rectifyBy"] = WorkingTime.LocalDate(r.DueAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }, ct);
        return r;
    }

    public sealed class Handler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, PerformanceAggregator performance, SupervisionLive live,
        WorkingTimeProvider workingTime)
    {
        /// <summary>Rectifications a user may see: supervisors and administrators all, department staff their department's.</summary>
        public async Task<List<Row>> ListAsync(CaseActor actor, bool openOnly = false, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var query = db.Rectifications.AsNoTracking();
            if (!actor.Is(Roles.Supervisor) && !actor.Is(Roles.Administrator))
            {
                query = actor.Department is { } d && (actor.Is(Roles.Officer) || actor.Is(Roles.DepartmentHead))
                    ? query.Where(r => r.Department == d)
                    : query.Where(r => false);
            }

            if (openOnly)
            {
                query = query.Where(r => r.State != RectificationState.Confirmed && r.State != RectificationState.Voided);
            }

            var items = await query.OrderByDescending(r => r.OpenedAt).Take(500).ToListAsync(ct);
            var names = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.ShortName, ct);
            var now = clock.GetUtcNow();
            return [.. items.Select(r => new Row(r, names.GetValueOrDefault(r.Department, r.Department), r.IsOverdue(now)))];
        }

        /// <summary>One rectification, for its department, the supervisors, or the applicant who rated; otherwise null.</summary>
        public async Task<Row?> GetAsync(long id, CaseActor actor, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var r = await db.Rectifications.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
            if (r is null || !Sees(r, actor))
            {
                return null;
            }

            var name = await db.Departments.AsNoTracking().Where(d => d.Code == r.Department).Select(d => d.ShortName).FirstOrDefaultAsync(ct);
            return new Row(r, name ?? r.Department, r.IsOverdue(clock.GetUtcNow()));
        }

        /// <summary>The rectifications of a case the actor may see (the case page).</summary>
        public async Task<List<Rectification>> OfCaseAsync(long caseId, CaseActor actor, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var items = await db.Rectifications.AsNoTracking().Where(r => r.CaseId == caseId).OrderBy(r => r.OpenedAt).ToListAsync(ct);
            return [.. items.Where(r => Sees(r, actor))];
        }

        public Task CallBackAsync(CallBackCommand command, CaseActor actor, CancellationToken ct = default) =>
            ActAsync(command.Id, actor, "差评回访", r => r.RecordCallBack(command.CalledAt, command.Whom, command.Notes, actor, clock.GetUtcNow()),
                r => $"回访{r.CalledWhom}（{r.CalledBackAt?.ToOffset(WorkingTime.ChinaOffset):yyyy-MM-dd HH:mm}）：{r.CallNotes}", null, ct);

        public Task ResolveAsync(ResolveCommand command, CaseActor actor, CancellationToken ct = default) =>
            ActAsync(command.Id, actor, Enum.IsDefined(command.Resolution) ? "差评" + Rectification.Name(command.Resolution) : "差评答复",
                r => r.Resolve(command.Resolution, command.Text, actor, clock.GetUtcNow()), r => r.ResolutionText,
                r => ("整改结果待您确认", $"{r.CaseNumber} {r.MatterName}：{Rectification.Name(r.Resolution!.Value)}——{r.ResolutionText}", [r.RaterUserId]), ct);

        public Task ConfirmAsync(long id, CaseActor actor, CancellationToken ct = default) =>
            ActAsync(id, actor, "整改确认", r => r.Confirm(actor, clock.GetUtcNow()), _ => "申请人确认整改结果", null, ct);

        /// <summary>The applicant contests: a second round on a clock of its own, of the same working days (the department is told until when).</summary>
        public async Task ContestAsync(ContestCommand command, CaseActor actor, CancellationToken ct = default)
        {
            var time = await workingTime.GetAsync(ct);
            await ActAsync(command.Id, actor, "整改异议", r => r.Contest(command.Reason, actor, clock.GetUtcNow(), time),
                r => $"{r.ContestReason}（请于{WorkingTime.LocalDate(r.ReopenedDueAt!.Value):yyyy年M月d日}前重新整改）",
                r => ("申请人对整改结果有异议", $"{r.CaseNumber} {r.MatterName}：{r.ContestReason}。请于{WorkingTime.LocalDate(r.ReopenedDueAt!.Value):yyyy年M月d日}前重新整改或解释。",
                    null), ct);
        }

        public Task AppealAsync(AppealCommand command, CaseActor actor, CancellationToken ct = default) =>
            ActAsync(command.Id, actor, "差评申诉", r => r.AppealRating(command.Ground, command.Reason, actor, clock.GetUtcNow()),
                r => $"{Rectification.Name(r.AppealGround!.Value)}：{r.AppealReason}", r => ("差评申诉待复核", $"{r.CaseNumber} {r.MatterName}：{r.AppealReason}",
                    []), ct);

        /// <summary>A supervisor decides the appeal; upheld, the rating no longer counts and its performance day is recomputed.</summary>
        public async Task DecideAsync(DecideCommand command, CaseActor actor, CancellationToken ct = default)
        {
            DateTimeOffset? ratedAt = null;
            await ActAsync(command.Id, actor, command.Upheld ? "申诉成立" : "申诉驳回", r => r.DecideAppeal(command.Upheld, command.Decision, actor,
                clock.GetUtcNow()), r => r.AppealDecision, r => (command.Upheld ? "差评申诉成立" : "差评申诉驳回", $"{r.CaseNumber}：{r.AppealDecision}", null), ct,
                async (db, r) =>
                {
                    if (r.Appeal == AppealState.Upheld)
                    {
                        var rating = await db.Ratings.FirstAsync(x => x.CaseId == r.CaseId && x.Point == r.Point, ct);
                        rating.Excluded = true;
                        ratedAt = rating.RatedAt;
                    }
                });
            if (ratedAt is { } at)
            {
                var day = WorkingTime.LocalDate(at);
                await performance.RefreshAsync(day, day, ct);
            }
        }

        /// <summary>
        /// One act: load, the aggregate's verb, a journal entry on the case, notices (to the given users; an empty list means the
        /// department's staff for the applicant's acts and the supervisors for an appeal), save with the version check.
        /// </summary>
        private async Task ActAsync(long id, CaseActor actor, string action, Action<Rectification> verb, Func<Rectification, string?> opinion,
            Func<Rectification, (string Title, string Body, IReadOnlyList<string>? To)>? notice, CancellationToken ct,
            Func<AppDbContext, Rectification, Task>? alsoAsync = null)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await ActOnceAsync(id, actor, action, verb, opinion, notice, alsoAsync, ct);
                    break;
                }
                catch (DbUpdateException e) when (attempt < CaseJournal.Attempts && CaseJournal.LostRace(e))
                {
                    // Another writer went first: the journal's head (any act anywhere), or this rectification (its version). Again on
                    // fresh data: when someone else acted on it, its state now refuses this act in the rectification's own words.
                }
                catch (DbUpdateException e) when (CaseJournal.LostRace(e))
                {
                    throw new CaseRuleException("同时办理的人较多，这次办理未保存，请刷新后再提交一次", e);
                }
            }

            live.Publish();
        }

        private async Task ActOnceAsync(long id, CaseActor actor, string action, Action<Rectification> verb, Func<Rectification, string?> opinion,
            Func<Rectification, (string Title, string Body, IReadOnlyList<string>? To)>? notice, Func<AppDbContext, Rectification, Task>? alsoAsync,
            CancellationToken ct)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var r = await db.Rectifications.FirstOrDefaultAsync(x => x.Id == id, ct);
            if (r is null || !Sees(r, actor))
            {
                throw new CaseRuleException("整改记录不存在，或您无权办理");
            }

            try
            {
                verb(r);
            }
            catch (RectificationException e)
            {
                throw new CaseRuleException(e.Message, e);
            }

            var now = clock.GetUtcNow();
            if (alsoAsync is not null)
            {
                await alsoAsync(db, r);
            }

            if (notice?.Invoke(r) is { } n)
            {
                var to = n.To switch
                {
                    null => await StaffDirectory.UserIdsAsync(db, r.Department, [Roles.DepartmentHead, Roles.Officer], ct),
                    { Count: 0 } => await SupervisorsAsync(db, ct),
                    var users => [.. users],
                };
                db.Notifications.AddRange(to.Distinct().Select(u => new Notification
                {
                    UserId = u, Title = n.Title, Body = Short(n.Body), Link = u == r.RaterUserId ? $"/cases/{r.CaseId}" : $"/ratings/rectifications/{r.Id}",
                    CreatedAt = now,
                }));
            }

            await CaseJournal.AppendEventAsync(db, r.CaseId, r.CaseNumber, now, actor, action, Rectification.Name(r.State), opinion(r),
                new Dictionary<string, string> { ["rectification"] = r.Id.ToString(CultureInfo.InvariantCulture), ["department"] = r.Department }, ct);
            await db.SaveChangesAsync(ct);
        }

        private static async Task<List<string>> SupervisorsAsync(AppDbContext db, CancellationToken ct) =>
            await (from u in db.Users join ur in db.UserRoles on u.Id equals ur.UserId join role in db.Roles on ur.RoleId equals role.Id
                   where role.Name == Roles.Supervisor select u.Id).ToListAsync(ct);

        private static bool Sees(Rectification r, CaseActor actor) =>
            actor.Is(Roles.Supervisor) || actor.Is(Roles.Administrator) || actor.UserId == r.RaterUserId
            || (actor.Department == r.Department && (actor.Is(Roles.Officer) || actor.Is(Roles.DepartmentHead)));
    }

    private static string Short(string s) => s.Length > 500 ? s[..499] + "…" : s;
}
