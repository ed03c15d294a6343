using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalSystem.Web.Data.Configurations;

public sealed class CertificateBindingConfiguration : IEntityTypeConfiguration<CertificateBinding>
{
    public void Configure(EntityTypeBuilder<CertificateBinding> builder)
    {
        builder.ToTable("CertificateBindings");
        builder.Property(b => b.UserId).HasMaxLength(450);
        builder.Property(b => b.Thumbprint).HasMaxLength(64);
        builder.Property(b => b.SerialNumber).HasMaxLength(128);
        builder.Property(b => b.Issuer).HasMaxLength(1000);
        builder.Property(b => b.Subject).HasMaxLength(1000);
        builder.HasIndex(b => b.Thumbprint).IsUnique(); // one certificate signs in as one account
        builder.HasIndex(b => b.UserId);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(b => b.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class CaseSignatureConfiguration : IEntityTypeConfiguration<CaseSignature>
{
    public void Configure(EntityTypeBuilder<CaseSignature> builder)
    {
        builder.ToTable("CaseSignatures");
        builder.Property(s => s.SignerThumbprint).HasMaxLength(64);
        builder.Property(s => s.SignerSubject).HasMaxLength(1000);
        builder.HasIndex(s => s.CaseId);
        builder.HasOne<ApprovalSystem.Core.Cases.Case>().WithMany().HasForeignKey(s => s.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}
