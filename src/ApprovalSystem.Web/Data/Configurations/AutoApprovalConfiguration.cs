using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalSystem.Web.Data.Configurations;

public sealed class AutoApprovalRuleVersionConfiguration : IEntityTypeConfiguration<AutoApprovalRuleVersion>
{
    public void Configure(EntityTypeBuilder<AutoApprovalRuleVersion> builder)
    {
        builder.ToTable("AutoApprovalRuleVersions");
        builder.Property(v => v.MatterCode).HasMaxLength(40);
        builder.Property(v => v.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.Note).HasMaxLength(500);
        builder.Property(v => v.CreatedBy).HasMaxLength(100);
        builder.Property(v => v.PublishedBy).HasMaxLength(100);
        builder.HasIndex(v => new { v.MatterCode, v.Version }).IsUnique();
    }
}

public sealed class AutoApprovalRunConfiguration : IEntityTypeConfiguration<AutoApprovalRun>
{
    public void Configure(EntityTypeBuilder<AutoApprovalRun> builder)
    {
        builder.ToTable("AutoApprovalRuns");
        builder.Property(r => r.CaseNumber).HasMaxLength(40);
        builder.Property(r => r.MatterCode).HasMaxLength(40);
        builder.Property(r => r.MatterName).HasMaxLength(200);
        builder.Property(r => r.Department).HasMaxLength(16);
        builder.HasIndex(r => r.CaseId);
        builder.HasIndex(r => new { r.Approved, r.At });
        builder.HasIndex(r => new { r.MatterCode, r.At });
        builder.HasOne<ApprovalSystem.Core.Cases.Case>().WithMany().HasForeignKey(r => r.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AutoApprovalRuleVersion>().WithMany().HasForeignKey(r => r.RuleVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}
