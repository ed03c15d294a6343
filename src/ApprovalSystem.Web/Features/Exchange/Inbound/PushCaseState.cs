using System.Text.Json;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Exchange.Inbound;

/// <summary>
/// A line system pushes the state of a case it handles 业务办件状态推送. The centre stores the push
/// (unique per system and sender's event id: a retried push is applied once), maps it onto the
/// centre's case — the one linked to the sender's case id, the one named by the centre's case number,
/// or a new mirrored case — and journals it. A push that cannot be mapped is kept as a dead letter
/// with the reason, for an administrator to correct and replay.
/// </summary>
public static class PushCaseState
{
    public sealed record ApplicantInput(string? Name, string? IdType, string? IdNumber, string? Phone, string? Address);

    public sealed record ActorInput(string? Id, string? Name);

    public sealed record DocumentInput(string? Name, string? Url, string? Sha256);

    public sealed record Command
    {
        /// <summary>The sender's own id of this event; pushes are idempotent by it.</summary>
        public string? EventId { get; init; }

        /// <summary>The sender's own case id.</summary>
        public string? CaseId { get; init; }

        /// <summary>The centre's case number, when the case was filed at the centre.</summary>
        public string? CentreCaseNumber { get; init; }

        public string? MatterCode { get; init; }

        public ApplicantInput? Applicant { get; init; }

        /// <summary>受理, 审查, 准予, 不予受理… (see <see cref="ExternalSteps"/>).</summary>
        public string? Step { get; init; }

        public string? Opinion { get; init; }

        public ActorInput? Actor { get; init; }

        public DateTimeOffset? OccurredAt { get; init; }

        public IReadOnlyList<DocumentInput>? Documents { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            // Each text fits the column it is stored in (the inbound row, the case, its journal): see the entity configurations.
            RuleFor(c => c.EventId).NotEmpty().WithMessage("请提供事件编号 eventId").Text(128, "事件编号");
            RuleFor(c => c.CaseId).NotEmpty().WithMessage("请提供业务系统办件编号 caseId").Text(128, "业务系统办件编号");
            RuleFor(c => c.CentreCaseNumber).Text(32, "中心办件编号");
            RuleFor(c => c.MatterCode).NotEmpty().WithMessage("请提供事项编码 matterCode").Text(40, "事项编码");
            RuleFor(c => c.Step).NotEmpty().WithMessage("请提供办理环节 step").Text(64, "办理环节");
            RuleFor(c => c.OccurredAt).NotNull().WithMessage("请提供发生时间 occurredAt").EventTime(clock, "发生时间");
            RuleFor(c => c.Actor).NotNull().WithMessage("请提供经办人 actor");
            When(c => c.Actor is not null, () =>
            {
                RuleFor(c => c.Actor!.Name).NotEmpty().WithMessage("请提供经办人姓名 actor.name").Text(100, "经办人姓名");
                RuleFor(c => c.Actor!.Id).Text(128, "经办人编号");
            });
            RuleFor(c => c.Opinion).Text(2000, "意见");
            When(c => c.Applicant is not null, () =>
            {
                RuleFor(c => c.Applicant!.Name).NotEmpty().WithMessage("请提供申请人名称 applicant.name").Text(100, "申请人名称");
                RuleFor(c => c.Applicant!.IdType).Text(32, "证件类型");
                RuleFor(c => c.Applicant!.IdNumber).Must((c, v) => IdProblem(c.Applicant!, WorkingTime.LocalDate(clock.GetUtcNow())) is null)
                    .WithMessage((c, v) => IdProblem(c.Applicant!, WorkingTime.LocalDate(clock.GetUtcNow())) ?? "");
                RuleFor(c => c.Applicant!.Phone).Text(20, "申请人联系电话");
                RuleFor(c => c.Applicant!.Address).Text(200, "申请人地址");
            });
            RuleFor(c => c.Documents).Must(d => d is null || d.Count <= MaxDocuments).WithMessage($"附件最多{MaxDocuments}份");
            RuleForEach(c => c.Documents).NotNull().WithMessage("附件不能为空（null）：每份附件应为含 name 的对象").ChildRules(d =>
            {
                d.RuleFor(x => x.Name).Text(200, "附件名称");
                d.RuleFor(x => x.Url).Text(1000, "附件地址");
                d.RuleFor(x => x.Sha256).Text(64, "附件摘要");
            });
        }

        private const int MaxDocuments = 50;

        private static string? IdProblem(ApplicantInput a, DateOnly today) => a.IdNumber is not { Length: > 0 } v ? "请提供申请人证件号码 applicant.idNumber"
            : IsEnterprise(a) ? CreditCode.Validate(v) : ResidentIdNumber.Validate(v, today);
    }

    /// <summary>What the sender gets back: where the push went.</summary>
    public sealed record Result(long InboundId, string Status, long? CaseId, string? CaseNumber, string? Reason, bool Duplicate);

