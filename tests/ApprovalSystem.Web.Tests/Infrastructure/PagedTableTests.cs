using ApprovalSystem.Web.Components.Shared;
using ApprovalSystem.Web.Features.Cases.Queries;
using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MudBlazor.Services;

namespace ApprovalSystem.Web.Tests.Infrastructure;

/// <summary>
/// The server-paged table the staff lists use (docs/decisions/0020): the prerendered first page is shown without a query,
/// the pager reads the page it names, a later request supersedes one still running, and a list that shrank under its
/// reader shows its last page rather than an empty one.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "IAsyncLifetime disposes the bUnit context.")]
public sealed class PagedTableTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = new();
    private List<int> _items = Enumerable.Range(1, 130).ToList();
    private readonly List<int> _skips = [];

    public Task InitializeAsync()
    {
        _ctx.Services.AddMudServices();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    private Task<CaseQueries.Page<int>> Load(int skip, int take, CancellationToken ct)
    {
        _skips.Add(skip);
        return Task.FromResult(new CaseQueries.Page<int>(_items.Skip(skip).Take(take).ToList(), _items.Count));
    }

    private IRenderedComponent<PagedTable<int>> Render(Func<int, int, CancellationToken, Task<CaseQueries.Page<int>>> load,
        CaseQueries.Page<int>? initial = null) =>
        _ctx.Render<PagedTable<int>>(p => p
            .Add(t => t.Load, load)
            .Add(t => t.Initial, initial)
            .Add(t => t.Id, "list")
            .Add(t => t.Header, (RenderFragment)(b => b.AddMarkupContent(0, "<th class=\"mud-table-cell\">n</th>")))
            .Add(t => t.Row, n => b => b.AddMarkupContent(0, $"<td class=\"mud-table-cell\">item {n}</td>"))
            .Add(t => t.NoRecords, (RenderFragment)(b => b.AddContent(0, "暂无。"))));

    private static List<string> Rows(IRenderedComponent<PagedTable<int>> table) =>
        table.FindAll("#list tbody tr.mud-table-row").Select(r => r.TextContent.Trim()).ToList();

    private static Task ClickAsync(IRenderedComponent<PagedTable<int>> table, string button) =>
        table.InvokeAsync(() => table.Find($"button.mud-table-pagination-{button}-button").ClickAsync(new()));

    [Fact]
    public async Task ThePrerenderedFirstPage_IsShownWithoutAQuery_AndThePagerReadsThePageItNames()
    {
        var initial = new CaseQueries.Page<int>(_items.Take(50).ToList(), _items.Count);
        var table = Render(Load, initial);

        Assert.Empty(_skips);
        Assert.Equal(50, Rows(table).Count);
        Assert.Equal("item 1", Rows(table)[0]);
        Assert.Contains("1-50 / 130", table.Markup, StringComparison.Ordinal);
        Assert.True(table.Find("button.mud-table-pagination-before-button").HasAttribute("disabled"));

        // The parent lets go of its prerendered page (the window queue does when its tab changes): the table keeps its rows.
        table.Render(p => p.Add(t => t.Initial, null));
        Assert.Equal(50, Rows(table).Count);
        Assert.Empty(_skips);

        await ClickAsync(table, "next");
        Assert.Equal([50], _skips);
        Assert.Equal("item 51", Rows(table)[0]);
        Assert.Contains("51-100 / 130", table.Markup, StringComparison.Ordinal);

        await ClickAsync(table, "last");
        Assert.Equal([50, 100], _skips);
        Assert.Equal(30, Rows(table).Count);
        Assert.Equal("item 130", Rows(table)[^1]);
        Assert.Contains("101-130 / 130", table.Markup, StringComparison.Ordinal);
        Assert.True(table.Find("button.mud-table-pagination-next-button").HasAttribute("disabled"));

        await ClickAsync(table, "before");
        await ClickAsync(table, "first");
        Assert.Equal([50, 100, 50, 0], _skips);
        Assert.Equal("item 1", Rows(table)[0]);
    }

    [Fact]
    public void WithoutAPrerenderedPage_TheTableReadsItsFirstPage_AndAnEmptyListSaysSo()
    {
        _items = [];
        var table = Render(Load);

        Assert.Equal([0], _skips);
        Assert.Empty(Rows(table));
        Assert.Contains("暂无。", table.Markup, StringComparison.Ordinal);
        Assert.Contains("0-0 / 0", table.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AListThatShrankUnderItsReader_ShowsItsLastPage()
    {
        var table = Render(Load);
        await ClickAsync(table, "last");
        Assert.Equal("item 130", Rows(table)[^1]);

        _items = _items.Take(40).ToList(); // others acted on 90 of the rows
        await table.InvokeAsync(() => table.Instance.ReloadAsync());

        Assert.Equal([0, 100, 100, 0], _skips);
        Assert.Equal(40, Rows(table).Count);
        Assert.Contains("1-40 / 40", table.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALaterRequest_SupersedesOneStillRunning()
    {
        var slow = new TaskCompletionSource<CaseQueries.Page<int>>();
        var first = true;
        var table = Render((skip, take, ct) =>
        {
            if (first && skip == 50)
            {
                first = false;
                ct.Register(() => slow.TrySetCanceled(ct));
                return slow.Task;
            }

            return Load(skip, take, ct);
        }, new CaseQueries.Page<int>(_items.Take(50).ToList(), _items.Count));

        var next = ClickAsync(table, "next");
        try
        {
            Assert.False(next.IsCompleted); // still running
            Assert.NotNull(table.Find("#list .mud-table-loading"));
            await ClickAsync(table, "last");
            await next.WaitAsync(TimeSpan.FromSeconds(10)); // ends once cancelled by the later request
        }
        finally
        {
            slow.TrySetCanceled(); // a failed assertion must not leave the renderer waiting for the first request
        }

        Assert.Equal("item 130", Rows(table)[^1]);
        Assert.Contains("101-130 / 130", table.Markup, StringComparison.Ordinal);
        Assert.Empty(table.FindAll("#list .mud-table-loading"));
    }
}
