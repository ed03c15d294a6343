using ApprovalSystem.Web.Features.Admin;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ApprovalSystem.Web.Tests.Guide;

/// <summary>
/// The public catalogue for visitors comes from the output cache: the guide's pages render statically (no live
/// connection), are stored without anyone's cookie, and are rendered afresh once the catalogue changes; signed-in
/// pages are never stored.
/// </summary>
public sealed class CatalogueCacheTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string Matter = "330799-SCJG-010";

    private static bool IsInteractive(string html) => html.Contains("\"type\":\"server\"", StringComparison.Ordinal);

    [Fact]
    public async Task VisitorsGuide_IsStatic_ServedFromTheCache_WithoutACookie_AndFreshAfterTheMatterChanges()
    {
        using var visitor = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var paths = new[] { $"/guide/{Matter}", "/guide?q=" + Uri.EscapeDataString("食品"), "/api/matters?department=SCJG", $"/api/matters/{Matter}" };
        foreach (var path in paths)
        {
            using var first = await visitor.GetAsync(path);
            using var second = await visitor.GetAsync(path);
            Assert.Equal(System.Net.HttpStatusCode.OK, second.StatusCode);
            Assert.Null(first.Headers.Age);
            Assert.NotNull(second.Headers.Age); // from the store
            Assert.False(second.Headers.Contains("Set-Cookie"), $"{path} handed out a stored cookie");
            var html = await second.Content.ReadAsStringAsync();
            Assert.Equal(await first.Content.ReadAsStringAsync(), html);
            Assert.False(IsInteractive(html), $"{path} opened a live connection for a visitor");
        }

        // An administrator renames the matter: the next visitor sees the new name at once.
        var editor = factory.Get<EditMatter.Handler>();
        var data = (await editor.LoadAsync(Matter))!;
        var name = data.Name;
        data.Name = name + "（缓存测试）";
        Assert.Empty(await editor.SaveAsync(Matter, data));
        foreach (var path in paths)
        {
            using var after = await visitor.GetAsync(path);
            Assert.Null(after.Headers.Age);
            var text = await after.Content.ReadAsStringAsync();
            Assert.Contains("（缓存测试）", path.StartsWith("/api", StringComparison.Ordinal) ? System.Text.RegularExpressions.Regex.Unescape(text) : text,
                StringComparison.Ordinal);
        }

        data.Name = name;
        Assert.Empty(await editor.SaveAsync(Matter, data));
    }

    [Fact]
    public async Task SignedInGuide_IsInteractive_AndNeverStored()
    {
        var clerk = new BrowserSession(factory.CreateBrowserClient());
        await clerk.SignInAsync("clerk", ApprovalSystem.Web.Infrastructure.Seeding.DemoAccounts.Password);
        using var first = await clerk.Client.GetAsync($"/guide/{Matter}");
        using var second = await clerk.Client.GetAsync($"/guide/{Matter}");
        Assert.Null(second.Headers.Age);
        Assert.True(IsInteractive(await second.Content.ReadAsStringAsync()));
    }
}
