using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalSystem.Web.Data.Configurations;

public sealed class SharedCounterConfiguration : IEntityTypeConfiguration<SharedCounter>
{
    public void Configure(EntityTypeBuilder<SharedCounter> builder)
    {
        builder.ToTable("SharedCounters");
        builder.HasKey(c => c.Key);
        builder.Property(c => c.Key).HasMaxLength(SharedCounterKeys.MaxLength);
        builder.HasIndex(c => c.WindowStart); // the prune's range
    }
}
