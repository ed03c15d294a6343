using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalSystem.Web.Data.Configurations;

public sealed class FalseCommitmentRecordConfiguration : IEntityTypeConfiguration<FalseCommitmentRecord>
{
    public void Configure(EntityTypeBuilder<FalseCommitmentRecord> builder)
    {
        builder.ToTable("FalseCommitments");
        builder.Property(x => x.ApplicantIdType).HasMaxLength(16);
        builder.Property(x => x.ApplicantIdNumber).HasMaxLength(18);
        builder.Property(x => x.ApplicantName).HasMaxLength(100);
        builder.Property(x => x.CaseNumber).HasMaxLength(40);
        builder.Property(x => x.MatterName).HasMaxLength(100);
        builder.Property(x => x.Department).HasMaxLength(16);
        builder.Property(x => x.Findings).HasMaxLength(2000);
        builder.Property(x => x.RecordedBy).HasMaxLength(100);
        builder.Property(x => x.RepairedBy).HasMaxLength(100);
        builder.Property(x => x.RepairReason).HasMaxLength(1000);
        builder.Property(x => x.Version).IsConcurrencyToken();
        builder.HasIndex(x => new { x.ApplicantIdType, x.ApplicantIdNumber });
        builder.HasIndex(x => x.CaseId).IsUnique();
    }
}
