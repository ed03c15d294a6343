using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalSystem.Web.Data.Configurations;

public sealed class CertificateRecordConfiguration : IEntityTypeConfiguration<CertificateRecord>
{
    public void Configure(EntityTypeBuilder<CertificateRecord> builder)
    {
        builder.Property(r => r.Number).HasMaxLength(64);
        builder.Property(r => r.Code).HasMaxLength(32);
        builder.Property(r => r.CaseNumber).HasMaxLength(32);
        builder.Property(r => r.Type).HasMaxLength(64);
        builder.Property(r => r.HolderName).HasMaxLength(200);
        builder.Property(r => r.HolderIdKind).HasMaxLength(20);
        builder.Property(r => r.Department).HasMaxLength(64);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.StatusReason).HasMaxLength(500);
        builder.Property(r => r.StatusChangedBy).HasMaxLength(100);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.HasIndex(r => r.Code).IsUnique();
        builder.HasIndex(r => r.Number).IsUnique();
        builder.HasIndex(r => r.CaseId);
    }
}

public sealed class CaseDocumentConfiguration : IEntityTypeConfiguration<CaseDocument>
{
    public void Configure(EntityTypeBuilder<CaseDocument> builder)
    {
        builder.Property(d => d.Kind).HasMaxLength(40);
        builder.Property(d => d.FileName).HasMaxLength(200);
        builder.Property(d => d.Sha256).HasMaxLength(64);
        builder.HasIndex(d => new { d.CaseId, d.Kind, d.IssuedAt }).IsUnique();
    }
}

public sealed class PendingDocumentConfiguration : IEntityTypeConfiguration<PendingDocument>
{
    public void Configure(EntityTypeBuilder<PendingDocument> builder)
    {
        builder.Property(d => d.Kind).HasMaxLength(40);
        builder.Property(d => d.FileName).HasMaxLength(200);
        builder.Property(d => d.LastError).HasMaxLength(1000);
        builder.HasIndex(d => new { d.CaseId, d.Kind, d.IssuedAt }).IsUnique();
        builder.HasIndex(d => d.NextAttemptAt);
    }
}
