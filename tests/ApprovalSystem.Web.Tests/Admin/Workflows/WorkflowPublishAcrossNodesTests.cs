using System.Diagnostics;
using ApprovalSystem.Web.Features.Admin.Workflows;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Infrastructure.Cluster;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalSystem.Web.Tests.Admin.Workflows;

/// <summary>
/// A version published on node A is what node B starts new cases on, without a restart (issue 18 item 1): B had the old version cached,
/// and only the cluster event (the polled change table, which every provider can run) makes it read again.
/// </summary>
public sealed class WorkflowPublishAcrossNodesTests : IDisposable
{
    private readonly NodeFactory _a = new(new Dictionary<string, string?> { ["Database:ClusterEvents"] = "Poll" });
    private NodeFactory? _b;

    public void Dispose()
    {
        _b?.Dispose();
        _a.Dispose();
    }

    [Fact]
    public async Task PublishedOnNodeA_NodeBStartsNewCasesOnIt()
    {
        _ = _a.Services;
        _b = _a.SecondNode();
        var catalogB = _b.Get<WorkflowCatalog>();
        var took = Stopwatch.StartNew();
        while (!(Listening(_a) && Listening(_b)))
        {
            Assert.True(took.Elapsed < TimeSpan.FromSeconds(30), "both nodes should listen within 30 s");
            await Task.Delay(10);
        }

        var before = await catalogB.CurrentAsync("reported"); // read and cached on B
        var drafts = _a.Get<WorkflowDrafts>();
        var json = (await drafts.OpenAsync("reported", WorkflowDraftsTests.Admin)).Json;
        var title = before.Steps[0].Title;
        Assert.True((await drafts.SaveAsync("reported", json.Replace($"\"{title}\"", "\"初审（新）\"", StringComparison.Ordinal),
            WorkflowDraftsTests.Admin)).CanPublish);
        var version = (await drafts.PublishAsync("reported", "跨节点发布测试", WorkflowDraftsTests.Admin)).Version;

        took.Restart();
        while ((await catalogB.CurrentAsync("reported")).Version != version)
        {
            Assert.True(took.Elapsed < TimeSpan.FromSeconds(5), "node B should start new cases on the published version within seconds");
            await Task.Delay(20);
        }

        Assert.Equal("初审（新）", (await catalogB.CurrentAsync("reported")).Steps[0].Title);
    }

    private static bool Listening(NodeFactory node) => node.Services.GetRequiredService<IClusterEvents>() switch
    {
        PostgresClusterEvents notify => notify.Listening,
        PollingClusterEvents poll => poll.Listening,
        _ => true,
    };
}
