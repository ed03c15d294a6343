using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Documents;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApprovalSystem.Web.Tests.Documents;

/// <summary>
/// Documents are written with their act and rendered after its commit (decision 0016): kept as files named by their hash,
/// rendered once however many workers race, and not lost by a restart between the commit and the rendering.
/// The factory runs no background worker (Documents:Worker off), so each test says when documents are rendered.
/// </summary>
public sealed class DocumentOutboxTests(ManualDocumentsAppFactory factory) : IClassFixture<ManualDocumentsAppFactory>, IAsyncLifetime
{
    private const string Matter = "330799-SCJG-011";

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<long> FileAsync(AppFactory app)
    {
        var citizen = await ApiSession.SignInAsync(app, "citizen");
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = Matter, submit = true, formData = await TestForms.RequiredAsync(app, Matter) });
        return filed.GetProperty("id").GetInt64();
    }

    private DocumentWorker NewWorker(TimeProvider? clock = null) => new(factory.Get<IDbContextFactory<AppDbContext>>(), factory.Get<DocumentRenderer>(),
        factory.Get<IDocumentSigner>(),
        factory.Get<StorageOptions>(), clock ?? TimeProvider.System, NullLogger<DocumentWorker>.Instance);

    [Fact]
    public async Task AnAct_CommitsItsDocumentForRendering_TheWorkerKeepsItAsAFileByItsHash_AndDownloadsAreThoseBytes()
    {
        var id = await FileAsync(factory);

        await using (var db = factory.CreateDbContext())
        {
            // Committed with the filing, not rendered yet.
            var pending = await db.PendingDocuments.AsNoTracking().SingleAsync(p => p.CaseId == id);
            Assert.Equal(nameof(CaseDocumentKind.Receipt), pending.Kind);
            Assert.Equal(0, pending.Attempts);
            Assert.False(await db.CaseDocuments.AnyAsync(d => d.CaseId == id));
        }

        Assert.True(await factory.RenderDocumentsAsync() >= 1);

        await using (var db = factory.CreateDbContext())
        {
            Assert.False(await db.PendingDocuments.AnyAsync(p => p.CaseId == id));
            var stored = await db.CaseDocuments.AsNoTracking().SingleAsync(d => d.CaseId == id);
            Assert.Null(stored.Content);
            var path = ContentFiles.PathFor(factory.DataFolder, stored.Sha256);
            var file = await File.ReadAllBytesAsync(path);
            Assert.Equal(stored.Sha256, ContentFiles.Sha256Of(file));
            Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(file, 0, 5), StringComparison.Ordinal);
            var registered = await db.StoredFiles.AsNoTracking().SingleAsync(f => f.Sha256 == stored.Sha256);
            Assert.Equal(("application/pdf", file.LongLength), (registered.ContentType, registered.Size));

            var citizen = await ApiSession.SignInAsync(factory, "citizen");
            var first = await citizen.Client.GetByteArrayAsync($"/api/cases/{id}/documents/receipt");
            var second = await citizen.Client.GetByteArrayAsync($"/api/cases/{id}/documents/receipt");
            Assert.Equal(file, first);
            Assert.Equal(first, second);
        }
    }

    [Fact]
    public async Task ADocument_SaysWhatTheCaseSaidAtItsAct_NotWhenItIsRendered()
    {
        var id = await FileAsync(factory);
        await (await ApiSession.SignInAsync(factory, "clerk")).PostOkAsync($"/api/cases/{id}/accept", new { });

        // The department is renamed after the acceptance, before the worker renders its notice.
        await using var db = factory.CreateDbContext();
        var department = await db.Departments.SingleAsync(d => d.Code == "SCJG");
        var before = department.Name;
        department.Name = "云溪县市场监管综合服务中心";
        await db.SaveChangesAsync();
        try
        {
            await factory.RenderDocumentsAsync();
            var archive = factory.Get<CaseDocumentArchive>();
            var text = IssuedDocumentTests.PdfText(await archive.BytesAsync((await archive.StoredAsync(id, CaseDocumentKind.AcceptanceNotice))!))
                .Replace("\n", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
            Assert.Contains(before, text, StringComparison.Ordinal);
            Assert.DoesNotContain("云溪县市场监管综合服务中心", text, StringComparison.Ordinal);
        }
        finally
        {
            department.Name = before;
            await db.SaveChangesAsync();
        }
    }

    [Fact]
    public async Task TwoWorkersRacing_RenderAndStoreEachDocumentOnce()
    {
        await factory.RenderDocumentsAsync();
        var ids = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await FileAsync(factory));
        }

        var stored = await Task.WhenAll(Task.Run(() => NewWorker().DrainAsync()), Task.Run(() => NewWorker().DrainAsync()));

        Assert.Equal(ids.Count, stored.Sum());
        await using var db = factory.CreateDbContext();
        Assert.False(await db.PendingDocuments.AnyAsync(p => ids.Contains(p.CaseId)));
        var receipts = await db.CaseDocuments.AsNoTracking().Where(d => ids.Contains(d.CaseId)).Select(d => d.CaseId).ToListAsync();
        Assert.Equal(ids.Order(), receipts.Order());
    }

    [Fact]
    public async Task AWorkerThatFindsTheDocumentStoredAlready_OnlyClearsItsRow_AndLeavesNoStrayFile()
    {
        await factory.RenderDocumentsAsync();
        var id = await FileAsync(factory);
        await using var db = factory.CreateDbContext();
        var pending = await db.PendingDocuments.AsNoTracking().SingleAsync(p => p.CaseId == id);

        // Another node stored it, and its row's removal is not seen yet (e.g. its lease ran out while it rendered).
        var other = factory.Get<DocumentRenderer>().Render(IssuedContent.Read(pending.Content));
        var sha = ContentFiles.Sha256Of(other);
        await ContentFiles.WriteAsync(factory.DataFolder, sha, other, CancellationToken.None);
        await ContentFiles.RegisterAsync(db, sha, "application/pdf", other.Length, DateTimeOffset.UtcNow, CancellationToken.None);
        db.CaseDocuments.Add(new CaseDocument
        {
            CaseId = id, Kind = pending.Kind, IssuedAt = pending.IssuedAt, FileName = pending.FileName, Sha256 = sha, StoredAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        var files = Directory.GetFiles(Path.Combine(factory.DataFolder, "files"), "*", SearchOption.AllDirectories).Length;

        Assert.Equal(0, await NewWorker().DrainAsync());

        Assert.False(await db.PendingDocuments.AnyAsync(p => p.CaseId == id));
        Assert.Equal(sha, (await db.CaseDocuments.AsNoTracking().SingleAsync(d => d.CaseId == id)).Sha256);
        Assert.Equal(files, Directory.GetFiles(Path.Combine(factory.DataFolder, "files"), "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task ADocumentStoredBeforeFiles_IsStillServedFromItsRow()
    {
        var id = await FileAsync(factory);
        await factory.RenderDocumentsAsync();
        await using var db = factory.CreateDbContext();
        var stored = await db.CaseDocuments.AsNoTracking().SingleAsync(d => d.CaseId == id);
        var bytes = await File.ReadAllBytesAsync(ContentFiles.PathFor(factory.DataFolder, stored.Sha256));

        // As an existing database has it: the bytes in the row, no file (changed, so it is told apart from the file).
        var legacy = bytes.Concat("\n%legacy\n"u8.ToArray()).ToArray();
        await db.CaseDocuments.Where(d => d.Id == stored.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.Content, legacy).SetProperty(d => d.Sha256, ContentFiles.Sha256Of(legacy)));

        var downloaded = await (await ApiSession.SignInAsync(factory, "citizen")).Client.GetByteArrayAsync($"/api/cases/{id}/documents/receipt");

        Assert.Equal(legacy, downloaded);
    }

    [Fact]
    public async Task AStoredFileThatChanged_IsRefused_NotReplacedByANewRendering()
    {
        var id = await FileAsync(factory);
        await factory.RenderDocumentsAsync();
        await using var db = factory.CreateDbContext();
        var stored = await db.CaseDocuments.AsNoTracking().SingleAsync(d => d.CaseId == id);
        var path = ContentFiles.PathFor(factory.DataFolder, stored.Sha256);
        var original = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, [.. original.Take(original.Length - 10)]);
        try
        {
            var (response, body) = await (await ApiSession.SignInAsync(factory, "citizen")).GetAsync($"/api/cases/{id}/documents/receipt");

            Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("文书存档异常", body.GetProperty("title").GetString());
        }
        finally
        {
            await File.WriteAllBytesAsync(path, original);
        }
    }

    [Fact]
    public async Task ADocumentCommittedButNotRendered_SurvivesARestart_AndTheWorkerStoresItWhenTheHostStarts()
    {
        var first = new AppFactory { KeepsData = true, RendersDocuments = false };
        var firstStopped = false;
        AppFactory? second = null;
        try
        {
            // The host stops between the act's commit and its rendering.
            var id = await FileAsync(first);
            await using (var db = first.CreateDbContext())
            {
                Assert.True(await db.PendingDocuments.AnyAsync(p => p.CaseId == id));
                Assert.False(await db.CaseDocuments.AnyAsync(d => d.CaseId == id));
            }

            first.Dispose();
            firstStopped = true;
            second = first.Restarted();

            // Nobody asks: the new host's worker looks at start.
            _ = second.Services;
            CaseDocument? stored = null;
            for (var waited = 0; stored is null && waited < 300; waited++)
            {
                await using var db = second.CreateDbContext();
                stored = await db.CaseDocuments.AsNoTracking().FirstOrDefaultAsync(d => d.CaseId == id);
                if (stored is null)
                {
                    await Task.Delay(100);
                }
            }

            Assert.NotNull(stored);
            await using (var db = second.CreateDbContext())
            {
                Assert.False(await db.PendingDocuments.AnyAsync(p => p.CaseId == id));
            }

            var citizen = await ApiSession.SignInAsync(second, "citizen");
            var downloaded = await citizen.Client.GetByteArrayAsync($"/api/cases/{id}/documents/receipt");
            Assert.Equal(stored.Sha256, ContentFiles.Sha256Of(downloaded));
            Assert.Equal(downloaded, await citizen.Client.GetByteArrayAsync($"/api/cases/{id}/documents/receipt"));
        }
        finally
        {
            if (!firstStopped)
            {
                first.Dispose();
            }

            second?.Dispose();
        }
    }
}
