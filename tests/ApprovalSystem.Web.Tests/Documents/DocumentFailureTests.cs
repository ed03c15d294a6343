using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Documents;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ApprovalSystem.Web.Tests.Documents;

/// <summary>
/// Rendering or keeping an act's document can fail after the act is saved: the act stays saved, the rendering is retried
/// after a growing pause, and meanwhile the document is rendered on demand from its words as of the act.
/// The factory runs no background worker (Documents:Worker off); the tests' workers keep their files where none can be written.
/// </summary>
public sealed class DocumentFailureTests(ManualDocumentsAppFactory factory) : IClassFixture<ManualDocumentsAppFactory>, IAsyncLifetime
{
    private readonly string _broken = Path.Combine(Path.GetTempPath(), "approval-tests", "broken-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        await factory.RenderDocumentsAsync();

        // The files' folder is a file: no document can be kept under this data folder.
        Directory.CreateDirectory(_broken);
        await File.WriteAllTextAsync(Path.Combine(_broken, "files"), "not a folder");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_broken, recursive: true);
        return Task.CompletedTask;
    }

    private DocumentWorker Worker(string dataFolder, TimeProvider clock) => new(factory.Get<IDbContextFactory<AppDbContext>>(), factory.Get<DocumentRenderer>(),
        factory.Get<IDocumentSigner>(),
        new StorageOptions(dataFolder), clock, NullLogger<DocumentWorker>.Instance);

    private async Task<(long Id, ApiSession Citizen)> FiledAsync()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = "330799-SCJG-011", submit = true, formData = await TestForms.RequiredAsync(factory, "330799-SCJG-011") });
        return (filed.GetProperty("id").GetInt64(), citizen);
    }

    private async Task<PendingDocument?> PendingAsync(long id)
    {
        await using var db = factory.CreateDbContext();
        return await db.PendingDocuments.AsNoTracking().SingleOrDefaultAsync(p => p.CaseId == id);
    }

    [Fact]
    public async Task AFailedRendering_IsRetriedAfterItsPause_AndMeanwhileTheDocumentIsRenderedOnDemand()
    {
        var (id, citizen) = await FiledAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddSeconds(1));

        Assert.Equal(0, await Worker(_broken, clock).DrainAsync());

        var failed = (await PendingAsync(id))!;
        Assert.Equal(1, failed.Attempts);
        Assert.Equal(clock.GetUtcNow() + DocumentWorker.Backoff(1), failed.NextAttemptAt, TimeSpan.FromMilliseconds(1));
        Assert.Contains("Exception: ", failed.LastError, StringComparison.Ordinal);

        // The act is saved; the applicant gets the receipt all the same, rendered from its words at the filing.
        var pdf = await citizen.Client.GetByteArrayAsync($"/api/cases/{id}/documents/receipt");
        var text = IssuedDocumentTests.PdfText(pdf).Replace("\n", "", StringComparison.Ordinal);
        Assert.Contains("受理回执", text.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        await using (var db = factory.CreateDbContext())
        {
            Assert.False(await db.CaseDocuments.AnyAsync(d => d.CaseId == id));
        }

        // Not again before its pause is over; after it, with the disk fixed, it is kept.
        Assert.Equal(0, await Worker(factory.DataFolder, clock).DrainAsync());
        Assert.Equal(1, (await PendingAsync(id))!.Attempts);
        clock.Advance(DocumentWorker.Backoff(1));
        Assert.Equal(1, await Worker(factory.DataFolder, clock).DrainAsync());

        Assert.Null(await PendingAsync(id));
        await using (var db = factory.CreateDbContext())
        {
            var stored = await db.CaseDocuments.AsNoTracking().SingleAsync(d => d.CaseId == id);
            Assert.True(File.Exists(ContentFiles.PathFor(factory.DataFolder, stored.Sha256)));
        }
    }

    [Fact]
    public async Task ARenderingThatKeepsFailing_IsGivenUpAfterTheLastAttempt_AndTheDocumentStaysAvailable()
    {
        var (id, citizen) = await FiledAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddSeconds(1));
        var broken = Worker(_broken, clock);

        for (var attempt = 1; attempt <= DocumentWorker.MaxAttempts; attempt++)
        {
            Assert.Equal(0, await broken.DrainAsync());
            Assert.Equal(attempt, (await PendingAsync(id))!.Attempts);
            clock.Advance(DocumentWorker.Backoff(attempt));
        }

        // Left for an administrator: no worker takes it again, and the receipt is still there to download.
        Assert.Equal(0, await Worker(factory.DataFolder, clock).DrainAsync());
        Assert.Equal(DocumentWorker.MaxAttempts, (await PendingAsync(id))!.Attempts);
        var pdf = await citizen.Client.GetByteArrayAsync($"/api/cases/{id}/documents/receipt");
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(pdf, 0, 5), StringComparison.Ordinal);
    }
}