    public static bool IsEnterprise(ApplicantInput a) => a.IdType?.Trim().ToUpperInvariant() is "CREDITCODE" or "统一社会信用代码" or "ENTERPRISE";

    public sealed class Handler(IDbContextFactory<AppDbContext> dbFactory, CaseStore store, Validator validator, TimeProvider clock)
    {
        private static readonly TimeSpan StalledAfter = TimeSpan.FromSeconds(30);

        public async Task<Result> HandleAsync(LineSystem system, Command command, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                if (await db.InboundEvents.AsNoTracking().FirstOrDefaultAsync(e => e.SystemId == system.Id && e.EventId == command.EventId, ct) is { } seen)
                {
                    // Applied rows are marked in the same save as the case, so a row still "received" a
                    // while later was never applied (the first attempt failed): the retry applies it.
                    if (seen.Status == InboundStatus.Received && seen.ReceivedAt < clock.GetUtcNow() - StalledAfter)
                    {
                        return await ApplyAsync(system, seen, JsonSerializer.Deserialize<Command>(seen.Payload, Json)!, ct);
                    }

                    return await ResultAsync(db, seen, duplicate: true, ct);
                }

                var inbound = new InboundEvent
                {
                    SystemId = system.Id,
                    EventId = command.EventId!,
                    ExternalCaseId = command.CaseId!,
                    MatterCode = command.MatterCode!,
                    Step = command.Step!,
                    OccurredAt = command.OccurredAt!.Value,
                    ReceivedAt = clock.GetUtcNow(),
                    Payload = JsonSerializer.Serialize(command, Json),
                    Status = InboundStatus.Received,
                };
                db.InboundEvents.Add(inbound);
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException)
                {
                    // The same push arrived twice at once: the other one is applying it.
                    db.ChangeTracker.Clear();
                    var other = await db.InboundEvents.AsNoTracking().FirstOrDefaultAsync(e => e.SystemId == system.Id && e.EventId == command.EventId, ct);
                    if (other is null)
                    {
                        throw; // not the unique key: a fault the validator did not foresee, never to be passed off as a duplicate
                    }

                    return await ResultAsync(db, other, duplicate: true, ct);
                }

