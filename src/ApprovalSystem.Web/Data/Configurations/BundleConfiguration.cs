using System.Text.Json;
using ApprovalSystem.Core.Bundles;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalSystem.Web.Data.Configurations;

/// <summary>A bundle in the catalogue: code, name, lead department and the definition as one JSON document (decision 0054).</summary>
public sealed class BundleConfiguration : IEntityTypeConfiguration<Bundle>
{
    public void Configure(EntityTypeBuilder<Bundle> builder)
    {
        builder.Property(x => x.Code).HasMaxLength(40);
        builder.HasIndex(x => x.Code).IsUnique();
        builder.Property(x => x.Name).HasMaxLength(100);
        builder.Property(x => x.Department).HasMaxLength(16);
        builder.Property(x => x.Definition).HasConversion(Definition(), DefinitionComparer());
        builder.Property<long>(Revision);
    }

    /// <summary>A shadow column with a new random value at every save of the bundle (AppDbContext stamps it).</summary>
    public const string Revision = "Revision";

    /// <summary>The definition as the catalogue file writes it (enum names in lower case), so a stored one reads like the file.</summary>
    internal static Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<BundleData, string> Definition() =>
        CaseConfiguration.Json<BundleData>(CatalogueData.JsonOptions);

    internal static ValueComparer<BundleData> DefinitionComparer() => CaseConfiguration.Comparer<BundleData>(CatalogueData.JsonOptions);
}

public sealed class BundleCaseConfiguration : IEntityTypeConfiguration<BundleCase>
{
    public void Configure(EntityTypeBuilder<BundleCase> builder)
    {
        builder.Property(c => c.Number).HasMaxLength(40);
        builder.HasIndex(c => c.Number).IsUnique();
        builder.Property(c => c.QueryCode).HasMaxLength(6);
        builder.Property(c => c.BundleCode).HasMaxLength(40);
        builder.Property(c => c.BundleName).HasMaxLength(100);
        builder.Property(c => c.LeadDepartment).HasMaxLength(16);
        builder.Property(c => c.Channel).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.State).HasConversion<string>().HasMaxLength(24);
        builder.HasIndex(c => new { c.State, c.AcceptedAt });
        builder.Property(c => c.OwnerUserId).HasMaxLength(450);
        builder.HasIndex(c => c.OwnerUserId);
        builder.Property(c => c.AgentUserId).HasMaxLength(450);
        builder.Property(c => c.AgentName).HasMaxLength(50);
        builder.Property(c => c.StationCode).HasMaxLength(16);
        builder.HasIndex(c => c.StationCode);
        builder.Property(c => c.CreatedBy).HasMaxLength(450);
        builder.Property(c => c.AcceptedByUserId).HasMaxLength(450);
        builder.Property(c => c.AcceptedBy).HasMaxLength(50);
        builder.Property(c => c.AcceptedByDepartment).HasMaxLength(16);
        builder.Property(c => c.Reason).HasMaxLength(1000);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Property(c => c.Definition).HasConversion(BundleConfiguration.Definition(), BundleConfiguration.DefinitionComparer());
        builder.Property(c => c.Applicant).HasConversion(
            a => JsonSerializer.Serialize(a, CaseConfiguration.JsonOptions), s => JsonSerializer.Deserialize<ApplicantInfo>(s, CaseConfiguration.JsonOptions)!,
            ApplicantComparer());
        builder.Property(c => c.Deadline).HasConversion(
            d => JsonSerializer.Serialize(d, CaseConfiguration.JsonOptions),
            s => JsonSerializer.Deserialize<Deadline>(s, CaseConfiguration.JsonOptions) ?? Deadline.None);
        builder.Property(c => c.Answers)
            .HasConversion(CaseConfiguration.Json<Dictionary<string, string>>(), CaseConfiguration.Comparer<Dictionary<string, string>>());
        builder.Property(c => c.FormData)
            .HasConversion(CaseConfiguration.Json<Dictionary<string, string>>(), CaseConfiguration.Comparer<Dictionary<string, string>>());
        builder.Property(c => c.Materials).HasConversion(CaseConfiguration.Json<List<CaseMaterial>>(), CaseConfiguration.Comparer<List<CaseMaterial>>());
        builder.Property(c => c.Members).HasConversion(CaseConfiguration.Json<List<BundleMemberRef>>(), CaseConfiguration.Comparer<List<BundleMemberRef>>());
        builder.Property(c => c.SupplementItems).HasConversion(CaseConfiguration.Json<List<string>>(), CaseConfiguration.Comparer<List<string>>());
        builder.Property(c => c.Notices).HasConversion(CaseConfiguration.Json<List<BundleNotice>>(), CaseConfiguration.Comparer<List<BundleNotice>>());
        builder.Ignore(c => c.PendingRecords);
        builder.Ignore(c => c.Missing);
        builder.Ignore(c => c.MembersToAcceptNow);
    }

    private static ValueComparer<ApplicantInfo> ApplicantComparer() => new((a, b) => a == b, v => v.GetHashCode(), v => v);
}

public sealed class BundleMemberLinkConfiguration : IEntityTypeConfiguration<BundleMemberLink>
{
    public void Configure(EntityTypeBuilder<BundleMemberLink> builder)
    {
        builder.HasKey(x => x.CaseId);
        builder.Property(x => x.CaseId).ValueGeneratedNever();
        builder.HasIndex(x => x.BundleCaseId);
    }
}

public sealed class BundleJournalEntryConfiguration : IEntityTypeConfiguration<BundleJournalEntry>
{
    public void Configure(EntityTypeBuilder<BundleJournalEntry> builder)
    {
        builder.HasIndex(x => new { x.BundleCaseId, x.At });
        builder.Property(x => x.ActorId).HasMaxLength(450);
        builder.Property(x => x.ActorName).HasMaxLength(50);
        builder.Property(x => x.Role).HasMaxLength(32);
        builder.Property(x => x.Action).HasMaxLength(32);
        builder.Property(x => x.FromState).HasMaxLength(24);
        builder.Property(x => x.ToState).HasMaxLength(24);
    }
}
