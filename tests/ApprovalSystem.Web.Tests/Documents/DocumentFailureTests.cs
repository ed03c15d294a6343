using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Documents;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApprovalSystem.Web.Tests.Documents;

/// <summary>Storing an act's documents can fail; the act itself must stay saved, and the document is rendered on demand.</summary>
public sealed class DocumentFailureTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private sealed class BrokenFactory : IDbContextFactory<AppDbContext>
    {
        public AppDbContext CreateDbContext() => throw new InvalidOperationException("document storage is down");
    }

    [Fact]
    public async Task WhenStoringTheDocumentFails_TheActIsSaved_AndTheDocumentIsRenderedOnDemand()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = "330799-SCJG-011", submit = true, formData = await TestForms.RequiredAsync(factory, "330799-SCJG-011") });
        var id = filed.GetProperty("id").GetInt64();
        var broken = new CaseDocumentArchive(new BrokenFactory(), factory.Get<DocumentRenderer>(), new ConfigurationBuilder().Build(), NullLogger<CaseDocumentArchive>.Instance);
        var store = new CaseStore(factory.Get<IDbContextFactory<AppDbContext>>(), factory.Get<WorkingTimeProvider>(), TimeProvider.System, factory.Get<StorageOptions>(),
            factory.Services.GetServices<ICaseActWriter>(), [broken]);
        var clerk = new CaseActor("clerk-id", "李晓梅", [Roles.Clerk], "FWZX");

        var refused = await store.ExecuteAsync(id, clerk, (c, ctx) =>
        {
            c.Refuse("申请事项不属于本机关职权范围", clerk, ctx.Now, ctx.Time);
            return Task.CompletedTask;
        });

        Assert.Equal(CaseState.NotAccepted, refused.State);
        await using var db = factory.CreateDbContext();
        Assert.Equal(CaseState.NotAccepted, (await db.Cases.AsNoTracking().SingleAsync(x => x.Id == id)).State);
        Assert.True(await db.CaseDocuments.AnyAsync(d => d.CaseId == id && d.Kind == nameof(CaseDocumentKind.Receipt)), "the filing's receipt was stored by the real archive");
        Assert.False(await db.CaseDocuments.AnyAsync(d => d.CaseId == id && d.Kind == nameof(CaseDocumentKind.NonAcceptanceNotice)));
        var pdf = await citizen.Client.GetByteArrayAsync($"/api/cases/{id}/documents/nonAcceptanceNotice");
        Assert.Contains("申请事项不属于本机关职权范围", IssuedDocumentTests.PdfText(pdf).Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
