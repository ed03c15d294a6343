using System.Net;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Infrastructure.Seeding;
using ApprovalSystem.Web.Tests.Infrastructure;
using ApprovalSystem.Workflows.Bpmn;

namespace ApprovalSystem.Web.Tests.Admin;

public sealed class WorkflowBpmnDownloadTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Download_Administrator_GetsTheStoredVersionAsBpmnThatImportsBack()
    {
        var session = new BrowserSession(factory.CreateBrowserClient());
        await session.SignInAsync("admin", DemoAccounts.Password);
        var catalog = factory.Get<WorkflowCatalog>();
        var version = (await catalog.LatestVersionsAsync())["property-registration"].Version;
        var stored = await catalog.VersionAsync("property-registration", version);

        var response = await session.Client.GetAsync($"/admin/workflows/property-registration/versions/{version}.bpmn");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"property-registration-v{version}.bpmn", response.Content.Headers.ContentDisposition?.FileNameStar);
        var imported = BpmnImporter.Import(await response.Content.ReadAsStringAsync());
        Assert.True(imported.Succeeded, string.Join("\n", imported.Errors));
        Assert.Equal(stored.Steps.Select(s => (s.Id, s.Title)), imported.Definition!.Steps.Select(s => (s.Id, s.Title)));
        Assert.Equal(stored.Connections, imported.Definition.Connections);
    }

    [Fact]
    public async Task Download_UnknownVersion_IsNotFoundWithAChineseReason()
    {
        var session = new BrowserSession(factory.CreateBrowserClient());
        await session.SignInAsync("admin", DemoAccounts.Password);

        var response = await session.Client.GetAsync("/admin/workflows/property-registration/versions/999.bpmn");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("没有第999版", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("clerk")]
    [InlineData("officer.scjg")]
    [InlineData("supervisor")]
    public async Task Download_OtherRoles_AreRefused(string account)
    {
        var session = new BrowserSession(factory.CreateBrowserClient());
        await session.SignInAsync(account, DemoAccounts.Password);

        var response = await session.Client.GetAsync("/admin/workflows/property-registration/versions/1.bpmn");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_Anonymous_IsSentToSignIn()
    {
        var response = await factory.CreateBrowserClient().GetAsync("/admin/workflows/property-registration/versions/1.bpmn");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }
}
