using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalSystem.Web.Data.Configurations;

public sealed class SupervisionCardConfiguration : IEntityTypeConfiguration<CardRecord>
{
    public void Configure(EntityTypeBuilder<CardRecord> builder)
    {
        builder.ToTable("SupervisionCards");
        builder.Property(c => c.SubjectKey).HasMaxLength(120);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(8);
        builder.Property(c => c.CaseNumber).HasMaxLength(40);
        builder.Property(c => c.MatterName).HasMaxLength(200);
        builder.Property(c => c.WorkItemId).HasMaxLength(80);
        builder.Property(c => c.StepTitle).HasMaxLength(100);
        builder.Property(c => c.Department).HasMaxLength(16);
        builder.Property(c => c.OfficerId).HasMaxLength(450);
        builder.Property(c => c.OfficerName).HasMaxLength(50);
        builder.HasIndex(c => new { c.SubjectKey, c.Kind }).IsUnique();
        builder.HasIndex(c => new { c.ClosedAt, c.Department });
        builder.HasIndex(c => c.CaseId);
        builder.HasIndex(c => c.RaisedAt);
    }
}

public sealed class SupervisionAlertConfiguration : IEntityTypeConfiguration<SupervisionAlertRecord>
{
    public void Configure(EntityTypeBuilder<SupervisionAlertRecord> builder)
    {
        builder.ToTable("SupervisionAlerts");
        builder.Property(a => a.Key).HasMaxLength(160);
        builder.Property(a => a.Rule).HasMaxLength(40);
        builder.Property(a => a.CaseNumber).HasMaxLength(40);
        builder.Property(a => a.Department).HasMaxLength(16);
        builder.Property(a => a.Message).HasMaxLength(500);
        builder.Property(a => a.Evidence).HasMaxLength(4000);
        builder.Property(a => a.ResolvedBy).HasMaxLength(50);
        builder.Property(a => a.Resolution).HasMaxLength(500);
        builder.HasIndex(a => a.Key).IsUnique();
        builder.HasIndex(a => a.RaisedAt);
        builder.HasIndex(a => a.CaseId);
    }
}

public sealed class SupervisionOrderConfiguration : IEntityTypeConfiguration<SupervisionOrder>
{
    public void Configure(EntityTypeBuilder<SupervisionOrder> builder)
    {
        builder.ToTable("SupervisionOrders");
        builder.Property(o => o.Number).HasMaxLength(40);
        builder.Property(o => o.CaseNumber).HasMaxLength(40);
        builder.Property(o => o.Department).HasMaxLength(16);
        builder.Property(o => o.Instructions).HasMaxLength(2000);
        builder.Property(o => o.IssuedBy).HasMaxLength(450);
        builder.Property(o => o.IssuedByName).HasMaxLength(50);
        builder.Property(o => o.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(o => o.Response).HasMaxLength(4000);
        // "sha256|file name" per attachment.
        builder.Property(o => o.Attachments).HasConversion(
            a => string.Join('\n', a),
            s => s.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            new ValueComparer<IReadOnlyList<string>>((a, b) => a!.SequenceEqual(b!), a =>
                a.Aggregate(0, (h, x) => HashCode.Combine(h, x.GetHashCode(StringComparison.Ordinal))), a => a.ToList()))
            .HasMaxLength(2000);
        builder.Property(o => o.RespondedBy).HasMaxLength(50);
        builder.Property(o => o.ClosedBy).HasMaxLength(50);
        builder.Property(o => o.ClosingNote).HasMaxLength(500);
        builder.Property(o => o.Version).IsConcurrencyToken();
        builder.HasIndex(o => o.Number).IsUnique();
        builder.HasIndex(o => new { o.State, o.RespondBy });
        builder.HasIndex(o => o.Department);
        builder.HasIndex(o => o.CaseId);
    }
}

public sealed class SupervisionScanStateConfiguration : IEntityTypeConfiguration<SupervisionScanState>
{
    public void Configure(EntityTypeBuilder<SupervisionScanState> builder)
    {
        builder.ToTable("SupervisionScanState");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Version).IsConcurrencyToken();
    }
}

public sealed class PerformanceDayConfiguration : IEntityTypeConfiguration<PerformanceDay>
{
    public void Configure(EntityTypeBuilder<PerformanceDay> builder)
    {
        builder.ToTable("PerformanceDays");
        builder.HasKey(p => new { p.Day, p.Department, p.MatterCode, p.Officer });
        builder.Property(p => p.Department).HasMaxLength(16);
        builder.Property(p => p.MatterCode).HasMaxLength(40);
        builder.Property(p => p.Officer).HasMaxLength(50);
        builder.HasIndex(p => new { p.Day, p.Department });
    }
}
