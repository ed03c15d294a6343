using System.Globalization;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Cases.Filing;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using ApprovalSystem.Web.Features.Supervision.Dashboard;

namespace ApprovalSystem.Web.Features.Supervision.Orders;

/// <summary>
/// Supervision orders 督办: a supervisor issues an order on a case (or on a department) with
/// instructions and a response date; the department responds with text and attachments; the
/// supervisor closes it. An unanswered order past its date escalates in the scan. Every step is in
/// the journal and notified.
/// </summary>
public static class SupervisionOrders
{
    public sealed record IssueCommand(string? CaseNumber, string? Department, string Instructions, DateOnly ResponseDue);

    public sealed record RespondCommand(long OrderId, string Response, IReadOnlyList<string> AttachmentIds);

    public sealed record CloseCommand(long OrderId, string? Note);

    public sealed class IssueValidator : AbstractValidator<IssueCommand>
    {
        public IssueValidator(TimeProvider clock)
        {
            RuleFor(c => c).Must(c => !string.IsNullOrWhiteSpace(c.CaseNumber) || !string.IsNullOrWhiteSpace(c.Department))
                .WithName("督办对象").WithMessage("请填写被督办的办件编号，或选择被督办的部门");
            RuleFor(c => c.Instructions).NotEmpty().WithMessage("请填写督办要求").MaximumLength(2000).WithMessage("督办要求不能超过2000字");
            RuleFor(c => c.ResponseDue).Must(d => d >= WorkingTime.LocalDate(clock.GetUtcNow()))
                .WithMessage("回复期限不能早于今天");
        }
    }

    public sealed class RespondValidator : AbstractValidator<RespondCommand>
    {
        public RespondValidator()
        {
            RuleFor(c => c.Response).NotEmpty().WithMessage("请填写回复内容（整改情况、办理结果）").MaximumLength(4000).WithMessage("回复内容不能超过4000字");
            RuleFor(c => c.AttachmentIds).Must(a => a.Count <= 10).WithMessage("附件最多10个");
        }
    }

    public sealed record OrderRow(SupervisionOrder Order, string DepartmentName, bool Overdue);

