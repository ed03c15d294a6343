using System.Net;
using System.Net.Http.Json;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Features.Exchange;
using ApprovalSystem.Web.Features.Exchange.Resources;
using ApprovalSystem.Web.Features.Exchange.Systems;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Exchange;

/// <summary>The resource catalogue: field-level grants, the read log, and prefill from granted fields.</summary>
public sealed class ExchangeResourceTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string Enterprise = "91330799MA2K3L4N5T";

    [Fact]
    public async Task Query_ReturnsOnlyGrantedFields_RefusedFieldNeverInResponseOrLog()
    {
        var issued = await factory.Get<LineSystems.Handler>().RegisterAsync(new LineSystems.Command("SW-" + Guid.NewGuid().ToString("N")[..6], "税务征管系统", "SW", null));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeys.Header, issued.ApiKey);
        var url = $"/api/exchange/resources/{ExchangeSeed.Enterprises}/records/{Enterprise}?purpose=税务登记核验";

        var before = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);

        var requested = await client.PostAsJsonAsync($"/api/exchange/resources/{ExchangeSeed.Enterprises}/requests", new { fields = new[] { "企业名称", "住所", "法定代表人" }, purpose = "税务登记核验" });
        Assert.Equal(HttpStatusCode.OK, requested.StatusCode);
        var request = (await requested.Content.ReadFromJsonAsync<AccessRequestDto>())!;
        var catalogue = factory.Get<ResourceCatalogue>();
        await Assert.ThrowsAsync<ApprovalSystem.Core.Cases.CaseRuleException>(() => catalogue.DecideAsync(request.Id, new Dictionary<string, bool> { ["法定代表人"] = true }, "SW", "冒充者"));
        await catalogue.DecideAsync(request.Id, new Dictionary<string, bool> { ["企业名称"] = true, ["住所"] = true, ["法定代表人"] = false }, "SCJG", "市场监管局");

        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("云溪县绿源食品有限公司", text, StringComparison.Ordinal);
        Assert.Contains("住所", text, StringComparison.Ordinal);
        Assert.DoesNotContain("法定代表人", text, StringComparison.Ordinal);
        Assert.DoesNotContain("陈明", text, StringComparison.Ordinal);
        Assert.DoesNotContain("注册资本", text, StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        var logs = await db.ResourceReadLog.AsNoTracking().Where(l => l.Consumer == "SW").ToListAsync();
        var log = Assert.Single(logs);
        Assert.Equal("税务登记核验", log.Purpose);
        Assert.Equal(issued.System.Code, log.Reader);
        Assert.Equal(["企业名称", "住所"], log.Fields.Split('|'));
        Assert.DoesNotContain(Enterprise, log.Key, StringComparison.Ordinal);
        var providerView = await catalogue.ReadLogAsync("SCJG");
        Assert.Contains(providerView, l => l.Consumer == "SW" && !l.Fields.Contains("法定代表人"));
    }

    [Fact]
    public async Task Query_WithoutPurpose_IsRefused()
    {
        var issued = await factory.Get<LineSystems.Handler>().RegisterAsync(new LineSystems.Command("GA-" + Guid.NewGuid().ToString("N")[..6], "公安系统", "GA", null));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeys.Header, issued.ApiKey);

        var response = await client.GetAsync($"/api/exchange/resources/{ExchangeSeed.Enterprises}/records/{Enterprise}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("目的", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prefill_ByCreditCode_FillsGrantedFieldsWithSource_AndLogsTheRead()
    {
        var values = await factory.Get<Prefill>().LookupAsync(ApplicantIdType.CreditCode, Enterprise, ExchangeSetup.CentreDepartment, "李晓梅");

        Assert.Equal("云溪县绿源食品有限公司", values.Single(v => v.Field == "企业名称").Value);
        Assert.Equal("云溪县城关镇解放路18号", values.Single(v => v.Field == "住所").Value);
        Assert.DoesNotContain(values, v => v.Field == "注册资本");
        Assert.All(values, v => Assert.StartsWith("来自 ", v.Source, StringComparison.Ordinal));
        Assert.All(values, v => Assert.EndsWith("企业登记信息", v.Source, StringComparison.Ordinal));
        await using var db = factory.CreateDbContext();
        Assert.True(await db.ResourceReadLog.AnyAsync(l => l.Consumer == ExchangeSetup.CentreDepartment && l.Reader == "李晓梅" && l.Purpose == Prefill.WindowPurpose));
    }

    [Fact]
    public async Task Prefill_ByResidentId_FillsName_ThroughTheApiForAClerk()
    {
        var clerk = await ApiSession.SignInAsync(factory, "clerk");

        var values = await clerk.GetOkAsync("/api/exchange/prefill?idType=ResidentId&idNumber=330799198503120016");

        Assert.Contains(values.EnumerateArray(), v => v.GetProperty("field").GetString() == "姓名" && v.GetProperty("value").GetString() == "张伟");
    }
}
