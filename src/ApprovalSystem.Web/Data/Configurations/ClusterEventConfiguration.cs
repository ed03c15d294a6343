using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalSystem.Web.Data.Configurations;

public sealed class ClusterEventConfiguration : IEntityTypeConfiguration<ClusterEvent>
{
    public void Configure(EntityTypeBuilder<ClusterEvent> builder)
    {
        builder.Property(e => e.Message).HasMaxLength(300);
        builder.HasIndex(e => e.At);
    }
}
