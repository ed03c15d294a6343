using ApprovalSystem.Core.Calendar;
using ApprovalSystem.Core.Catalogue;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Data;

/// <summary>
/// The one database context. Each provider has a derived context (<see cref="SqliteAppDbContext"/>,
/// <see cref="PostgresAppDbContext"/>, <see cref="SqlServerAppDbContext"/>) that owns its migrations.
/// </summary>
public abstract class AppDbContext : IdentityDbContext<ApplicationUser>, IDataProtectionKeyContext
{
    protected AppDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Department> Departments => Set<Department>();

    /// <summary>The Data Protection key ring every node shares (issue 17 item 2, decision 0042).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Attempt counters every node shares (issue 17 item 3, decision 0042).</summary>
    public DbSet<SharedCounter> SharedCounters => Set<SharedCounter>();

    public DbSet<Station> Stations => Set<Station>();

    public DbSet<Matter> Matters => Set<Matter>();

    public DbSet<CalendarDay> CalendarDays => Set<CalendarDay>();

    public DbSet<SystemSetting> Settings => Set<SystemSetting>();

    public DbSet<ApprovalSystem.Core.Cases.Case> Cases => Set<ApprovalSystem.Core.Cases.Case>();

    public DbSet<CaseJournalEntry> Journal => Set<CaseJournalEntry>();

    public DbSet<JournalHead> JournalHeads => Set<JournalHead>();

    public DbSet<CaseNumberCounter> CaseNumberCounters => Set<CaseNumberCounter>();

    /// <summary>Exact counts per state kept by the writes (decision 0021): read and folded by <see cref="StateCounts"/>.</summary>
    public DbSet<RowCount> RowCounts => Set<RowCount>();

    public DbSet<WorkflowVersion> WorkflowVersions => Set<WorkflowVersion>();

    public DbSet<WorkflowDraft> WorkflowDrafts => Set<WorkflowDraft>();

    public DbSet<WorkflowShipment> WorkflowShipments => Set<WorkflowShipment>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<StoredFile> StoredFiles => Set<StoredFile>();

    public DbSet<CaseRating> Ratings => Set<CaseRating>();

    public DbSet<ApprovalSystem.Core.Ratings.Rectification> Rectifications => Set<ApprovalSystem.Core.Ratings.Rectification>();

    public DbSet<Complaint> Complaints => Set<Complaint>();

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<CardRecord> SupervisionCards => Set<CardRecord>();

    public DbSet<SupervisionAlertRecord> SupervisionAlerts => Set<SupervisionAlertRecord>();

    public DbSet<ApprovalSystem.Core.Supervision.SupervisionOrder> SupervisionOrders => Set<ApprovalSystem.Core.Supervision.SupervisionOrder>();

    public DbSet<SupervisionScanState> SupervisionScanStates => Set<SupervisionScanState>();

    public DbSet<PerformanceDay> PerformanceDays => Set<PerformanceDay>();

    // The sharing-and-exchange platform (Features/Exchange).
    public DbSet<LineSystem> LineSystems => Set<LineSystem>();

    public DbSet<ExternalCaseLink> ExternalCaseLinks => Set<ExternalCaseLink>();

    public DbSet<InboundEvent> InboundEvents => Set<InboundEvent>();

    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();

    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    public DbSet<ShareResource> ShareResources => Set<ShareResource>();

    public DbSet<ShareRecord> ShareRecords => Set<ShareRecord>();

    public DbSet<AccessRequest> AccessRequests => Set<AccessRequest>();

    public DbSet<FieldGrant> FieldGrants => Set<FieldGrant>();

    public DbSet<ResourceReadLog> ResourceReadLog => Set<ResourceReadLog>();

    public DbSet<CertificateRecord> Certificates => Set<CertificateRecord>();

    public DbSet<CaseDocument> CaseDocuments => Set<CaseDocument>();

    public DbSet<PendingDocument> PendingDocuments => Set<PendingDocument>();

    /// <summary>The case search index (decision 0019): written by <see cref="Infrastructure.CaseStore"/> with the case.</summary>
    public DbSet<CaseSearchTerm> CaseSearchTerms => Set<CaseSearchTerm>();

