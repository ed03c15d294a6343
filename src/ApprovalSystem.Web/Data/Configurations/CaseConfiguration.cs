using System.Text.Json;
using ApprovalSystem.Core.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ApprovalSystem.Web.Data.Configurations;

public sealed class CaseConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> builder)
    {
        builder.ToTable("Cases");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedOnAdd();
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Property(c => c.Number).HasMaxLength(32);
        builder.HasIndex(c => c.Number).IsUnique();
        builder.Property(c => c.QueryCode).HasMaxLength(8);
        builder.Property(c => c.MatterCode).HasMaxLength(40);
        builder.Property(c => c.MatterName).HasMaxLength(100);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.LeadDepartment).HasMaxLength(16);
        builder.Property(c => c.LegalFee).HasPrecision(12, 2);
        builder.Property(c => c.FeeCharged).HasPrecision(12, 2);
        builder.Property(c => c.CertificateType).HasMaxLength(64);
        builder.Property(c => c.Channel).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.State).HasConversion<string>().HasMaxLength(24);
        builder.Property(c => c.OwnerUserId).HasMaxLength(450);
        builder.Property(c => c.AgentUserId).HasMaxLength(450);
        builder.Property(c => c.AgentName).HasMaxLength(100);
        builder.Property(c => c.StationCode).HasMaxLength(16);
        builder.Property(c => c.CreatedBy).HasMaxLength(450);
        builder.Property(c => c.WorkflowId).HasMaxLength(64);
        builder.Property(c => c.AcceptedBy).HasMaxLength(100);
        builder.Property(c => c.CertificateNumber).HasMaxLength(64);
        builder.Property(c => c.CertificateCode).HasMaxLength(32);
        builder.HasIndex(c => c.CertificateCode).IsUnique();
        builder.Property(c => c.DeliveryMethod).HasMaxLength(50);
        builder.HasIndex(c => c.OwnerUserId);
        builder.HasIndex(c => c.StationCode);
        // A window queue, oldest filing first: Id breaks ties in the index itself (PostgreSQL would sort a tie's rows).
        builder.HasIndex(c => new { c.State, c.SubmittedAt, c.Id });
        builder.HasIndex(c => c.LeadDepartment);

        // The dashboard's counts: open cases by state and lead department (index only), filed and concluded today.
        builder.HasIndex(c => new { c.State, c.LeadDepartment });
        builder.HasIndex(c => c.SubmittedAt);
        builder.HasIndex(c => c.ConcludedAt);

        builder.ComplexProperty(c => c.Warning);
        builder.ComplexProperty(c => c.Applicant, a =>
        {
            a.Property(x => x.Name).HasMaxLength(100);
            a.Property(x => x.IdType).HasConversion<string>().HasMaxLength(16);
            a.Property(x => x.IdNumber).HasMaxLength(18);
            a.Property(x => x.Phone).HasMaxLength(20);
            a.Property(x => x.Address).HasMaxLength(200);
            a.Property(x => x.LegalRepresentative).HasMaxLength(50);
        });
        ConfigureDeadline(builder.ComplexProperty(c => c.Promised));
        ConfigureDeadline(builder.ComplexProperty(c => c.Legal));
        ConfigureDeadline(builder.ComplexProperty(c => c.Review));
        ConfigureDeadline(builder.ComplexProperty(c => c.Verification));
        builder.Property(c => c.Commitment).HasConversion(
            a => a == null ? null : JsonSerializer.Serialize(a, RowJsonOptions),
            s => s == null ? null : JsonSerializer.Deserialize<CommitmentRecord>(s, RowJsonOptions));
        builder.Property(c => c.VerificationResult).HasConversion(
            a => a == null ? null : JsonSerializer.Serialize(a, RowJsonOptions),
            s => s == null ? null : JsonSerializer.Deserialize<VerificationRecord>(s, RowJsonOptions));

        builder.Property(c => c.FormData).HasConversion(Json<Dictionary<string, string>>(), Comparer<Dictionary<string, string>>());
        builder.Property(c => c.Situation).HasConversion(Json<Dictionary<string, string>>(), Comparer<Dictionary<string, string>>());
        builder.Property(c => c.Materials).HasConversion(Json<List<CaseMaterial>>(RowJsonOptions), Comparer<List<CaseMaterial>>(RowJsonOptions));
        builder.Property(c => c.SupplementItems).HasConversion(Json<List<string>>(), Comparer<List<string>>());
        builder.Property(c => c.SpecialProcedures)
            .HasConversion(Json<List<SpecialProcedure>>(RowJsonOptions), Comparer<List<SpecialProcedure>>(RowJsonOptions));
        builder.Property(c => c.Extensions).HasConversion(Json<List<ExtensionRequest>>(RowJsonOptions), Comparer<List<ExtensionRequest>>(RowJsonOptions));
        builder.Property(c => c.Archive).HasConversion(
            a => a == null ? null : JsonSerializer.Serialize(a, RowJsonOptions),
            s => s == null ? null : JsonSerializer.Deserialize<ArchiveRecord>(s, RowJsonOptions));

        builder.HasMany(c => c.Steps).WithOne().HasForeignKey("CaseId").OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(c => c.Steps).AutoInclude().HasField("_steps").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(c => c.PendingRecords);
        builder.Ignore(c => c.OpenSteps);
        builder.Ignore(c => c.CurrentSpecialProcedure);
    }

    private static void ConfigureDeadline(ComplexPropertyBuilder<Deadline> d) => d.ComplexProperty(x => x.Warning);

    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// How the case row's own records are stored (materials, procedures, extensions, commitment, archive): a property at its
    /// default (null, false, 0) is left out, and reads back as that default. These records set no other initial values.
    /// </summary>
    internal static readonly JsonSerializerOptions RowJsonOptions = new(JsonOptions)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault,
    };

    internal static Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<T, string> Json<T>(JsonSerializerOptions? options = null)
        where T : class, new()
    {
        var o = options ?? JsonOptions;
        return new(v => JsonSerializer.Serialize(v, o), s => JsonSerializer.Deserialize<T>(s, o) ?? new T());
    }

    internal static ValueComparer<T> Comparer<T>(JsonSerializerOptions? options = null)
        where T : class, new()
    {
        var o = options ?? JsonOptions;
        return new(
            (a, b) => JsonSerializer.Serialize(a, o) == JsonSerializer.Serialize(b, o),
            v => JsonSerializer.Serialize(v, o).GetHashCode(StringComparison.Ordinal),
            v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, o), o) ?? new T());
    }
}

