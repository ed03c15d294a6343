using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalSystem.Web.Data.Configurations;

public sealed class CaseRatingConfiguration : IEntityTypeConfiguration<CaseRating>
{
    public void Configure(EntityTypeBuilder<CaseRating> builder)
    {
        builder.HasKey(r => r.CaseId);
        builder.Property(r => r.CaseId).ValueGeneratedNever();
        builder.Property(r => r.Comment).HasMaxLength(1000);
        builder.Property(r => r.UserId).HasMaxLength(450);
    }
}

public sealed class ComplaintConfiguration : IEntityTypeConfiguration<Complaint>
{
    public void Configure(EntityTypeBuilder<Complaint> builder)
    {
        builder.Property(c => c.CaseNumber).HasMaxLength(32);
        builder.Property(c => c.UserId).HasMaxLength(450);
        builder.Property(c => c.UserName).HasMaxLength(100);
        builder.Property(c => c.Content).HasMaxLength(2000);
        builder.Property(c => c.Response).HasMaxLength(2000);
        builder.HasIndex(c => c.CaseId);
    }
}

public sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.Property(n => n.UserId).HasMaxLength(450);
        builder.Property(n => n.Title).HasMaxLength(100);
        builder.Property(n => n.Body).HasMaxLength(500);
        builder.Property(n => n.Link).HasMaxLength(200);
        builder.HasIndex(n => new { n.UserId, n.ReadAt });
    }
}
