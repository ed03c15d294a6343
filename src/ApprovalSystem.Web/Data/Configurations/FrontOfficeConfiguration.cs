using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalSystem.Web.Data.Configurations;

public sealed class CaseRatingConfiguration : IEntityTypeConfiguration<CaseRating>
{
    public void Configure(EntityTypeBuilder<CaseRating> builder)
    {
        // One rating per point per case 一事多评; the point is an int so earlier rows (0) are conclusion ratings.
        builder.HasKey(r => new { r.CaseId, r.Point });
        builder.Property(r => r.CaseId).ValueGeneratedNever();
        builder.Property(r => r.Point).HasConversion<int>().ValueGeneratedNever();
        builder.Property(r => r.Channel).HasMaxLength(8);
        builder.Property(r => r.Indicators).HasMaxLength(200);
        builder.Property(r => r.Comment).HasMaxLength(1000);
        builder.Property(r => r.UserId).HasMaxLength(450);
        builder.HasIndex(r => r.RatedAt);
    }
}

public sealed class RectificationConfiguration : IEntityTypeConfiguration<ApprovalSystem.Core.Ratings.Rectification>
{
    public void Configure(EntityTypeBuilder<ApprovalSystem.Core.Ratings.Rectification> builder)
    {
        builder.ToTable("Rectifications");
        builder.Property(r => r.CaseNumber).HasMaxLength(40);
        builder.Property(r => r.MatterCode).HasMaxLength(40);
        builder.Property(r => r.MatterName).HasMaxLength(200);
        builder.Property(r => r.Department).HasMaxLength(16);
        builder.Property(r => r.Point).HasConversion<int>();
        builder.Property(r => r.RatingComment).HasMaxLength(1000);
        builder.Property(r => r.RaterUserId).HasMaxLength(450);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.CalledWhom).HasMaxLength(100);
        builder.Property(r => r.CallNotes).HasMaxLength(2000);
        builder.Property(r => r.CalledBackBy).HasMaxLength(50);
        builder.Property(r => r.Resolution).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.ResolutionText).HasMaxLength(2000);
        builder.Property(r => r.ResolvedBy).HasMaxLength(50);
        builder.Property(r => r.ContestReason).HasMaxLength(1000);
        builder.Property(r => r.Appeal).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.AppealGround).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.AppealReason).HasMaxLength(2000);
        builder.Property(r => r.AppealedBy).HasMaxLength(50);
        builder.Property(r => r.AppealDecision).HasMaxLength(1000);
        builder.Property(r => r.AppealDecidedBy).HasMaxLength(50);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.Ignore(r => r.OnTime);
        builder.Ignore(r => r.IsClosed);
        builder.Ignore(r => r.CardWorkItem);
        builder.Ignore(r => r.ReopenedCardWorkItem);
        builder.Ignore(r => r.CurrentDueAt);
        // A rating opens at most one rectification; the scan's range queries on the clock's moments.
        builder.HasIndex(r => new { r.CaseId, r.Point }).IsUnique();
        builder.HasIndex(r => new { r.ResolvedAt, r.DueAt });
        builder.HasIndex(r => new { r.ResolvedAt, r.WarnAt });
        builder.HasIndex(r => new { r.Department, r.OpenedAt });
        builder.HasIndex(r => r.ReopenedDueAt); // the second round's clock, after a contest
        builder.HasIndex(r => r.ReopenedWarnAt);
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
