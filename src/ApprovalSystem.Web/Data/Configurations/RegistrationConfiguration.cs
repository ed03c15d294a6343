using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalSystem.Web.Data.Configurations;

public sealed class SmsMessageConfiguration : IEntityTypeConfiguration<SmsMessage>
{
    public void Configure(EntityTypeBuilder<SmsMessage> builder)
    {
        builder.ToTable("SmsMessages");
        builder.Property(m => m.Mobile).HasMaxLength(20);
        builder.Property(m => m.Text).HasMaxLength(500);
        builder.Property(m => m.LastError).HasMaxLength(SmsMessage.ErrorLength);
        builder.HasIndex(m => m.CreatedAt);
    }
}

public sealed class PendingRegistrationConfiguration : IEntityTypeConfiguration<PendingRegistration>
{
    public void Configure(EntityTypeBuilder<PendingRegistration> builder)
    {
        builder.ToTable("PendingRegistrations");
        builder.Property(p => p.Id).HasMaxLength(32);
        builder.Property(p => p.Type).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Name).HasMaxLength(100);
        builder.Property(p => p.Identifier).HasMaxLength(18);
        builder.Property(p => p.LegalRepresentative).HasMaxLength(100);
        builder.Property(p => p.Mobile).HasMaxLength(20);
        builder.Property(p => p.ClientAddress).HasMaxLength(64);
        builder.Property(p => p.PasswordHash).HasMaxLength(256);
        builder.Property(p => p.CodeHash).HasMaxLength(64);

        // The limits count a mobile number's and an address's requests in a recent window; old rows go by creation time.
        builder.HasIndex(p => new { p.Mobile, p.CreatedAt });
        builder.HasIndex(p => new { p.ClientAddress, p.CreatedAt });
        builder.HasIndex(p => p.CreatedAt);
    }
}
