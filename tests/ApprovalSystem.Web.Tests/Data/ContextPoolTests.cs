using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalSystem.Web.Tests.Data;

/// <summary>
/// A request's context comes from the pool and goes back to it once, when the request's scope ends (decision 0071). The
/// scope disposes what every factory registration handed out: two registrations handing out the same context returned it
/// twice, the second time while another request could have rented it already. That request then shared its context, its
/// connection and its transaction with a third (the two-node harness saw filings hang on a journal head lock nobody released).
/// </summary>
public sealed class ContextPoolTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite, "Data Source=pool-test.db")]
    [InlineData(DatabaseProvider.PostgreSql, "Host=127.0.0.1;Database=pool_test")]
    [InlineData(DatabaseProvider.SqlServer, "Server=127.0.0.1;Database=pool_test")]
    public async Task ARequestsContext_GoesBackToThePoolOnce_NotFromUnderTheNextRequestThatRentedIt(DatabaseProvider provider, string connection)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddAppDatabase(new DatabaseOptions { Provider = provider, ConnectionString = connection });
        services.AddScoped<NextRequest>();
        await using var root = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        NextRequest next;
        AppDbContext requests;
        await using (var scope = root.CreateAsyncScope())
        {
            // The provider's own context type (EF Core's pool registers it), then the next request, then the request's context: the
            // scope disposes in reverse order, so the next request rents between the disposals of whatever hands contexts out.
            foreach (var type in new[] { typeof(SqliteAppDbContext), typeof(PostgresAppDbContext), typeof(SqlServerAppDbContext) })
            {
                _ = scope.ServiceProvider.GetService(type);
            }

            next = scope.ServiceProvider.GetRequiredService<NextRequest>();
            requests = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.Null(next.Context);
        }

        // The next request rented the context this request gave back: it is still the next request's, and the pool does not hand
        // it to a third.
        Assert.Same(requests, next.Context);
        _ = next.Context!.Model; // throws when the context went back to the pool under it
        await using var third = await root.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        Assert.NotSame(next.Context, third);
        await next.Context.DisposeAsync();
    }

    /// <summary>A request that rents a context from the pool the moment it is disposed (its scope is ending).</summary>
    private sealed class NextRequest(IDbContextFactory<AppDbContext> pool) : IAsyncDisposable
    {
        public AppDbContext? Context { get; private set; }

        public async ValueTask DisposeAsync() => Context = await pool.CreateDbContextAsync();
    }
}
