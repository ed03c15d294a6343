using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalSystem.Web.Data.Configurations;

public sealed class PersonalDataReadConfiguration : IEntityTypeConfiguration<PersonalDataRead>
{
    public void Configure(EntityTypeBuilder<PersonalDataRead> builder)
    {
        builder.ToTable("PersonalDataReads");
        builder.Property(r => r.StaffUserId).HasMaxLength(450);
        builder.Property(r => r.StaffUserName).HasMaxLength(256);
        builder.Property(r => r.StaffName).HasMaxLength(100);
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Subject).HasMaxLength(100);
        builder.Property(r => r.MaskedValue).HasMaxLength(64);
        builder.Property(r => r.CaseNumber).HasMaxLength(32);
        builder.Property(r => r.Reason).HasMaxLength(200);

        // The supervisor's searches, newest first: all reads by time, one staff account's or name's, one case's.
        builder.HasIndex(r => new { r.At, r.Id });
        builder.HasIndex(r => new { r.StaffUserName, r.At });
        builder.HasIndex(r => new { r.StaffName, r.At });
        builder.HasIndex(r => new { r.CaseNumber, r.At });
    }
}
