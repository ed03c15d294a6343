using ApprovalSystem.Core.Calendar;
using ApprovalSystem.Core.Catalogue;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalSystem.Web.Data.Configurations;

public sealed class DepartmentConfiguration : IEntityTypeConfiguration<Department>
{
    public void Configure(EntityTypeBuilder<Department> builder)
    {
        builder.Property(x => x.Code).HasMaxLength(16);
        builder.HasIndex(x => x.Code).IsUnique();
        builder.Property(x => x.Name).HasMaxLength(100);
        builder.Property(x => x.ShortName).HasMaxLength(50);
        builder.Property(x => x.Window).HasMaxLength(100);
        builder.Property(x => x.Phone).HasMaxLength(40);
        builder.Property(x => x.SupervisionContact).HasMaxLength(50);
    }
}

public sealed class StationConfiguration : IEntityTypeConfiguration<Station>
{
    public void Configure(EntityTypeBuilder<Station> builder)
    {
        builder.Property(x => x.Code).HasMaxLength(16);
        builder.HasIndex(x => x.Code).IsUnique();
        builder.Property(x => x.Name).HasMaxLength(100);
        builder.Property(x => x.Phone).HasMaxLength(40);
    }
}

public sealed class MatterConfiguration : IEntityTypeConfiguration<Matter>
{
    public void Configure(EntityTypeBuilder<Matter> builder)
    {
        builder.Property(x => x.Code).HasMaxLength(40);
        builder.HasIndex(x => x.Code).IsUnique();
        builder.Property(x => x.Name).HasMaxLength(100);
        builder.HasIndex(x => x.Name);
        builder.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.Fee).HasPrecision(12, 2);
        builder.Property(x => x.FeeBasis).HasMaxLength(500);
        builder.Property(x => x.LegalBasis).HasMaxLength(1000);
        builder.Property(x => x.Conditions).HasMaxLength(2000);
        builder.Property(x => x.WorkflowId).HasMaxLength(64);
        builder.Property(x => x.CertificateType).HasMaxLength(64);
        builder.HasOne(x => x.Department).WithMany(d => d.Matters).HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        builder.OwnsMany(x => x.Materials, m =>
        {
            m.ToJson();
            m.Property(p => p.Form).HasConversion<string>();
        });
        builder.OwnsMany(x => x.FormFields, f =>
        {
            f.ToJson();
            f.Property(p => p.Type).HasConversion<string>();
        });
        builder.OwnsMany(x => x.Situations, s => s.ToJson());
        builder.Property(x => x.Commitment).HasConversion(
            t => t == null ? null : System.Text.Json.JsonSerializer.Serialize(t, CaseConfiguration.JsonOptions),
            s => s == null ? null : System.Text.Json.JsonSerializer.Deserialize<CommitmentTerms>(s, CaseConfiguration.JsonOptions),
            new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<CommitmentTerms?>(
                (a, b) => System.Text.Json.JsonSerializer.Serialize(a, CaseConfiguration.JsonOptions)
                    == System.Text.Json.JsonSerializer.Serialize(b, CaseConfiguration.JsonOptions),
                v => System.Text.Json.JsonSerializer.Serialize(v, CaseConfiguration.JsonOptions).GetHashCode(StringComparison.Ordinal),
                v => v == null ? null : v.Copy()));
    }
}

public sealed class CalendarDayConfiguration : IEntityTypeConfiguration<CalendarDay>
{
    public void Configure(EntityTypeBuilder<CalendarDay> builder)
    {
        builder.HasIndex(x => x.Date).IsUnique();
        builder.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.Name).HasMaxLength(50);
    }
}

public sealed class SystemSettingConfiguration : IEntityTypeConfiguration<SystemSetting>
{
    public void Configure(EntityTypeBuilder<SystemSetting> builder)
    {
        builder.HasKey(x => x.Key);
        builder.Property(x => x.Key).HasMaxLength(100);
        builder.Property(x => x.Value).HasMaxLength(4000);
    }
}

public sealed class ApplicationUserConfiguration : IEntityTypeConfiguration<ApplicationUser>
{
    public void Configure(EntityTypeBuilder<ApplicationUser> builder)
    {
        builder.Property(x => x.DisplayName).HasMaxLength(100);
        builder.Property(x => x.ApplicantType).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.IdNumber).HasMaxLength(18);
        builder.Property(x => x.CreditCode).HasMaxLength(18);
        builder.Property(x => x.LegalRepresentative).HasMaxLength(50);
        builder.Property(x => x.Address).HasMaxLength(200);
        builder.HasIndex(x => x.IdNumber);
        builder.HasIndex(x => x.CreditCode);
        builder.HasOne(x => x.Department).WithMany().HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(x => x.Station).WithMany().HasForeignKey(x => x.StationId).OnDelete(DeleteBehavior.Restrict);
    }
}