    /// <summary>The certificate register's search index (decision 0019): written with the certificate, on save.</summary>
    public DbSet<CertificateSearchTerm> CertificateSearchTerms => Set<CertificateSearchTerm>();

    /// <summary>Signed-in sessions kept on the server (decision 0025).</summary>
    public DbSet<UserSession> UserSessions => Set<UserSession>();

    /// <summary>Staff reads of full personal values (个人信息查看记录): append-only, see <see cref="PersonalDataRead"/>.</summary>
    public DbSet<PersonalDataRead> PersonalDataReads => Set<PersonalDataRead>();

    /// <summary>Texts for the SMS gateway (decision 0041).</summary>
    public DbSet<SmsMessage> SmsMessages => Set<SmsMessage>();

    /// <summary>Registrations waiting for their SMS code (decision 0041).</summary>
    public DbSet<PendingRegistration> PendingRegistrations => Set<PendingRegistration>();

    /// <summary>Messages between nodes on SQL Server (decision 0043).</summary>
    public DbSet<ClusterEvent> ClusterEvents => Set<ClusterEvent>();

    /// <summary>Digital certificates bound to applicants' accounts (decision 0051).</summary>
    public DbSet<CertificateBinding> CertificateBindings => Set<CertificateBinding>();

    /// <summary>Applicants' signatures of their filings (decision 0051).</summary>
    public DbSet<CaseSignature> CaseSignatures => Set<CaseSignature>();

    /// <summary>Bundles 一件事 in the catalogue (decision 0054).</summary>
    public DbSet<Bundle> Bundles => Set<Bundle>();

    /// <summary>Bundle cases, their members' references and their journal (decision 0054).</summary>
    public DbSet<ApprovalSystem.Core.Bundles.BundleCase> BundleCases => Set<ApprovalSystem.Core.Bundles.BundleCase>();

    public DbSet<BundleMemberLink> BundleMemberLinks => Set<BundleMemberLink>();

    public DbSet<BundleJournalEntry> BundleJournal => Set<BundleJournalEntry>();

    /// <summary>Versions of the matters' rules of automatic approval 秒批 and every run of them on a filing (decision 0059).</summary>
    public DbSet<AutoApprovalRuleVersion> AutoApprovalRuleVersions => Set<AutoApprovalRuleVersion>();

    public DbSet<AutoApprovalRun> AutoApprovalRuns => Set<AutoApprovalRun>();
    /// <summary>Recorded false commitments 虚假承诺记录 and their repair 信用修复 (decision 0060).</summary>
    public DbSet<FalseCommitmentRecord> FalseCommitments => Set<FalseCommitmentRecord>();

    /// <summary>A string above every term that starts with a given key, in the order of <see cref="BinaryCollation"/>.</summary>
    internal virtual string PrefixEnd => "\U0010FFFF";

    /// <summary>
    /// The search terms' collation: a prefix range must be a range of code points (PostgreSQL's and SQL Server's
    /// linguistic collations ignore hyphens and order by pronunciation). SQLite's own BINARY already is.
    /// </summary>
    protected virtual string? BinaryCollation => null;

    /// <summary>Set while a case act's write transaction is open on SQLite's native connection (see CaseStore).</summary>
    internal bool InActTransaction { get; set; }