public sealed class CaseStepConfiguration : IEntityTypeConfiguration<CaseStep>
{
    public void Configure(EntityTypeBuilder<CaseStep> builder)
    {
        var s = builder;
        s.ToTable("CaseSteps");
        s.Property<long>("CaseId");
        s.HasKey("CaseId", nameof(CaseStep.WorkItemId));
        s.Property(x => x.WorkItemId).HasMaxLength(32);
        s.Property(x => x.StepId).HasMaxLength(64);
        s.Property(x => x.BranchId).HasMaxLength(64);
        s.Property(x => x.Title).HasMaxLength(100);
        s.Property(x => x.Department).HasMaxLength(16);
        s.Property(x => x.Role).HasMaxLength(32);
        s.Property(x => x.AssigneeId).HasMaxLength(450);
        s.Property(x => x.AssigneeName).HasMaxLength(100);
        s.Property(x => x.Outcome) // the names stored since the start
            .HasConversion(new Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<StepOutcome, string>(
                v => v.ToName(), v => StepOutcomes.Parse(v)))
            .HasMaxLength(16);
        s.Property(x => x.ActorId).HasMaxLength(450);
        s.Property(x => x.ActorName).HasMaxLength(100);
        s.Property(x => x.Version).IsConcurrencyToken();
        s.ComplexProperty(x => x.Deadline, d => d.ComplexProperty(x => x.Warning));
        s.Ignore(x => x.IsOpen);
        s.HasIndex(x => new { x.Department, x.ClosedAt });
        s.HasIndex(x => x.AssigneeId);
    }
}