                return await ApplyAsync(system, inbound, command, ct);
            }
        }

        /// <summary>Applies a dead letter again, optionally with a corrected push (the event id stays).</summary>
        public async Task<Result> ReplayAsync(long inboundId, Command? corrected, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var inbound = await db.InboundEvents.FirstOrDefaultAsync(e => e.Id == inboundId, ct) ?? throw new CaseNotFoundException("推送记录不存在");
            if (inbound.Status == InboundStatus.Applied)
            {
                throw new CaseRuleException("该推送已成功处理，无需重放");
            }

            var system = await db.LineSystems.AsNoTracking().FirstAsync(s => s.Id == inbound.SystemId, ct);
            var command = corrected is null
                ? JsonSerializer.Deserialize<Command>(inbound.Payload, Json)!
                : corrected with { EventId = inbound.EventId };
            await validator.ValidateAndThrowAsync(command, ct);
            inbound.ExternalCaseId = command.CaseId!;
            inbound.MatterCode = command.MatterCode!;
            inbound.Step = command.Step!;
            inbound.OccurredAt = command.OccurredAt!.Value;
            inbound.Payload = JsonSerializer.Serialize(command, Json);
            inbound.Replays++;
            inbound.Status = InboundStatus.Received;
            inbound.Reason = null;
            await db.SaveChangesAsync(ct);
            return await ApplyAsync(system, inbound, command, ct);
        }

        private async Task<Result> ApplyAsync(LineSystem system, InboundEvent inbound, Command command, CancellationToken ct)
        {
            try
            {
                var c = await MapAsync(system, inbound, command, ct);
                return new Result(inbound.Id, "applied", c.Id, c.Number, null, false);
            }
            catch (Exception e) when (e is UnmappableException or CaseRuleException or CaseNotFoundException)
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                await db.InboundEvents.Where(x => x.Id == inbound.Id)
                    .ExecuteUpdateAsync(u => u.SetProperty(x => x.Status, InboundStatus.DeadLetter).SetProperty(x => x.Reason, e.Message), ct);
                return new Result(inbound.Id, "deadLetter", null, null, e.Message, false);
            }
        }

        private async Task<Case> MapAsync(LineSystem system, InboundEvent inbound, Command command, CancellationToken ct)
        {
            var step = ExternalSteps.Parse(command.Step)
                ?? throw new UnmappableException($"无法识别的办理环节“{command.Step}”，可用：{string.Join("、", ExternalSteps.Known)}");
            var actor = new CaseActor($"line:{system.Code}", command.Actor?.Name?.Trim() is { Length: > 0 } n ? n : system.Name, [Roles.Officer],
                system.Department);
            var report = new ExternalStateReport(system.Code, command.CaseId!, command.EventId!, step, command.Step!.Trim(), Opinion(command), actor,
                command.OccurredAt!.Value);

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var matter = await db.Matters.AsNoTracking().Include(m => m.Department).FirstOrDefaultAsync(m => m.Code == command.MatterCode, ct)
                ?? throw new UnmappableException($"事项编码“{command.MatterCode}”不在事项目录中");
            var allowed = system.AllowedMatterList.Count > 0 ? system.AllowedMatterList.Contains(matter.Code) : matter.Department?.Code == system.Department;
            if (!allowed)
            {
                throw new UnmappableException($"系统“{system.Code}”无权推送事项“{matter.Code}”");
            }

            var link = await db.ExternalCaseLinks.AsNoTracking().FirstOrDefaultAsync(l => l.SystemId == system.Id && l.ExternalCaseId == command.CaseId, ct);
            long? caseId = link?.CaseId;
            var newLink = false;
            if (caseId is null && command.CentreCaseNumber is { Length: > 0 } number)
            {
                var found = await db.Cases.AsNoTracking().Where(c => c.Number == number).Select(c => new { c.Id, c.MatterCode }).FirstOrDefaultAsync(ct)
                    ?? throw new UnmappableException($"中心办件编号“{number}”不存在");
                if (found.MatterCode != matter.Code)
                {
                    throw new UnmappableException($"中心办件“{number}”的事项是“{found.MatterCode}”，与推送的“{matter.Code}”不符");
                }

                caseId = found.Id;
                newLink = true;
            }

            if (caseId is { } id)
            {
                return await store.ExecuteAsync(id, actor, (c, ctx) =>
                {
                    c.ApplyExternalState(report, ctx.Time);
                    MarkApplied(ctx.Db, inbound, c.Id, ctx.Now);
                    if (newLink)
                    {
                        ctx.Db.ExternalCaseLinks.Add(new ExternalCaseLink { SystemId = system.Id, ExternalCaseId = command.CaseId!, CaseId = c.Id });
                    }

                    return Task.CompletedTask;
                }, ct);
            }

            if (command.Applicant is not { } a)
            {
                throw new UnmappableException($"业务系统办件“{command.CaseId}”尚未在中心登记：首次推送须包含申请人 applicant，或提供中心办件编号 centreCaseNumber");
            }

            var applicant = new ApplicantInfo
            {
                Name = a.Name!.Trim(),
                IdType = IsEnterprise(a) ? ApplicantIdType.CreditCode : ApplicantIdType.ResidentId,
                IdNumber = IsEnterprise(a) ? CreditCode.Normalize(a.IdNumber!) : ResidentIdNumber.Normalize(a.IdNumber!),
                Phone = a.Phone?.Trim() ?? "",
                Address = a.Address,
            };
            var snapshot = MatterSnapshot.From(matter, matter.Department!.Code);
            return await store.CreateAsync(
                async ctx =>
                {
                    var caseNumber = await CaseStore.NextNumberAsync(ctx.Db, await CaseStore.RegionCodeAsync(ctx.Db, ct), report.OccurredAt, ct);
                    return Case.Mirror(snapshot, applicant, caseNumber, CaseStore.NewQueryCode(), report, ctx.Time);
                },
                (db2, c) =>
                {
                    db2.ExternalCaseLinks.Add(new ExternalCaseLink { SystemId = system.Id, ExternalCaseId = command.CaseId!, CaseId = c.Id });
                    MarkApplied(db2, inbound, c.Id, clock.GetUtcNow());
                },
                ct);
        }

        private static string? Opinion(Command command)
        {
            var docs = (command.Documents ?? []).Where(d => d.Name is { Length: > 0 }).Select(d => d.Name!).ToList();
            return docs.Count == 0 ? command.Opinion : $"{command.Opinion}{(string.IsNullOrEmpty(command.Opinion) ? "" : "；")}附件：{string.Join("、", docs)}";
        }

        private static void MarkApplied(AppDbContext db, InboundEvent inbound, long caseId, DateTimeOffset now)
        {
            var row = new InboundEvent { Id = inbound.Id };
            db.InboundEvents.Attach(row);
            row.Status = InboundStatus.Applied;
            row.CaseId = caseId;
            row.AppliedAt = now;
            row.Reason = null;
        }

        private static async Task<Result> ResultAsync(AppDbContext db, InboundEvent e, bool duplicate, CancellationToken ct)
        {
            var number = e.CaseId is { } id ? await db.Cases.Where(c => c.Id == id).Select(c => c.Number).FirstOrDefaultAsync(ct) : null;
            var status = e.Status switch
            {
                InboundStatus.Applied => "applied",
                InboundStatus.DeadLetter => "deadLetter",
                InboundStatus.Received => "received",
            };
            return new Result(e.Id, status, e.CaseId, number, e.Reason, duplicate);
        }
    }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The push is valid but cannot be mapped onto a centre case; it becomes a dead letter.</summary>
    public sealed class UnmappableException(string message) : Exception(message);
}
