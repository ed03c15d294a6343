using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Cases.Conclusion;

/// <summary>Issue the certificate 发证 of an approved case; its number comes from its type's series of the year.</summary>
public static class IssueCertificate
{
    public sealed record Command(long CaseId);

    /// <summary>The register's record of the certificate just issued on the case.</summary>
    public static Data.CertificateRecord RegisterRecord(Case c) => new()
    {
        Number = c.CertificateNumber!,
        Code = c.CertificateCode ?? throw new InvalidOperationException("a registered certificate needs its verification code"),
        CaseId = c.Id,
        CaseNumber = c.Number ?? "",
        Type = c.CertificateType ?? "",
        HolderName = c.Applicant.Name,
        HolderIdKind = c.Applicant.IdType.ToString(),
        Department = c.LeadDepartment,
        IssuedAt = c.CertificateIssuedAt!.Value,
        ValidUntil = Documents.Certificates.ValidUntil(c),
        Status = Data.CertificateStatus.Valid,
    };

    public sealed class Handler(CaseStore store)
    {
        public Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default) =>
            store.ExecuteAsync(command.CaseId, actor, async (c, ctx) =>
            {
                _ = c.CertificateType ?? throw new CaseRuleException("该事项不发放证照，可直接送达");
                var type = Documents.Certificates.TypeOf(c);
                var year = WorkingTime.LocalDate(ctx.Now).Year;
                var next = await CaseStore.NextInSeriesAsync(ctx.Db, Documents.Certificates.NumberSeries(type, year), ct);
                var region = await CaseStore.RegionCodeAsync(ctx.Db, ct);
                c.IssueCertificate(Documents.Certificates.Number(type, region, year, next), actor, ctx.Now,
                    Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(10)));

                // The certificate register 证照库 gets its record in the same save as the act.
                ctx.Db.Certificates.Add(RegisterRecord(c));
            }, ct);
    }
}

/// <summary>Deliver 送达 the result to the applicant (window pick-up, post, electronic).</summary>
public static class DeliverCase
{
    public static readonly IReadOnlyList<string> Methods = ["窗口领取", "邮寄送达", "电子送达", "代办员转交"];

    public sealed record Command(long CaseId, string Method);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Method).Must(m => Methods.Contains(m)).WithMessage($"送达方式应为：{string.Join("、", Methods)}");
    }

    public sealed class Handler(CaseStore store, Validator validator)
    {
        public async Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            return await store.ExecuteAsync(command.CaseId, actor, (c, ctx) =>
            {
                c.Deliver(command.Method, actor, ctx.Now);
                return Task.CompletedTask;
            }, ct);
        }
    }
}

/// <summary>Archive 归档 a concluded case: file list, retention period and location.</summary>
public static class ArchiveCase
{
    public sealed record Command(long CaseId, IReadOnlyList<string> Files, int RetentionYears, string Location);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Files).NotEmpty().WithMessage("请列出归档的案卷文件");
            RuleFor(c => c.RetentionYears).InclusiveBetween(1, 100).WithMessage("保管期限应为1至100年（永久保管填100）");
            RuleFor(c => c.Location).NotEmpty().WithMessage("请填写存放位置，如“档案室A柜3层”").MaximumLength(200);
        }
    }

    public sealed class Handler(CaseStore store, Validator validator)
    {
        public async Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            return await store.ExecuteAsync(command.CaseId, actor, (c, ctx) =>
            {
                c.ArchiveCase(command.Files, command.RetentionYears, command.Location, actor, ctx.Now);
                return Task.CompletedTask;
            }, ct);
        }
    }
}