public sealed class CaseJournalEntryConfiguration : IEntityTypeConfiguration<CaseJournalEntry>
{
    public void Configure(EntityTypeBuilder<CaseJournalEntry> builder)
    {
        builder.ToTable("CaseJournal");
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).ValueGeneratedNever();
        builder.HasIndex(e => new { e.CaseId, e.Sequence });
        builder.Property(e => e.CaseNumber).HasMaxLength(32);
        builder.Property(e => e.ActorId).HasMaxLength(450);
        builder.Property(e => e.ActorName).HasMaxLength(100);
        builder.Property(e => e.Role).HasMaxLength(32);
        builder.Property(e => e.Department).HasMaxLength(16);
        builder.Property(e => e.Action).HasMaxLength(32);
        builder.Property(e => e.FromState).HasMaxLength(24);
        builder.Property(e => e.ToState).HasMaxLength(24);
        builder.Property(e => e.PreviousHash).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);
    }
}

public sealed class JournalHeadConfiguration : IEntityTypeConfiguration<JournalHead>
{
    public void Configure(EntityTypeBuilder<JournalHead> builder)
    {
        builder.Property(h => h.Id).ValueGeneratedNever();
        builder.Property(h => h.LastSequence).IsConcurrencyToken();
        builder.Property(h => h.LastHash).HasMaxLength(64);
    }
}

public sealed class CaseNumberCounterConfiguration : IEntityTypeConfiguration<CaseNumberCounter>
{
    public void Configure(EntityTypeBuilder<CaseNumberCounter> builder)
    {
        builder.HasKey(c => c.Prefix);
        builder.Property(c => c.Prefix).HasMaxLength(32);
        builder.Property(c => c.Last).IsConcurrencyToken();
    }
}

public sealed class RowCountConfiguration : IEntityTypeConfiguration<RowCount>
{
    public void Configure(EntityTypeBuilder<RowCount> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Scope).HasMaxLength(32);
        builder.Property(r => r.Bucket).HasMaxLength(32);

        // A count is the sum of its few rows, read from the index alone.
        builder.HasIndex(r => new { r.Scope, r.Bucket, r.Delta });
    }
}

public sealed class WorkflowVersionConfiguration : IEntityTypeConfiguration<WorkflowVersion>
{
    public void Configure(EntityTypeBuilder<WorkflowVersion> builder)
    {
        builder.HasKey(w => new { w.WorkflowId, w.Version });
        builder.Property(w => w.WorkflowId).HasMaxLength(64);
        builder.Property(w => w.Title).HasMaxLength(100);
        builder.Property(w => w.ContentHash).HasMaxLength(64);
        builder.Property(w => w.PublishedBy).HasMaxLength(100);
        builder.Property(w => w.Reason).HasMaxLength(500);
        builder.Property(w => w.Origin).HasConversion<string>().HasMaxLength(16);
    }
}

public sealed class WorkflowDraftConfiguration : IEntityTypeConfiguration<WorkflowDraft>
{
    public void Configure(EntityTypeBuilder<WorkflowDraft> builder)
    {
        builder.HasKey(w => w.WorkflowId);
        builder.Property(w => w.WorkflowId).HasMaxLength(64);
        builder.Property(w => w.Origin).HasConversion<string>().HasMaxLength(16);
        builder.Property(w => w.CreatedBy).HasMaxLength(100);
        builder.Property(w => w.UpdatedBy).HasMaxLength(100);
        builder.Property(w => w.Revision).IsConcurrencyToken();
    }
}

public sealed class WorkflowShipmentConfiguration : IEntityTypeConfiguration<WorkflowShipment>
{
    public void Configure(EntityTypeBuilder<WorkflowShipment> builder)
    {
        builder.HasKey(w => w.WorkflowId);
        builder.Property(w => w.WorkflowId).HasMaxLength(64);
        builder.Property(w => w.ContentHash).HasMaxLength(64);
    }
}

public sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.HasKey(r => new { r.UserId, r.Key });
        builder.Property(r => r.Key).HasMaxLength(100);
        builder.Property(r => r.UserId).HasMaxLength(450);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
    }
}

public sealed class StoredFileConfiguration : IEntityTypeConfiguration<StoredFile>
{
    public void Configure(EntityTypeBuilder<StoredFile> builder)
    {
        builder.HasKey(f => f.Sha256);
        builder.Property(f => f.Sha256).HasMaxLength(64);
        builder.Property(f => f.ContentType).HasMaxLength(100);
    }
}
