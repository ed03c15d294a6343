using System.Net.Http.Json;
using ApprovalSystem.Web.Features.Exchange.Systems;
using ApprovalSystem.Web.Features.Supervision;
using Microsoft.EntityFrameworkCore;
using ApprovalSystem.Web.Features.Supervision.Performance;

namespace ApprovalSystem.Web.Tests.Supervision;

/// <summary>
/// A line system's push that arrives days after the fact changes a day already tallied; the recurring refresh
/// goes back to it (found by the county-year simulation: the day-by-day rows missed what a recount found).
/// </summary>
public sealed class LatePushTallyTests : IDisposable
{
    private readonly ClockedAppFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task APushAcceptedThreeDaysAgo_ReceivedToday_IsInTheDayByDayTallies_AsInARebuild()
    {
        var issued = await factory.Get<LineSystems.Handler>().RegisterAsync(new LineSystems.Command("YW-LATE", "市场监管业务系统", "SCJG", null));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeys.Header, issued.ApiKey);
        await using var db = factory.CreateDbContext();
        var matter = await db.Matters.AsNoTracking().Where(m => m.Department!.Code == "SCJG").OrderBy(m => m.Code).Select(m => m.Code).FirstAsync();
        var aggregator = factory.Get<PerformanceAggregator>();
        await aggregator.RunAsync();
        var happened = factory.Clock.GetUtcNow().AddDays(-3);

        foreach (var (step, at) in new[] { ("收件", happened.AddHours(-1)), ("受理", happened) })
        {
            var response = await client.PostAsJsonAsync("/api/exchange/cases/events", new
            {
                eventId = "late-" + step, caseId = "YW-LATE-1", matterCode = matter, step, opinion = "同意", actor = new { name = "王审查" }, occurredAt = at,
                applicant = new { name = "云溪县绿源食品有限公司", idType = "CreditCode", idNumber = "91330799MA2K3L4N5T", phone = "13800000002" },
            });
            response.EnsureSuccessStatusCode();
        }

        await aggregator.RunAsync();

        var accepted = await db.PerformanceDays.AsNoTracking().Where(p => p.Department == "SCJG").SumAsync(p => p.Accepted);
        var received = await db.PerformanceDays.AsNoTracking().Where(p => p.Department == "SCJG").SumAsync(p => p.Received);
        await aggregator.RebuildAsync();
        Assert.Equal(await db.PerformanceDays.AsNoTracking().Where(p => p.Department == "SCJG").SumAsync(p => p.Accepted), accepted);
        Assert.Equal(await db.PerformanceDays.AsNoTracking().Where(p => p.Department == "SCJG").SumAsync(p => p.Received), received);
        Assert.True(accepted >= 1, "the late acceptance is tallied");
    }
}