    /// <summary>Whether a write transaction is open: EF Core's own, or a case act's.</summary>
    internal bool InTransaction => InActTransaction || Database.CurrentTransaction is not null;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly, t => t.Namespace == typeof(Configurations.MatterConfiguration).Namespace);

        // Indexes over columns that stay empty for most rows leave those rows out: a window filing
        // has no owner account nor station, a case has no certificate code until one is issued, a
        // step no assignee until a head assigns it. Smaller indexes, and fewer pages written per act.
        builder.Entity<ApprovalSystem.Core.Cases.Case>().HasIndex(c => c.OwnerUserId).HasFilter(NotNull("OwnerUserId"));
        builder.Entity<ApprovalSystem.Core.Cases.Case>().HasIndex(c => c.StationCode).HasFilter(NotNull("StationCode"));
        builder.Entity<ApprovalSystem.Core.Cases.Case>().HasIndex(c => c.CertificateCode).IsUnique().HasFilter(NotNull("CertificateCode"));
        builder.Entity<ApprovalSystem.Core.Cases.CaseStep>().HasIndex(s => s.AssigneeId).HasFilter(NotNull("AssigneeId"));

        // A department's worklist pages its open steps oldest first: an index of the open steps alone, in that order.
        // The steps a person acted on find the cases where separation of duties may keep a step from them.
        // Its case and work item ride along (the page's full order, and a search probes each step's case in the search
        // index without reading the step's row: decision 0019).
        builder.Entity<ApprovalSystem.Core.Cases.CaseStep>().HasIndex("Department", "OpenedAt", "CaseId", "WorkItemId").HasFilter(IsNull("ClosedAt"))
            .HasDatabaseName("IX_CaseSteps_Open_Department_OpenedAt");
        builder.Entity<ApprovalSystem.Core.Cases.CaseStep>().HasIndex("ActorId", "CaseId").HasFilter(NotNull("ActorId"));

        // The search indexes: a search reads the range of terms starting with what was typed (decision 0019).
        builder.Entity<CaseSearchTerm>(e =>
        {
            e.HasKey(t => new { t.Term, t.CaseId });
            e.Property(t => t.Term).HasMaxLength(64).UseCollation(BinaryCollation);

            // A worklist searches a department's open steps: each step's case probed for the term, not every case with it.
            e.HasIndex(t => new { t.CaseId, t.Term });
        });
        builder.Entity<CertificateSearchTerm>(e =>
        {
            e.HasKey(t => new { t.Term, t.CertificateId });
            e.Property(t => t.Term).HasMaxLength(64).UseCollation(BinaryCollation);
            e.HasOne(t => t.Certificate).WithMany().HasForeignKey(t => t.CertificateId).OnDelete(DeleteBehavior.Cascade);
        });
    }

    // The changes are detected once a save: the search index and the delivery counts read them, the save writes them (each
    // ChangeTracker.Entries call and the save itself would detect them again, three passes over every tracked entity).
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var detect = BeginSave();
        try
        {
            foreach (var (id, touched) in IndexCertificates())
            {
                CertificateSearchTerms.Where(t => t.CertificateId == id && touched.Contains(t.Term)).ExecuteDelete();
            }

            StampBundles();
            CountDeliveries();
            var saved = base.SaveChanges(acceptAllChangesOnSuccess);
            _deliveryCounts.Clear();
            return saved;
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var detect = BeginSave();
        try
        {
            foreach (var (id, touched) in IndexCertificates())
            {
                await CertificateSearchTerms.Where(t => t.CertificateId == id && touched.Contains(t.Term)).ExecuteDeleteAsync(cancellationToken);
            }

            StampBundles();
            CountDeliveries();
            var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            _deliveryCounts.Clear();
            return saved;
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    /// <summary>Detects the changes (unless the caller turned detection off), then turns detection off for the save; returns what to restore.</summary>
    private bool BeginSave()
    {
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        if (detect)
        {
            ChangeTracker.DetectChanges();
            ChangeTracker.AutoDetectChangesEnabled = false;
        }

        // The record of personal data reads is evidence for the supervisor: it is only ever added to.
        if (ChangeTracker.Entries<PersonalDataRead>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
            throw new InvalidOperationException("Personal data reads are append-only: a recorded read is never changed nor deleted.");
        }

        return detect;
    }

    /// <summary>The count changes <see cref="CountDeliveries"/> added to the unit of work not yet saved.</summary>
    private readonly List<RowCount> _deliveryCounts = [];

    /// <summary>
    /// Keeps the count of webhook deliveries per status (decision 0021) with the deliveries this save adds, moves or removes.
    /// A save tried again after a failure counts afresh: what a failed try added is taken out first.
    /// </summary>
    /// <summary>
    /// Every added or changed catalogue bundle gets a new random <see cref="Configurations.BundleConfiguration.Revision"/>: readers that keep what they
    /// derived from the bundles (ReplacedMatters) compare the revisions, a few bytes a bundle, instead of reading every definition again.
    /// </summary>
    private void StampBundles()
    {
        foreach (var e in ChangeTracker.Entries<ApprovalSystem.Core.Catalogue.Bundle>())
        {
            if (e.State is EntityState.Added or EntityState.Modified)
            {
                e.Property(Configurations.BundleConfiguration.Revision).CurrentValue = Random.Shared.NextInt64();
            }
        }
    }

    private void CountDeliveries()
    {
        foreach (var added in _deliveryCounts)
        {
            Entry(added).State = EntityState.Detached;
        }

        _deliveryCounts.Clear();
        foreach (var entry in ChangeTracker.Entries<OutboxMessage>().ToList())
        {
            var status = entry.Property(m => m.Status);
            (DeliveryStatus? From, DeliveryStatus? To) move = entry.State switch
            {
                EntityState.Added => (null, status.CurrentValue),
                EntityState.Deleted => (status.OriginalValue, null),
                EntityState.Modified when status.IsModified => (status.OriginalValue, status.CurrentValue),
                _ => (null, null),
            };
            var (from, to) = move;
            if (from == to)
            {
                continue;
            }

            foreach (var (bucket, delta) in new[] { (from, -1L), (to, 1L) })
            {
                if (bucket is { } b)
                {
                    var row = new RowCount { Scope = StateCounts.DeliveryStatus, Bucket = b.ToString(), Delta = delta };
                    RowCounts.Add(row);
                    _deliveryCounts.Add(row);
                }
            }
        }
    }

    /// <summary>
    /// Adds the search terms of the certificates being added or having a searched field changed; returns, for each changed
    /// one, the terms to delete first (old and new: an entry missing or left over never fails the save).
    /// </summary>
    private List<(long Id, List<string> Touched)> IndexCertificates()
    {
        var changed = new List<(long, List<string>)>();
        foreach (var entry in ChangeTracker.Entries<CertificateRecord>().ToList())
        {
            var x = entry.Entity;
            if (entry.State == EntityState.Added)
            {
                CertificateSearchTerms.AddRange(SearchTerms.OfCertificate(x.Number, x.HolderName, x.CaseNumber)
                    .Select(t => new CertificateSearchTerm { Term = t, Certificate = x }));
            }
            else if (entry.State == EntityState.Modified
                && (entry.Property(r => r.Number).IsModified || entry.Property(r => r.HolderName).IsModified || entry.Property(r => r.CaseNumber).IsModified))
            {
                var before = SearchTerms.OfCertificate(entry.Property(r => r.Number).OriginalValue, entry.Property(r => r.HolderName).OriginalValue,
                    entry.Property(r => r.CaseNumber).OriginalValue);
                var after = SearchTerms.OfCertificate(x.Number, x.HolderName, x.CaseNumber);
                if (!before.SetEquals(after))
                {
                    changed.Add((x.Id, before.Union(after).ToList()));
                    CertificateSearchTerms.AddRange(after.Select(t => new CertificateSearchTerm { Term = t, CertificateId = x.Id }));
                }
            }
        }

        return changed;
    }

    /// <summary>An index filter keeping the rows where the column has a value, in the provider's quoting.</summary>
    protected virtual string NotNull(string column) => $"\"{column}\" IS NOT NULL";

    /// <summary>An index filter keeping the rows where the column is empty, in the provider's quoting.</summary>
    protected virtual string IsNull(string column) => $"\"{column}\" IS NULL";
}

/// <summary>A key/value row for the centre's settings (region, centre address, …).</summary>
public class SystemSetting
{
    public string Key { get; set; } = "";

    public string Value { get; set; } = "";
}

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options)
{
    /// <summary>
    /// SQLite cannot compare or order DateTimeOffset values in SQL; store them as sortable
    /// binary numbers so deadline queries (DueAt &lt;= now) run in the database.
    /// </summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>()
            .HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
    }
}

public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options)
{
    protected override string? BinaryCollation => "C";
}

public sealed class SqlServerAppDbContext(DbContextOptions<SqlServerAppDbContext> options) : AppDbContext(options)
{
    protected override string NotNull(string column) => $"[{column}] IS NOT NULL";

    protected override string IsNull(string column) => $"[{column}] IS NULL";

    // BIN2 orders nvarchar by UTF-16 code units: U+FFFF is above every character, a surrogate pair included.
    internal override string PrefixEnd => "\uFFFF";

    protected override string? BinaryCollation => "Latin1_General_100_BIN2";
}
