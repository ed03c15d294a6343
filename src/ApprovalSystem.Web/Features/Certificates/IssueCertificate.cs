using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Certificates;

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
        ValidUntil = Documents.CertificateTypes.ValidUntil(c),
        Status = Data.CertificateStatus.Valid,
    };

    public sealed class Handler(CaseStore store)
    {
        public Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default) =>
            store.ExecuteAsync(command.CaseId, actor, (c, ctx) => IssueAsync(c, actor, ctx, ct), ct);
    }

    /// <summary>Issues the case's certificate within an act: numbered in its type's series, registered in the same save.</summary>
    public static async Task IssueAsync(Case c, CaseActor actor, CaseActContext ctx, CancellationToken ct)
    {
        _ = c.CertificateType ?? throw new CaseRuleException("该事项不发放证照，可直接送达");
        var type = Documents.CertificateTypes.TypeOf(c);
        var year = WorkingTime.LocalDate(ctx.Now).Year;
        var next = await CaseStore.NextInSeriesAsync(ctx.Db, Documents.CertificateTypes.NumberSeries(type, year), ct);
        var region = await CaseStore.RegionCodeAsync(ctx.Db, ct);
        c.IssueCertificate(Documents.CertificateTypes.Number(type, region, year, next), actor, ctx.Now,
            Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(10)));

        // The certificate register 证照库 gets its record in the same save as the act.
        ctx.Db.Certificates.Add(RegisterRecord(c));
    }
}