    public sealed class Handler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, IssueValidator issueValidator, RespondValidator respondValidator,
        SupervisionLive live, StorageOptions storage)
    {
        public async Task<SupervisionOrder> IssueAsync(IssueCommand command, CaseActor actor, CancellationToken ct = default)
        {
            if (!actor.Is(Roles.Supervisor))
            {
                throw new CaseRuleException("只有监察人员可以签发督办单");
            }

            await issueValidator.ValidateAndThrowAsync(command, ct);
            var now = clock.GetUtcNow();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var issued = await IssueOnceAsync(command, actor, now, ct);
                    live.Publish();
                    return issued;
                }
                catch (DbUpdateException e) when (attempt < IssueAttempts
                    && (e is DbUpdateConcurrencyException || Infrastructure.Persistence.SqlDialect.IsUniqueViolation(e)))
                {
                    // Another supervisor issued at the same moment and took the day's next number (or the
                    // journal head): issue again on fresh data.
                }
                catch (DbUpdateException e)
                {
                    throw new CaseRuleException("同时签发的督办单较多，请重试", e);
                }
            }
        }

        private const int IssueAttempts = 5;

        private async Task<SupervisionOrder> IssueOnceAsync(IssueCommand command, CaseActor actor, DateTimeOffset now, CancellationToken ct)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            long? caseId = null;
            string? caseNumber = null;
            var department = command.Department?.Trim();
            if (!string.IsNullOrWhiteSpace(command.CaseNumber))
            {
                var c = await db.Cases.AsNoTracking().IgnoreAutoIncludes().Where(x => x.Number == command.CaseNumber.Trim())
                    .Select(x => new { x.Id, x.Number, x.LeadDepartment }).FirstOrDefaultAsync(ct)
                    ?? throw new CaseRuleException($"办件编号“{command.CaseNumber.Trim()}”不存在，请核对");
                caseId = c.Id;
                caseNumber = c.Number;
                department = string.IsNullOrWhiteSpace(department) ? c.LeadDepartment : department;
            }

            if (!await db.Departments.AnyAsync(d => d.Code == department, ct))
            {
                throw new CaseRuleException("请选择被督办的部门");
            }

            var prefix = $"DB{WorkingTime.LocalDate(now):yyyyMMdd}";
            var count = await db.SupervisionOrders.CountAsync(o => o.Number.StartsWith(prefix), ct);
            var order = Run(() => SupervisionOrder.Issue(caseId, department!, command.Instructions, WorkingTime.EndOfDay(command.ResponseDue), actor, now,
                $"{prefix}-{(count + 1).ToString("000", CultureInfo.InvariantCulture)}", caseNumber));
            db.SupervisionOrders.Add(order);
            var recipients = await StaffDirectory.UserIdsAsync(db, order.Department, [Roles.DepartmentHead], ct);
            db.Notifications.AddRange(recipients.Select(u => new Notification
            {
                UserId = u, Title = "收到督办单",
                Body = $"督办单 {order.Number}{(caseNumber is null ? "" : $"（办件 {caseNumber}）")}：{order.Instructions}。请于{Due(order):yyyy年M月d日}前反馈。",
                Link = "/supervision/orders", CreatedAt = now,
            }));
            await CaseJournal.AppendEventAsync(db, caseId ?? 0, caseNumber, now, actor, CaseJournal.Supervision.Order, "", order.Instructions,
                new Dictionary<string, string> { ["order"] = order.Number, ["department"] = order.Department, ["responseDue"] = Due(order)
                .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, ct);
            await db.SaveChangesAsync(ct);
            return order;
        }

        public async Task RespondAsync(RespondCommand command, CaseActor actor, CancellationToken ct = default)
        {
            await respondValidator.ValidateAndThrowAsync(command, ct);
            var now = clock.GetUtcNow();
            await ActOnOrderAsync(command.OrderId, async (db, order) =>
            {
                Run(() => order.Respond(command.Response, command.AttachmentIds, actor, now));
                db.Notifications.Add(new Notification { UserId = order.IssuedBy, Title = "督办单已反馈", Body = $"{order.Number}：{Short(order.Response ?? "")}",
                    Link = "/supervision/orders", CreatedAt = now });
                await CaseJournal.AppendEventAsync(db, order.CaseId ?? 0, order.CaseNumber, now, actor, CaseJournal.Supervision.OrderAnswered, "",
                    order.Response, new Dictionary<string, string> { ["order"] = order.Number,
                    ["attachments"] = string.Join("、", order.Attachments.Select(a => a.Split('|').Last())) }, ct);
            }, ct);
        }

        /// <summary>
        /// Stores a file (PDF, JPG or PNG) for the response to an order and returns its content hash, to be named in
        /// <see cref="RespondCommand.AttachmentIds"/>. Only the staff of the ordered department, who respond, attach.
        /// </summary>
        public async Task<string> AttachAsync(long orderId, byte[] content, string fileName, CaseActor actor, CancellationToken ct = default)
        {
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                var department = await db.SupervisionOrders.Where(o => o.Id == orderId).Select(o => o.Department).FirstOrDefaultAsync(ct)
                    ?? throw new CaseRuleException("督办单不存在");
                if (actor.Department != department || !(actor.Is(Roles.Officer) || actor.Is(Roles.DepartmentHead)))
                {
                    throw new CaseRuleException("只有被督办部门的工作人员可以反馈");
                }
            }

            return await UploadMaterial.StoreAsync(dbFactory, storage.DataFolder, clock, content, fileName, ct);
        }

        /// <summary>The departments an order may be issued to, in their display order.</summary>
        public async Task<List<(string Code, string Name)>> DepartmentsAsync(CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var rows = await db.Departments.AsNoTracking().OrderBy(d => d.SortOrder).Select(d => new { d.Code, d.Name }).ToListAsync(ct);
            return rows.Select(d => (d.Code, d.Name)).ToList();
        }

        public async Task CloseAsync(CloseCommand command, CaseActor actor, CancellationToken ct = default)
        {
            var now = clock.GetUtcNow();
            await ActOnOrderAsync(command.OrderId, async (db, order) =>
            {
                Run(() => order.Close(command.Note, actor, now));
                await CaseJournal.AppendEventAsync(db, order.CaseId ?? 0, order.CaseNumber, now, actor, CaseJournal.Supervision.OrderClosed, "",
                    order.ClosingNote, new Dictionary<string, string> { ["order"] = order.Number }, ct);
            }, ct);
        }

        /// <summary>
        /// One act on an order, saved with its journal entry; again on fresh data when another writer went first (the journal's head,
        /// or this order): if someone else acted on the order, its state now refuses the act in the order's own words.
        /// </summary>
        private async Task ActOnOrderAsync(long orderId, Func<AppDbContext, SupervisionOrder, Task> act, CancellationToken ct)
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var order = await db.SupervisionOrders.FirstOrDefaultAsync(o => o.Id == orderId, ct) ?? throw new CaseRuleException("督办单不存在");
                await act(db, order);
                try
                {
                    await db.SaveChangesAsync(ct);
                    break;
                }
                catch (DbUpdateException e) when (attempt < CaseJournal.Attempts && CaseJournal.LostRace(e))
                {
                    // Lost to another writer: read the order again.
                }
                catch (DbUpdateException e) when (CaseJournal.LostRace(e))
                {
                    throw new CaseRuleException("同时办理的人较多，这次办理未保存，请刷新后再提交一次", e);
                }
            }

            live.Publish();
        }

        /// <summary>Orders a user may see: supervisors all, department staff their department's.</summary>
        public async Task<List<OrderRow>> ListAsync(CaseActor actor, long? caseId = null, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var query = db.SupervisionOrders.AsNoTracking();
            if (!actor.Is(Roles.Supervisor) && !actor.Is(Roles.Administrator))
            {
                query = query.Where(o => o.Department == actor.Department);
            }

            if (caseId is not null)
            {
                query = query.Where(o => o.CaseId == caseId);
            }

            var orders = await query.OrderByDescending(o => o.IssuedAt).Take(500).ToListAsync(ct);
            var names = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.ShortName, ct);
            var now = clock.GetUtcNow();
            return orders.Select(o => new OrderRow(o, names.GetValueOrDefault(o.Department, o.Department), o.IsOverdue(now))).ToList();
        }

        /// <summary>The last day to respond (the response is due at the end of it).</summary>
        public static DateOnly Due(SupervisionOrder o) => WorkingTime.LocalDate(o.RespondBy.AddTicks(-1));

        /// <summary>The aggregate's refusals, as the pages' rule messages.</summary>
        private static T Run<T>(Func<T> act)
        {
            try
            {
                return act();
            }
            catch (SupervisionOrderException e)
            {
                throw new CaseRuleException(e.Message, e);
            }
        }

        private static void Run(Action act) => Run(() =>
        {
            act();
            return 0;
        });

        private static string Short(string s) => s.Length > 100 ? s[..100] + "…" : s;

    }
}
