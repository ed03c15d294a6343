using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalSystem.Web.Data.Configurations;

public sealed class LineSystemConfiguration : IEntityTypeConfiguration<LineSystem>
{
    public void Configure(EntityTypeBuilder<LineSystem> builder)
    {
        builder.ToTable("ExchangeSystems");
        builder.Property(s => s.Code).HasMaxLength(64);
        builder.HasIndex(s => s.Code).IsUnique();
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Department).HasMaxLength(32);
        builder.Property(s => s.KeyHash).HasMaxLength(64);
        builder.HasIndex(s => s.KeyHash).IsUnique();
        builder.Property(s => s.KeyPrefix).HasMaxLength(16);
        builder.Property(s => s.AllowedMatters).HasMaxLength(4000);
        builder.Property(s => s.WebhookAllowList).HasMaxLength(2000);
        builder.Ignore(s => s.AllowedMatterList);
    }
}

public sealed class ExternalCaseLinkConfiguration : IEntityTypeConfiguration<ExternalCaseLink>
{
    public void Configure(EntityTypeBuilder<ExternalCaseLink> builder)
    {
        builder.ToTable("ExchangeCaseLinks");
        builder.Property(l => l.ExternalCaseId).HasMaxLength(128);
        builder.HasIndex(l => new { l.SystemId, l.ExternalCaseId }).IsUnique();
        builder.HasIndex(l => l.CaseId);
    }
}

public sealed class InboundEventConfiguration : IEntityTypeConfiguration<InboundEvent>
{
    public void Configure(EntityTypeBuilder<InboundEvent> builder)
    {
        builder.ToTable("ExchangeInbound");
        builder.Property(e => e.EventId).HasMaxLength(128);
        builder.HasIndex(e => new { e.SystemId, e.EventId }).IsUnique();
        builder.Property(e => e.ExternalCaseId).HasMaxLength(128);
        builder.Property(e => e.MatterCode).HasMaxLength(64);
        builder.Property(e => e.Step).HasMaxLength(64);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        // Dead letters newest first, a page at a time, and their exact count: a range of this index.
        builder.HasIndex(e => new { e.Status, e.Id });

        // The performance job looks for pushes received since yesterday (a late one re-tallies its earlier day).
        builder.HasIndex(e => e.ReceivedAt);
        builder.Property(e => e.Reason).HasMaxLength(1000);
    }
}

public sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> builder)
    {
        builder.ToTable("ExchangeSubscriptions");
        builder.Property(s => s.Url).HasMaxLength(1000);
        builder.Property(s => s.Secret).HasMaxLength(128);
        builder.Property(s => s.EventKinds).HasMaxLength(200);
    }
}

public sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("ExchangeOutbox");
        builder.Property(m => m.EventId).HasMaxLength(64);
        builder.HasIndex(m => new { m.EventId, m.SubscriptionId }).IsUnique();
        builder.Property(m => m.Kind).HasMaxLength(32);
        builder.Property(m => m.CaseNumber).HasMaxLength(32);
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });

        // The deliveries page: newest first in a status, and one case's deliveries, a page at a time over millions of rows.
        builder.HasIndex(m => new { m.Status, m.Id });
        builder.HasIndex(m => new { m.CaseNumber, m.Id });
        builder.Property(m => m.LastError).HasMaxLength(1000);
    }
}

public sealed class ShareResourceConfiguration : IEntityTypeConfiguration<ShareResource>
{
    public void Configure(EntityTypeBuilder<ShareResource> builder)
    {
        builder.ToTable("ShareResources");
        builder.Property(r => r.Code).HasMaxLength(64);
        builder.HasIndex(r => r.Code).IsUnique();
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.Property(r => r.Provider).HasMaxLength(32);
        builder.Property(r => r.Description).HasMaxLength(1000);
        builder.Property(r => r.Fields).HasMaxLength(2000);
        builder.Ignore(r => r.FieldList);
        builder.Ignore(r => r.KeyField);
    }
}

public sealed class ShareRecordConfiguration : IEntityTypeConfiguration<ShareRecord>
{
    public void Configure(EntityTypeBuilder<ShareRecord> builder)
    {
        builder.ToTable("ShareRecords");
        builder.Property(r => r.Key).HasMaxLength(64);
        builder.HasIndex(r => new { r.ResourceId, r.Key }).IsUnique();
    }
}

public sealed class AccessRequestConfiguration : IEntityTypeConfiguration<AccessRequest>
{
    public void Configure(EntityTypeBuilder<AccessRequest> builder)
    {
        builder.ToTable("ShareAccessRequests");
        builder.Property(r => r.Consumer).HasMaxLength(32);
        builder.Property(r => r.Purpose).HasMaxLength(500);
        builder.Property(r => r.RequestedBy).HasMaxLength(100);
        builder.HasIndex(r => new { r.ResourceId, r.Consumer });
        builder.HasMany(r => r.Fields).WithOne().HasForeignKey(f => f.AccessRequestId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class FieldGrantConfiguration : IEntityTypeConfiguration<FieldGrant>
{
    public void Configure(EntityTypeBuilder<FieldGrant> builder)
    {
        builder.ToTable("ShareFieldGrants");
        builder.Property(f => f.Field).HasMaxLength(64);
        builder.Property(f => f.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(f => f.DecidedBy).HasMaxLength(100);
    }
}

public sealed class ResourceReadLogConfiguration : IEntityTypeConfiguration<ResourceReadLog>
{
    public void Configure(EntityTypeBuilder<ResourceReadLog> builder)
    {
        builder.ToTable("ShareReadLog");
        builder.Property(l => l.Consumer).HasMaxLength(32);
        builder.Property(l => l.Reader).HasMaxLength(100);
        builder.Property(l => l.Key).HasMaxLength(64);
        builder.Property(l => l.Fields).HasMaxLength(2000);
        builder.Property(l => l.Purpose).HasMaxLength(500);
        // The read log newest first: a provider's resources' reads, a consumer's reads, the reads of one (masked) key.
        builder.HasIndex(l => new { l.ResourceId, l.Id });
        builder.HasIndex(l => new { l.Consumer, l.Id });
        builder.HasIndex(l => new { l.Key, l.Id });
    }
}
